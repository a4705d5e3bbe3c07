import { stateBucket } from '../state-layout.js';
import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/** Object Storage bucket names: 3–63 characters. */
const MAX_BUCKET = 63;

/**
 * Each environment keeps its state in its own bucket `<stateBackend.bucket>-<env>` (and its backups in
 * `<backupBucket>-<env>`), so the key scoped to it reaches nothing else (docs/adr/0017). Those names must be
 * valid bucket names; a long prefix would otherwise fail only at `envc bootstrap`, in the Linode API.
 */
export const stateBucketNames: Rule = {
  code: 'ENVC2050',
  name: 'state-bucket-names',
  title: "every environment's state (and backup) bucket name fits in 63 characters",
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    const sb = model.stateBackend;
    const prefixes: Array<[string, string]> = [['bucket', sb.bucket]];
    if (sb.backupBucket && sb.backupBucket !== sb.bucket) prefixes.push(['backupBucket', sb.backupBucket]);
    for (const [field, prefix] of prefixes) {
      const long = model.environments
        .map((e) => (field === 'bucket' ? stateBucket(model, e.name) : `${prefix}-${e.name}`))
        .filter((name) => name.length > MAX_BUCKET);
      if (long.length === 0) continue;
      findings.push({
        origin: sb.origin,
        message: `stateBackend.${field} ${q(prefix)} makes per-environment bucket names longer than ${MAX_BUCKET} characters: ${long.map(q).join(', ')}`,
        hint: `shorten stateBackend.${field} to at most ${MAX_BUCKET - 1 - Math.max(...model.environments.map((e) => e.name.length))} characters (each environment's bucket is <${field}>-<env>)`,
      });
    }
    return findings;
  },
};
