import type { EventData, EventType } from './registry.ts';

/** Where use cases emit events; a service's adapters decide how (Kafka in production). */
export interface EventSink {
  emit<T extends EventType>(type: T, data: EventData<T>): Promise<void>;
}
