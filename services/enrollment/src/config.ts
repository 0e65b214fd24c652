import { port } from '@vigil/config';

/** Settings of the enrollment service (CONTRACT §1), on top of the shared runtime settings. */
export const serviceSpec = {
  ENROLLMENT_PORT: port({ default: 8081 }),
};
