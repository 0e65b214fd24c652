// The web console (`npm start` starts it on :8080): admin (enrollment QR codes, factors, suspensions), a browser
// authenticator, a login simulator and a live SOC view, through the public APIs only. A development console: it holds
// the tenant keys of one tenant server-side and must not be exposed beyond your desk.
//   CONSOLE_TOKEN    the token every /api and /device request carries (npm start mints one); minted here when unset
//   CONSOLE_ORIGINS  comma-separated extra origins it is reached as (an SSH tunnel, say), besides 127.0.0.1/localhost
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, logProcessWarnings } from '@vigil/logger';
import { startAlertFeed } from './alert-feed.ts';
import { buildWeb } from './build-web.ts';
import { buildConsoleApp } from './console-app.ts';
import { ownOrigins } from './request-guard.ts';

const env = process.env;
const log = createLogger({ name: 'console', level: (env['LOG_LEVEL'] as 'info' | undefined) ?? 'info' });
logProcessWarnings(log);
const required = (name: string) => {
  const value = env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const port = Number(env['CONSOLE_PORT'] ?? 8080);
const token = env['CONSOLE_TOKEN'] || randomBytes(32).toString('base64url');
const extraOrigins = (env['CONSOLE_ORIGINS'] ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
const webDir = mkdtempSync(join(tmpdir(), 'vigil-console-'));
await buildWeb(webDir);
const alerts = await startAlertFeed(required('KAFKA_BROKERS').split(','), log);
const app = buildConsoleApp({
  services: {
    enrollment: required('CONSOLE_ENROLLMENT_URL'),
    challenge: required('CONSOLE_CHALLENGE_URL'),
    verification: required('CONSOLE_VERIFICATION_URL'),
    'anomaly-detection': required('CONSOLE_ANOMALY_URL'),
  },
  keys: { admin: env['CONSOLE_ADMIN_KEY'] ?? 'dev-admin-key', auth: env['CONSOLE_AUTH_KEY'] ?? 'dev-auth-key', soc: env['CONSOLE_SOC_KEY'] ?? 'dev-soc-key' },
  webDir,
  alerts,
  guard: { origins: ownOrigins(port, extraOrigins), token },
});
const address = await app.listen({ port, host: '127.0.0.1' });
log.info({ address }, 'console listening');
// As Jupyter does: the URL carries the token, so whoever reads this terminal can open the console.
if (!env['CONSOLE_TOKEN']) log.info({ url: `${address}/?token=${token}` }, 'open the console at url');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void (async () => {
      await app.close();
      await alerts.stop();
      process.exit(0);
    })();
  });
}
