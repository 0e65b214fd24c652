import { createEvent, eventKey, sourceOf, TOPICS } from '@vigil/events';
import { EventsPendingError, type EventProducer, type ReaderGroups } from '@vigil/kafka';
import type { FactorPublisher } from '../domain/ports.ts';

/**
 * Snapshots on the compacted factors topic; a tombstone (null value) once the user has no factor left. Resolves once
 * every service that acts on factors has applied the snapshot (CONTRACT §2), and throws if Kafka or a reader is not
 * there in time: the caller answers 503 and a repeat converges.
 */
export function kafkaFactorPublisher(producer: EventProducer, readers: ReaderGroups): FactorPublisher {
  return {
    async publish(snapshot, user) {
      const sent = snapshot === null
        ? producer.publishTombstone(TOPICS.factors, eventKey(user.tenantId, user.userId))
        : producer.publish(createEvent('vigil.factors.snapshot', snapshot, { source: sourceOf('enrollment') }));
      // The change is stored and marked unsettled: the repair sweep publishes it if this does not.
      const landed = await sent.catch((error: unknown) => {
        throw new EventsPendingError(error);
      });
      await readers.waitFor(landed);
    },
  };
}
