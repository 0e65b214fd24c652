import { describe, expect, it } from 'vitest';
import { challengeIdsOf, distinctMisses, ipsOf, within, type Counted } from '../src/domain/series.ts';

const counted = (atMs: number, challengeId: string | null, ip: string | null = null): Counted => ({ atMs, challengeId, ip });

describe('what the rules count', () => {
  it('takes a window open at its start and closed at its end', () => {
    const points = [counted(0, 'a'), counted(1, 'b'), counted(10, 'c'), counted(11, 'd')];
    expect(within(points, 10, 10).map((point) => point.challengeId)).toEqual(['b', 'c']);
  });

  it('lists challenges and addresses once each, in the order first seen, without blanks', () => {
    const points = [counted(0, 'a', '192.0.2.1'), counted(1, null, null), counted(2, 'a', '192.0.2.2'), counted(3, 'b', '192.0.2.1')];
    expect(challengeIdsOf(points)).toEqual(['a', 'b']);
    expect(ipsOf(points)).toEqual(['192.0.2.1', '192.0.2.2']);
  });

  it('counts misses by challenge, and each miss without one', () => {
    expect(distinctMisses([counted(0, 'a'), counted(1, 'a'), counted(2, null), counted(3, null), counted(4, 'b')])).toBe(4);
  });
});
