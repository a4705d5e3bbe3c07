import { newId } from '../ids.js';
import { json, optDate, optStr, type Row, type Sql, toDate, toJson, ts } from '../sql.js';
import type { JsonObject, RotationRecord, RotationStatus, RotationStep } from '../types.js';

const SELECT_PG = `select r.*, coalesce((select json_agg(json_build_object('step', s.step, 'status', s.status, 'at', s.at,
  'details', s.details) order by s.seq) from rotation_steps s where s.rotation_id = r.id), '[]'::json) as step_list
  from rotations r`;
const SELECT_SQLITE = `select r.*, (select json_group_array(json_object('step', s.step, 'status', s.status, 'at', s.at,
  'details', json(s.details))) from (select * from rotation_steps s where s.rotation_id = r.id order by s.seq) s)
  as step_list from rotations r`;
const select = (sql: Sql) => (sql.dialect === 'sqlite' ? SELECT_SQLITE : SELECT_PG);

function toRotation(r: Row): RotationRecord {
  const steps = toJson<
    Array<{ step: string; status: RotationStep['status']; at: string; details: JsonObject }>
  >(r.step_list, []);
  const out: RotationRecord = {
    id: String(r.id),
    env: String(r.env),
    secret: String(r.secret),
    actor: String(r.actor),
    status: String(r.status) as RotationStatus,
    startedAt: toDate(r.started_at),
    steps: steps.map((s) => ({ step: s.step, status: s.status, at: toDate(s.at), details: s.details ?? {} })),
    details: toJson<JsonObject>(r.details, {}),
  };
  const finishedAt = optDate(r.finished_at);
  const error = optStr(r.error);
  if (finishedAt) out.finishedAt = finishedAt;
  if (error !== undefined) out.error = error;
  return out;
}

async function byId(sql: Sql, id: string): Promise<RotationRecord | undefined> {
  const rows = await sql.query(`${select(sql)} where r.id = $1`, [id]);
  return rows[0] ? toRotation(rows[0]) : undefined;
}

export async function recordRotationStart(
  sql: Sql,
  r: { env: string; secret: string; actor: string; details?: JsonObject; now?: Date },
): Promise<RotationRecord> {
  const id = newId('rot');
  await sql.query(
    `insert into rotations (id, env, secret, actor, status, started_at, details) values ($1, $2, $3, $4, 'running', $5, $6::jsonb)`,
    [id, r.env, r.secret, r.actor, ts(r.now ?? new Date()), json(r.details ?? {})],
  );
  return (await byId(sql, id))!;
}

export async function recordRotationStep(
  sql: Sql,
  id: string,
  s: { step: string; status: RotationStep['status']; details?: JsonObject; at?: Date },
): Promise<void> {
  await sql.query(
    'insert into rotation_steps (rotation_id, step, status, at, details) values ($1, $2, $3, $4, $5::jsonb)',
    [id, s.step, s.status, ts(s.at ?? new Date()), json(s.details ?? {})],
  );
}

export async function recordRotationFinish(
  sql: Sql,
  id: string,
  f: { status: Exclude<RotationStatus, 'running'>; error?: string; at?: Date },
): Promise<RotationRecord | undefined> {
  const rows = await sql.query(
    `update rotations set status = $2, error = $3, finished_at = $4 where id = $1 and status = 'running' returning id`,
    [id, f.status, f.error ?? null, ts(f.at ?? new Date())],
  );
  return rows[0] ? byId(sql, id) : undefined;
}

export async function lastRotation(
  sql: Sql,
  env: string,
  secret: string,
  status?: RotationStatus,
): Promise<RotationRecord | undefined> {
  const rows = await sql.query(
    `${select(sql)} where r.env = $1 and r.secret = $2 and ($3::text is null or r.status = $3) order by r.seq desc limit 1`,
    [env, secret, status ?? null],
  );
  return rows[0] ? toRotation(rows[0]) : undefined;
}

export async function listRotations(
  sql: Sql,
  f: { env?: string; secret?: string; limit?: number } = {},
): Promise<RotationRecord[]> {
  const rows = await sql.query(
    `${select(sql)} where ($1::text is null or r.env = $1) and ($2::text is null or r.secret = $2) order by r.seq desc limit $3`,
    [f.env ?? null, f.secret ?? null, f.limit ?? 100],
  );
  return rows.map(toRotation);
}
