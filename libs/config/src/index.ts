export { bool, makeExactValidator, port, str, url } from 'envalid';
export { ConfigError } from './config-error.ts';
export { commaList, int, list, matching, proxyTrust, urlOf } from './validators.ts';
export { describeConfig, loadConfig, secret, type ConfigOf, type ConfigSpec, type Env } from './load-config.ts';
export { infrastructureSpec, kafkaSecuritySpec, type KafkaSecurityConfig } from './infrastructure.ts';
export { isProduction, productionProblems, MIN_PRODUCTION_API_KEY_LENGTH } from './production-mode.ts';
