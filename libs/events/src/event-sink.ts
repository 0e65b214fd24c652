import type { EventData, EventType } from './registry.ts';

/** Where use cases emit events; a service's adapters decide how (Kafka in production). */
export interface EventSink {
  emit<T extends EventType>(type: T, data: EventData<T>): Promise<void>;
}

/** An event a use case wants announced together with a state change (the adapter writes both in one step). */
export type EventDraft = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];

/** A draft for `type`, with its data checked against the type at compile time. */
export function draft<T extends EventType>(type: T, data: EventData<T>): EventDraft {
  return { type, data } as EventDraft;
}
