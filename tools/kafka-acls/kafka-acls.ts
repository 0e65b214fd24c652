// `npm run kafka-acls -- print|apply`: the topic and group ACLs that give each service's Kafka principal exactly what
// it uses (CONTRACT §8 v2), derived from the code (libs/kafka access-plan.ts). `print` writes the `kafka-acls.sh`
// arguments for an operator to run; `apply` creates them through the Kafka admin API with the credentials in the
// environment (KAFKA_BROKERS, KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_*: an admin principal's).
import { parseArgs } from 'node:util';
import { accessPlan, applyAccessPlan, createKafka, kafkaAclsCommands, kafkaSecurityFromEnv } from '@vigil/kafka';
import { createLogger, logProcessWarnings } from '@vigil/logger';

const USAGE = `usage:
  npm run kafka-acls -- print [--prefix vigil-]
  npm run kafka-acls -- apply [--prefix vigil-]

Principals are User:<prefix><service> (default prefix vigil-: User:vigil-challenge, ...); their SASL user names must
be the same. print: one line of kafka-acls.sh arguments per grant. apply: creates them (idempotent), as the principal
of KAFKA_SASL_USERNAME, which must be allowed to alter ACLs (a super user or ALTER on the cluster).`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { prefix: { type: 'string', default: 'vigil-' } } });
  const plan = accessPlan(values.prefix);
  if (positionals[0] === 'print') {
    for (const line of kafkaAclsCommands(plan)) process.stdout.write(`kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config admin.properties ${line}\n`);
    return 0;
  }
  if (positionals[0] === 'apply') {
    const log = createLogger({ name: 'kafka-acls', level: process.env['LOG_LEVEL'] === 'debug' ? 'debug' : 'error' });
    logProcessWarnings(log);
    const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').map((broker) => broker.trim()).filter(Boolean);
    if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set');
    const count = await applyAccessPlan(createKafka({ brokers, clientId: 'vigil-kafka-acls', log, config: kafkaSecurityFromEnv() }), plan);
    process.stdout.write(`${count} ACLs in place for ${plan.map((access) => access.principal).join(', ')}\n`);
    return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`kafka-acls: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
