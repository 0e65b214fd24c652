import { Counter, Histogram, type Registry } from 'prom-client';
import type { EventData, EventSink, EventType } from '@vigil/events';

/**
 * Domain metrics from what a service publishes: every outcome worth a dashboard is already an event, so counting
 * at the sink keeps the use cases free of metrics code and the counts equal to what reached Kafka.
 */
export function meteredEventSink(sink: EventSink, registry: Registry): EventSink {
  const observe = eventMeter(registry);
  return {
    async emit(type, data) {
      await sink.emit(type, data);
      observe(type, data);
    },
  };
}

/** Counts one published event into the domain metrics of `registry` (one meter per registry). */
export type EventMeter = <T extends EventType>(type: T, data: EventData<T>) => void;

const meters = new WeakMap<Registry, EventMeter>();

export function eventMeter(registry: Registry): EventMeter {
  const existing = meters.get(registry);
  if (existing) return existing;
  const observe = newMeter(registry);
  meters.set(registry, observe);
  return observe;
}

function newMeter(registry: Registry): EventMeter {
  const registers = [registry];
  const published = new Counter({ name: 'vigil_events_published_total', help: 'Events published, by type', labelNames: ['type'] as const, registers });
  const outcomes = new Counter({ name: 'vigil_challenge_outcomes_total', help: 'Challenges that reached a terminal state, by status and reason', labelNames: ['status', 'reason'] as const, registers });
  const throttled = new Counter({ name: 'vigil_push_throttled_total', help: 'Push challenges refused by the burst gate, by rule', labelNames: ['rule'] as const, registers });
  const created = new Counter({ name: 'vigil_challenges_created_total', help: 'Challenges created, by delivery (push or quiet) and the reason a challenge was quiet', labelNames: ['delivery', 'reason'] as const, registers });
  const pushSend = new Histogram({
    name: 'vigil_push_send_seconds',
    help: 'From challenge creation to FCM\'s final answer, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const rejections = new Counter({ name: 'vigil_device_rejections_total', help: 'Device requests refused (signatures, replays, wrong device, late answers), by reason', labelNames: ['reason'] as const, registers });
  const alerts = new Counter({ name: 'vigil_fatigue_alerts_total', help: 'Fatigue alerts published (opened or updated), by rule and severity', labelNames: ['rule', 'severity'] as const, registers });
  const totp = new Counter({ name: 'vigil_totp_verifications_total', help: 'TOTP verifications, by result', labelNames: ['result'] as const, registers });

  const observe = <T extends EventType>(type: T, data: EventData<T>): void => {
    published.inc({ type });
    const fields = data as Record<string, unknown>;
    switch (type) {
      case 'vigil.challenge.approved': outcomes.inc({ status: 'approved', reason: '' }); break;
      case 'vigil.challenge.denied': outcomes.inc({ status: 'denied', reason: String(fields['reason']) }); break;
      case 'vigil.challenge.reported': outcomes.inc({ status: 'reported', reason: '' }); break;
      case 'vigil.challenge.expired': outcomes.inc({ status: 'expired', reason: '' }); break;
      case 'vigil.challenge.cancelled': outcomes.inc({ status: 'cancelled', reason: '' }); break;
      case 'vigil.challenge.throttled': throttled.inc({ rule: String(fields['rule']) }); break;
      case 'vigil.challenge.created': created.inc({ delivery: String(fields['delivery'] ?? 'push'), reason: String(fields['quietReason'] ?? '') }); break;
      case 'vigil.notification.sent': pushSend.observe({ outcome: 'sent' }, Number(fields['latencyMs']) / 1000); break;
      case 'vigil.notification.failed': pushSend.observe({ outcome: 'failed' }, Number(fields['latencyMs']) / 1000); break;
      case 'vigil.response.rejected': rejections.inc({ reason: String(fields['reason']) }); break;
      case 'vigil.fatigue.alert': alerts.inc({ rule: String(fields['rule']), severity: String(fields['severity']) }); break;
      case 'vigil.totp.verified': totp.inc({ result: 'valid' }); break;
      case 'vigil.totp.failed': totp.inc({ result: String(fields['reason']) }); break;
      default: break;
    }
  };

  return observe;
}
