/** The first schema: everything the runner and the bot need. Never edit a shipped migration; add a new one. */
export const sql = `
create table plans (
  id text primary key,
  env text not null,
  digest text not null,
  summary jsonb not null,
  plan_path text not null,
  created_by text not null,
  created_at timestamptz not null
);
create index plans_env_created on plans (env, created_at desc);
create index plans_env_digest on plans (env, digest);

create table approval_requests (
  id text primary key,
  env text not null,
  digest text not null,
  requester text not null,
  status text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  denied_by text,
  reason text
);
-- one open request per plan digest: a second "apply" of the same plan finds the first request
create unique index approval_requests_one_pending on approval_requests (env, digest) where status = 'pending';
create index approval_requests_env on approval_requests (env, created_at desc);

create table approvals (
  id text primary key,
  env text not null,
  digest text not null,
  approver text not null,
  requester text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used boolean not null default false,
  used_at timestamptz,
  voided boolean not null default false
);
-- an approver approves a digest once until that approval is used or voided
create unique index approvals_one_live on approvals (env, digest, approver) where not used and not voided;
create index approvals_env_digest on approvals (env, digest);

create table env_locks (
  env text primary key,
  holder text not null,
  since timestamptz not null,
  heartbeat_at timestamptz not null,
  ttl_seconds integer not null
);

create table audit_log (
  seq bigint generated always as identity primary key,
  id text not null unique,
  at timestamptz not null,
  actor text not null,
  env text,
  action text not null,
  details jsonb not null
);
create index audit_log_env on audit_log (env, seq desc);

create table drift_incidents (
  id text primary key,
  env text not null,
  fingerprint text not null,
  summary jsonb not null,
  status text not null,
  opened_at timestamptz not null,
  updated_at timestamptz not null,
  resolved_at timestamptz,
  resolved_by text,
  occurrences integer not null default 1,
  slack_channel text,
  slack_ts text,
  acked_by text,
  acked_at timestamptz,
  snoozed_until timestamptz
);
-- at most one open incident per environment: repeated drift runs update it
create unique index drift_incidents_one_open on drift_incidents (env) where status = 'open';

create table access_requests (
  id text primary key,
  env text not null,
  policy text not null,
  role text not null,
  requester text not null,
  reason text not null,
  duration_seconds integer not null,
  min_approvals integer not null,
  namespaces jsonb,
  status text not null,
  created_at timestamptz not null,
  denied_by text,
  granted_at timestamptz,
  expires_at timestamptz,
  binding_refs jsonb not null default '[]',
  revoked_at timestamptz,
  revoked_by text,
  revoke_reason text,
  slack_channel text,
  slack_ts text,
  error text,
  details jsonb not null default '{}'
);
create index access_requests_status on access_requests (status, expires_at);

create table access_approvals (
  request_id text not null references access_requests (id),
  approver text not null,
  seq bigint generated always as identity,
  at timestamptz not null,
  primary key (request_id, approver)
);

create table rotations (
  id text primary key,
  seq bigint generated always as identity,
  env text not null,
  secret text not null,
  actor text not null,
  status text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  error text,
  details jsonb not null default '{}'
);
create index rotations_env_secret on rotations (env, secret, seq desc);

create table rotation_steps (
  seq bigint generated always as identity primary key,
  rotation_id text not null references rotations (id),
  step text not null,
  status text not null,
  at timestamptz not null,
  details jsonb not null default '{}'
);

create table probes (
  seq bigint generated always as identity primary key,
  env text not null,
  target text not null,
  ok boolean not null,
  latency_ms double precision not null,
  at timestamptz not null,
  status integer,
  error text
);
create index probes_env_at on probes (env, at);

create table slack_requests (
  key text primary key,
  at timestamptz not null
);

create table message_refs (
  kind text not null,
  key text not null,
  channel text not null,
  ts text not null,
  updated_at timestamptz not null,
  primary key (kind, key)
);
`;

/**
 * The same schema in SQLite (the embedded store): times are ISO-8601 text (they sort and compare as text),
 * JSON is text, booleans are 0/1, and identity columns are `integer primary key autoincrement`.
 */
export const sqlite = `
create table plans (
  id text primary key,
  env text not null,
  digest text not null,
  summary text not null,
  plan_path text not null,
  created_by text not null,
  created_at text not null
);
create index plans_env_created on plans (env, created_at desc);
create index plans_env_digest on plans (env, digest);

create table approval_requests (
  id text primary key,
  env text not null,
  digest text not null,
  requester text not null,
  status text not null,
  created_at text not null,
  expires_at text not null,
  denied_by text,
  reason text
);
-- one open request per plan digest: a second "apply" of the same plan finds the first request
create unique index approval_requests_one_pending on approval_requests (env, digest) where status = 'pending';
create index approval_requests_env on approval_requests (env, created_at desc);

create table approvals (
  id text primary key,
  env text not null,
  digest text not null,
  approver text not null,
  requester text not null,
  created_at text not null,
  expires_at text not null,
  used integer not null default 0,
  used_at text,
  voided integer not null default 0
);
-- an approver approves a digest once until that approval is used or voided
create unique index approvals_one_live on approvals (env, digest, approver) where not used and not voided;
create index approvals_env_digest on approvals (env, digest);

create table env_locks (
  env text primary key,
  holder text not null,
  since text not null,
  heartbeat_at text not null,
  ttl_seconds integer not null
);

create table audit_log (
  seq integer primary key autoincrement,
  id text not null unique,
  at text not null,
  actor text not null,
  env text,
  action text not null,
  details text not null
);
create index audit_log_env on audit_log (env, seq desc);

create table drift_incidents (
  id text primary key,
  env text not null,
  fingerprint text not null,
  summary text not null,
  status text not null,
  opened_at text not null,
  updated_at text not null,
  resolved_at text,
  resolved_by text,
  occurrences integer not null default 1,
  slack_channel text,
  slack_ts text,
  acked_by text,
  acked_at text,
  snoozed_until text
);
-- at most one open incident per environment: repeated drift runs update it
create unique index drift_incidents_one_open on drift_incidents (env) where status = 'open';

create table access_requests (
  id text primary key,
  env text not null,
  policy text not null,
  role text not null,
  requester text not null,
  reason text not null,
  duration_seconds integer not null,
  min_approvals integer not null,
  namespaces text,
  status text not null,
  created_at text not null,
  denied_by text,
  granted_at text,
  expires_at text,
  binding_refs text not null default '[]',
  revoked_at text,
  revoked_by text,
  revoke_reason text,
  slack_channel text,
  slack_ts text,
  error text,
  details text not null default '{}'
);
create index access_requests_status on access_requests (status, expires_at);

create table access_approvals (
  seq integer primary key autoincrement,
  request_id text not null references access_requests (id),
  approver text not null,
  at text not null,
  unique (request_id, approver)
);

create table rotations (
  seq integer primary key autoincrement,
  id text not null unique,
  env text not null,
  secret text not null,
  actor text not null,
  status text not null,
  started_at text not null,
  finished_at text,
  error text,
  details text not null default '{}'
);
create index rotations_env_secret on rotations (env, secret, seq desc);

create table rotation_steps (
  seq integer primary key autoincrement,
  rotation_id text not null references rotations (id),
  step text not null,
  status text not null,
  at text not null,
  details text not null default '{}'
);

create table probes (
  seq integer primary key autoincrement,
  env text not null,
  target text not null,
  ok boolean not null,
  latency_ms real not null,
  at text not null,
  status integer,
  error text
);
create index probes_env_at on probes (env, at);

create table slack_requests (
  key text primary key,
  at text not null
);

create table message_refs (
  kind text not null,
  key text not null,
  channel text not null,
  ts text not null,
  updated_at text not null,
  primary key (kind, key)
);
`;
