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
