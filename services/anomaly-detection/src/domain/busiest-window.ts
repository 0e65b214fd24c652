// Events of different users travel on different partitions and reach the rules in any order, so a rule over many users
// cannot look only backwards from the event in hand: the last event to arrive may be the earliest in time, and a
// backward window from it would miss every later one. It looks for the busiest window that contains the event.

/**
 * Of the windows of `windowMs` that contain `atMs`, the one with the most distinct `keyOf(point)`; its points.
 * `points` may be in any order and may hold points outside (atMs - windowMs, atMs + windowMs).
 */
export function busiestWindow<T extends { atMs: number }>(points: readonly T[], atMs: number, windowMs: number, keyOf: (point: T) => string): T[] {
  const near = points.filter((point) => point.atMs > atMs - windowMs && point.atMs < atMs + windowMs).sort((a, b) => a.atMs - b.atMs);
  const counts = new Map<string, number>();
  const add = (point: T, delta: number) => {
    const key = keyOf(point);
    const count = (counts.get(key) ?? 0) + delta;
    if (count === 0) counts.delete(key);
    else counts.set(key, count);
  };
  let best = { start: 0, end: 0, distinct: 0 };
  let end = 0;
  // Windows start at a member at or before atMs (a window that starts elsewhere holds no more than the one starting at
  // its first member), and take every member less than windowMs after that start.
  for (let start = 0; start < near.length && (near[start] as T).atMs <= atMs; start += 1) {
    const from = (near[start] as T).atMs;
    for (; end < near.length && (near[end] as T).atMs < from + windowMs; end += 1) add(near[end] as T, 1);
    if (counts.size > best.distinct) best = { start, end, distinct: counts.size };
    add(near[start] as T, -1);
  }
  return near.slice(best.start, best.end);
}
