import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { ConfigError, loadConfig, kafkaSecuritySpec, type Env, type KafkaSecurityConfig } from '@vigil/config';

/** The kafkajs settings for KAFKA_SSL, KAFKA_SSL_CA_FILE and KAFKA_SASL_* (CONTRACT §8 v2). */
export function kafkaSecurity(config: KafkaSecurityConfig): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const problems: string[] = [];
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  if (mechanism && (!username || !password)) problems.push('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: both required with KAFKA_SASL_MECHANISM');
  if (!mechanism && (username || password)) problems.push('KAFKA_SASL_MECHANISM: missing, although a SASL user is given');
  if (config.KAFKA_SSL_CA_FILE && !config.KAFKA_SSL) problems.push('KAFKA_SSL: must be true when KAFKA_SSL_CA_FILE is set');
  if (mechanism === 'plain' && !config.KAFKA_SSL) problems.push('KAFKA_SSL: must be true with KAFKA_SASL_MECHANISM=plain (the password would cross the network in clear)');
  let ca: string | undefined;
  if (config.KAFKA_SSL_CA_FILE) {
    try {
      ca = readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8');
    } catch (error) {
      problems.push(`KAFKA_SSL_CA_FILE: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const ssl = config.KAFKA_SSL ? (ca ? { ca: [ca] } : true) : undefined;
  const sasl = mechanism && username && password ? ({ mechanism, username, password } as SASLOptions) : undefined;
  return { ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) };
}

/** The same, read from the environment (tools and tests that make their own clients). */
export function kafkaSecurityFromEnv(env: Env = process.env): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  return kafkaSecurity(loadConfig(kafkaSecuritySpec, env));
}
