import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const stack = inject('stack');

/** The bash block between the walkthrough markers of README.md, exactly as a reader would paste it. */
function walkthrough(): string {
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  const section = /<!-- walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  if (!section?.[1]) throw new Error('README.md has no walkthrough block');
  return section[1];
}

describe('README walkthrough', () => {
  it('runs every command of the walkthrough against a running stack', async () => {
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', walkthrough()], {
      cwd: root,
      timeout: 90_000,
      env: {
        ...process.env,
        VIGIL_STATE_DIR: stack.stateDir,
        ENROLL: stack.services['enrollment'] ?? '',
        CHALLENGES: stack.services['challenge'] ?? '',
        ANOMALY: stack.services['anomaly-detection'] ?? '',
      },
    });
    expect(stdout).toMatch(/activated: device .+ for acme\/alice/);
    expect(stdout).toMatch(/the login page shows \d{6}$/m);
    expect(stdout).toMatch(/challenge [0-9a-f-]{36} .*"application":"vpn"/);
    expect(stdout).toMatch(/^approved$/m);
    expect(stdout).toMatch(/"status":"approved"/);
    expect(stdout).toMatch(/push 3: push$/m);
    expect(stdout).toMatch(/push 4: quiet$/m);
    expect(stdout).toMatch(/HIGH {2}push_burst {2}acme\/bob/);
    expect(stdout.trim().split('\n').at(-1)).toBe('push_burst');
  });
});
