export interface ProbeRecord {
  env: string;
  target: string;
  ok: boolean;
  latencyMs: number;
  at: Date;
  status?: number;
  error?: string;
}

export interface ProbeStore {
  recordProbe(p: ProbeRecord): Promise<void>;
  /** Oldest first, `at >= since`. */
  probeSeries(env: string, since: Date, target?: string): Promise<ProbeRecord[]>;
}
