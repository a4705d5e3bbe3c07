import { describe, expect, it } from 'vitest';
import { matchesSelector } from './selectors.js';

describe('matchesSelector', () => {
  const labels = { app: 'web', tier: 'front' };
  it('matches everything with an empty selector', () => {
    expect(matchesSelector({}, {})).toBe(true);
    expect(matchesSelector({ matchLabels: {} }, labels)).toBe(true);
  });
  it('requires every matchLabel', () => {
    expect(matchesSelector({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { app: 'web', tier: 'back' } }, labels)).toBe(false);
    expect(matchesSelector({ matchLabels: { missing: '' } }, labels)).toBe(false);
  });
  it('applies In, NotIn, Exists and DoesNotExist', () => {
    expect(
      matchesSelector({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, labels),
    ).toBe(true);
    expect(
      matchesSelector({ matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }, labels),
    ).toBe(false);
    expect(
      matchesSelector({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] }, labels),
    ).toBe(true);
    expect(
      matchesSelector({ matchExpressions: [{ key: 'nope', operator: 'NotIn', values: ['x'] }] }, labels),
    ).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels)).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels)).toBe(
      false,
    );
    expect(
      matchesSelector(
        {
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }],
        },
        labels,
      ),
    ).toBe(false);
  });
});
