import { newId } from '../ids.js';
import { json, optStr, type Row, type Sql, toDate, toJson, ts } from '../sql.js';
import type { AuditEntry, AuditFilter, JsonObject, NewAuditEntry } from '../types.js';

function toEntry(r: Row): AuditEntry {
  const out: AuditEntry = {
    id: String(r.id),
    at: toDate(r.at),
    actor: String(r.actor),
    action: String(r.action),
    details: toJson<JsonObject>(r.details, {}),
  };
  const env = optStr(r.env);
  if (env !== undefined) out.env = env;
  return out;
}

export async function audit(sql: Sql, e: NewAuditEntry): Promise<AuditEntry> {
  const rows = await sql.query(
    'insert into audit_log (id, at, actor, env, action, details) values ($1, $2, $3, $4, $5, $6::jsonb) returning *',
    [newId('aud'), ts(e.at ?? new Date()), e.actor, e.env ?? null, e.action, json(e.details ?? {})],
  );
  return toEntry(rows[0]!);
}

export async function listAudit(sql: Sql, f: AuditFilter = {}): Promise<AuditEntry[]> {
  let actionExact: string | null = null;
  let actionPrefix: string | null = null;
  if (f.action !== undefined) {
    if (f.action.endsWith('*')) actionPrefix = f.action.slice(0, -1);
    else if (f.action.endsWith('.')) actionPrefix = f.action;
    else actionExact = f.action;
  }
  const rows = await sql.query(
    `select * from audit_log
     where ($1::text is null or env = $1) and ($2::text is null or actor = $2)
       and ($3::text is null or action = $3) and ($4::text is null or substr(action, 1, length($4)) = $4)
       and ($5::timestamptz is null or at >= $5)
     order by seq desc limit $6`,
    [f.env ?? null, f.actor ?? null, actionExact, actionPrefix, f.since ? ts(f.since) : null, f.limit ?? 100],
  );
  return rows.map(toEntry);
}
