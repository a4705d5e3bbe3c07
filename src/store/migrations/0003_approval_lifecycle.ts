/**
 * Approval requests get an explicit lifecycle (see types/approvals.ts): `applying` when an apply consumes
 * the approvals, `applied` or `failed` once terraform finished, `expired` instead of a once-only marker.
 * Before this, a request was marked `applied` when its approvals were claimed — before terraform ran.
 */
export const sql = `
alter table approval_requests add column started_at timestamptz;
alter table approval_requests add column finished_at timestamptz;
alter table approval_requests add column applied_by text;
alter table approval_requests add column error text;

-- Old "applied" meant "approvals consumed": keep it where the plan really was applied, else the outcome is
-- unknown and counts as failed (a new plan needs new approvals either way).
update approval_requests r set status = 'failed', error = 'the outcome of this apply was not recorded (before envc 0003)'
 where r.status = 'applied'
   and not exists (select 1 from plans p where p.env = r.env and p.digest = r.digest and p.applied_at is not null);
update approval_requests r
   set finished_at = (select max(p.applied_at) from plans p where p.env = r.env and p.digest = r.digest),
       applied_by = (select p.applied_by from plans p where p.env = r.env and p.digest = r.digest
                     and p.applied_at is not null order by p.applied_at desc limit 1)
 where r.status = 'applied';

-- Expiries the bot already announced (its once-only marker) become the status.
update approval_requests r set status = 'expired'
 where r.status = 'pending'
   and exists (select 1 from slack_requests s where s.key = 'expired:' || r.env || ':' || r.digest);

-- At most one live request per digest (an approved request used to let a second pending one in).
update approval_requests r set status = 'superseded'
 where r.status in ('pending', 'approved')
   and exists (select 1 from approval_requests n
                where n.env = r.env and n.digest = r.digest and n.status in ('pending', 'approved')
                  and (n.created_at, n.id) > (r.created_at, r.id));
drop index approval_requests_one_pending;
create unique index approval_requests_one_live on approval_requests (env, digest)
  where status in ('pending', 'approved', 'applying');
create index approval_requests_status on approval_requests (status, expires_at);
`;

/** SQLite: the same steps; row values and UPDATE aliases exist there too. */
export const sqlite = `
alter table approval_requests add column started_at text;
alter table approval_requests add column finished_at text;
alter table approval_requests add column applied_by text;
alter table approval_requests add column error text;

-- Old "applied" meant "approvals consumed": keep it where the plan really was applied, else the outcome is
-- unknown and counts as failed (a new plan needs new approvals either way).
update approval_requests as r set status = 'failed', error = 'the outcome of this apply was not recorded (before envc 0003)'
 where r.status = 'applied'
   and not exists (select 1 from plans p where p.env = r.env and p.digest = r.digest and p.applied_at is not null);
update approval_requests as r
   set finished_at = (select max(p.applied_at) from plans p where p.env = r.env and p.digest = r.digest),
       applied_by = (select p.applied_by from plans p where p.env = r.env and p.digest = r.digest
                     and p.applied_at is not null order by p.applied_at desc limit 1)
 where r.status = 'applied';

-- Expiries the bot already announced (its once-only marker) become the status.
update approval_requests as r set status = 'expired'
 where r.status = 'pending'
   and exists (select 1 from slack_requests s where s.key = 'expired:' || r.env || ':' || r.digest);

-- At most one live request per digest (an approved request used to let a second pending one in).
update approval_requests as r set status = 'superseded'
 where r.status in ('pending', 'approved')
   and exists (select 1 from approval_requests n
                where n.env = r.env and n.digest = r.digest and n.status in ('pending', 'approved')
                  and (n.created_at, n.id) > (r.created_at, r.id));
drop index approval_requests_one_pending;
create unique index approval_requests_one_live on approval_requests (env, digest)
  where status in ('pending', 'approved', 'applying');
create index approval_requests_status on approval_requests (status, expires_at);
`;
