import { infrastructureSpec, int, kafkaSecuritySpec, makeExactValidator, proxyTrust, secret, str, url } from '@vigil/config';
import { parseApiKeys, type Caller } from '@vigil/http';

/** `tenantId:scope:key` triples, hashed as they are read (the clear keys are not kept); refused at load, naming the variable. */
const apiKeyTriples = makeExactValidator<Map<string, Caller>>((raw) => parseApiKeys(raw));

/** What every service reads from its environment besides its own settings. */
export const runtimeSpec = {
  ...infrastructureSpec,
  ...kafkaSecuritySpec,
  // Loopback unless told otherwise: a service started on a laptop is not reachable from the network. The image sets
  // 0.0.0.0 (a container's port is published by its runtime).
  HOST: str({ default: '127.0.0.1' }),
  // CONTRACT §1 (v2): HTTPS on the service's port with this certificate (chain) and key, both PEM; unset: plain HTTP.
  TLS_CERT_FILE: str({ default: undefined }),
  TLS_KEY_FILE: str({ default: undefined }),
  TRUST_PROXY: proxyTrust({ default: false }),
  // Sockets one instance keeps open at most: past it Node closes new connections at once (health checks included), a
  // bound on what idle or long-polling clients can pin. Above LONG_POLL_MAX, so that long polls are refused with 429
  // before this cuts in.
  HTTP_MAX_CONNECTIONS: int({ min: 1, max: 1_000_000 })({ default: 20_000 }),
  LOG_LEVEL: str({ choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, default: 'info' }),
  // CONTRACT §2: extra keys for development and tests, `tenantId:scope:key` triples; unset: none.
  VIGIL_API_KEYS: secret(apiKeyTriples({ default: undefined })),
  KAFKA_TOPIC_PARTITIONS: int({ min: 1, max: 1000 })({ default: 6 }),
  KAFKA_REPLICATION_FACTOR: int({ min: 1, max: 7 })({ default: 1 }),
  SHUTDOWN_GRACE_MS: int({ min: 0, max: 120_000 })({ default: 10_000 }),
  // OpenTelemetry traces over OTLP/HTTP, e.g. http://otel-collector:4318/v1/traces; unset: nothing is recorded.
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url({ default: undefined }),
};
