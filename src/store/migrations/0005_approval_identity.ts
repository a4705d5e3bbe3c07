/**
 * How each approval's identity was proven (`via`): a signed Slack request (`slack`) or a verified CI workload
 * identity (`github-oidc`). Approvals recorded before this migration came partly from `envc approvals approve
 * --as`, which proved nothing: they stay `unverified`, and the apply gate never counts those.
 */
export const sql = `
alter table approvals add column via text not null default 'unverified';
`;

export const sqlite = `
alter table approvals add column via text not null default 'unverified';
`;
