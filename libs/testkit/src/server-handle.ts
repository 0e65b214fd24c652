/** One running (or borrowed) server: its address and how to let it go. */
export interface ServerHandle {
  /** `env` (given by the environment), `container` (testcontainers) or `process` (started here). */
  readonly origin: 'env' | 'container' | 'process';
  readonly url: string;
  stop(): Promise<void>;
}

export const borrowed = (url: string): ServerHandle => ({ origin: 'env', url, stop: async () => {} });
