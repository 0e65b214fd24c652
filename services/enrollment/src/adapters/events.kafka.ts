import { TOPICS, createEvent, eventKey } from '@vigil/events';
import type { EventProducer } from '@vigil/kafka';
import type { FactorPublisher } from '../domain/ports.ts';

export const EVENT_SOURCE = 'urn:vigil:enrollment';

/** Snapshots on the compacted factors topic; a tombstone (null value) once the user has no factor left. */
export function kafkaFactorPublisher(producer: EventProducer): FactorPublisher {
  return {
    async publish(snapshot, user) {
      if (snapshot === null) await producer.publishTombstone(TOPICS.factors, eventKey(user.tenantId, user.userId));
      else await producer.publish(createEvent('vigil.factors.snapshot', snapshot, { source: EVENT_SOURCE }));
    },
  };
}
