import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/**
 * Short, URL- and Slack-safe ids with a kind prefix (`apr_…`, `inc_…`) so a stray id says what it is. The
 * first part is the creation time and a counter (fixed-width base 36), so ids made by one process sort in the
 * order they were made: the stores break ties of `created_at` (the same millisecond) by id, and a random id
 * made "the latest plan" or the order of two approvals a coin toss. The rest is random.
 */
export function newId(prefix: string): string {
  const now = Math.max(Date.now(), lastMs); // a clock stepping back does not reorder
  seq = now === lastMs ? seq + 1 : 0;
  lastMs = now;
  const time = now.toString(36).padStart(9, '0') + seq.toString(36).padStart(4, '0');
  return `${prefix}_${time}${randomBytes(6).toString('base64url')}`;
}
