/** The five services of CONTRACT §1: how the launcher starts them and where they listen by default. */
export const SERVICES = [
  { name: 'enrollment', portEnv: 'ENROLLMENT_PORT', defaultPort: 8081 },
  { name: 'challenge', portEnv: 'CHALLENGE_PORT', defaultPort: 8082 },
  { name: 'verification', portEnv: 'VERIFICATION_PORT', defaultPort: 8083 },
  { name: 'notification', portEnv: 'NOTIFICATION_PORT', defaultPort: 8084 },
  { name: 'anomaly-detection', portEnv: 'ANOMALY_PORT', defaultPort: 8085 },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];

/** CONTRACT §2's example keys: one tenant `acme` with one key per scope. For local use only. */
export const DEV_API_KEYS = 'acme:admin:dev-admin-key,acme:auth:dev-auth-key,acme:soc:dev-soc-key';
