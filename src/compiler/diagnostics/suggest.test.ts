import { describe, expect, it } from 'vitest';
import { distance, suggest } from './suggest.js';

describe('suggest', () => {
  it('finds close spellings and swaps', () => {
    expect(suggest('autoscalr', ['autoscaler', 'labels', 'taints'])).toBe('autoscaler');
    expect(suggest('replicaz', ['replicas', 'resources'])).toBe('replicas');
    expect(suggest('prodcution', ['production', 'staging'])).toBe('production');
    expect(distance('ab', 'ba')).toBe(1);
  });
  it('uses prefixes for short forms', () => {
    expect(suggest('prod', ['development', 'production', 'staging'])).toBe('production');
  });
  it('says nothing when nothing is close', () => {
    expect(suggest('zzzzzz', ['production', 'staging'])).toBeUndefined();
    expect(suggest('x', [])).toBeUndefined();
  });
});
