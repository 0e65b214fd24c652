// `npm run dlq -- list <topic>` and `npm run dlq -- replay <topic>`: the dead letters of a topic (CONTRACT §8), and
// re-publishing them after a fix. Brokers: KAFKA_BROKERS, else .vigil/stack.json of the running `npm start`.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createKafka, kafkaSecurityFromEnv } from '@vigil/kafka';
import { createLogger, logProcessWarnings } from '@vigil/logger';
import { deadLetterJson, formatDeadLetter } from './dead-letter.ts';
import { DlqError } from './dlq-error.ts';
import { listDeadLetters } from './list-dead-letters.ts';
import { REPLAY_GROUP } from './replay-marks.ts';
import { replayDeadLetters, type ReplayResult } from './replay-dead-letters.ts';

const USAGE = `usage:
  npm run dlq -- list <topic> [--json]
  npm run dlq -- replay <topic> [--group <consumer-group>] [--dry-run]

<topic> is a topic of CONTRACT §8 or its DLQ: vigil.challenges.v1 and vigil.challenges.v1.dlq are the same.

list     one line per dead letter: DLQ partition:offset, replayed or pending, original topic/partition@offset,
         the consumer group that parked it, the error kind (invalid, provenance or failed), the event type and id, the error.
         --json prints one JSON object per line instead (never the message value: it can carry push tokens).
replay   re-publishes every pending dead letter to its original topic with its original key, value and headers
         (without the error, error-kind, original-* and consumer-group headers), idempotent and acks=all, then
         marks them replayed: the offset of consumer group ${REPLAY_GROUP} on the DLQ topic, committed once Kafka
         has acknowledged them. A second replay publishes nothing new.
         --group G   only the letters parked by consumer group G (marked in ${REPLAY_GROUP}.G).
         --dry-run   show what would be replayed; publish and mark nothing.
         Each letter is first checked against its original: the message at the topic, partition and offset its
         headers name must have the same key and value. Letters that fail (planted in the DLQ by a service that may
         write it, or compacted or expired away since) are not published, and are marked like the others.
         --unverified publishes those too (an operator who checked them by hand).
         A replayed message reaches every consumer group of the topic, not only the one that failed on it. That is
         harmless: consumers drop an event whose CloudEvents id they have handled already (ids are remembered for a
         day; older events are handled again, which every handler tolerates). A message parked by several groups is
         published once.

options  --timeout <seconds>  give up reading the DLQ after this long (default 30).
brokers  KAFKA_BROKERS (comma list), else .vigil/stack.json written by \`npm start\` (VIGIL_STATE_DIR moves it).
         LOG_LEVEL=warn prints kafkajs' own log to stderr.`;

const root = resolve(import.meta.dirname, '../..');
/** Beyond --timeout: connecting, the replay group's commit and the produce requests. */
const GRACE_SECONDS = 60;

function brokers(): string[] {
  const fromEnv = process.env['KAFKA_BROKERS'];
  if (fromEnv) return fromEnv.split(',');
  const stackFile = join(resolve(process.env['VIGIL_STATE_DIR'] ?? join(root, '.vigil')), 'stack.json');
  if (!existsSync(stackFile)) throw new DlqError('no_brokers', 'no KAFKA_BROKERS and no .vigil/stack.json: start Vigil with `npm start`, or set KAFKA_BROKERS');
  return (JSON.parse(readFileSync(stackFile, 'utf8')) as { kafkaBrokers: string }).kafkaBrokers.split(',');
}

const deadLetters = (count: number) => `${count} dead letter${count === 1 ? '' : 's'}`;

function printReplay(result: ReplayResult, dryRun: boolean): void {
  const verb = dryRun ? 'would replay' : 'replayed';
  const notes = [
    result.alreadyReplayed > 0 ? `${result.alreadyReplayed} replayed earlier` : '',
    result.filteredOut > 0 ? `${result.filteredOut} of other consumer groups left alone` : '',
    result.copies.length > 0 ? `${result.copies.length} more parked by other consumer groups: each message sent once` : '',
  ].filter(Boolean);
  const suffix = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  process.stdout.write(`${result.dlqTopic}: ${verb} ${deadLetters(result.published.length)} to ${result.topic}${suffix}\n`);
  for (const letter of result.published) process.stdout.write(`${formatDeadLetter(letter, !dryRun)}\n`);
  if (result.refused.length > 0) {
    process.stdout.write(`${deadLetters(result.refused.length)} not replayed: the original message is not on ${result.topic} at the place the letter names (planted in the DLQ, or compacted or expired since); --unverified publishes them anyway\n`);
    for (const letter of result.refused) process.stdout.write(`${formatDeadLetter(letter, false)}\n`);
  }
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        group: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        unverified: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '30' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`dlq: ${(error as Error).message}\n${USAGE}\n`);
    return null;
  }
}

async function main(): Promise<number> {
  const args = parse();
  if (!args) return 2;
  const { values, positionals } = args;
  const [command, topic] = positionals;
  const timeoutMs = Number(values.timeout) * 1000;
  if (values.help || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if ((command !== 'list' && command !== 'replay') || !topic || positionals.length > 2 || !(timeoutMs > 0)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  // The last resort for "terminates by itself": reading is bounded by --timeout, kafkajs' connects and sends by
  // its retries; this catches whatever would still hold the process.
  setTimeout(() => {
    process.stderr.write(`dlq: gave up after ${timeoutMs / 1000 + GRACE_SECONDS} s\n`);
    process.exit(1);
  }, timeoutMs + GRACE_SECONDS * 1000).unref();
  // kafkajs logs every retried request at error level; the CLI reports what finally failed. LOG_LEVEL=warn shows it.
  const log = createLogger({ name: 'dlq', level: (process.env['LOG_LEVEL'] as 'warn' | undefined) ?? 'fatal', destination: process.stderr });
  logProcessWarnings(log);
  const kafka = createKafka({ brokers: brokers(), clientId: 'vigil-dlq', log, config: kafkaSecurityFromEnv() });

  if (command === 'list') {
    const listing = await listDeadLetters({ kafka, topic, timeoutMs });
    const replayed = listing.letters.filter((entry) => entry.replayed).length;
    if (!values.json) process.stdout.write(`${listing.dlqTopic}: ${deadLetters(listing.letters.length)}, ${replayed} replayed\n`);
    for (const { letter, replayed: done } of listing.letters) {
      process.stdout.write(`${values.json ? JSON.stringify(deadLetterJson(letter, done)) : formatDeadLetter(letter, done)}\n`);
    }
    return 0;
  }
  const dryRun = values['dry-run'] ?? false;
  printReplay(await replayDeadLetters({ kafka, topic, consumerGroup: values.group ?? null, dryRun, unverified: values.unverified ?? false, timeoutMs }), dryRun);
  return 0;
}

/** The error and what caused it, on one line: kafkajs wraps the reason (ECONNREFUSED, an ACL) in retry errors. */
function reason(error: unknown): string {
  const parts: string[] = [];
  for (let current = error as (Error & { cause?: unknown }) | undefined; current && parts.length < 5; current = current.cause as typeof current) {
    parts.push(current instanceof DlqError ? current.message : `${current.name}: ${current.message}`);
  }
  return parts.join(' ← ');
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`dlq: ${reason(error)}\n`);
  process.exitCode = 1;
}
