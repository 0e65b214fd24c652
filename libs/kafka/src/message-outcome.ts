/** What became of one message: handled, already handled before (dedupe), or parked in the DLQ, and why. */
export type Outcome = { kind: 'handled' } | { kind: 'duplicate' } | { kind: 'dead'; reason: 'invalid' | 'provenance' | 'failed'; error: string };

/** What a handler's retries need of the batch they run in. */
export interface BatchControl {
  heartbeat(): Promise<void>;
  isRunning(): boolean;
}

/** Where a message was read: its topic and partition. */
export interface MessagePlace {
  topic: string;
  partition: number;
}
