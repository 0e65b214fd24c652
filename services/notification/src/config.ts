import { int, port, str } from '@vigil/config';

/** Settings of the notification service. Without FCM credentials it runs in poll-only mode. */
export const serviceSpec = {
  NOTIFICATION_PORT: port({ default: 8084 }),
  // A service account key as JSON text, or a path to one in GOOGLE_APPLICATION_CREDENTIALS.
  FCM_SERVICE_ACCOUNT_JSON: str({ default: 'none', secret: true }),
  GOOGLE_APPLICATION_CREDENTIALS: str({ default: 'none' }),
  FCM_MAX_ATTEMPTS: int({ default: 6, min: 1, max: 20 }),
  FCM_RETRY_BASE_MS: int({ default: 250, min: 1, max: 60_000 }),
  FCM_RETRY_MAX_MS: int({ default: 8_000, min: 1, max: 60_000 }),
  // Sends in flight per partition (the consumer handles up to 4 partitions at once): the bound on concurrent sends.
  NOTIFICATION_CONCURRENCY: int({ default: 16, min: 1, max: 256 }),
};
