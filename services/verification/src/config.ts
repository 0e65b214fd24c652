import { port } from '@vigil/config';

/** Settings of the verification service (CONTRACT §1), on top of the shared runtime settings. */
export const serviceSpec = {
  VERIFICATION_PORT: port({ default: 8083 }),
};
