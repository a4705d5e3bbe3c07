import { newId } from '../ids.js';
import { type Db, json, optDate, optStr, type Row, type Sql, toDate, toJson, ts } from '../sql.js';
import type {
  AccessApprovalResult,
  AccessRequest,
  AccessStatus,
  GrantFilter,
  JsonObject,
  NewAccessRequest,
} from '../types.js';

const SELECT_PG = `select r.*, coalesce((select json_agg(a.approver order by a.seq) from access_approvals a
  where a.request_id = r.id), '[]'::json) as approver_list from access_requests r`;
const SELECT_SQLITE = `select r.*, (select json_group_array(approver) from (select a.approver from access_approvals a
  where a.request_id = r.id order by a.seq)) as approver_list from access_requests r`;
const select = (sql: Sql) => (sql.dialect === 'sqlite' ? SELECT_SQLITE : SELECT_PG);

function toRequest(r: Row): AccessRequest {
  const out: AccessRequest = {
    id: String(r.id),
    env: String(r.env),
    policy: String(r.policy),
    role: String(r.role) as AccessRequest['role'],
    requester: String(r.requester),
    reason: String(r.reason),
    durationSeconds: Number(r.duration_seconds),
    minApprovals: Number(r.min_approvals),
    status: String(r.status) as AccessStatus,
    createdAt: toDate(r.created_at),
    approvers: toJson<string[]>(r.approver_list, []),
    bindingRefs: toJson<string[]>(r.binding_refs, []),
    details: toJson<JsonObject>(r.details, {}),
  };
  const namespaces = toJson<string[] | null>(r.namespaces, null);
  if (namespaces) out.namespaces = namespaces;
  const opt: Array<[string, unknown]> = [
    ['deniedBy', optStr(r.denied_by)],
    ['grantedAt', optDate(r.granted_at)],
    ['expiresAt', optDate(r.expires_at)],
    ['revokedAt', optDate(r.revoked_at)],
    ['revokedBy', optStr(r.revoked_by)],
    ['revokeReason', optStr(r.revoke_reason)],
    ['error', optStr(r.error)],
    ['slackChannel', optStr(r.slack_channel)],
    ['slackTs', optStr(r.slack_ts)],
  ];
  for (const [k, v] of opt) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

async function byId(sql: Sql, id: string): Promise<AccessRequest | undefined> {
  const rows = await sql.query(`${select(sql)} where r.id = $1`, [id]);
  return rows[0] ? toRequest(rows[0]) : undefined;
}

export async function createAccessRequest(sql: Sql, r: NewAccessRequest): Promise<AccessRequest> {
  const id = newId('acc');
  await sql.query(
    `insert into access_requests (id, env, policy, role, requester, reason, duration_seconds, min_approvals, namespaces,
       status, created_at, details)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, 'pending', $10, $11::jsonb)`,
    [
      id,
      r.env,
      r.policy,
      r.role,
      r.requester,
      r.reason,
      r.durationSeconds,
      r.minApprovals,
      r.namespaces ? JSON.stringify(r.namespaces) : null,
      ts(r.now ?? new Date()),
      json(r.details ?? {}),
    ],
  );
  return (await byId(sql, id))!;
}

export async function addAccessApproval(
  db: Db,
  a: { requestId: string; approver: string },
): Promise<AccessApprovalResult | undefined> {
  return db.transaction(async (tx) => {
    const locked = await tx.query(
      'select status, min_approvals from access_requests where id = $1 for update',
      [a.requestId],
    );
    if (!locked[0]) return undefined;
    if (locked[0].status !== 'pending') {
      const request = (await byId(tx, a.requestId))!;
      return { request, added: false, complete: request.status === 'approved' };
    }
    const ins = await tx.query(
      'insert into access_approvals (request_id, approver, at) values ($1, $2, $3) on conflict do nothing returning approver',
      [a.requestId, a.approver, ts(new Date())],
    );
    const count = await tx.query<{ n: number }>(
      'select count(*)::int as n from access_approvals where request_id = $1',
      [a.requestId],
    );
    const complete = Number(count[0]?.n ?? 0) >= Number(locked[0].min_approvals);
    if (complete)
      await tx.query("update access_requests set status = 'approved' where id = $1", [a.requestId]);
    return { request: (await byId(tx, a.requestId))!, added: ins.length > 0, complete };
  });
}

export async function denyAccessRequest(
  sql: Sql,
  d: { requestId: string; actor: string; reason?: string },
): Promise<AccessRequest | undefined> {
  const rows = await sql.query(
    `update access_requests set status = 'denied', denied_by = $2, revoke_reason = $3
     where id = $1 and status in ('pending', 'approved') returning id`,
    [d.requestId, d.actor, d.reason ?? null],
  );
  return rows[0] ? byId(sql, d.requestId) : undefined;
}

export async function getAccessRequest(sql: Sql, id: string): Promise<AccessRequest | undefined> {
  return byId(sql, id);
}

export async function listAccessRequests(
  sql: Sql,
  f: { env?: string; status?: AccessStatus; requester?: string } = {},
): Promise<AccessRequest[]> {
  const rows = await sql.query(
    `${select(sql)} where ($1::text is null or r.env = $1) and ($2::text is null or r.status = $2)
       and ($3::text is null or r.requester = $3)
     order by r.created_at desc, r.id desc limit 200`,
    [f.env ?? null, f.status ?? null, f.requester ?? null],
  );
  return rows.map(toRequest);
}

export async function markGranted(
  sql: Sql,
  id: string,
  g: { grantedAt: Date; expiresAt: Date; bindingRefs: string[] },
): Promise<AccessRequest | undefined> {
  const rows = await sql.query(
    `update access_requests set status = 'granted', granted_at = $2, expires_at = $3, binding_refs = $4::jsonb
     where id = $1 and status = 'approved' returning id`,
    [id, ts(g.grantedAt), ts(g.expiresAt), JSON.stringify(g.bindingRefs)],
  );
  return rows[0] ? byId(sql, id) : undefined;
}

export async function markRevoked(
  sql: Sql,
  id: string,
  r: { actor: string; at: Date; reason: string },
): Promise<AccessRequest | undefined> {
  const rows = await sql.query(
    `update access_requests set status = $5, revoked_at = $2, revoked_by = $3, revoke_reason = $4
     where id = $1 and status = 'granted' returning id`,
    [id, ts(r.at), r.actor, r.reason, r.reason === 'expired' ? 'expired' : 'revoked'],
  );
  return rows[0] ? byId(sql, id) : undefined;
}

export async function markAccessFailed(
  sql: Sql,
  id: string,
  error: string,
): Promise<AccessRequest | undefined> {
  const rows = await sql.query(
    `update access_requests set status = 'failed', error = $2 where id = $1 and status in ('pending', 'approved') returning id`,
    [id, error],
  );
  return rows[0] ? byId(sql, id) : undefined;
}

export async function setAccessSlackMessage(
  sql: Sql,
  id: string,
  channel: string,
  slackTs: string,
): Promise<void> {
  await sql.query('update access_requests set slack_channel = $2, slack_ts = $3 where id = $1', [
    id,
    channel,
    slackTs,
  ]);
}

export async function listGrants(sql: Sql, f: GrantFilter = {}): Promise<AccessRequest[]> {
  const now = ts(f.now ?? new Date());
  const state =
    f.active === true
      ? "r.status = 'granted' and r.expires_at > $3"
      : f.active === false
        ? "(r.status in ('revoked', 'expired') or (r.status = 'granted' and r.expires_at <= $3))"
        : 'r.granted_at is not null and $3::timestamptz is not null';
  const rows = await sql.query(
    `${select(sql)} where ${state} and ($1::text is null or r.env = $1) and ($2::text is null or r.requester = $2)
     order by r.granted_at desc, r.id desc limit 500`,
    [f.env ?? null, f.requester ?? null, now],
  );
  return rows.map(toRequest);
}

export async function listExpiredGrants(sql: Sql, now: Date): Promise<AccessRequest[]> {
  const rows = await sql.query(
    `${select(sql)} where r.status = 'granted' and r.expires_at <= $1 order by r.expires_at, r.id`,
    [ts(now)],
  );
  return rows.map(toRequest);
}
