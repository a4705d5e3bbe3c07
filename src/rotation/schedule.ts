/**
 * When each secret is due, as a pure function of the model and the last successful rotations: due at
 * `rotatedAt + rotateEvery`; a secret envc never rotated is due now (its placeholder holds no value yet).
 */
import type { Model } from '../compiler/model.js';
import type { RotationRecord } from '../store/types.js';

export interface Freshness {
  env: string;
  secret: string;
  rotatedAt?: Date;
  nextDue: Date;
  ageSeconds?: number;
  due: boolean;
}

export function nextDue(rotatedAt: Date, rotateEverySeconds: number): Date {
  return new Date(rotatedAt.getTime() + rotateEverySeconds * 1000);
}

/** Every (environment, secret) pair of the model. */
export function secretTargets(
  model: Model,
  filter: { env?: string; secret?: string } = {},
): Array<{ env: string; secret: string; rotateEverySeconds: number }> {
  const out: Array<{ env: string; secret: string; rotateEverySeconds: number }> = [];
  for (const e of model.environments) {
    if (filter.env && e.name !== filter.env) continue;
    for (const s of e.secrets) {
      if (filter.secret && s.name !== filter.secret) continue;
      out.push({ env: e.name, secret: s.name, rotateEverySeconds: s.rotateEverySeconds });
    }
  }
  return out;
}

export function freshness(
  target: { env: string; secret: string; rotateEverySeconds: number },
  lastSuccess: RotationRecord | undefined,
  now: Date,
): Freshness {
  const rotatedAt = lastSuccess ? (lastSuccess.finishedAt ?? lastSuccess.startedAt) : undefined;
  const due = rotatedAt ? nextDue(rotatedAt, target.rotateEverySeconds) : new Date(0);
  return {
    env: target.env,
    secret: target.secret,
    ...(rotatedAt
      ? { rotatedAt, ageSeconds: Math.max(0, (now.getTime() - rotatedAt.getTime()) / 1000) }
      : {}),
    nextDue: due,
    due: due.getTime() <= now.getTime(),
  };
}
