import { describe, expect, it } from 'vitest';
import { EVENT_REGISTRY, EVENT_TYPES, decodeEvent, encodeEvent, validateEvent } from '@vigil/events';
import { sampleEvent } from '../src/index.ts';

// The samples every service's tests build on must themselves be valid: one per event type of CONTRACT §8.
describe('event samples', () => {
  it.each(EVENT_TYPES)('%s is schema-valid and round-trips through bytes', (type) => {
    const event = sampleEvent(type);
    expect(validateEvent(event)).toEqual({ ok: true, event });
    expect(decodeEvent(encodeEvent(event))).toEqual({ ok: true, event });
    const data = event.data as { tenantId: string; userId?: string };
    // A tenant's policy has no user: its subject (and key) is the tenant.
    expect(event.subject).toBe(data.userId === undefined ? data.tenantId : `${data.tenantId}:${data.userId}`);
    expect(EVENT_REGISTRY[type].topic).toMatch(/^vigil\..+\.v1$/);
  });
});
