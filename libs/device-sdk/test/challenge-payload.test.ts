import { describe, expect, it } from 'vitest';
import { QUIET_DELIVERY_NOTICE, deliveryNotice, newestFirst } from '../src/index.ts';

describe('challenge delivery', () => {
  it('has a notice for a quiet challenge and none for a push (or a server that does not say)', () => {
    expect(deliveryNotice({ delivery: 'quiet' })).toBe(QUIET_DELIVERY_NOTICE);
    expect(QUIET_DELIVERY_NOTICE).toMatch(/not notified .* unusual activity .* only if you are signing in right now/);
    expect(deliveryNotice({ delivery: 'push' })).toBeNull();
    expect(deliveryNotice({})).toBeNull();
  });

  it('lists challenges newest first', () => {
    const made = (id: string, createdAt: string) => ({ id, createdAt });
    expect(newestFirst([made('a', '2025-01-01T10:00:00Z'), made('c', '2025-01-01T10:00:02Z'), made('b', '2025-01-01T10:00:01Z')]).map((c) => c.id)).toEqual(['c', 'b', 'a']);
  });
});
