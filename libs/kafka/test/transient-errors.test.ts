import { describe, expect, it } from 'vitest';
import { EventsNotPublishedError, EventsPendingError, PermanentHandlerError, ReadersBehindError, isTransientFailure } from '../src/index.ts';

const named = (name: string, message = 'x', extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, ...extra });

describe('transient failures (retried until they pass, answered 503)', () => {
  it('recognises dependency outages of each client', () => {
    for (const error of [
      named('MaxRetriesPerRequestError'),
      named('Error', "Stream isn't writeable and enableOfflineQueue options is false"),
      named('Error', 'Connection is closed.'),
      named('Error', 'connect ECONNREFUSED 127.0.0.1:6379', { code: 'ECONNREFUSED' }),
      named('MongoServerSelectionError'),
      named('MongoNetworkError'),
      named('KafkaJSConnectionError'),
      named('KafkaJSNumberOfRetriesExceeded'),
      named('KafkaJSProtocolError', 'NOT_LEADER', { retriable: true }),
      new EventsPendingError(new Error('broker down')),
      new ReadersBehindError(['challenge vigil.factors.v1[0] at 3 < 4']),
      named('Error', 'wrapped', { cause: named('MongoNetworkError') }),
      named('ReplyError', 'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk'),
      named('ReplyError', 'READONLY You can\'t write against a read only replica.'),
      named('MongoServerError', 'not primary', { errorLabelSet: new Set(['RetryableWriteError']) }),
      named('MongooseServerSelectionError', 'connect ECONNREFUSED'),
      // After a broker restart kafkajs calls an idempotent producer's sequence errors non-retriable; a new producer cures them.
      new EventsNotPublishedError(named('KafkaJSNonRetriableError', 'OUT_OF_ORDER_SEQUENCE_NUMBER', {
        retriable: false, cause: named('KafkaJSProtocolError', 'out of order', { type: 'OUT_OF_ORDER_SEQUENCE_NUMBER', retriable: false }),
      })),
      named('MongooseError', 'Operation `alerts.find()` buffering timed out after 10000ms'),
    ]) expect(isTransientFailure(error), `${error.name}: ${error.message}`).toBe(true);
  });

  it('does not take bugs or refusals for outages', () => {
    for (const error of [
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      new PermanentHandlerError('impossible'),
      named('KafkaJSProtocolError', 'TOPIC_AUTHORIZATION_FAILED', { retriable: false }),
      new EventsNotPublishedError(named('KafkaJSProtocolError', 'Not authorized to access topics', { type: 'TOPIC_AUTHORIZATION_FAILED', retriable: false })),
      new EventsNotPublishedError(named('KafkaJSNonRetriableError', 'too large', { cause: named('KafkaJSProtocolError', 'x', { type: 'MESSAGE_TOO_LARGE' }) })),
      named('MongoServerError', 'E11000 duplicate key'),
      named('ReplyError', 'ERR wrong number of arguments'),
      named('Error', 'the connection to the mail server closed'),
      'a string',
      null,
    ]) expect(isTransientFailure(error), String(error)).toBe(false);
  });
});
