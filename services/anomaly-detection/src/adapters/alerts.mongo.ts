import { Schema, type Connection, type Model } from 'mongoose';
import { outboxFields, type MongoOutbox, type WithOutbox } from '@vigil/runtime';
import type { AlertStore, FatigueAlert } from '../domain/ports.ts';

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

function toAlert(doc: AlertDoc): FatigueAlert {
  const { _id: _ignored, outbox: _pending, ...alert } = doc;
  return { ...alert, mitigation: alert.mitigation ?? null };
}

/**
 * Alerts in MongoDB, one document per alert (`_id` is the alert id). Each write of an alert carries the events that
 * announce it in the same single-document update (CONTRACT §8): a retry after any failure finds them stored, and the
 * outbox relay publishes what was not delivered.
 */
export async function mongoAlertStore(connection: Connection, outbox: MongoOutbox): Promise<AlertStore & { model: Model<AlertDoc> }> {
  const Alerts = connection.model<AlertDoc>('Alert', schema);
  await Alerts.init();
  const model = Alerts as unknown as Model<WithOutbox & { _id: string }>;

  return {
    model: Alerts,
    async insert(alert, events) {
      const entries = outbox.prepare(...events);
      // Upsert: of a retry and the first try (or two instances), one inserts; the other is told it did not.
      const result = await Alerts.updateOne({ _id: alert.alertId }, { $setOnInsert: { ...alert, outbox: outbox.push(entries).$push.outbox.$each } }, { upsert: true });
      if (result.upsertedCount !== 1) return false;
      await outbox.deliver(model, alert.alertId, entries);
      return true;
    },
    async find(alertId) {
      const doc = await Alerts.findById(alertId).lean<AlertDoc>();
      return doc === null ? null : toAlert(doc);
    },
    async update(alert, events) {
      const entries = outbox.prepare(...events);
      await Alerts.updateOne({ _id: alert.alertId }, { $set: alert, $push: outbox.push(entries).$push });
      await outbox.deliver(model, alert.alertId, entries);
    },
    async list({ tenantId, userId, since, limit }) {
      const query: Record<string, unknown> = { tenantId };
      if (userId) query['userId'] = userId;
      if (since) query['lastSeenAt'] = { $gte: since.toISOString() };
      const docs = await Alerts.find(query, { outbox: 0 }).sort({ lastSeenAt: -1 }).limit(limit).lean<AlertDoc[]>();
      return docs.map(toAlert);
    },
  };
}
