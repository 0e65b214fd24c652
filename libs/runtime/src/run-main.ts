import { ConfigError } from '@vigil/config';

/**
 * Runs a service's main function. A configuration error prints what is wrong (names, never secret values) and exits
 * with status 78 (EX_CONFIG); any other start-up failure exits with 1.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
