/** An event that does not match its schema: a bug in the producing code, never retried. */
export class EventSchemaError extends Error {
  readonly code = 'event_schema_violation';
  constructor(detail: string) {
    super(detail);
    this.name = 'EventSchemaError';
  }
}

/**
 * Thrown by a handler for a message that can never succeed (it refers to something impossible): the runner sends it
 * to the DLQ at once instead of retrying.
 */
export class PermanentHandlerError extends Error {
  readonly code = 'permanent_handler_error';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'PermanentHandlerError';
  }
}

/**
 * A write is durable and published, but a service that acts on it has not applied it in time (CONTRACT §2: the
 * writer answers 503 rather than success over a change others cannot see yet; a repeat converges).
 */
export class ReadersBehindError extends Error {
  readonly code = 'unavailable';
  readonly transient = true;
  readonly behind: readonly string[];
  constructor(behind: readonly string[]) {
    super(`readers have not applied the change yet: ${behind.slice(0, 3).join('; ')}`);
    this.name = 'ReadersBehindError';
    this.behind = behind;
  }
}

/**
 * A change is stored with its event in an outbox, but the event is not on Kafka yet (Kafka unreachable). The change
 * stands and will be announced; the caller answers 503 and its repeat converges (CONTRACT §2).
 */
export class EventsPendingError extends Error {
  readonly code = 'unavailable';
  readonly transient = true;
  constructor(cause: unknown) {
    super(`the change is stored, but Kafka has not acknowledged its events yet: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'EventsPendingError';
  }
}

// Refusals no retry cures: the principal may not write the topic, or the record can never be accepted.
const PERMANENT_SEND_FAILURE = /AUTHORIZATION_FAILED|MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE|INVALID_RECORD|INVALID_TOPIC/;

function isPermanentSendFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const failure = error as { name?: unknown; type?: unknown; cause?: unknown };
  if (failure.name === 'KafkaJSSASLAuthenticationError') return true;
  if (typeof failure.type === 'string' && PERMANENT_SEND_FAILURE.test(failure.type)) return true;
  return isPermanentSendFailure(failure.cause, depth + 1);
}

/**
 * Kafka did not take an event that was sent without an outbox. kafkajs marks some failures after a broker restart
 * non-retriable (an idempotent producer's OUT_OF_ORDER_SEQUENCE_NUMBER, UNKNOWN_PRODUCER_ID), yet the producer is
 * replaced after any failed send and the next one passes: for the caller it is an outage (503, safe to repeat; a
 * handler is retried). Refusals no retry cures (authorization, a record too large) stay permanent.
 */
export class EventsNotPublishedError extends Error {
  readonly transient: boolean;
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'EventsNotPublishedError';
    this.transient = !isPermanentSendFailure(cause);
  }
}
