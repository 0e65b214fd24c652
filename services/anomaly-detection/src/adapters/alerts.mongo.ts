import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Schema, type Connection } from 'mongoose';
import { detectionFinding } from '../domain/ocsf-finding.ts';
import type { AlertStore, FatigueAlert } from '../domain/ports.ts';
import { SEVERITY, updatedCount } from '../domain/rules.ts';

type AlertDoc = FatigueAlert & { _id: string };

const schema = new Schema<AlertDoc>({
  _id: String,
  alertId: String,
  tenantId: { type: String, required: true },
  userId: { type: String, required: true },
  rule: String,
  severity: String,
  status: String,
  count: Number,
  windowSeconds: Number,
  firstSeenAt: String,
  lastSeenAt: String,
  challengeIds: [String],
  sourceIps: [String],
  mitigation: { type: Schema.Types.Mixed, default: null },
  ocsf: { type: Schema.Types.Mixed, required: true },
}, { collection: 'alerts', versionKey: false, minimize: false }).index({ tenantId: 1, lastSeenAt: -1 }).index({ tenantId: 1, userId: 1, lastSeenAt: -1 });

const union = (a: string[], b: string[], max = 100) => [...new Set([...a, ...b])].slice(-max);

function toAlert(doc: AlertDoc): FatigueAlert {
  const { _id: _ignored, ...alert } = doc;
  return { ...alert, mitigation: alert.mitigation ?? null };
}

/**
 * Alerts in MongoDB (for GET /v1/alerts), deduplicated through Redis: SET NX on the dedup key decides, across
 * instances, which detection opens the alert; the others update it.
 */
export async function mongoAlertStore(connection: Connection, redis: Redis): Promise<AlertStore> {
  const Alerts = connection.model<AlertDoc>('Alert', schema);
  await Alerts.init();
  return {
    async record(detection, dedupKey, dedupMs) {
      const key = `anomaly:alert:${dedupKey}`;
      const alertId = randomUUID();
      const opened = (await redis.set(key, alertId, 'PX', dedupMs, 'NX')) === 'OK';
      const at = detection.at.toISOString();
      if (opened) {
        const alert: FatigueAlert = {
          tenantId: detection.tenantId, userId: detection.userId, alertId, rule: detection.rule, severity: SEVERITY[detection.rule],
          status: 'open', count: Math.max(1, detection.count), windowSeconds: Math.max(1, Math.round(detection.windowMs / 1000)),
          firstSeenAt: at, lastSeenAt: at, challengeIds: detection.challengeIds, sourceIps: detection.sourceIps, mitigation: detection.mitigation,
          ocsf: detectionFinding({ ...detection, alertId, severity: SEVERITY[detection.rule], status: 'open', count: Math.max(1, detection.count), firstSeenAt: detection.at, lastSeenAt: detection.at }),
        };
        await Alerts.create({ _id: alertId, ...alert });
        return alert;
      }
      const existingId = (await redis.get(key)) ?? alertId;
      const existing = await Alerts.findById(existingId).lean<AlertDoc>();
      if (existing === null) throw new Error(`alert ${existingId} is being opened by another instance`);
      const count = updatedCount(detection.rule, existing.count, detection.count);
      const lastSeenAt = existing.lastSeenAt > at ? existing.lastSeenAt : at;
      const updated = {
        status: 'updated' as const, count, lastSeenAt,
        challengeIds: union(existing.challengeIds, detection.challengeIds), sourceIps: union(existing.sourceIps, detection.sourceIps),
        mitigation: existing.mitigation ?? detection.mitigation,
      };
      const ocsf = detectionFinding({
        ...detection, ...updated, alertId: existing.alertId, severity: existing.severity, firstSeenAt: new Date(existing.firstSeenAt), lastSeenAt: new Date(lastSeenAt),
      });
      const doc = await Alerts.findOneAndUpdate({ _id: existing._id }, { $set: { ...updated, ocsf } }, { returnDocument: 'after' }).lean<AlertDoc>();
      return toAlert(doc ?? { ...existing, ...updated, ocsf });
    },
    async list(tenantId, filter) {
      const query: Record<string, unknown> = { tenantId };
      if (filter.userId) query['userId'] = filter.userId;
      if (filter.since) query['lastSeenAt'] = { $gte: filter.since.toISOString() };
      const docs = await Alerts.find(query).sort({ lastSeenAt: -1 }).limit(filter.limit).lean<AlertDoc[]>();
      return docs.map(toAlert);
    },
  };
}
