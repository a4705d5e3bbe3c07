/**
 * Where each environment's Terraform state lives (docs/adr/0017): its own bucket `<stateBackend.bucket>-<env>`,
 * so the key scoped to that bucket reads and writes that environment's state and nothing else (Object Storage
 * keys can be limited per bucket, not per key prefix). `stateBackend.bucket` itself holds only the bootstrap
 * root's state. Backups go to `<backupBucket>-<env>` when a backup bucket is set, else to the state bucket.
 * Pure: the compiler's backends, the bootstrap root, the runner and `envc state` all ask here.
 */
import type { Model } from './model.js';

export function stateBucket(model: Pick<Model, 'stateBackend'>, env: string): string {
  return `${model.stateBackend.bucket}-${env}`;
}

export function backupBucket(model: Pick<Model, 'stateBackend'>, env: string): string {
  const sb = model.stateBackend;
  return sb.backupBucket && sb.backupBucket !== sb.bucket
    ? `${sb.backupBucket}-${env}`
    : stateBucket(model, env);
}
