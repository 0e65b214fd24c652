import type { EventData, EventType } from '@vigil/events';
import type { AlertStore, WindowStore } from '../domain/ports.ts';
import type { RuleSettings } from '../domain/rules.ts';

export interface EventSink {
  emit<T extends EventType>(type: T, data: EventData<T>): Promise<void>;
}

export interface AnomalyDeps {
  windows: WindowStore;
  alerts: AlertStore;
  events: EventSink;
  rules: RuleSettings;
  now: () => Date;
}
