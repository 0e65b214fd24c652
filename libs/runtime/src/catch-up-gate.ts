import { ReadersBehindError } from '@vigil/kafka';

/**
 * Holds requests that read a projection until this instance's consumer has caught up with what was published before
 * it joined (CONTRACT §2). Writers wait for reader groups that have members; while every instance of a reader was down
 * there was none to wait for, so a restarted instance must not answer from its projection (a device revoked meanwhile
 * would still be trusted) until it has applied everything up to the end offsets as of its join.
 */
export interface CatchUpGate {
  readonly open: boolean;
  /** Resolves at once when open; else waits up to `maxWaitMs`, then throws a transient error (503 `unavailable`). */
  ready(): Promise<void>;
}

export interface OpenableCatchUpGate extends CatchUpGate {
  opened(): void;
}

export function catchUpGate(options: { maxWaitMs: number; what: string }): OpenableCatchUpGate {
  let open = false;
  let release: () => void = () => {};
  const opening = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    get open() {
      return open;
    },
    async ready() {
      if (open) return;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ReadersBehindError([`this instance is still catching up with ${options.what}`])), options.maxWaitMs);
      });
      try {
        await Promise.race([opening, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    opened() {
      open = true;
      release();
    },
  };
}
