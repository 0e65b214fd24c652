import { randomUUID } from 'node:crypto';
import Type from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { EVENT_REGISTRY, isEventType, type EventData, type EventType } from './registry.ts';
import { Id, Timestamp } from './schemas/common.ts';

/** Kafka header value for structured-mode CloudEvents (CloudEvents Kafka binding §3.2). */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

/** CloudEvents 1.0 structured envelope around one Vigil event. */
export interface CloudEvent<T extends EventType = EventType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  time: string;
  /** `tenantId:userId`, the same as the message key. */
  subject: string;
  datacontenttype: 'application/json';
  data: EventData<T>;
}

/** Any Vigil event, discriminated by `type`: `switch (event.type)` narrows `data`. */
export type VigilEvent = { [T in EventType]: CloudEvent<T> }[EventType];

/**
 * The message key and subject: one user's events stay on one partition, in order. An event about a whole tenant (its
 * policy) has no user: its key is the tenant.
 */
export function eventKey(tenantId: string, userId?: string): string {
  return userId === undefined ? tenantId : `${tenantId}:${userId}`;
}

export interface CreateEventOptions {
  source: string;
  id?: string;
  time?: Date;
}

export function createEvent<T extends EventType>(type: T, data: EventData<T>, options: CreateEventOptions): CloudEvent<T> {
  const { tenantId, userId } = data as { tenantId: string; userId?: string };
  return {
    specversion: '1.0',
    id: options.id ?? randomUUID(),
    source: options.source,
    type,
    time: (options.time ?? new Date()).toISOString(),
    subject: eventKey(tenantId, userId),
    datacontenttype: 'application/json',
    data,
  };
}

const validators = new Map<EventType, Validator>();

// Compiled on first use and kept: compilation costs milliseconds, a check then costs microseconds.
function validatorFor(type: EventType): Validator {
  let validator = validators.get(type);
  if (validator === undefined) {
    validator = Compile(
      Type.Object({
        specversion: Type.Literal('1.0'),
        id: Id,
        source: Type.String({ minLength: 1 }),
        type: Type.Literal(type),
        time: Timestamp,
        subject: Type.String({ minLength: 1 }),
        datacontenttype: Type.Literal('application/json'),
        data: EVENT_REGISTRY[type].data,
      }),
    );
    validators.set(type, validator);
  }
  return validator;
}

export type ValidationResult = { ok: true; event: VigilEvent } | { ok: false; error: string };

/** Checks an already-parsed value against the envelope and its type's data schema. */
export function validateEvent(value: unknown): ValidationResult {
  if (typeof value !== 'object' || value === null) return { ok: false, error: 'event is not a JSON object' };
  const type = (value as { type?: unknown }).type;
  if (!isEventType(type)) return { ok: false, error: `unknown event type ${JSON.stringify(type)}` };
  const validator = validatorFor(type);
  if (validator.Check(value)) {
    const event = value as VigilEvent;
    const { tenantId, userId } = event.data as { tenantId: string; userId?: string };
    if (event.subject !== eventKey(tenantId, userId)) {
      return { ok: false, error: `subject ${event.subject} does not name the event's tenant and user` };
    }
    return { ok: true, event };
  }
  const errors = validator.Errors(value).slice(0, 5).map((error) => `${error.instancePath || '/'} ${error.message}`);
  return { ok: false, error: `${type} is invalid: ${errors.join('; ')}` };
}

/** Parses and validates the bytes of a structured-mode message. */
export function decodeEvent(bytes: Uint8Array | string): ValidationResult {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  return validateEvent(value);
}

export function encodeEvent(event: VigilEvent | CloudEvent): Buffer {
  return Buffer.from(JSON.stringify(event), 'utf8');
}

/** Fields that tie a log line to the event it is about (never the event's data: it may hold personal context). */
export function eventLoggerFields(event: VigilEvent): { eventId: string; eventType: string; subject: string } {
  return { eventId: event.id, eventType: event.type, subject: event.subject };
}
