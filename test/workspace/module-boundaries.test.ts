import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return (result?.messages ?? []).filter((message) => message.ruleId === '@nx/enforce-module-boundaries').map((message) => message.message);
}

// ARCHITECTURE §3: services depend on libs only; libs never on services. The rule needs Nx's project graph.
describe('module boundaries', () => {
  beforeAll(() => {
    execFileSync('npx', ['--no', 'nx', 'show', 'projects'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
  }, 60_000);

  it('forbids a service importing another service', async () => {
    const errors = await boundaryErrors('services/challenge/src/boundary-probe.ts', "import '@vigil/enrollment';\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('forbids reaching into another project by a relative path', async () => {
    const errors = await boundaryErrors('services/challenge/src/boundary-probe.ts', "import { buildApp } from '../../enrollment/src/app.ts';\nexport const b = buildApp;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('forbids a lib importing a service', async () => {
    const errors = await boundaryErrors('libs/events/src/boundary-probe.ts', "import '@vigil/challenge';\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('allows a service to import a lib', async () => {
    expect(await boundaryErrors('services/challenge/src/boundary-probe.ts', "import { TOPICS } from '@vigil/events';\nexport const t = TOPICS;\n")).toEqual([]);
  });
});
