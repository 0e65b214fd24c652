import { port } from '@vigil/config';

/** Settings of the notification service (CONTRACT §1), on top of the shared runtime settings. */
export const serviceSpec = {
  NOTIFICATION_PORT: port({ default: 8084 }),
};
