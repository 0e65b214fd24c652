import { ReadersBehindError } from '@vigil/kafka';

/**
 * Holds requests that read a projection until it holds every change published before them (CONTRACT §2). Writers wait
 * for reader groups that have members; while every instance of a reader was down there was none to wait for, so a
 * restarted instance must not answer from its projection (a device revoked meanwhile would still be trusted) until
 * either its own consumer has caught up with what was published before it joined (the gate opens for good), or — while
 * it is still joining — the group's committed offsets show, as of the request, that the projection (shared by every
 * instance) already holds everything (`appliedUpToNow`): then the request is answered at once, and a restart storm
 * costs availability only while changes are really unapplied.
 */
export interface CatchUpGate {
  readonly open: boolean;
  /** Resolves at once when open or up to date; else waits up to `maxWaitMs`, then throws a transient error (503). */
  ready(): Promise<void>;
}

export interface OpenableCatchUpGate extends CatchUpGate {
  opened(): void;
}

export interface CatchUpGateOptions {
  maxWaitMs: number;
  what: string;
  /** Whether the projection holds everything published up to now (see above); absent: wait for the gate to open. */
  appliedUpToNow?: () => Promise<boolean>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function catchUpGate(options: CatchUpGateOptions): OpenableCatchUpGate {
  let open = false;
  let release: () => void = () => {};
  const opening = new Promise<void>((resolve) => {
    release = resolve;
  });
  // One check at a time, shared by the requests that arrived before it started (a check started earlier than a
  // request says nothing about changes published after that start).
  let latest: { startedAt: number; result: Promise<boolean> } | null = null;
  const checkSince = async (arrivedAt: number): Promise<boolean> => {
    const check = options.appliedUpToNow;
    if (!check) return false;
    if (latest && latest.startedAt < arrivedAt) await latest.result.catch(() => false);
    if (!latest || latest.startedAt < arrivedAt) latest = { startedAt: Date.now(), result: check() };
    return latest.result.catch(() => false);
  };
  return {
    get open() {
      return open;
    },
    async ready() {
      if (open) return;
      const arrivedAt = Date.now();
      const deadline = arrivedAt + options.maxWaitMs;
      for (;;) {
        if (open || (await checkSince(arrivedAt))) return;
        if (Date.now() >= deadline) throw new ReadersBehindError([`this instance is still catching up with ${options.what}`]);
        await Promise.race([opening, sleep(50)]);
      }
    },
    opened() {
      open = true;
      release();
    },
  };
}
