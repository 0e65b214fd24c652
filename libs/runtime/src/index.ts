export { startRuntime, type RuntimeOptions, type RuntimeConfig, type ServiceRuntime } from './service-runtime.ts';
export { runtimeSpec } from './runtime-config.ts';
export { connectMongo, connectRedis, kafkaReadiness, mongoReadiness, redisReadiness } from './connections.ts';
export { runMain } from './run-main.ts';
export { redisWakeups, type Wakeups } from './redis-wakeups.ts';
