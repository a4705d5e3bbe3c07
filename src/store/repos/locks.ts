import { type Row, type Sql, toDate, ts } from '../sql.js';
import type { AcquireResult, EnvLock } from '../types.js';

function toLock(r: Row): EnvLock {
  const heartbeatAt = toDate(r.heartbeat_at);
  const ttlSeconds = Number(r.ttl_seconds);
  return {
    env: String(r.env),
    holder: String(r.holder),
    since: toDate(r.since),
    heartbeatAt,
    ttlSeconds,
    expiresAt: new Date(heartbeatAt.getTime() + ttlSeconds * 1000),
  };
}

/** "The row's heartbeat plus its ttl is not after the new heartbeat" (times are ISO strings in SQLite). */
function expired(sql: Sql): string {
  return sql.dialect === 'sqlite'
    ? `strftime('%Y-%m-%dT%H:%M:%fZ', l.heartbeat_at, '+' || l.ttl_seconds || ' seconds') <= excluded.heartbeat_at`
    : 'l.heartbeat_at + make_interval(secs => l.ttl_seconds) <= excluded.heartbeat_at';
}

/**
 * One statement, so two acquirers cannot both win: insert, or take over a row whose heartbeat expired
 * (or that the same holder already has — re-entrant refresh). Otherwise returns the current holder.
 */
export async function acquireLock(
  sql: Sql,
  env: string,
  holder: string,
  ttlSeconds: number,
  now = new Date(),
): Promise<AcquireResult> {
  const rows = await sql.query(
    `insert into env_locks as l (env, holder, since, heartbeat_at, ttl_seconds) values ($1, $2, $3, $3, $4)
     on conflict (env) do update set
       holder = excluded.holder,
       since = case when l.holder = excluded.holder then l.since else excluded.since end,
       heartbeat_at = excluded.heartbeat_at,
       ttl_seconds = excluded.ttl_seconds
     where l.holder = excluded.holder or ${expired(sql)}
     returning *`,
    [env, holder, ts(now), Math.max(1, Math.round(ttlSeconds))],
  );
  if (rows[0]) return { acquired: true, lock: toLock(rows[0]) };
  const current = await getLock(sql, env);
  // Released between our insert and this read: try once more rather than report a phantom holder.
  if (!current) return acquireLock(sql, env, holder, ttlSeconds, now);
  return { acquired: false, lock: current };
}

export async function heartbeat(sql: Sql, env: string, holder: string, now = new Date()): Promise<boolean> {
  const rows = await sql.query(
    'update env_locks set heartbeat_at = $3 where env = $1 and holder = $2 returning env',
    [env, holder, ts(now)],
  );
  return rows.length > 0;
}

export async function releaseLock(sql: Sql, env: string, holder: string): Promise<boolean> {
  const rows = await sql.query('delete from env_locks where env = $1 and holder = $2 returning env', [
    env,
    holder,
  ]);
  return rows.length > 0;
}

export async function getLock(sql: Sql, env: string): Promise<EnvLock | undefined> {
  const rows = await sql.query('select * from env_locks where env = $1', [env]);
  return rows[0] ? toLock(rows[0]) : undefined;
}

export async function listLocks(sql: Sql): Promise<EnvLock[]> {
  return (await sql.query('select * from env_locks order by env')).map(toLock);
}

export async function forceRelease(sql: Sql, env: string): Promise<EnvLock | undefined> {
  const rows = await sql.query('delete from env_locks where env = $1 returning *', [env]);
  return rows[0] ? toLock(rows[0]) : undefined;
}
