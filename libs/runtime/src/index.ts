export { startRuntime, type RuntimeOptions, type RuntimeConfig, type AppBasics, type ServiceConnections, type ServiceRuntime } from './service-runtime.ts';
export { startServiceConsumer, type ServiceConsumerOptions } from './service-consumer.ts';
export { runtimeSpec } from './runtime-config.ts';
export { connectMongo, connectRedis, kafkaReadiness, mongoReadiness, redisReadiness } from './connections.ts';
export { runMain } from './run-main.ts';
export { redisWakeups, type Wakeups } from './redis-wakeups.ts';
export { meteredEventSink } from './metered-event-sink.ts';
export { startTracing, type TracingOptions } from './tracing.ts';
