import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Schema, type Connection, type Model } from 'mongoose';
import { outboxFields, type MongoOutbox, type WithOutbox } from '@vigil/runtime';
import { detectionFinding } from '../domain/ocsf-finding.ts';
import type { Announce, AlertStore, Detection, FatigueAlert } from '../domain/ports.ts';
import { SEVERITY, updatedCount } from '../domain/rules.ts';

type AlertDoc = FatigueAlert & WithOutbox & { _id: string };

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
  ...outboxFields,
}, { collection: 'alerts', versionKey: false, minimize: false }).index({ tenantId: 1, lastSeenAt: -1 }).index({ tenantId: 1, userId: 1, lastSeenAt: -1 })
  .index({ 'outbox.at': 1 });

const union = (a: string[], b: string[], max = 100) => [...new Set([...a, ...b])].slice(-max);

function toAlert(doc: AlertDoc): FatigueAlert {
  const { _id: _ignored, outbox: _pending, ...alert } = doc;
  return { ...alert, mitigation: alert.mitigation ?? null };
}

/**
 * Alerts in MongoDB (for GET /v1/alerts), deduplicated through Redis: SET NX on the dedup key decides, across
 * instances, which detection opens the alert; the others update it. Each write of an alert carries the events that
 * announce it (the alert, and the mitigation it opens) in the same single-document update (CONTRACT §8): a retry after
 * any failure finds them stored, and the outbox relay publishes what was not delivered.
 */
export async function mongoAlertStore(connection: Connection, redis: Redis, outbox: MongoOutbox): Promise<AlertStore & { model: Model<AlertDoc> }> {
  const Alerts = connection.model<AlertDoc>('Alert', schema);
  await Alerts.init();
  const model = Alerts as unknown as Model<WithOutbox & { _id: string }>;

  const open = async (detection: Detection, alertId: string, announce: Announce): Promise<FatigueAlert | null> => {
    const at = detection.at.toISOString();
    const count = Math.max(1, detection.count);
    const alert: FatigueAlert = {
      tenantId: detection.tenantId, userId: detection.userId, alertId, rule: detection.rule, severity: SEVERITY[detection.rule],
      status: 'open', count, windowSeconds: Math.max(1, Math.round(detection.windowMs / 1000)),
      firstSeenAt: detection.firstSeenAt.toISOString(), lastSeenAt: at, challengeIds: detection.challengeIds, sourceIps: detection.sourceIps, mitigation: detection.mitigation,
      ocsf: detectionFinding({ ...detection, alertId, severity: SEVERITY[detection.rule], status: 'open', count, firstSeenAt: detection.firstSeenAt, lastSeenAt: detection.at }),
    };
    const entries = outbox.prepare(...announce(alert));
    const pushed = outbox.push(entries);
    // Upsert: of a retry and the first try (or two instances), one inserts; the other updates instead.
    const result = await Alerts.updateOne({ _id: alertId }, { $setOnInsert: { ...alert, outbox: pushed.$push.outbox.$each } }, { upsert: true });
    if (result.upsertedCount !== 1) return null;
    await outbox.deliver(model, alertId, entries);
    return alert;
  };

  return {
    model: Alerts,
    async record(detection, dedupKey, dedupMs, announce) {
      const key = `anomaly:alert:${dedupKey}`;
      const fresh = randomUUID();
      const opened = (await redis.set(key, fresh, 'PX', dedupMs, 'NX')) === 'OK';
      const alertId = opened ? fresh : ((await redis.get(key)) ?? fresh);
      const existing = opened ? null : await Alerts.findById(alertId).lean<AlertDoc>();
      // The instance that opened it may have died before writing it: open it here then.
      if (existing === null) {
        const created = await open(detection, alertId, announce);
        if (created) return created;
      }
      const current = existing ?? (await Alerts.findById(alertId).lean<AlertDoc>());
      if (current === null) throw new Error(`alert ${alertId} vanished`);
      const at = detection.at.toISOString();
      const count = updatedCount(detection.rule, current.count, detection.count);
      const lastSeenAt = current.lastSeenAt > at ? current.lastSeenAt : at;
      // An event that arrives late may be older than what the alert saw first.
      const first = detection.firstSeenAt.toISOString();
      const firstSeenAt = current.firstSeenAt < first ? current.firstSeenAt : first;
      const updated = {
        status: 'updated' as const, count, firstSeenAt, lastSeenAt,
        challengeIds: union(current.challengeIds, detection.challengeIds), sourceIps: union(current.sourceIps, detection.sourceIps),
        mitigation: current.mitigation ?? detection.mitigation,
      };
      const ocsf = detectionFinding({
        ...detection, ...updated, alertId: current.alertId, severity: current.severity, firstSeenAt: new Date(firstSeenAt), lastSeenAt: new Date(lastSeenAt),
      });
      const alert = toAlert({ ...current, ...updated, ocsf });
      const entries = outbox.prepare(...announce(alert));
      const pushed = outbox.push(entries);
      await Alerts.updateOne({ _id: current._id }, { $set: { ...updated, ocsf }, $push: pushed.$push });
      await outbox.deliver(model, current._id, entries);
      return alert;
    },
    async list(tenantId, filter) {
      const query: Record<string, unknown> = { tenantId };
      if (filter.userId) query['userId'] = filter.userId;
      if (filter.since) query['lastSeenAt'] = { $gte: filter.since.toISOString() };
      const docs = await Alerts.find(query, { outbox: 0 }).sort({ lastSeenAt: -1 }).limit(filter.limit).lean<AlertDoc[]>();
      return docs.map(toAlert);
    },
  };
}
