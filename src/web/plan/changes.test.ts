import { describe, expect, it } from 'vitest';
import { attributeChanges, MASK, resourceViews } from './changes.js';

describe('plan attribute changes', () => {
  it('lists changed leaves only, masks sensitive ones at any depth, names unknown values', () => {
    const attrs = attributeChanges({
      actions: ['update'],
      before: {
        label: 'a',
        pools: [{ count: 3 }],
        tags: ['x'],
        password: 'old-secret',
        nested: { token: 't1', keep: 1 },
      },
      after: {
        label: 'a',
        pools: [{ count: 4 }],
        tags: ['x'],
        password: 'new-secret',
        nested: { token: 't2', keep: 1 },
      },
      after_unknown: { id: true },
      before_sensitive: { password: true },
      after_sensitive: { password: true, nested: true },
    });
    expect(attrs).toEqual([
      { path: 'id', after: '(known after apply)', sensitive: false },
      { path: 'nested.token', before: MASK, after: MASK, sensitive: true },
      { path: 'password', before: MASK, after: MASK, sensitive: true },
      { path: 'pools.0.count', before: '3', after: '4', sensitive: false },
    ]);
    expect(JSON.stringify(attrs)).not.toMatch(/secret|t1|t2/);
  });

  it('a create lists every set attribute; a delete every attribute it had; unset ones are left out', () => {
    expect(attributeChanges({ actions: ['create'], before: null, after: { a: 'x', b: null } })).toEqual([
      { path: 'a', after: 'x', sensitive: false },
    ]);
    expect(attributeChanges({ actions: ['delete'], before: { a: 'x' }, after: null })).toEqual([
      { path: 'a', before: 'x', sensitive: false },
    ]);
  });

  it('keeps real changes in address order with their spec line, and drops reads and no-ops', () => {
    const views = resourceViews(
      {
        resource_changes: [
          { address: 'b.x', type: 'b', change: { actions: ['create'], after: { v: 1 } } },
          {
            address: 'a.x',
            type: 'a',
            change: { actions: ['delete', 'create'], before: { v: 1 }, after: { v: 2 } },
          },
          { address: 'c.x', type: 'c', change: { actions: ['no-op'], before: { v: 1 }, after: { v: 1 } } },
          { address: 'data.d.x', type: 'd', change: { actions: ['read'] } },
        ],
      },
      (a) => (a === 'a.x' ? 'environments.yaml:12 environments.production' : undefined),
    );
    expect(views.map((v) => [v.address, v.action, v.origin])).toEqual([
      ['a.x', 'replace', 'environments.yaml:12 environments.production'],
      ['b.x', 'create', undefined],
    ]);
  });
});
