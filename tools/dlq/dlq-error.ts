/** Outcomes the CLI reports to the operator as they are, without a stack trace. */
export type DlqErrorCode = 'topic_missing' | 'read_timeout' | 'replay_running' | 'no_brokers';

export class DlqError extends Error {
  readonly code: DlqErrorCode;

  constructor(code: DlqErrorCode, message: string) {
    super(message);
    this.name = 'DlqError';
    this.code = code;
  }
}
