import type { AlertQuery, FatigueAlert } from '../domain/ports.ts';
import type { AnomalyDeps } from './deps.ts';

export type ListAlerts = AlertQuery;

export interface AlertList {
  alerts: FatigueAlert[];
}

/** CONTRACT §7: a tenant's alerts for SOC tooling, newest first. */
export async function listAlerts(deps: Pick<AnomalyDeps, 'alerts'>, command: ListAlerts): Promise<AlertList> {
  return { alerts: await deps.alerts.list(command) };
}
