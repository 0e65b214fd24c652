/**
 * Failures that pass by themselves: a dependency (Redis, MongoDB, Kafka) unreachable or timing out. A handler that
 * fails this way is retried until it succeeds (CONTRACT §8): parking a valid event in the DLQ because Redis blinked
 * would lose what a user did. Recognised by name and code, since each client has its own error classes.
 */
const TRANSIENT_NAMES = new Set([
  // ioredis
  'MaxRetriesPerRequestError',
  // MongoDB driver
  'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoNotConnectedError', 'MongoTopologyClosedError',
  'MongoPoolClearedError', 'MongoWaitQueueTimeoutError',
  // mongoose, wrapping the driver's server selection
  'MongooseServerSelectionError',
  // kafkajs
  'KafkaJSConnectionError', 'KafkaJSRequestTimeoutError', 'KafkaJSNumberOfRetriesExceeded', 'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout', 'KafkaJSConnectionClosedError', 'KafkaJSTopicMetadataNotLoaded', 'KafkaJSMetadataNotLoaded',
  // ours
  'ReadersBehindError', 'EventsPendingError',
]);
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'NR_CLOSED']);
const TRANSIENT_MESSAGES = [
  // ioredis while disconnected
  /^Connection is closed/,
  /Stream isn't writeable/,
  /enableOfflineQueue/,
  // Redis replies that pass: loading its data, a busy script, a replica being promoted, a full disk for its AOF
  // (MISCONF), a cluster moving slots
  /^(LOADING|BUSY|READONLY|MISCONF|TRYAGAIN|CLUSTERDOWN|MASTERDOWN) /,
  /Topology is closed/,
  // mongoose while its connection is down: commands wait in its buffer, then fail with this
  /buffering timed out after/,
];
// MongoDB driver labels for what a retry may cure.
const TRANSIENT_LABELS = ['RetryableWriteError', 'ResetPool', 'TransientTransactionError'];

export function isTransientFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const failure = error as { name?: unknown; code?: unknown; message?: unknown; retriable?: unknown; transient?: unknown; cause?: unknown; errors?: unknown };
  if (failure.transient === true) return true;
  if (typeof failure.name === 'string' && TRANSIENT_NAMES.has(failure.name)) return true;
  if (typeof failure.code === 'string' && TRANSIENT_CODES.has(failure.code)) return true;
  // kafkajs marks what its own retries may cure.
  if (failure.retriable === true && typeof failure.name === 'string' && failure.name.startsWith('KafkaJS')) return true;
  if (typeof failure.message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(failure.message as string))) return true;
  const labels = (error as { errorLabelSet?: Set<string> }).errorLabelSet;
  if (labels instanceof Set && TRANSIENT_LABELS.some((label) => labels.has(label))) return true;
  if (Array.isArray(failure.errors) && failure.errors.some((inner) => isTransientFailure(inner, depth + 1))) return true;
  return isTransientFailure(failure.cause, depth + 1);
}
