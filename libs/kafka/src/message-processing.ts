import type { KafkaMessage } from 'kafkajs';
import { context as otelContext } from '@opentelemetry/api';
import { decodeEvent, eventLoggerFields, provenanceProblem, type VigilEvent } from '@vigil/events';
import type { Logger } from '@vigil/logger';
import type { MessageContext, TombstoneHandler } from './consumer-options.ts';
import type { RetryingHandler } from './handler-retries.ts';
import type { BatchControl, MessagePlace, Outcome } from './message-outcome.ts';
import type { ProcessedEvents } from './processed-events.ts';
import { endSpan, startProcessSpan } from './trace-headers.ts';

export interface ProcessingSettings {
  handle: RetryingHandler;
  handleTombstone?: TombstoneHandler | undefined;
  processed?: ProcessedEvents | undefined;
  log: Logger;
}

export type MessageProcessor = (place: MessagePlace, message: KafkaMessage, batch: BatchControl) => Promise<Outcome>;

/** The context a handler sees; the child logger is made on first use. */
function lazyContext(base: Omit<MessageContext, 'log'>, event: VigilEvent, log: Logger): MessageContext {
  // pino serialises (and redacts) bindings at child(), a cost per message that showed in profiles although handlers
  // log only on trouble.
  let eventLog: Logger | undefined;
  return { ...base, get log() {
    eventLog ??= log.child(eventLoggerFields(event));
    return eventLog;
  } };
}

/** validate → dedupe → handle (with retries) → remember as processed. */
export function messageProcessor(settings: ProcessingSettings): MessageProcessor {
  const { log, processed } = settings;
  return async ({ topic, partition }, message, batch) => {
    const key = message.key?.toString('utf8') ?? null;
    const base = { topic, partition, offset: message.offset, key, headers: message.headers ?? {} };
    if (message.value === null) {
      if (key !== null && settings.handleTombstone) await settings.handleTombstone(key, { ...base, log });
      return { kind: 'handled' };
    }
    const decoded = decodeEvent(message.value);
    if (!decoded.ok) return { kind: 'dead', reason: 'invalid', error: decoded.error };
    const event = decoded.event;
    const misplaced = provenanceProblem(event, topic);
    if (misplaced !== null) return { kind: 'dead', reason: 'provenance', error: misplaced };
    const context = lazyContext(base, event, log);
    if (processed && (await processed.has(event.id))) return { kind: 'duplicate' };
    // The handler runs in the producer's trace: what it publishes or calls carries the same trace onward.
    const trace = startProcessSpan(topic, partition, message.headers ?? {});
    trace.span.setAttribute('cloudevents.event_type', event.type);
    const outcome = await otelContext.with(trace.context, () => settings.handle(event, context, batch));
    endSpan(trace.span, outcome.kind === 'dead' ? outcome.error : undefined);
    if (outcome.kind === 'handled') await processed?.add(event.id);
    return outcome;
  };
}
