export interface EnvLock {
  env: string;
  /** `actor@host:pid` (runner) or a bot job id: who to ask, and whether the holder can still be alive. */
  holder: string;
  since: Date;
  heartbeatAt: Date;
  ttlSeconds: number;
  /** heartbeatAt + ttl: after this the lock is free for anyone. */
  expiresAt: Date;
}

export type AcquireResult = { acquired: true; lock: EnvLock } | { acquired: false; lock: EnvLock };

/** A cluster-wide job lock (scheduled jobs run once across replicas). Release when the job ends. */
export interface JobLock {
  name: string;
  release(): Promise<void>;
}

/** One lock per environment, heartbeat-based expiry. */
export interface LockStore {
  acquireLock(env: string, holder: string, ttlSeconds: number, now?: Date): Promise<AcquireResult>;
  /** Extends the lock; false when it is no longer ours (expired and taken over). */
  heartbeat(env: string, holder: string, now?: Date): Promise<boolean>;
  /** Releases when held by `holder`; false otherwise. */
  releaseLock(env: string, holder: string): Promise<boolean>;
  getLock(env: string): Promise<EnvLock | undefined>;
  listLocks(): Promise<EnvLock[]>;
  /** Operator override; audited by the caller. Returns the lock that was removed. */
  forceRelease(env: string): Promise<EnvLock | undefined>;
}

export interface JobLockStore {
  /** PostgreSQL: pg_try_advisory_lock on a dedicated connection; PGlite: a process-local mutex. */
  tryJobLock(name: string): Promise<JobLock | undefined>;
}
