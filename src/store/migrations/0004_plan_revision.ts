/**
 * The git revision a plan was made from, recorded by the runner on every plan (ArgoCD is synced to it after
 * the apply). The bot used to keep it inside the summary; carry those over.
 */
export const sql = `
alter table plans add column revision text;
update plans set revision = summary->>'revision'
 where jsonb_typeof(summary->'revision') = 'string' and summary->>'revision' <> 'unknown';
`;

export const sqlite = `
alter table plans add column revision text;
update plans set revision = summary->>'$.revision'
 where json_type(summary, '$.revision') = 'text' and summary->>'$.revision' <> 'unknown';
`;
