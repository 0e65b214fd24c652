import { describe, expect, it } from 'vitest';
import { busiestWindow } from '../src/domain/busiest-window.ts';

interface SignIn {
  userId: string;
  atMs: number;
}

const user = (point: SignIn) => point.userId;
const at = (userId: string, atMs: number): SignIn => ({ userId, atMs });
const distinct = (points: SignIn[]) => new Set(points.map(user)).size;

describe('busiest window around an event', () => {
  it('finds the later events when the earliest one arrives last', () => {
    // Ten users, one a second apart, delivered newest first: the last to arrive is the earliest in time.
    const points = Array.from({ length: 10 }, (_, i) => at(`u${i}`, 1_000 * i));
    expect(distinct(busiestWindow(points, 0, 600_000, user))).toBe(10);
    expect(distinct(busiestWindow(points, 9_000, 600_000, user))).toBe(10);
  });

  it('never joins events further apart than the window', () => {
    const points = [at('a', 0), at('b', 5_000), at('c', 10_000)];
    expect(distinct(busiestWindow(points, 5_000, 10_000, user))).toBe(2);
    expect(busiestWindow(points, 5_000, 10_001, user)).toHaveLength(3);
  });

  it('counts users, not events, and only windows that hold the event', () => {
    const points = [at('a', 0), at('a', 1), at('a', 2), at('b', 50_000), at('c', 51_000), at('d', 52_000)];
    expect(distinct(busiestWindow(points, 0, 10_000, user))).toBe(1);
    expect(distinct(busiestWindow(points, 50_000, 10_000, user))).toBe(3);
  });
});
