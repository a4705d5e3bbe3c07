import { newId } from '../ids.js';
import { type Db, json, optDate, optStr, type Row, type Sql, toDate, toJson, ts } from '../sql.js';
import type {
  DriftIncident,
  IncidentStatus,
  IncidentUpsert,
  IncidentUpsertResult,
  JsonObject,
} from '../types.js';

function toIncident(r: Row): DriftIncident {
  const out: DriftIncident = {
    id: String(r.id),
    env: String(r.env),
    fingerprint: String(r.fingerprint),
    summary: toJson<JsonObject>(r.summary, {}),
    status: String(r.status) as IncidentStatus,
    openedAt: toDate(r.opened_at),
    updatedAt: toDate(r.updated_at),
    occurrences: Number(r.occurrences),
  };
  const opt: Array<[keyof DriftIncident, unknown]> = [
    ['resolvedAt', optDate(r.resolved_at)],
    ['resolvedBy', optStr(r.resolved_by)],
    ['slackChannel', optStr(r.slack_channel)],
    ['slackTs', optStr(r.slack_ts)],
    ['ackedBy', optStr(r.acked_by)],
    ['ackedAt', optDate(r.acked_at)],
    ['snoozedUntil', optDate(r.snoozed_until)],
  ];
  for (const [k, v] of opt) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

/** One open incident per environment (partial unique index): repeated drift runs land on the same row. */
export async function openOrUpdateIncident(
  db: Db,
  u: IncidentUpsert,
  attempt = 0,
): Promise<IncidentUpsertResult> {
  const now = ts(u.now ?? new Date());
  try {
    return await db.transaction(async (tx) => {
      const open = await tx.query(
        "select * from drift_incidents where env = $1 and status = 'open' for update",
        [u.env],
      );
      if (open[0]) {
        const changed = String(open[0].fingerprint) !== u.fingerprint;
        const rows = await tx.query(
          `update drift_incidents set fingerprint = $2, summary = $3::jsonb, updated_at = $4, occurrences = occurrences + 1
           where id = $1 returning *`,
          [open[0].id, u.fingerprint, json(u.summary), now],
        );
        return { incident: toIncident(rows[0]!), isNew: false, changed };
      }
      const rows = await tx.query(
        `insert into drift_incidents (id, env, fingerprint, summary, status, opened_at, updated_at, occurrences)
         values ($1, $2, $3, $4::jsonb, 'open', $5, $5, 1) returning *`,
        [newId('inc'), u.env, u.fingerprint, json(u.summary), now],
      );
      return { incident: toIncident(rows[0]!), isNew: true, changed: false };
    });
  } catch (err) {
    // Two drift runs racing to open the first incident: the loser retries and updates the winner's row.
    if (attempt === 0 && /unique|duplicate/i.test((err as Error).message))
      return openOrUpdateIncident(db, u, 1);
    throw err;
  }
}

export async function resolveIncident(
  sql: Sql,
  id: string,
  by: { actor: string; now?: Date },
): Promise<DriftIncident | undefined> {
  const now = ts(by.now ?? new Date());
  const rows = await sql.query(
    `update drift_incidents set status = 'resolved', resolved_at = $2, resolved_by = $3, updated_at = $2
     where id = $1 and status = 'open' returning *`,
    [id, now, by.actor],
  );
  return rows[0] ? toIncident(rows[0]) : undefined;
}

export async function getOpenIncident(sql: Sql, env: string): Promise<DriftIncident | undefined> {
  const rows = await sql.query("select * from drift_incidents where env = $1 and status = 'open'", [env]);
  return rows[0] ? toIncident(rows[0]) : undefined;
}

export async function getIncident(sql: Sql, id: string): Promise<DriftIncident | undefined> {
  const rows = await sql.query('select * from drift_incidents where id = $1', [id]);
  return rows[0] ? toIncident(rows[0]) : undefined;
}

export async function listIncidents(
  sql: Sql,
  f: { env?: string; status?: IncidentStatus } = {},
): Promise<DriftIncident[]> {
  const rows = await sql.query(
    `select * from drift_incidents where ($1::text is null or env = $1) and ($2::text is null or status = $2)
     order by opened_at desc, id desc limit 200`,
    [f.env ?? null, f.status ?? null],
  );
  return rows.map(toIncident);
}

export async function setIncidentSlackThread(
  sql: Sql,
  id: string,
  channel: string,
  slackTs: string,
): Promise<void> {
  await sql.query('update drift_incidents set slack_channel = $2, slack_ts = $3 where id = $1', [
    id,
    channel,
    slackTs,
  ]);
}

export async function ackIncident(
  sql: Sql,
  id: string,
  actor: string,
  now = new Date(),
): Promise<DriftIncident | undefined> {
  const rows = await sql.query(
    'update drift_incidents set acked_by = $2, acked_at = $3 where id = $1 returning *',
    [id, actor, ts(now)],
  );
  return rows[0] ? toIncident(rows[0]) : undefined;
}

export async function snoozeIncident(sql: Sql, id: string, until: Date): Promise<DriftIncident | undefined> {
  const rows = await sql.query(
    // Who snoozed is the caller's audit entry; the row keeps only until when.
    'update drift_incidents set snoozed_until = $2 where id = $1 returning *',
    [id, ts(until)],
  );
  return rows[0] ? toIncident(rows[0]) : undefined;
}
