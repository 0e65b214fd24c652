import type { KafkaMessage } from 'kafkajs';

/** Runs `handle` over `messages`: one key's messages in order, different keys concurrently. */
export async function inKeyOrder(messages: KafkaMessage[], handle: (message: KafkaMessage) => Promise<void>): Promise<void> {
  const byKey = new Map<string, KafkaMessage[]>();
  for (const message of messages) {
    const key = message.key?.toString('latin1') ?? '';
    const queue = byKey.get(key);
    if (queue) queue.push(message);
    else byKey.set(key, [message]);
  }
  await Promise.all([...byKey.values()].map(async (queue) => {
    for (const message of queue) await handle(message);
  }));
}
