import { describe, expect, it } from 'vitest';
import { cooldownMs, cooldownSchedule } from '../src/domain/cooldown-policy.ts';
import { newNumberMatch } from '../src/domain/number-match.ts';

const policy = { missesBeforeCooldown: 3, baseMs: 5 * 60_000, maxMs: 60 * 60_000 };

describe('cool-down policy (CONTRACT §5)', () => {
  it('starts at the third consecutive miss with 5 minutes, doubling up to 60', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((misses) => cooldownMs(misses, policy) / 60_000)).toEqual([0, 0, 5, 10, 20, 40, 60, 60, 60]);
  });

  it('hands the store a schedule that ends at the cap, so every later miss count gets the cap', () => {
    expect(cooldownSchedule(policy).map((ms) => ms / 60_000)).toEqual([0, 0, 5, 10, 20, 40, 60]);
    const schedule = cooldownSchedule(policy);
    // What the Lua step does with it: the entry for min(misses, length).
    for (const misses of [1, 3, 6, 7, 8, 50]) expect(schedule[Math.min(misses, schedule.length) - 1]).toBe(cooldownMs(misses, policy));
  });
});

describe('number match', () => {
  it('has the configured number of digits, zero-padded, and covers the range', () => {
    const seen = new Set(Array.from({ length: 2_000 }, () => newNumberMatch(2)));
    for (const value of seen) expect(value).toMatch(/^\d{2}$/);
    expect(seen.size).toBeGreaterThan(90);
    expect(newNumberMatch(6)).toMatch(/^\d{6}$/);
  });
});
