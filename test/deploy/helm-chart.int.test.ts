import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kafkaSecuritySpec } from '@vigil/config';
import { COMPACTED_TOPICS, TOPICS, dlqTopic } from '@vigil/events';
import { accessPlan, principalOf } from '@vigil/kafka';
import { helmTemplate } from '@vigil/testkit';
import { SERVICE_NODE_OPTIONS } from '../../tools/stack/service-processes.ts';
import { SERVICES } from '../../tools/stack/services.ts';

// Helm's own Go library (helm-java, Maven Central) lints the chart strictly and renders it; the manifests are then
// checked against what the services need. The helm CLI does not install here (not in Debian's packages or npm).

const root = resolve(import.meta.dirname, '../..');
const chart = join(root, 'deploy/helm/vigil');

// Rendered YAML, walked loosely: the assertions say what each field must be.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, Loose>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

async function render(values?: string): Promise<Manifest[]> {
  let valuesFile: string | undefined;
  if (values) {
    valuesFile = join(mkdtempSync(join(tmpdir(), 'vigil-helm-')), 'values.yaml');
    writeFileSync(valuesFile, values);
  }
  const text = await helmTemplate(chart, { release: 'vigil', ...(valuesFile ? { valuesFile } : {}) });
  return parseAllDocuments(text).map((doc) => doc.toJS() as Manifest).filter(Boolean);
}

const ofKind = (manifests: Manifest[], kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const named = (manifests: Manifest[], kind: string, name: string) => ofKind(manifests, kind).find((m) => m.metadata.name === name);
const podOf = (manifests: Manifest[], service: string) => named(manifests, 'Deployment', `vigil-${service}`)?.spec?.['template'].spec;

// What each service reads, from its own code: the Secret the chart gives it must hold exactly that.
const source = (service: string, file: string) => readFileSync(join(root, 'services', service, 'src', file), 'utf8');
const usesMongo = (service: string) => /useMongo:\s*true/.test(source(service, 'main.ts'));
const readsKeys = (service: string) => source(service, 'config.ts').includes('VIGIL_SERVER_SIGNING_KEY:');
const readsFcm = (service: string) => source(service, 'config.ts').includes('FCM_SERVICE_ACCOUNT_JSON:');

// Long random values, as production mode wants them: the chart is tested with keys nobody has seen.
const secret = () => randomBytes(32).toString('base64url');
const kafkaPasswords = Object.fromEntries(SERVICES.map((service) => [service.name, secret()]));
const createdSecrets = [
  'secrets:',
  '  create: true',
  '  values:',
  `    VIGIL_API_KEYS: "acme:admin:${secret()},acme:auth:${secret()}"`,
  `    VIGIL_SERVER_SIGNING_KEY: "${secret()}"`,
  `    VIGIL_SECRET_KEYS: "k1:${secret()}"`,
  `    REDIS_URL: "rediss://vigil:${secret()}@redis:6379"`,
  `    MONGO_URL: "mongodb://vigil:${secret()}@mongo:27017/vigil"`,
  '    FCM_SERVICE_ACCOUNT_JSON: \'{"type":"service_account","project_id":"vigil-test"}\'',
  '    kafkaPasswords:',
  ...SERVICES.map((service) => `      ${service.name}: "${kafkaPasswords[service.name]}"`),
  '    kafkaAdmin:',
  '      username: admin',
  `      password: "${secret()}"`,
];
// helm-java's template, like `helm install`, keeps hooks out of the manifest: the Jobs are rendered plainly to be seen.
const plainJobs = ['topics:', '  job:', '    hook: false', 'kafka:', '  acls:', '    job:', '      hook: false'];

/** Every Secret a pod reads, however it reads it (envFrom, env, volumes). */
function secretsReadBy(pod: Loose): string[] {
  const names = new Set<string>();
  for (const container of pod.containers) {
    for (const source of container.envFrom ?? []) if (source.secretRef) names.add(source.secretRef.name);
    for (const variable of container.env ?? []) if (variable.valueFrom?.secretKeyRef) names.add(variable.valueFrom.secretKeyRef.name);
  }
  for (const volume of pod.volumes ?? []) if (volume.secret) names.add(volume.secret.secretName);
  return [...names].sort();
}

/** The ACLs a `grant <principal> <Operation> --topic a --group b ...` line of the ACL Job adds, one string each. */
function grantsIn(script: string): string[] {
  return script.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('grant ')).flatMap((line) => {
    const [, principal, operation, ...resources] = line.split(/\s+/);
    const grants: string[] = [];
    for (let i = 0; i < resources.length; i += 2) grants.push(`${principal} ${operation} ${resources[i]?.replace(/^--/, '')} ${resources[i + 1]}`);
    return grants;
  });
}

describe('Helm chart deploy/helm/vigil', () => {
  let manifests: Manifest[];
  let withSecrets: Manifest[];
  let plainJob: Manifest[];
  beforeAll(async () => {
    [manifests, plainJob, withSecrets] = await Promise.all([
      render(),
      render(plainJobs.join('\n')),
      render([
        ...createdSecrets,
        ...plainJobs,
        '  caSecret: kafka-ca',
        'egressProxy:',
        '  httpsProxy: "http://proxy.corp:3128"',
        '  noProxy: "kafka,redis,mongo"',
      ].join('\n')),
    ]);
  }, 600_000);

  it('renders a Deployment, Service and PodDisruptionBudget per service, HPAs for challenge and verification', () => {
    const names = SERVICES.map((service) => `vigil-${service.name}`).sort();
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget']) expect(ofKind(manifests, kind).map((m) => m.metadata.name).sort(), kind).toEqual(names);
    const hpas = ofKind(manifests, 'HorizontalPodAutoscaler');
    expect(hpas.map((hpa) => hpa.spec?.['scaleTargetRef'].name).sort()).toEqual(['vigil-challenge', 'vigil-verification']);
    for (const hpa of hpas) expect(hpa.spec?.['maxReplicas']).toBeLessThanOrEqual(12);
    expect(ofKind(manifests, 'Secret')).toHaveLength(0);
  });

  it('runs each service the way the launcher does: its own main, its contract port, probes on /readyz and /healthz', () => {
    for (const service of SERVICES) {
      const deployment = named(manifests, 'Deployment', `vigil-${service.name}`);
      const pod = deployment?.spec?.['template'].spec;
      const [container] = pod.containers;
      // The bundle is built from this entry point (tools/build/bundle-services.ts).
      expect(existsSync(join(root, 'services', service.name, 'src', 'main.ts'))).toBe(true);
      expect(container.command).toEqual(['node', `services/${service.name}/dist/main.js`]);
      expect(container.ports).toEqual([{ name: 'http', containerPort: service.defaultPort }]);
      expect(container.env).toContainEqual({ name: service.portEnv, value: String(service.defaultPort) });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      for (const kind of ['requests', 'limits']) expect(Object.keys(container.resources[kind]).sort()).toEqual(['cpu', 'memory']);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
      // Autoscaled deployments leave the replica count to their HPA.
      expect(deployment?.spec?.['replicas']).toBe(['challenge', 'verification'].includes(service.name) ? undefined : 2);
      const pdb = named(manifests, 'PodDisruptionBudget', `vigil-${service.name}`);
      expect(deployment?.spec?.['template'].metadata.labels).toMatchObject(pdb?.spec?.['selector'].matchLabels);
      const svc = named(manifests, 'Service', `vigil-${service.name}`);
      expect(deployment?.spec?.['template'].metadata.labels).toMatchObject(svc?.spec?.['selector']);
    }
  });

  it('reads every port variable the services declare', () => {
    for (const service of SERVICES) expect(source(service.name, 'config.ts')).toContain(`${service.portEnv}:`);
  });

  it('configures brokers, Kafka security and the heap limits the benchmarks were measured with', () => {
    const config = named(manifests, 'ConfigMap', 'vigil-config');
    expect(config?.data).toMatchObject({ KAFKA_BROKERS: 'kafka:9092', NODE_OPTIONS: SERVICE_NODE_OPTIONS, LOG_LEVEL: 'info' });
    // TLS and SCRAM by default; every KAFKA_SSL*/KAFKA_SASL* variable the chart sets is one the services read.
    expect(config?.data).toMatchObject({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512' });
    const security = Object.keys(config?.data ?? {}).filter((name) => /^KAFKA_(SSL|SASL)/.test(name));
    for (const name of security) expect(Object.keys(kafkaSecuritySpec)).toContain(name);
  });

  it('creates every topic of the contract and its DLQ before the services start, as the Kafka admin', () => {
    expect(ofKind(manifests, 'Job')).toHaveLength(0);
    expect(readFileSync(join(chart, 'templates/topics-job.yaml'), 'utf8')).toContain('helm.sh/hook: pre-install,pre-upgrade');
    const job = named(plainJob, 'Job', 'vigil-topics');
    expect(job?.metadata.annotations).toBeUndefined();
    const container = job?.spec?.['template'].spec.containers[0];
    const script = String(container.command[2]);
    for (const topic of Object.values(TOPICS)) {
      const policy = COMPACTED_TOPICS.has(topic) ? 'cleanup.policy=compact' : 'cleanup.policy=delete --config retention.ms=604800000';
      expect(script).toContain(`create ${topic} --config ${policy}`);
      expect(script).toContain(`create ${dlqTopic(topic)} --config cleanup.policy=delete --config retention.ms=2592000000`);
    }
    expect(script.match(/^\s*create /gm)).toHaveLength(Object.values(TOPICS).length * 2);
    expect(script).toContain('kafka-topics.sh --bootstrap-server "$KAFKA_BROKERS" --command-config "$ADMIN_CONFIG"');
    expect(secretsReadBy(job?.spec?.['template'].spec)).toEqual(['vigil-kafka-admin']);
  });

  it('gives each Deployment its own Secret and no other', () => {
    for (const service of SERVICES) {
      const [container] = podOf(manifests, service.name).containers;
      expect(container.envFrom).toEqual([{ configMapRef: { name: 'vigil-config' } }, { secretRef: { name: `vigil-${service.name}` } }]);
      expect(secretsReadBy(podOf(manifests, service.name))).toEqual([`vigil-${service.name}`]);
      // Made by the chart: its own Secret, and the brokers' CA (a certificate, no key) when one is given.
      expect(secretsReadBy(podOf(withSecrets, service.name))).toEqual(['kafka-ca', `vigil-${service.name}-secrets`]);
    }
  });

  it('puts in each Secret only what its service reads: signing and sealing keys for enrollment and verification alone', () => {
    const keysOf = (service: string) => Object.keys(named(withSecrets, 'Secret', `vigil-${service}-secrets`)?.stringData ?? {}).sort();
    expect(keysOf('verification')).toEqual(expect.arrayContaining(['VIGIL_SERVER_SIGNING_KEY', 'VIGIL_SECRET_KEYS']));
    expect(keysOf('challenge')).not.toContain('VIGIL_SERVER_SIGNING_KEY');
    expect(keysOf('challenge')).not.toContain('VIGIL_SECRET_KEYS');
    for (const service of SERVICES) {
      const expected = ['VIGIL_API_KEYS', 'REDIS_URL', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'];
      if (usesMongo(service.name)) expected.push('MONGO_URL');
      if (readsKeys(service.name)) expected.push('VIGIL_SERVER_SIGNING_KEY', 'VIGIL_SECRET_KEYS');
      if (readsFcm(service.name)) expected.push('FCM_SERVICE_ACCOUNT_JSON');
      expect(keysOf(service.name), service.name).toEqual(expected.sort());
      // Its own Kafka user: the principal the ACL Job grants.
      const data = named(withSecrets, 'Secret', `vigil-${service.name}-secrets`)?.stringData;
      expect(`User:${data?.['KAFKA_SASL_USERNAME']}`).toBe(principalOf(service.name));
      expect(data?.['KAFKA_SASL_PASSWORD']).toBe(kafkaPasswords[service.name]);
    }
    expect(usesMongo('enrollment') && usesMongo('anomaly-detection') && !usesMongo('challenge')).toBe(true);
    const admin = named(withSecrets, 'Secret', 'vigil-kafka-admin-secrets');
    expect(Object.keys(admin?.stringData ?? {}).sort()).toEqual(['KAFKA_SASL_PASSWORD', 'KAFKA_SASL_USERNAME']);
    expect(ofKind(withSecrets, 'Secret')).toHaveLength(SERVICES.length + 1);
  });

  it('grants each service principal exactly its access plan, as the Kafka admin, before the services start', () => {
    expect(readFileSync(join(chart, 'templates/kafka-acls-job.yaml'), 'utf8')).toContain('helm.sh/hook: pre-install,pre-upgrade');
    const job = named(plainJob, 'Job', 'vigil-kafka-acls');
    const pod = job?.spec?.['template'].spec;
    const script = String(pod.containers[0].command[2]);
    expect(script).toContain('/opt/kafka/bin/kafka-acls.sh --bootstrap-server "$KAFKA_BROKERS" --command-config "$ADMIN_CONFIG"');
    expect(script).toContain('--add --allow-principal "$principal" --operation "$operation" --resource-pattern-type literal');
    expect(secretsReadBy(pod)).toEqual(['vigil-kafka-admin']);

    const expected = accessPlan().flatMap((access) => [
      ...access.write.map((topic) => `${access.principal} Write topic ${topic}`),
      ...access.read.map((topic) => `${access.principal} Read topic ${topic}`),
      ...access.groups.map((group) => `${access.principal} Read group ${group}`),
      ...access.describeGroups.map((group) => `${access.principal} Describe group ${group}`),
      ...access.describe.map((topic) => `${access.principal} Describe topic ${topic}`),
    ]);
    const rendered = grantsIn(script);
    expect(rendered.length).toBe(new Set(rendered).size);
    expect(rendered.sort()).toEqual(expected.sort());
  });

  it('mounts the brokers\' CA where KAFKA_SSL_CA_FILE points, in every service and Kafka Job', () => {
    const caFile = named(withSecrets, 'ConfigMap', 'vigil-config')?.data?.['KAFKA_SSL_CA_FILE'];
    expect(caFile).toBeDefined();
    const pods = [...SERVICES.map((service) => podOf(withSecrets, service.name)), ...ofKind(withSecrets, 'Job').map((job) => job.spec?.['template'].spec)];
    expect(pods).toHaveLength(SERVICES.length + 2);
    for (const pod of pods) {
      const volume = pod.volumes.find((v: Loose) => v.secret?.secretName === 'kafka-ca');
      const mount = pod.containers[0].volumeMounts.find((m: Loose) => m.name === volume?.name);
      expect(join(mount?.mountPath ?? '', volume?.secret.items[0].path ?? '')).toBe(caFile);
      expect(mount?.readOnly).toBe(true);
    }
    for (const job of ofKind(withSecrets, 'Job')) expect(job.spec?.['template'].spec.containers[0].env).toContainEqual({ name: 'ADMIN_CA_FILE', value: caFile });
    expect(dirname(String(caFile))).toBe('/etc/vigil/kafka-ca');
  });

  describe('NetworkPolicies', () => {
    const policyOf = (manifests: Manifest[], service: string) => named(manifests, 'NetworkPolicy', `vigil-${service}`)?.spec;
    const ports = (rule: Loose): number[] => rule.ports.map((port: Loose) => port.port);
    const cidrs = (rule: Loose): string[] => rule.to.map((peer: Loose) => peer.ipBlock?.cidr).filter(Boolean);
    const reachesInternet = (rule: Loose) => cidrs(rule).some((cidr) => cidr === '0.0.0.0/0' || cidr === '::/0');

    it('deny every Vigil pod all traffic but what a policy allows', () => {
      const deny = named(manifests, 'NetworkPolicy', 'vigil-default-deny')?.spec;
      expect(deny).toEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'vigil', 'app.kubernetes.io/instance': 'vigil' } }, policyTypes: ['Ingress', 'Egress'] });
      for (const pod of [...SERVICES.map((service) => named(manifests, 'Deployment', `vigil-${service.name}`)), ...ofKind(plainJob, 'Job')]) {
        expect(pod?.spec?.['template'].metadata.labels).toMatchObject(deny?.['podSelector'].matchLabels);
      }
    });

    it('let each service receive on its HTTP port only, from the namespace and the ingress controller', () => {
      for (const service of SERVICES) {
        const policy = policyOf(manifests, service.name);
        expect(policy?.['podSelector'].matchLabels).toEqual(named(manifests, 'Deployment', `vigil-${service.name}`)?.spec?.['selector'].matchLabels);
        expect(policy?.['policyTypes']).toEqual(['Ingress', 'Egress']);
        expect(policy?.['ingress']).toEqual([{
          from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
          ports: [{ protocol: 'TCP', port: service.defaultPort }],
        }]);
      }
    });

    it('let each service reach DNS, Kafka and Redis, MongoDB only where it is used, and the internet from notification alone', () => {
      for (const service of SERVICES) {
        const egress: Loose[] = policyOf(manifests, service.name)?.['egress'];
        // Every rule names its destinations: none is open to any address.
        for (const rule of egress) expect(rule.to?.length, service.name).toBeGreaterThan(0);
        const allPorts = egress.flatMap(ports);
        expect(allPorts).toEqual(expect.arrayContaining([53, 9092, 6379]));
        expect(allPorts.includes(27017), service.name).toBe(usesMongo(service.name));
        const internet = egress.filter(reachesInternet);
        expect(internet.length > 0, service.name).toBe(service.name === 'notification');
        for (const rule of internet) {
          expect(ports(rule)).toEqual([443]);
          expect(rule.to[0].ipBlock.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16']));
        }
      }
    });

    it('send notification through the egress proxy, when one is set, and nowhere else outside', () => {
      const egress: Loose[] = policyOf(withSecrets, 'notification')?.['egress'];
      expect(egress.filter(reachesInternet)).toEqual([]);
      expect(egress.flatMap(ports)).toContain(3128);
      for (const rule of egress) expect(rule.to?.length).toBeGreaterThan(0);
    });

    it('let the topics and ACL Jobs reach DNS and Kafka only', () => {
      const policy = named(plainJob, 'NetworkPolicy', 'vigil-kafka-jobs')?.spec;
      expect(policy?.['ingress']).toEqual([]);
      expect(policy?.['egress'].flatMap(ports).sort()).toEqual([53, 53, 9092]);
      for (const job of ofKind(plainJob, 'Job')) {
        const labels = job.spec?.['template'].metadata.labels;
        for (const { key, values } of policy?.['podSelector'].matchExpressions ?? []) expect(values).toContain(labels[key]);
      }
    });
  });

  it('sends notification through an egress proxy, and no other service', () => {
    const notification = named(withSecrets, 'Deployment', 'vigil-notification');
    expect(notification?.spec?.['template'].spec.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'HTTPS_PROXY', value: 'http://proxy.corp:3128' },
      { name: 'NODE_USE_ENV_PROXY', value: '1' },
    ]));
    const challenge = named(withSecrets, 'Deployment', 'vigil-challenge');
    expect(JSON.stringify(challenge)).not.toContain('HTTPS_PROXY');
  });

  it('refuses to render without a value or a Secret name a service needs, naming it', async () => {
    const without = (line: string) => createdSecrets.filter((entry) => !entry.includes(line)).join('\n');
    await Promise.all([
      expect(render(without('VIGIL_SERVER_SIGNING_KEY'))).rejects.toThrow(/secrets\.values\.VIGIL_SERVER_SIGNING_KEY is required/),
      expect(render(without(kafkaPasswords['notification'] ?? ''))).rejects.toThrow(/secrets\.values\.kafkaPasswords\.notification is required/),
      expect(render('secrets:\n  existing:\n    verification: ""\n')).rejects.toThrow(/secrets\.existing\.verification is required/),
      expect(render('kafka:\n  ssl: false\n  sasl:\n    mechanism: plain\n')).rejects.toThrow(/plain needs kafka\.ssl: true/),
    ]);
  }, 240_000);
});

