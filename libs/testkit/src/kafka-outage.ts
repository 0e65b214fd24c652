/**
 * Runs `work` while `producer` is disconnected — Kafka unreachable for every service publishing through it (tests
 * hand the service under test their producer) — and connects it again afterwards, whatever `work` did.
 */
export async function whileProducerDown<T>(producer: { connect(): Promise<void>; disconnect(): Promise<void> }, work: () => Promise<T>): Promise<T> {
  await producer.disconnect();
  try {
    return await work();
  } finally {
    await producer.connect();
  }
}
