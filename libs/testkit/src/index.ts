export { provideInfra, type Infra, type ProvideOptions } from './infra-provider.ts';
export { startLocalRedis } from './local-redis.ts';
export { startLocalKafka } from './local-kafka.ts';
export { freePort } from './free-port.ts';
export { startProcess, type ManagedProcess, type StartProcessOptions } from './managed-process.ts';
export { sampleData, sampleEvent } from './event-samples.ts';
export { waitFor } from './wait-for.ts';
export { startFakeFcm, FCM_ERRORS, type FakeFcm, type FcmEgress, type FcmReply, type FcmRequest } from './fake-fcm.ts';
export { createTestTls, type TestTls } from './test-tls.ts';
