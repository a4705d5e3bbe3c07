/**
 * The one thing both back ends provide: parameterized queries and transactions in PostgreSQL's dialect.
 * Everything above this (repos/, migrate.ts) is shared SQL, so PGlite and PostgreSQL cannot drift apart.
 */
export type Row = Record<string, unknown>;

export type Dialect = 'postgres' | 'sqlite';

export interface Sql {
  /**
   * PostgreSQL (PostgreSQL and PGlite) or SQLite. Repos write PostgreSQL; the SQLite back end translates
   * parameters, casts and `= any(...)` (sqlite.ts), and the few statements that differ more branch on this.
   */
  readonly dialect: Dialect;
  /** One statement, `$1…` parameters. Pass Dates as ISO strings and JSON as strings cast with `::jsonb`. */
  query<T = Row>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface Db extends Sql {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Date → ISO string parameter (both drivers then agree on time zones). */
export function ts(d: Date): string {
  return d.toISOString();
}

export function optTs(d: Date | undefined): string | null {
  return d === undefined ? null : d.toISOString();
}

/** Parameter for a `$n::jsonb` placeholder. */
export function json(v: unknown): string {
  return JSON.stringify(v ?? {});
}

/** Column → Date (drivers return Date for timestamptz; be lenient with strings). */
export function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}

export function optDate(v: unknown): Date | undefined {
  return v === null || v === undefined ? undefined : toDate(v);
}

export function optStr(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}

/** boolean column → boolean (SQLite stores 0/1). */
export function toBool(v: unknown): boolean {
  return v === true || v === 1 || v === 1n;
}

/** jsonb column → object (drivers parse jsonb; a text fallback keeps a misconfigured driver honest). */
export function toJson<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  if (typeof v === 'string') return JSON.parse(v) as T;
  return v as T;
}
