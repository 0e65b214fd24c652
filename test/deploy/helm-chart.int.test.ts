import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { COMPACTED_TOPICS, TOPICS, dlqTopic } from '@vigil/events';
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

describe('Helm chart deploy/helm/vigil', () => {
  let manifests: Manifest[];
  let withSecrets: Manifest[];
  let plainJob: Manifest[];
  beforeAll(async () => {
    [manifests, plainJob, withSecrets] = await Promise.all([
      render(),
      // helm-java's template, like `helm install`, keeps hooks out of the manifest: render the topics Job plainly too.
      render('topics:\n  job:\n    hook: false\n'),
      render([
        'secrets:',
        '  create: true',
        '  values:',
        '    VIGIL_API_KEYS: "acme:admin:an-admin-key"',
        '    VIGIL_SERVER_SIGNING_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"',
        '    VIGIL_SECRET_KEYS: "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"',
        '    REDIS_URL: "redis://redis:6379"',
        '    MONGO_URL: "mongodb://mongo:27017/vigil"',
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
      const deployment = ofKind(manifests, 'Deployment').find((m) => m.metadata.name === `vigil-${service.name}`);
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
      expect(container.envFrom).toEqual([{ configMapRef: { name: 'vigil-config' } }, { secretRef: { name: 'vigil-secrets' } }]);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
      // Autoscaled deployments leave the replica count to their HPA.
      expect(deployment?.spec?.['replicas']).toBe(['challenge', 'verification'].includes(service.name) ? undefined : 2);
      const pdb = ofKind(manifests, 'PodDisruptionBudget').find((m) => m.metadata.name === `vigil-${service.name}`);
      expect(deployment?.spec?.['template'].metadata.labels).toMatchObject(pdb?.spec?.['selector'].matchLabels);
      const svc = ofKind(manifests, 'Service').find((m) => m.metadata.name === `vigil-${service.name}`);
      expect(deployment?.spec?.['template'].metadata.labels).toMatchObject(svc?.spec?.['selector']);
    }
  });

  it('reads every port variable the services declare', () => {
    for (const service of SERVICES) expect(readFileSync(join(root, 'services', service.name, 'src/config.ts'), 'utf8')).toContain(`${service.portEnv}:`);
  });

  it('configures brokers and the heap limits the benchmarks were measured with', () => {
    const [config] = ofKind(manifests, 'ConfigMap');
    expect(config?.data).toMatchObject({ KAFKA_BROKERS: 'kafka:9092', NODE_OPTIONS: SERVICE_NODE_OPTIONS, LOG_LEVEL: 'info' });
  });

  it('creates every topic of the contract and its DLQ before the services start', () => {
    expect(ofKind(manifests, 'Job')).toHaveLength(0);
    expect(readFileSync(join(chart, 'templates/topics-job.yaml'), 'utf8')).toContain('helm.sh/hook: pre-install,pre-upgrade');
    const [job] = ofKind(plainJob, 'Job');
    expect(job?.metadata.annotations).toBeUndefined();
    const script = String(job?.spec?.['template'].spec.containers[0].command[2]);
    for (const topic of Object.values(TOPICS)) {
      const policy = COMPACTED_TOPICS.has(topic) ? 'cleanup.policy=compact' : 'cleanup.policy=delete --config retention.ms=604800000';
      expect(script).toContain(`create ${topic} --config ${policy}`);
      expect(script).toContain(`create ${dlqTopic(topic)} --config cleanup.policy=delete --config retention.ms=2592000000`);
    }
    expect(script.match(/^\s*create /gm)).toHaveLength(Object.values(TOPICS).length * 2);
  });

  it('makes the Secret from values when asked, and sends notification through an egress proxy', () => {
    const [secret] = ofKind(withSecrets, 'Secret');
    expect(Object.keys(secret?.stringData ?? {}).sort()).toEqual(['MONGO_URL', 'REDIS_URL', 'VIGIL_API_KEYS', 'VIGIL_SECRET_KEYS', 'VIGIL_SERVER_SIGNING_KEY']);
    const notification = ofKind(withSecrets, 'Deployment').find((m) => m.metadata.name === 'vigil-notification');
    expect(notification?.spec?.['template'].spec.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'HTTPS_PROXY', value: 'http://proxy.corp:3128' },
      { name: 'NODE_USE_ENV_PROXY', value: '1' },
    ]));
    const challenge = ofKind(withSecrets, 'Deployment').find((m) => m.metadata.name === 'vigil-challenge');
    expect(JSON.stringify(challenge)).not.toContain('HTTPS_PROXY');
  });

  it('refuses to make a Secret with a missing value', async () => {
    await expect(render('secrets:\n  create: true\n  values:\n    VIGIL_API_KEYS: "acme:admin:an-admin-key"\n')).rejects.toThrow(/VIGIL_SERVER_SIGNING_KEY is required/);
  }, 120_000);
});
