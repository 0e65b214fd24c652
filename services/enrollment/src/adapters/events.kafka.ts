import { TOPICS, createEvent, eventKey } from '@vigil/events';
import type { EventProducer, ReaderGroups } from '@vigil/kafka';
import type { FactorPublisher } from '../domain/ports.ts';

export const EVENT_SOURCE = 'urn:vigil:enrollment';

/**
 * Snapshots on the compacted factors topic; a tombstone (null value) once the user has no factor left. Resolves once
 * every service that acts on factors has applied the snapshot (CONTRACT §2), and throws if Kafka or a reader is not
 * there in time: the caller answers 503 and a repeat converges.
 */
export function kafkaFactorPublisher(producer: EventProducer, readers: ReaderGroups): FactorPublisher {
  return {
    async publish(snapshot, user) {
      const landed = snapshot === null
        ? await producer.publishTombstone(TOPICS.factors, eventKey(user.tenantId, user.userId))
        : await producer.publish(createEvent('vigil.factors.snapshot', snapshot, { source: EVENT_SOURCE }));
      await readers.waitFor(landed);
    },
  };
}
