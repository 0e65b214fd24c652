import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Logger } from '@vigil/logger';

export interface KafkaClientOptions {
  brokers: readonly string[];
  clientId: string;
  log: Logger;
  /** Overrides for tests (shorter timeouts) or production (TLS, SASL). */
  config?: Partial<KafkaConfig>;
}

const LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

const IDEMPOTENT_RETRY_WARNING = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';

/** The one place kafkajs is constructed: its logs go through pino like every other line of the service. */
export function createKafka(options: KafkaClientOptions): Kafka {
  const log = options.log.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      // Our producer bounds its retries on purpose: a login waiting on a dead broker should get a 503, not hang.
      if (message === IDEMPOTENT_RETRY_WARNING) return;
      log[LEVEL[entry.level] ?? 'info']({ namespace: entry.namespace, ...rest }, message);
    },
    ...options.config,
  });
}
