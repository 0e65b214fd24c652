import { EventsPendingError } from '@vigil/kafka';
import { alertEvents, openedAlert, updatedAlert } from '../domain/alert.ts';
import type { Detection } from '../domain/detections.ts';
import type { FatigueAlert } from '../domain/ports.ts';
import type { AnomalyDeps } from './deps.ts';

export interface RaiseAlert {
  detection: Detection;
}

export interface RaisedAlert {
  alert: FatigueAlert;
  /**
   * False when the alert and its events are stored but Kafka has not acknowledged the events yet: the outbox relay
   * publishes them, so the event that raised it is handled (a retry would only repeat the update).
   */
  delivered: boolean;
}

type AlertWrite = Pick<AnomalyDeps, 'dedup' | 'alerts' | 'rules'>;

/**
 * Opens the alert of a detection, or updates it when a detection of the same key opened it within the dedup period
 * (on this instance or another). The alert and the suspension it opens are one write (CONTRACT §8): a retry after
 * any failure never loses the suspension.
 */
export async function raiseAlert(deps: AlertWrite, { detection }: RaiseAlert): Promise<RaisedAlert> {
  const claim = await deps.dedup.claim({ dedupKey: detection.dedupKey, ttlMs: deps.rules.dedupMs });
  const existing = claim.first ? null : await deps.alerts.find(claim.alertId);
  // The instance that claimed the key may have died before it stored the alert: open it here then.
  if (existing === null) {
    const opened = await open(deps, detection, claim.alertId);
    if (opened) return opened;
  }
  const current = existing ?? (await deps.alerts.find(claim.alertId));
  if (current === null) throw new Error(`alert ${claim.alertId} was stored by another try but cannot be found`);
  return update(deps, current, detection);
}

/** The opened alert, or null when another try stored it first (the caller updates it then). */
async function open(deps: AlertWrite, detection: Detection, alertId: string): Promise<RaisedAlert | null> {
  const alert = openedAlert(detection, alertId);
  try {
    const inserted = await deps.alerts.insert(alert, alertEvents(alert, detection));
    return inserted ? { alert, delivered: true } : null;
  } catch (error) {
    return undelivered(alert, error);
  }
}

async function update(deps: AlertWrite, current: FatigueAlert, detection: Detection): Promise<RaisedAlert> {
  const alert = updatedAlert(current, detection);
  try {
    await deps.alerts.update(alert, alertEvents(alert, detection));
    return { alert, delivered: true };
  } catch (error) {
    return undelivered(alert, error);
  }
}

/** EventsPendingError: the write and its events are stored, Kafka has not acknowledged them. Anything else propagates. */
function undelivered(alert: FatigueAlert, error: unknown): RaisedAlert {
  if (error instanceof EventsPendingError) return { alert, delivered: false };
  throw error;
}
