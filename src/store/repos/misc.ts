/** Probes and Slack bookkeeping: small tables the bot writes often. */
import { optStr, type Row, type Sql, toBool, toDate, ts } from '../sql.js';
import type { MessageRef, ProbeRecord } from '../types.js';

function toProbe(r: Row): ProbeRecord {
  const out: ProbeRecord = {
    env: String(r.env),
    target: String(r.target),
    ok: toBool(r.ok),
    latencyMs: Number(r.latency_ms),
    at: toDate(r.at),
  };
  if (r.status !== null && r.status !== undefined) out.status = Number(r.status);
  const error = optStr(r.error);
  if (error !== undefined) out.error = error;
  return out;
}

export async function recordProbe(sql: Sql, p: ProbeRecord): Promise<void> {
  await sql.query(
    'insert into probes (env, target, ok, latency_ms, at, status, error) values ($1, $2, $3, $4, $5, $6, $7)',
    [p.env, p.target, p.ok, p.latencyMs, ts(p.at), p.status ?? null, p.error ?? null],
  );
}

export async function probeSeries(
  sql: Sql,
  env: string,
  since: Date,
  target?: string,
): Promise<ProbeRecord[]> {
  const rows = await sql.query(
    'select * from probes where env = $1 and at >= $2 and ($3::text is null or target = $3) order by at, seq',
    [env, ts(since), target ?? null],
  );
  return rows.map(toProbe);
}

export async function rememberSlackRequest(sql: Sql, key: string, now = new Date()): Promise<boolean> {
  const rows = await sql.query(
    'insert into slack_requests (key, at) values ($1, $2) on conflict (key) do nothing returning key',
    [key, ts(now)],
  );
  return rows.length > 0;
}

export async function saveMessageRef(
  sql: Sql,
  ref: { kind: string; key: string; channel: string; ts: string },
): Promise<void> {
  await sql.query(
    `insert into message_refs (kind, key, channel, ts, updated_at) values ($1, $2, $3, $4, $5)
     on conflict (kind, key) do update set channel = excluded.channel, ts = excluded.ts, updated_at = excluded.updated_at`,
    [ref.kind, ref.key, ref.channel, ref.ts, ts(new Date())],
  );
}

export async function getMessageRef(sql: Sql, kind: string, key: string): Promise<MessageRef | undefined> {
  const rows = await sql.query('select * from message_refs where kind = $1 and key = $2', [kind, key]);
  const r = rows[0];
  if (!r) return undefined;
  return {
    kind: String(r.kind),
    key: String(r.key),
    channel: String(r.channel),
    ts: String(r.ts),
    updatedAt: toDate(r.updated_at),
  };
}
