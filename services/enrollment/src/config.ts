import { int, port, str } from '@vigil/config';

/** Settings of the enrollment service, with CONTRACT §4 defaults. */
export const serviceSpec = {
  ENROLLMENT_PORT: port({ default: 8081 }),
  // Put into activation URIs; defaults to this process's own address.
  ENROLLMENT_PUBLIC_URL: str({ default: 'auto' }),
  VIGIL_SERVER_SIGNING_KEY: str({ secret: true, pattern: /^[A-Za-z0-9_-]{43}$/ }),
  VIGIL_SECRET_KEYS: str({ secret: true }),
  ACTIVATION_CODE_TTL_SECONDS: int({ default: 600, min: 30, max: 86_400 }),
  ACTIVATION_FAILURES_PER_IP: int({ default: 5, min: 1, max: 1_000 }),
  ACTIVATION_FAILURE_WINDOW_SECONDS: int({ default: 600, min: 1, max: 86_400 }),
  REPLACEMENT_PROOF_MAX_AGE_SECONDS: int({ default: 300, min: 1, max: 3_600 }),
  TOTP_ENROLLMENT_TTL_SECONDS: int({ default: 600, min: 60, max: 86_400 }),
  TOTP_ISSUER: str({ default: 'Vigil' }),
};
