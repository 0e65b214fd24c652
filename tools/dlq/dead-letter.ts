// A dead letter as the consumer runner (libs/kafka, ADR 0004) parks it on `<topic>.dlq`: the original key, value and
// headers, plus headers saying where the message came from and why it died. Pure: no Kafka client here.
import { dlqTopic } from '@vigil/events';

export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type Headers = Record<string, HeaderValue>;

/** The part of a kafkajs KafkaMessage a dead letter needs (a KafkaMessage fits it). */
export interface RawMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  headers?: Headers;
}

/** Headers the runner adds when it parks a message; a replay removes them so the original message goes back. */
export const DEAD_LETTER_HEADERS: readonly string[] = [
  'error',
  'error-kind',
  'original-topic',
  'original-partition',
  'original-offset',
  'original-timestamp',
  'consumer-group',
];

const DLQ_SUFFIX = dlqTopic('');

export interface DeadLetter {
  dlqTopic: string;
  dlqPartition: number;
  dlqOffset: bigint;
  /** Always the topic the DLQ belongs to (see `originalMessage`); `originalTopicHeader` is what the header says. */
  originalTopic: string;
  originalTopicHeader: string | null;
  originalPartition: number | null;
  originalOffset: string | null;
  originalTimestamp: string | null;
  consumerGroup: string | null;
  errorKind: string | null;
  error: string | null;
  /** From the CloudEvent JSON of the value when it parses; an invalid letter may have neither. */
  eventType: string | null;
  eventId: string | null;
  key: Buffer | null;
  value: Buffer | null;
  headers: Headers;
}

/** `vigil.challenges.v1` and `vigil.challenges.v1.dlq` both name the DLQ of `vigil.challenges.v1`. */
export function topicPair(topic: string): { topic: string; dlqTopic: string } {
  const main = topic.endsWith(DLQ_SUFFIX) ? topic.slice(0, -DLQ_SUFFIX.length) : topic;
  return { topic: main, dlqTopic: dlqTopic(main) };
}

function headerText(headers: Headers, name: string): string | null {
  const raw = headers[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first === undefined) return null;
  return typeof first === 'string' ? first : first.toString('utf8');
}

function eventIdentity(value: Buffer | null): { eventType: string | null; eventId: string | null } {
  if (!value) return { eventType: null, eventId: null };
  try {
    const parsed = JSON.parse(value.toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return { eventType: null, eventId: null };
    const { type, id } = parsed as { type?: unknown; id?: unknown };
    return { eventType: typeof type === 'string' ? type : null, eventId: typeof id === 'string' ? id : null };
  } catch {
    return { eventType: null, eventId: null };
  }
}

function integerOrNull(text: string | null): number | null {
  return text !== null && /^\d+$/.test(text) ? Number(text) : null;
}

export function parseDeadLetter(dlq: string, partition: number, message: RawMessage): DeadLetter {
  const headers = message.headers ?? {};
  return {
    dlqTopic: dlq,
    dlqPartition: partition,
    dlqOffset: BigInt(message.offset),
    originalTopic: topicPair(dlq).topic,
    originalTopicHeader: headerText(headers, 'original-topic'),
    originalPartition: integerOrNull(headerText(headers, 'original-partition')),
    originalOffset: headerText(headers, 'original-offset'),
    originalTimestamp: headerText(headers, 'original-timestamp'),
    consumerGroup: headerText(headers, 'consumer-group'),
    errorKind: headerText(headers, 'error-kind'),
    error: headerText(headers, 'error'),
    ...eventIdentity(message.value),
    key: message.key,
    value: message.value,
    headers,
  };
}

/**
 * The message as it was before it died: same key, same value bytes, its own headers (traceparent, content-type)
 * without the ones the runner added. It goes back to the topic the DLQ belongs to, whatever its headers say: whoever
 * can write a DLQ must not be able to steer a replay into another service's topic.
 */
export function originalMessage(letter: DeadLetter): { topic: string; key: Buffer | null; value: Buffer | null; headers: Headers } {
  const headers = Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !DEAD_LETTER_HEADERS.includes(name)));
  return { topic: letter.originalTopic, key: letter.key, value: letter.value, headers };
}

/**
 * Every consumer group that failed on a message parks its own copy (ADR 0004); re-publishing the message once is
 * enough, since it reaches every group again. Letters without original coordinates are never merged.
 */
export function originalMessageId(letter: DeadLetter): string | null {
  if (letter.originalPartition === null || letter.originalOffset === null) return null;
  return `${letter.originalTopic}/${letter.originalPartition}@${letter.originalOffset}`;
}

const ERROR_WIDTH = 100;

function shorten(text: string, width: number): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** One line for a person. Never the value: a letter of vigil.factors.v1 carries push tokens. */
export function formatDeadLetter(letter: DeadLetter, replayed: boolean): string {
  const origin = `${letter.originalTopicHeader ?? letter.originalTopic}/${letter.originalPartition ?? '?'}@${letter.originalOffset ?? '?'}`;
  const event = letter.eventType ? `${letter.eventType} id=${letter.eventId ?? '?'}` : 'not a CloudEvent';
  return [
    `${letter.dlqPartition}:${letter.dlqOffset}`,
    replayed ? 'replayed' : 'pending ',
    origin,
    `group=${letter.consumerGroup ?? '?'}`,
    `kind=${letter.errorKind ?? '?'}`,
    event,
    `error=${JSON.stringify(shorten(letter.error ?? '', ERROR_WIDTH))}`,
  ].join('  ');
}

/** One JSON line for a machine: the whole error, the key, still never the value. */
export function deadLetterJson(letter: DeadLetter, replayed: boolean): Record<string, unknown> {
  return {
    dlqTopic: letter.dlqTopic,
    dlqPartition: letter.dlqPartition,
    dlqOffset: letter.dlqOffset.toString(),
    originalTopic: letter.originalTopicHeader ?? letter.originalTopic,
    originalPartition: letter.originalPartition,
    originalOffset: letter.originalOffset,
    originalTimestamp: letter.originalTimestamp,
    consumerGroup: letter.consumerGroup,
    errorKind: letter.errorKind,
    error: letter.error,
    eventType: letter.eventType,
    eventId: letter.eventId,
    key: letter.key?.toString('utf8') ?? null,
    replayed,
  };
}
