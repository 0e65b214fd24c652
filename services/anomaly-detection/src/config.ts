import { port } from '@vigil/config';

/** Settings of the anomaly-detection service (CONTRACT §1), on top of the shared runtime settings. */
export const serviceSpec = {
  ANOMALY_PORT: port({ default: 8085 }),
};
