import { bool, str } from 'envalid';
import { secret, type ConfigOf } from './load-config.ts';
import { list, urlOf } from './validators.ts';

/**
 * CONTRACT §8 (v2): how every Kafka client authenticates. Managed Kafka (Confluent Cloud, MSK, Aiven) needs TLS and
 * SASL; each service has its own principal, whose ACLs let it write only the topics it produces.
 */
export const kafkaSecuritySpec = {
  KAFKA_SSL: bool({ default: false }),
  // PEM file of the CA that signed the brokers' certificates; unset: the system's trusted CAs.
  KAFKA_SSL_CA_FILE: str({ default: undefined }),
  // Unset: no SASL.
  KAFKA_SASL_MECHANISM: str({ choices: ['scram-sha-512', 'scram-sha-256', 'plain'] as const, default: undefined }),
  KAFKA_SASL_USERNAME: str({ default: undefined }),
  KAFKA_SASL_PASSWORD: secret(str({ default: undefined })),
};

export type KafkaSecurityConfig = ConfigOf<typeof kafkaSecuritySpec>;

/** The variables of CONTRACT §1 that point a service at its servers. */
export const infrastructureSpec = {
  KAFKA_BROKERS: list({ default: ['127.0.0.1:9092'] }),
  REDIS_URL: urlOf(['redis:', 'rediss:'])({ default: 'redis://127.0.0.1:6379' }),
  MONGO_URL: urlOf(['mongodb:', 'mongodb+srv:'])({ default: 'mongodb://127.0.0.1:27017/vigil' }),
};
