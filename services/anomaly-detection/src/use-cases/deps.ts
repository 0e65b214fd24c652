import type { EventSink } from '@vigil/events';
import type { AlertDedup, AlertStore, WindowStore } from '../domain/ports.ts';
import type { RuleSettings } from '../domain/rules.ts';

export interface AnomalyDeps {
  windows: WindowStore;
  dedup: AlertDedup;
  alerts: AlertStore;
  events: EventSink;
  rules: RuleSettings;
  now: () => Date;
}
