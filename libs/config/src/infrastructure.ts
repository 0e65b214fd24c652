import { bool, list, oneOf, optional, str, url } from './fields.ts';
import type { ConfigOf } from './load-config.ts';

/**
 * CONTRACT §8 (v2): how every Kafka client authenticates. Managed Kafka (Confluent Cloud, MSK, Aiven) needs TLS and
 * SASL; each service has its own principal, whose ACLs let it write only the topics it produces.
 */
export const kafkaSecuritySpec = {
  KAFKA_SSL: bool({ default: false }),
  // PEM file of the CA that signed the brokers' certificates; unset: the system's trusted CAs.
  KAFKA_SSL_CA_FILE: optional(str()),
  KAFKA_SASL_MECHANISM: optional(oneOf(['scram-sha-512', 'scram-sha-256', 'plain'] as const)),
  KAFKA_SASL_USERNAME: optional(str()),
  KAFKA_SASL_PASSWORD: optional(str({ secret: true })),
};

export type KafkaSecurityConfig = ConfigOf<typeof kafkaSecuritySpec>;

/** The variables of CONTRACT §1 that point a service at its servers. */
export const infrastructureSpec = {
  KAFKA_BROKERS: list({ default: ['127.0.0.1:9092'] }),
  REDIS_URL: url({ default: 'redis://127.0.0.1:6379', protocols: ['redis:', 'rediss:'] }),
  MONGO_URL: url({ default: 'mongodb://127.0.0.1:27017/vigil', protocols: ['mongodb:', 'mongodb+srv:'] }),
};
