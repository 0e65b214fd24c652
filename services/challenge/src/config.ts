import { port } from '@vigil/config';

/** Settings of the challenge service (CONTRACT §1), on top of the shared runtime settings. */
export const serviceSpec = {
  CHALLENGE_PORT: port({ default: 8082 }),
};
