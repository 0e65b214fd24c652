export { createHttpApp, type HttpAppOptions, type HttpTransport, type VigilApp } from './create-app.ts';
export { errors, problemOf, PROBLEM_CONTENT_TYPE, type Problem } from './problem.ts';
export {
  SCOPES,
  callerOf,
  chainApiKeyStores,
  parseApiKeys,
  staticApiKeys,
  type ApiKeyStore,
  type Caller,
  type Scope,
} from './api-key-auth.ts';
export { deviceOf, type Device, type DeviceAuthOptions, type DeviceDirectory, type DeviceRejection, type ReplayGuard } from './device-signature-auth.ts';
export { redisReplayGuard } from './redis-replay-guard.ts';
export { createMetricsRegistry } from './metrics.ts';
export { WaitSeconds } from './long-poll.ts';
export { NoContent } from './no-content.ts';
export type { ReadinessCheck } from './health.ts';
