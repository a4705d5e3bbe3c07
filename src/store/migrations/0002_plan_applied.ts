/** A saved plan is applied at most once: remember when and by whom. */
export const sql = `
alter table plans add column applied_at timestamptz;
alter table plans add column applied_by text;
`;

export const sqlite = `
alter table plans add column applied_at text;
alter table plans add column applied_by text;
`;
