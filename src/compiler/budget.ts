/** The `budget` block of an environment, normalized (kept out of normalize.ts, which is split elsewhere). */
import type { Origin } from './model.js';
import type { Environment } from './spec.generated.js';

export function budgetOf(
  b: NonNullable<Environment['budget']>,
  origin: Origin,
): { monthly: number; currency: 'USD'; origin: Origin } {
  return { monthly: b.monthly, currency: b.currency ?? 'USD', origin };
}
