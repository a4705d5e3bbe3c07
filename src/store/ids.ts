import { randomBytes } from 'node:crypto';

/** Short, URL- and Slack-safe ids with a kind prefix (`apr_…`, `inc_…`) so a stray id says what it is. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}
