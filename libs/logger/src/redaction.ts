// Fields that must never reach a log line (DEVELOPERS.md: no secrets, TOTP codes, private keys, push tokens, API
// keys). pino's redact paths match one level per `*`, so the common nestings are listed explicitly.
const SENSITIVE_KEYS = [
  'authorization',
  'apiKey',
  'apiKeys',
  'secret',
  'secretKeys',
  'privateKey',
  'seed',
  'signingKey',
  'pushToken',
  'token',
  'accessToken',
  'access_token',
  'activationCode',
  'totpCode',
  'password',
] as const;

// Request bodies carry TOTP codes as `code`; error objects also have a `code` (which we want), so only body paths.
const BODY_CODE_PATHS = ['body.code', 'req.body.code', 'request.body.code', 'data.code'];

export const REDACT_PATHS: readonly string[] = [
  ...SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  'req.headers.authorization',
  'req.headers["x-vigil-signature"]',
  'headers.authorization',
  'env.VIGIL_API_KEYS',
  'env.VIGIL_SECRET_KEYS',
  'env.VIGIL_SERVER_SIGNING_KEY',
  ...BODY_CODE_PATHS,
];

export const REDACTED = '[redacted]';
