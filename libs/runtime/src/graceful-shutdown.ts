import closeWithGrace from 'close-with-grace';
import type { VigilApp } from '@vigil/http';
import type { Logger } from '@vigil/logger';
import type { RuntimeConfig } from './service-runtime.ts';

/** What a service stops at shutdown, in reverse order of registration (consumers before connections). */
export interface ShutdownSteps {
  add(task: () => Promise<void>): void;
  /** Runs every step; a step that fails is logged and the next one still runs. */
  runAll(log: Logger): Promise<void>;
}

export function shutdownSteps(): ShutdownSteps {
  const tasks: (() => Promise<void>)[] = [];
  return {
    add: (task) => void tasks.push(task),
    async runAll(log) {
      for (const task of tasks.reverse()) {
        await task().catch((error: unknown) => log.warn({ err: error }, 'shutdown step failed'));
      }
    },
  };
}

export interface ServeSettings {
  config: Pick<RuntimeConfig, 'SHUTDOWN_GRACE_MS' | 'HTTP_MAX_CONNECTIONS' | 'HOST'>;
  log: Logger;
  shutdown: ShutdownSteps;
}

/** Listens, then stops the app and every shutdown step in order on SIGINT/SIGTERM or a fatal error. */
export async function serveUntilShutdown(app: VigilApp, port: number, { config, log, shutdown }: ServeSettings): Promise<void> {
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'fatal error, shutting down');
    else log.info({ signal }, 'shutting down');
    await app.close();
    await shutdown.runAll(log);
    log.info('stopped');
  });
  app.server.maxConnections = config.HTTP_MAX_CONNECTIONS;
  const address = await app.listen({ port, host: config.HOST });
  log.info({ address }, 'listening');
}
