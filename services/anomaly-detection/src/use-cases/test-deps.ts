import { vi, type Mock } from 'vitest';
import type { EventSink } from '@vigil/events';
import { DEFAULT_RULES } from '../config.ts';
import type { AlertDedup, AlertStore, WindowStore } from '../domain/ports.ts';
import type { RuleSettings } from '../domain/rules.ts';
import type { AnomalyDeps } from './deps.ts';

// Strict typed doubles of the use cases' ports, for unit tests (immich's `newTestService`): every method of every port
// is a typed mock that rejects until the test says what it answers, so a use case that touches a port the test did
// not expect fails, and a failure path ("the alert store throws after the window write") is one line.

type Method = (...args: never[]) => Promise<unknown>;
export type Double<T> = { [K in keyof T]: T[K] extends Method ? Mock<T[K]> & T[K] : never };

/** `methods` lists every method of the port (the Record type makes the compiler check none is missing). */
function strictDouble<T>(port: string, methods: Record<keyof T, true>): Double<T> {
  const double: Record<string, Mock> = {};
  for (const method of Object.keys(methods)) {
    double[method] = vi.fn(() => Promise.reject(new Error(`unexpected call: ${port}.${method}`)));
  }
  return double as Double<T>;
}

export interface TestDeps extends AnomalyDeps {
  windows: Double<WindowStore>;
  dedup: Double<AlertDedup>;
  alerts: Double<AlertStore>;
  events: Double<EventSink>;
}

export function newTestDeps(options: { rules?: RuleSettings; now?: Date } = {}): TestDeps {
  const now = options.now ?? new Date('2026-12-06T10:00:00.000Z');
  return {
    windows: strictDouble<WindowStore>('windows', { add: true, addAndRange: true, range: true, addAndAround: true, lastLocation: true, setLocation: true }),
    dedup: strictDouble<AlertDedup>('dedup', { claim: true }),
    alerts: strictDouble<AlertStore>('alerts', { insert: true, find: true, update: true, list: true }),
    events: strictDouble<EventSink>('events', { emit: true }),
    rules: options.rules ?? DEFAULT_RULES,
    now: () => now,
  };
}
