export { ConfigError } from './config-error.ts';
export { bool, int, list, oneOf, optional, port, proxyTrust, str, url, type Field } from './fields.ts';
export { describeConfig, loadConfig, type ConfigOf, type ConfigSpec, type Env } from './load-config.ts';
export { infrastructureSpec, kafkaSecuritySpec, type KafkaSecurityConfig } from './infrastructure.ts';
export { isProduction, productionProblems, MIN_PRODUCTION_API_KEY_LENGTH } from './production-mode.ts';
