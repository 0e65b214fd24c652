// SOC: the fatigue alerts, their history from GET /v1/alerts, then live from the console's SSE stream.
import { api, token } from './console-api.ts';
import { element } from './element.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (id: string, value: string) => void ($(id).textContent = value);

interface Alert { alertId: string; rule: string; severity: string; userId: string; tenantId: string; count: number; status: string; lastSeenAt: string; firstSeenAt: string; sourceIps: string[]; mitigation: { action?: string; until?: string } | null }
const alerts = new Map<string, Alert>();
const SEVERITY_COLOURS: Record<string, string> = { critical: '#b91c1c', high: '#ea580c', medium: '#ca8a04', low: '#64748b' };

function alertRow(alert: Alert): HTMLTableRowElement {
  const until = alert.mitigation?.until ? ` until ${new Date(alert.mitigation.until).toLocaleTimeString()}` : '';
  const cells = [
    new Date(alert.lastSeenAt).toLocaleTimeString(),
    element('span', { className: `sev-${alert.severity}` }, alert.severity),
    alert.rule, alert.userId, String(alert.count), alert.status, (alert.sourceIps ?? []).join(', '),
    alert.mitigation ? `${alert.mitigation.action ?? 'mitigated'}${until}` : '—',
  ];
  return element('tr', { data: { rule: alert.rule } }, ...cells.map((cell) => element('td', {}, cell)));
}

function renderAlerts(): void {
  const rows = [...alerts.values()].sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
  $('soc-rows').replaceChildren(...rows.map(alertRow));
  const times = rows.map((alert) => Date.parse(alert.lastSeenAt));
  const [first, last] = [Math.min(...times), Math.max(...times)];
  $('soc-timeline').replaceChildren(...rows.map((alert, i) => {
    const dot = element('span', { className: 'dot', title: `${alert.rule} ${alert.userId}` });
    // CSSOM, not a style attribute: the CSP allows no inline style markup.
    dot.style.left = `${last > first ? 3 + ((times[i] as number) - first) / (last - first) * 94 : 50}%`;
    dot.style.background = SEVERITY_COLOURS[alert.severity] ?? '#64748b';
    return dot;
  }));
}

export async function startSocView(): Promise<void> {
  const history = await api<{ alerts: Alert[] }>('GET', '/api/alerts?limit=50');
  for (const alert of history.body.alerts ?? []) alerts.set(alert.alertId, alert);
  renderAlerts();
  // EventSource cannot send a header: the stream takes the token as a query parameter.
  const stream = new EventSource(`/api/alerts/stream?token=${encodeURIComponent(token ?? '')}`);
  stream.addEventListener('open', () => { text('soc-live', 'live'); $('soc-live').classList.add('live'); });
  stream.addEventListener('error', () => { text('soc-live', 'reconnecting'); $('soc-live').classList.remove('live'); });
  stream.addEventListener('alert', (event) => {
    const alert = JSON.parse((event as MessageEvent<string>).data) as Alert;
    alerts.set(alert.alertId, alert);
    renderAlerts();
  });
}
