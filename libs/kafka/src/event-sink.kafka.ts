import { createEvent, type EventSink } from '@vigil/events';
import type { EventProducer } from './event-producer.ts';

/** Emits each event as a CloudEvent from `source` (e.g. `urn:vigil:challenge`) through the producer. */
export function kafkaEventSink(producer: EventProducer, source: string): EventSink {
  return { emit: async (type, data) => void (await producer.publish(createEvent(type, data, { source }))) };
}
