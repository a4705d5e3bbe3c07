/**
 * Who is acting, and may they approve? The spec names approvers as Slack user ids (U…/W…), user group ids
 * (S…) or handles (@platform-leads). The bot resolves groups through Slack; the CLI cannot, so it resolves
 * them from a local map — `ENVC_APPROVER_GROUPS` (JSON) or the file `ENVC_APPROVERS_FILE`
 * (default `.envc/approvers.json`), both `{ "@platform-leads": ["U123", "U456"], "S0ABC": ["U789"] }`.
 * A group missing from the map admits nobody (fail closed).
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';

export type IsApprover = (env: string, actor: string) => Promise<boolean>;

export type GroupMap = Record<string, string[]>;

const USER_ID = /^[UW][A-Z0-9]+$/;

export function membersOf(refs: readonly string[], groups: GroupMap): Set<string> {
  const out = new Set<string>();
  for (const ref of refs) {
    if (USER_ID.test(ref)) out.add(ref);
    else for (const u of groups[ref] ?? groups[ref.replace(/^@/, '')] ?? []) out.add(u);
  }
  return out;
}

/** Reads the group map from the environment or the approvers file; errors say which source is malformed. */
export function loadGroupMap(env: NodeJS.ProcessEnv, cwd: string): GroupMap {
  const fromEnv = env.ENVC_APPROVER_GROUPS;
  if (fromEnv) return parseGroups(fromEnv, 'ENVC_APPROVER_GROUPS');
  const file = env.ENVC_APPROVERS_FILE ?? '.envc/approvers.json';
  const path = isAbsolute(file) ? file : join(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  return parseGroups(text, path);
}

function parseGroups(text: string, where: string): GroupMap {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where} is not JSON: ${(err as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new Error(`${where} must be an object of group → [user ids]`);
  const out: GroupMap = {};
  for (const [k, users] of Object.entries(v as Record<string, unknown>)) {
    if (!Array.isArray(users) || users.some((u) => typeof u !== 'string'))
      throw new Error(`${where}: "${k}" must list user ids as strings`);
    out[k] = users as string[];
  }
  return out;
}

export function localApprovers(
  approversOf: (env: string) => readonly string[] | undefined,
  groups: GroupMap,
): IsApprover {
  return async (env, actor) => membersOf(approversOf(env) ?? [], groups).has(actor);
}

/**
 * Linked identities: another identity of a person → their Slack user id, e.g. `{ "github:alice": "U0ALICE" }`,
 * from ENVC_IDENTITY_LINKS (JSON) or the file ENVC_IDENTITIES_FILE (default `.envc/identities.json`). A CI
 * identity that is linked acts as that Slack user: self-approval is then caught across Slack and CI.
 */
export type IdentityLinks = Record<string, string>;

export function loadIdentityLinks(env: NodeJS.ProcessEnv, cwd: string): IdentityLinks {
  const fromEnv = env.ENVC_IDENTITY_LINKS;
  let text: string | undefined = fromEnv;
  let where = 'ENVC_IDENTITY_LINKS';
  if (!text) {
    const file = env.ENVC_IDENTITIES_FILE ?? '.envc/identities.json';
    where = isAbsolute(file) ? file : join(cwd, file);
    try {
      text = readFileSync(where, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where} is not JSON: ${(err as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new Error(`${where} must be an object of identity → Slack user id`);
  for (const [k, u] of Object.entries(v as Record<string, unknown>))
    if (typeof u !== 'string' || !USER_ID.test(u))
      throw new Error(`${where}: "${k}" must map to a Slack user id (U…), not ${JSON.stringify(u)}`);
  return v as IdentityLinks;
}

/** The person behind an identity: its linked Slack user id, else the identity itself. */
export function personOf(id: string, links: IdentityLinks): string {
  return links[id] ?? id;
}

/** `--as`, else ENVC_ACTOR (CI sets it), else `cli:<login>`: a claim, never proof (see cli-identity.ts). */
export function actorOf(flag: unknown, env: NodeJS.ProcessEnv): string {
  if (typeof flag === 'string' && flag !== '') return flag;
  if (env.ENVC_ACTOR) return env.ENVC_ACTOR;
  let login = 'unknown';
  try {
    login = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `cli:${login}`;
}
