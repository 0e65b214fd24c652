import type { CatchUpGate } from '@vigil/runtime';
import type { DeviceChannels, DispatchLedger, PushSender } from '../domain/ports.ts';
import type { RetryPolicy } from '../domain/push-message.ts';

/** Everything the notification use cases touch, as ports: adapters (Redis, FCM, Kafka) implement them in assemble.ts. */
export interface NotificationDeps {
  channels: DeviceChannels;
  /**
   * Open once this instance has applied the factor changes published before it joined. A challenge and the snapshot
   * of its device travel on different topics: after a restart, the challenge can come first.
   */
  factorsCaughtUp: CatchUpGate;
  ledger: DispatchLedger;
  /** Null in poll-only mode (no FCM credentials). */
  sender: PushSender | null;
  retry: RetryPolicy;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}
