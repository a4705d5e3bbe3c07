import { newId } from '../ids.js';
import { json, optDate, optStr, type Row, type Sql, toDate, toJson, ts } from '../sql.js';
import type { JsonObject, NewPlan, PlanRecord } from '../types.js';

function toPlan(r: Row): PlanRecord {
  const out: PlanRecord = {
    id: String(r.id),
    env: String(r.env),
    digest: String(r.digest),
    summary: toJson<JsonObject>(r.summary, {}),
    planPath: String(r.plan_path),
    createdBy: String(r.created_by),
    createdAt: toDate(r.created_at),
  };
  const revision = optStr(r.revision);
  if (revision !== undefined) out.revision = revision;
  const appliedAt = optDate(r.applied_at);
  const appliedBy = optStr(r.applied_by);
  if (appliedAt) out.appliedAt = appliedAt;
  if (appliedBy !== undefined) out.appliedBy = appliedBy;
  return out;
}

export async function recordPlan(sql: Sql, p: NewPlan): Promise<PlanRecord> {
  const rows = await sql.query(
    `insert into plans (id, env, digest, summary, plan_path, created_by, created_at, revision)
     values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8) returning *`,
    [
      newId('pln'),
      p.env,
      p.digest,
      json(p.summary),
      p.planPath,
      p.createdBy,
      ts(p.createdAt ?? new Date()),
      p.revision ?? null,
    ],
  );
  return toPlan(rows[0]!);
}

export async function latestPlan(sql: Sql, env: string): Promise<PlanRecord | undefined> {
  const rows = await sql.query(
    'select * from plans where env = $1 order by created_at desc, id desc limit 1',
    [env],
  );
  return rows[0] ? toPlan(rows[0]) : undefined;
}

export async function getPlanByDigest(
  sql: Sql,
  env: string,
  digest: string,
): Promise<PlanRecord | undefined> {
  const rows = await sql.query(
    'select * from plans where env = $1 and digest = $2 order by created_at desc, id desc limit 1',
    [env, digest],
  );
  return rows[0] ? toPlan(rows[0]) : undefined;
}

export async function listPlans(sql: Sql, env?: string, limit = 50): Promise<PlanRecord[]> {
  const rows =
    env === undefined
      ? await sql.query('select * from plans order by created_at desc, id desc limit $1', [limit])
      : await sql.query('select * from plans where env = $1 order by created_at desc, id desc limit $2', [
          env,
          limit,
        ]);
  return rows.map(toPlan);
}

export async function markPlanApplied(
  sql: Sql,
  id: string,
  by: { actor: string; at?: Date },
): Promise<boolean> {
  const rows = await sql.query(
    'update plans set applied_at = $2, applied_by = $3 where id = $1 and applied_at is null returning id',
    [id, ts(by.at ?? new Date()), by.actor],
  );
  return rows.length > 0;
}
