import type { IHeaders, Kafka } from 'kafkajs';
import type { VigilEvent } from '@vigil/events';
import type { Logger } from '@vigil/logger';
import type { EventProducer } from './event-producer.ts';
import type { ProcessedEvents } from './processed-events.ts';

export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: IHeaders;
  log: Logger;
}

export type EventHandler = (event: VigilEvent, context: MessageContext) => Promise<void>;
export type TombstoneHandler = (key: string, context: MessageContext) => Promise<void>;

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  handle: EventHandler;
  /** Null-valued messages of compacted topics; ignored when absent. */
  handleTombstone?: TombstoneHandler;
  /** Producer used for the DLQ. */
  producer: EventProducer;
  log: Logger;
  processed?: ProcessedEvents;
  fromBeginning?: boolean;
  /**
   * Attempts per message, for failures that are neither transient nor permanent (a bug), before it goes to the DLQ
   * (first try included). Transient failures (a dependency down) are retried until they pass; permanent ones
   * (`PermanentHandlerError`) go to the DLQ at once.
   */
  maxAttempts?: number;
  retryBaseMs?: number;
  partitionsConsumedConcurrently?: number;
  /**
   * Messages of one partition in hand at once (default 32). Messages with the same key are always handled one after
   * the other, in offset order; different keys run concurrently. Kafka orders only by key (keys hash to partitions),
   * so this keeps every ordering a handler can rely on.
   */
  concurrencyPerPartition?: number;
  sessionTimeoutMs?: number;
  /**
   * How often handled offsets are committed (default 500 ms with `processed`, else after every batch). A commit per
   * batch was the broker's largest cost under load; a stop or crash replays what was handled since the last commit,
   * which `processed` absorbs.
   */
  commitIntervalMs?: number;
  /** After each batch: how many messages of the partition are still behind its high watermark. */
  onLag?: (topic: string, partition: number, lag: number) => void;
  /**
   * Topics whose handled offsets are committed after every batch whatever commitIntervalMs says: writers of these
   * topics wait for this group's committed offset before they answer (read-your-writes, CONTRACT §2).
   */
  commitAtOnce?: readonly string[];
  /** A handler keeps failing for a transient reason (true) or has recovered (false): readiness and metrics. */
  onRetrying?: (retrying: boolean) => void;
}

export interface RunningConsumer {
  readonly groupId: string;
  /** Settles once the consumer has joined its group (after a crash, only when the dead member was evicted). */
  readonly joined: Promise<void>;
  /** Finishes the message in hand, commits what was handled, and leaves the group. */
  stop(): Promise<void>;
}
