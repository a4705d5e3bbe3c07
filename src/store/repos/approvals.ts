/**
 * Approval requests and approvals. Every lifecycle step (types/approvals.ts) is one conditional UPDATE:
 * the WHERE clause names the statuses a step may start from, so two replicas (or an apply and a deny)
 * racing for one request cannot both move it.
 */
import { newId } from '../ids.js';
import { type Db, optDate, optStr, type Row, type Sql, toBool, toDate, ts } from '../sql.js';
import type {
  ApplyOutcomeRecord,
  Approval,
  ApprovalRequest,
  ApprovalRequestFilter,
  ApprovalRequestStatus,
  ConsumeApprovals,
} from '../types.js';

/** The statuses of the partial unique index `approval_requests_one_live` (migration 3). */
const LIVE = `status in ('pending', 'approved', 'applying')`;

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
  const opt = {
    deniedBy: optStr(r.denied_by),
    reason: optStr(r.reason),
    startedAt: optDate(r.started_at),
    appliedBy: optStr(r.applied_by),
    finishedAt: optDate(r.finished_at),
    error: optStr(r.error),
  };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined) Object.assign(out, { [k]: v });
  return out;
}

function toApproval(r: Row): Approval {
  const out: Approval = {
    id: String(r.id),
    env: String(r.env),
    digest: String(r.digest),
    approver: String(r.approver),
    requester: String(r.requester),
    via: (String(r.via ?? 'unverified') as Approval['via']) ?? 'unverified',
    createdAt: toDate(r.created_at),
    expiresAt: toDate(r.expires_at),
    used: toBool(r.used),
  };
  const usedAt = optDate(r.used_at);
  if (usedAt) out.usedAt = usedAt;
  return out;
}

export async function requestApproval(
  db: Db,
  req: { env: string; digest: string; requester: string; expiresAt: Date },
): Promise<ApprovalRequest> {
  // Insert-or-return in one statement; the partial unique index makes concurrent requests converge. A denied
  // digest never gets a new request: the insert selects nothing when a denial exists.
  const inserted = await db.query(
    `insert into approval_requests (id, env, digest, requester, status, created_at, expires_at)
     select $1, $2, $3, $4, 'pending', $5, $6
      where not exists (select 1 from approval_requests d
                         where d.env = $2 and d.digest = $3 and d.status = 'denied')
     on conflict (env, digest) where ${LIVE} do nothing returning *`,
    [newId('req'), req.env, req.digest, req.requester, ts(new Date()), ts(req.expiresAt)],
  );
  if (inserted[0]) return toRequest(inserted[0]);
  const existing = await getDeniedOrLive(db, req.env, req.digest);
  if (!existing)
    throw new Error(`approval request for ${req.env} ${req.digest} vanished while being created`);
  return existing;
}

/** The denial of a digest if there is one (it is final), else its live (or newest) request. */
async function getDeniedOrLive(sql: Sql, env: string, digest: string): Promise<ApprovalRequest | undefined> {
  const denied = await sql.query(
    `select * from approval_requests where env = $1 and digest = $2 and status = 'denied'
     order by created_at desc, id desc limit 1`,
    [env, digest],
  );
  return denied[0] ? toRequest(denied[0]) : getApprovalRequest(sql, env, digest);
}

export async function getApprovalRequest(
  sql: Sql,
  env: string,
  digest: string,
): Promise<ApprovalRequest | undefined> {
  const rows = await sql.query(
    `select * from approval_requests where env = $1 and digest = $2
     order by (${LIVE}) desc, created_at desc, id desc limit 1`,
    [env, digest],
  );
  return rows[0] ? toRequest(rows[0]) : undefined;
}

export async function listApprovalRequests(
  sql: Sql,
  filter: ApprovalRequestFilter = {},
): Promise<ApprovalRequest[]> {
  const statuses =
    filter.status === undefined ? null : typeof filter.status === 'string' ? [filter.status] : filter.status;
  const rows = await sql.query(
    `select * from approval_requests
     where ($1::text is null or env = $1) and ($2::text[] is null or status = any($2::text[]))
     order by created_at desc, id desc limit 200`,
    [filter.env ?? null, statuses ? [...statuses] : null],
  );
  return rows.map(toRequest);
}

export async function addApproval(
  db: Db,
  a: {
    env: string;
    digest: string;
    approver: string;
    requester: string;
    via: Exclude<Approval['via'], 'unverified'>;
    expiresAt: Date;
  },
): Promise<Approval> {
  const inserted = await db.query(
    `insert into approvals (id, env, digest, approver, requester, created_at, expires_at, via)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (env, digest, approver) where not used and not voided do nothing returning *`,
    [newId('apr'), a.env, a.digest, a.approver, a.requester, ts(new Date()), ts(a.expiresAt), a.via],
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

export async function markRequestApproved(
  sql: Sql,
  env: string,
  digest: string,
): Promise<ApprovalRequest | undefined> {
  const rows = await sql.query(
    `update approval_requests set status = 'approved'
     where env = $1 and digest = $2 and status = 'pending' returning *`,
    [env, digest],
  );
  return rows[0] ? toRequest(rows[0]) : undefined;
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
      const used = rows.map(toApproval);
      // The live request starts applying; approvals given without a request (`envc approvals approve`
      // before any `apply` asked) get one here, so the outcome has a row to be recorded on. Re-entering
      // `applying` is allowed: an apply that died before recording its outcome is retried with new approvals.
      const first = used[0]!;
      const expiresAt = new Date(Math.min(...used.map((a) => a.expiresAt.getTime())));
      await tx.query(
        `insert into approval_requests (id, env, digest, requester, status, created_at, expires_at, started_at, applied_by)
         values ($1, $2, $3, $4, 'applying', $5, $6, $5, $7)
         on conflict (env, digest) where ${LIVE} do update
           set status = 'applying', started_at = excluded.started_at, applied_by = excluded.applied_by,
               finished_at = null, error = null`,
        [newId('req'), c.env, c.digest, first.requester, ts(now), ts(expiresAt), c.actor ?? null],
      );
      return used;
    })
    .catch((err: unknown) => {
      if (err instanceof NotEnough) return [];
      throw err;
    });
}

class NotEnough extends Error {}

export async function recordApplyOutcome(
  sql: Sql,
  o: ApplyOutcomeRecord,
): Promise<ApprovalRequest | undefined> {
  const rows = await sql.query(
    `update approval_requests set status = $3, finished_at = $4, error = $5
     where env = $1 and digest = $2 and status = 'applying' returning *`,
    [
      o.env,
      o.digest,
      o.outcome,
      ts(o.at ?? new Date()),
      o.outcome === 'failed' ? (o.error ?? 'unknown error') : null,
    ],
  );
  return rows[0] ? toRequest(rows[0]) : undefined;
}

export async function denyApproval(
  db: Db,
  d: { env: string; digest: string; actor: string; reason?: string },
): Promise<ApprovalRequest | undefined> {
  return db.transaction(async (tx) => {
    const rows = await tx.query(
      `update approval_requests set status = 'denied', denied_by = $3, reason = $4
       where env = $1 and digest = $2 and status in ('pending', 'approved') returning *`,
      [d.env, d.digest, d.actor, d.reason ?? null],
    );
    if (!rows[0]) return undefined;
    await tx.query('update approvals set voided = true where env = $1 and digest = $2 and not used', [
      d.env,
      d.digest,
    ]);
    return toRequest(rows[0]);
  });
}

export async function expireApprovalRequests(sql: Sql, now = new Date()): Promise<ApprovalRequest[]> {
  const rows = await sql.query(
    `update approval_requests set status = 'expired'
     where status = 'pending' and expires_at <= $1 returning *`,
    [ts(now)],
  );
  return rows.map(toRequest).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export async function supersedeApprovalRequests(
  sql: Sql,
  env: string,
  keepDigest: string,
): Promise<ApprovalRequest[]> {
  const rows = await sql.query(
    `update approval_requests set status = 'superseded'
     where env = $1 and digest <> $2 and status in ('pending', 'approved') returning *`,
    [env, keepDigest],
  );
  return rows.map(toRequest);
}
