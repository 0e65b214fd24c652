import type { OutboundMessage } from '@vigil/kafka';
import type { EventMeter } from './metered-event-sink.ts';

/** The message an outbox stream entry holds in its fields (`t` topic, `k` key, `v` value, `h` headers as JSON). */
export function fromFields(fields: string[]): OutboundMessage {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  return {
    topic: map.get('t') ?? '',
    key: map.get('k') ?? '',
    value: map.get('v') ?? null,
    headers: JSON.parse(map.get('h') ?? '{}') as Record<string, string>,
  };
}

/** Metrics for a stored message: its type and data, read back from the encoded event. */
export function meterRaw(observe: EventMeter, message: OutboundMessage): void {
  if (message.value === null) return;
  try {
    const event = JSON.parse(message.value) as { type: never; data: never };
    observe(event.type, event.data);
  } catch {
    // Not ours to judge here: the relay publishes bytes as they were stored.
  }
}
