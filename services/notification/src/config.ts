import { int, port, secret, str } from '@vigil/config';

/** Settings of the notification service. Without FCM credentials it runs in poll-only mode. */
export const serviceSpec = {
  NOTIFICATION_PORT: port({ default: 8084 }),
  // A service account key as JSON text, or a path to one in GOOGLE_APPLICATION_CREDENTIALS; neither: poll-only.
  FCM_SERVICE_ACCOUNT_JSON: secret(str({ default: undefined })),
  GOOGLE_APPLICATION_CREDENTIALS: str({ default: undefined }),
  FCM_MAX_ATTEMPTS: int({ min: 1, max: 20 })({ default: 6 }),
  FCM_RETRY_BASE_MS: int({ min: 1, max: 60_000 })({ default: 250 }),
  FCM_RETRY_MAX_MS: int({ min: 1, max: 60_000 })({ default: 8_000 }),
  // Sends in flight per partition (the consumer handles up to 4 partitions at once): the bound on concurrent sends.
  NOTIFICATION_CONCURRENCY: int({ min: 1, max: 256 })({ default: 16 }),
};
