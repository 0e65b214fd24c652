import type { EventSink } from '@vigil/events';
import { strictDouble, type Double } from '@vigil/testkit/doubles';
import { DEFAULT_RULES } from '../src/config.ts';
import type { AlertDedup, AlertStore, WindowStore } from '../src/domain/ports.ts';
import type { RuleSettings } from '../src/domain/rules.ts';
import type { AnomalyDeps } from '../src/use-cases/deps.ts';

export const NOW = new Date('2026-12-06T10:00:00.000Z');

/** The anomaly service's use-case ports, each a strict double (an unexpected call rejects). */
export interface AnomalyTestDeps extends AnomalyDeps {
  windows: Double<WindowStore>;
  dedup: Double<AlertDedup>;
  alerts: Double<AlertStore>;
  events: Double<EventSink>;
}

export function newAnomalyTestDeps(options: { rules?: RuleSettings; now?: Date } = {}): AnomalyTestDeps {
  const now = options.now ?? NOW;
  return {
    windows: strictDouble<WindowStore>('windows', { add: true, addAndRange: true, range: true, addAndAround: true, lastLocation: true, setLocation: true }),
    dedup: strictDouble<AlertDedup>('dedup', { claim: true }),
    alerts: strictDouble<AlertStore>('alerts', { insert: true, find: true, update: true, list: true }),
    events: strictDouble<EventSink>('events', { emit: true }),
    rules: options.rules ?? DEFAULT_RULES,
    now: () => now,
  };
}
