import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { REDACT_PATHS, REDACTED } from './redaction.ts';

export type { Logger, DestinationStream };
export { REDACT_PATHS, REDACTED };

export interface LoggerOptions {
  /** Service or component name, added to every line as `service`. */
  name: string;
  level?: LevelWithSilent;
  /** Where lines go; stdout by default. Tests pass a stream to capture lines. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      base: { service: options.name },
      level: options.level ?? (process.env['LOG_LEVEL'] as LevelWithSilent | undefined) ?? 'info',
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination,
  );
}
export { logProcessWarnings } from './process-warnings.ts';
