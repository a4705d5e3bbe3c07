import { newId } from '../ids.js';
import { type Db, optDate, optStr, type Row, type Sql, toDate, ts } from '../sql.js';
import type { Approval, ApprovalRequest, ApprovalRequestStatus, ConsumeApprovals } from '../types.js';

function toRequest(r: Row): ApprovalRequest {
  const out: ApprovalRequest = {
    id: String(r.id),
    env: String(r.env),
    digest: String(r.digest),
    requester: String(r.requester),
    status: String(r.status) as ApprovalRequestStatus,
    createdAt: toDate(r.created_at),
    expiresAt: toDate(r.expires_at),
  };
  const deniedBy = optStr(r.denied_by);
  const reason = optStr(r.reason);
  if (deniedBy !== undefined) out.deniedBy = deniedBy;
  if (reason !== undefined) out.reason = reason;
  return out;
}

function toApproval(r: Row): Approval {
  const out: Approval = {
    id: String(r.id),
    env: String(r.env),
    digest: String(r.digest),
    approver: String(r.approver),
    requester: String(r.requester),
    createdAt: toDate(r.created_at),
    expiresAt: toDate(r.expires_at),
    used: r.used === true,
  };
  const usedAt = optDate(r.used_at);
  if (usedAt) out.usedAt = usedAt;
  return out;
}

export async function requestApproval(
  db: Db,
  req: { env: string; digest: string; requester: string; expiresAt: Date },
): Promise<ApprovalRequest> {
  // Insert-or-return in one statement; the partial unique index makes concurrent requests converge.
  const inserted = await db.query(
    `insert into approval_requests (id, env, digest, requester, status, created_at, expires_at)
     values ($1, $2, $3, $4, 'pending', $5, $6)
     on conflict (env, digest) where status = 'pending' do nothing returning *`,
    [newId('req'), req.env, req.digest, req.requester, ts(new Date()), ts(req.expiresAt)],
  );
  if (inserted[0]) return toRequest(inserted[0]);
  const existing = await getApprovalRequest(db, req.env, req.digest);
  if (!existing)
    throw new Error(`approval request for ${req.env} ${req.digest} vanished while being created`);
  return existing;
}

export async function getApprovalRequest(
  sql: Sql,
  env: string,
  digest: string,
): Promise<ApprovalRequest | undefined> {
  const rows = await sql.query(
    `select * from approval_requests where env = $1 and digest = $2
     order by (status = 'pending') desc, created_at desc, id desc limit 1`,
    [env, digest],
  );
  return rows[0] ? toRequest(rows[0]) : undefined;
}

export async function listApprovalRequests(
  sql: Sql,
  filter: { env?: string; status?: ApprovalRequestStatus } = {},
): Promise<ApprovalRequest[]> {
  const rows = await sql.query(
    `select * from approval_requests
     where ($1::text is null or env = $1) and ($2::text is null or status = $2)
     order by created_at desc, id desc limit 200`,
    [filter.env ?? null, filter.status ?? null],
  );
  return rows.map(toRequest);
}

export async function addApproval(
  db: Db,
  a: { env: string; digest: string; approver: string; requester: string; expiresAt: Date },
): Promise<Approval> {
  const inserted = await db.query(
    `insert into approvals (id, env, digest, approver, requester, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (env, digest, approver) where not used and not voided do nothing returning *`,
    [newId('apr'), a.env, a.digest, a.approver, a.requester, ts(new Date()), ts(a.expiresAt)],
  );
  if (inserted[0]) return toApproval(inserted[0]);
  const rows = await db.query(
    'select * from approvals where env = $1 and digest = $2 and approver = $3 and not used and not voided',
    [a.env, a.digest, a.approver],
  );
  if (!rows[0]) throw new Error(`approval by ${a.approver} for ${a.env} vanished while being recorded`);
  return toApproval(rows[0]);
}

export async function listApprovals(sql: Sql, env: string, digest?: string): Promise<Approval[]> {
  const rows = await sql.query(
    `select * from approvals where env = $1 and ($2::text is null or digest = $2) and not voided
     order by created_at, id`,
    [env, digest ?? null],
  );
  return rows.map(toApproval);
}

export async function consumeApprovals(db: Db, c: ConsumeApprovals): Promise<Approval[]> {
  if (c.approvalIds.length === 0 || c.approvalIds.length < c.minApprovals) return [];
  const now = c.now ?? new Date();
  return db
    .transaction(async (tx) => {
      // The WHERE clause is the single-use guarantee: a row already used (by a concurrent apply) is not
      // returned, and the whole claim rolls back if too few remain.
      const rows = await tx.query(
        `update approvals set used = true, used_at = $4
       where env = $1 and digest = $2 and id = any($3::text[]) and not used and not voided and expires_at > $4
       returning *`,
        [c.env, c.digest, c.approvalIds, ts(now)],
      );
      if (rows.length < Math.max(1, c.minApprovals)) throw new NotEnough();
      await tx.query(
        `update approval_requests set status = 'applied' where env = $1 and digest = $2 and status in ('pending', 'approved')`,
        [c.env, c.digest],
      );
      return rows.map(toApproval);
    })
    .catch((err: unknown) => {
      if (err instanceof NotEnough) return [];
      throw err;
    });
}

class NotEnough extends Error {}

export async function denyApproval(
  db: Db,
  d: { env: string; digest: string; actor: string; reason?: string },
): Promise<ApprovalRequest | undefined> {
  return db.transaction(async (tx) => {
    await tx.query('update approvals set voided = true where env = $1 and digest = $2 and not used', [
      d.env,
      d.digest,
    ]);
    const rows = await tx.query(
      `update approval_requests set status = 'denied', denied_by = $3, reason = $4
       where id = (select id from approval_requests where env = $1 and digest = $2
                   order by (status = 'pending') desc, created_at desc, id desc limit 1)
       returning *`,
      [d.env, d.digest, d.actor, d.reason ?? null],
    );
    return rows[0] ? toRequest(rows[0]) : undefined;
  });
}

export async function setApprovalRequestStatus(
  sql: Sql,
  env: string,
  digest: string,
  status: ApprovalRequestStatus,
): Promise<void> {
  await sql.query(
    `update approval_requests set status = $3
     where id = (select id from approval_requests where env = $1 and digest = $2
                 order by (status = 'pending') desc, created_at desc, id desc limit 1)`,
    [env, digest, status],
  );
}
