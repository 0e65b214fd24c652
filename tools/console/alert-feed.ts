import { randomUUID } from 'node:crypto';
import { TOPICS, decodeEvent } from '@vigil/events';
import { createKafka, kafkaSecurityFromEnv } from '@vigil/kafka';
import type { Logger } from '@vigil/logger';

export type AlertListener = (alert: Record<string, unknown>) => void;

/**
 * Fatigue alerts as they arrive on `vigil.fatigue-alerts.v1`, for the SOC view's live feed. A group of its own per
 * console process, from the latest offset: the view loads history from GET /v1/alerts and then follows the topic.
 */
export async function startAlertFeed(brokers: string[], log: Logger): Promise<{ subscribe(listener: AlertListener): () => void; stop(): Promise<void> }> {
  const listeners = new Set<AlertListener>();
  const consumer = createKafka({ brokers, clientId: 'vigil-console', log, config: kafkaSecurityFromEnv() }).consumer({ groupId: `vigil-console-${randomUUID()}`, sessionTimeout: 10_000 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.fatigueAlerts, fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const decoded = decodeEvent(message.value);
      if (!decoded.ok || decoded.event.type !== 'vigil.fatigue.alert') return;
      for (const listener of listeners) listener(decoded.event.data as Record<string, unknown>);
    },
  });
  await joined;
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    stop: () => consumer.disconnect(),
  };
}
