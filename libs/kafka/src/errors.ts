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
