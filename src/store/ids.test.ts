import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('sorts in the order ids were made, also within one millisecond, and stays URL- and Slack-safe', () => {
    const ids = Array.from({ length: 2000 }, () => newId('apr'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^apr_[0-9a-z]{13}[\w-]{8}$/);
  });
});
