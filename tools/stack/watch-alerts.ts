// `npm run alerts -- [--user ID] [--count N]`: prints fatigue alerts as they arrive on vigil.fatigue-alerts.v1 (the
// SOC topic), from the broker of the running local stack. Exits after --count alerts when given.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TOPICS, decodeEvent } from '@vigil/events';
import { createKafka, kafkaSecurityFromEnv } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';

const { values } = parseArgs({ options: { user: { type: 'string' }, count: { type: 'string' }, 'from-beginning': { type: 'boolean', default: true } } });
const stateDir = resolve(process.env['VIGIL_STATE_DIR'] ?? join(process.cwd(), '.vigil'));
const stack = JSON.parse(readFileSync(join(stateDir, 'stack.json'), 'utf8')) as { kafkaBrokers: string };
const kafka = createKafka({ brokers: stack.kafkaBrokers.split(','), clientId: 'vigil-alert-watcher', log: createLogger({ name: 'alerts', level: 'error' }), config: kafkaSecurityFromEnv() });
const consumer = kafka.consumer({ groupId: `vigil-alert-watcher-${randomUUID()}` });
const limit = values.count ? Number(values.count) : Number.POSITIVE_INFINITY;
let printed = 0;

await consumer.connect();
await consumer.subscribe({ topic: TOPICS.fatigueAlerts, fromBeginning: values['from-beginning'] ?? true });
await new Promise<void>((done) => {
  void consumer.run({
    eachMessage: async ({ message }) => {
      const decoded = message.value && decodeEvent(message.value);
      if (!decoded || !decoded.ok || decoded.event.type !== 'vigil.fatigue.alert') return;
      const alert = decoded.event.data;
      if (values.user && alert.userId !== values.user) return;
      process.stdout.write(`${alert.lastSeenAt}  ${alert.severity.toUpperCase()}  ${alert.rule}  ${alert.tenantId}/${alert.userId}  count=${alert.count}  ${alert.status}${alert.mitigation ? `  push suspended until ${alert.mitigation.until}` : ''}\n`);
      printed += 1;
      if (printed >= limit) done();
    },
  });
  process.once('SIGINT', () => done());
});
await consumer.disconnect();
