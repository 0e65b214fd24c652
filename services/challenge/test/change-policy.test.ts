import { describe, expect, it } from 'vitest';
import { changePolicy } from '../src/use-cases/change-policy.ts';
import { readPolicy } from '../src/use-cases/read-policy.ts';
import { newChallengeTestDeps, POLICY } from './use-case-doubles.ts';

describe('tenant policy', () => {
  it('reads the environment defaults for a tenant that never changed its policy, with its conformance', async () => {
    const deps = newChallengeTestDeps();
    deps.policies.get.mockResolvedValue(null);
    await expect(readPolicy(deps, { tenantId: 'acme' })).resolves.toMatchObject({ ...POLICY, conformance: { nist80063b4: true, findings: [] } });
  });

  it('stores a change with its announcement, computed from the revision it read', async () => {
    const deps = newChallengeTestDeps();
    deps.policies.get.mockResolvedValue({ policy: POLICY, revision: '7' });
    deps.policies.put.mockResolvedValue(true);
    const changed = await changePolicy(deps, { tenantId: 'acme', patch: { numberMatchDigits: 4 } });
    expect(changed).toMatchObject({ numberMatchDigits: 4, conformance: { nist80063b4: false } });
    expect(deps.policies.put).toHaveBeenCalledWith('acme', expect.objectContaining({ numberMatchDigits: 4 }), '7', expect.objectContaining({ type: 'vigil.policy.updated' }));
  });

  it('computes again when another change landed in between, keeping both', async () => {
    const deps = newChallengeTestDeps();
    deps.policies.get.mockResolvedValueOnce(null).mockResolvedValueOnce({ policy: { ...POLICY, pushesPerHour: 5 }, revision: '1' });
    deps.policies.put.mockResolvedValueOnce(false).mockResolvedValueOnce(true);
    await expect(changePolicy(deps, { tenantId: 'acme', patch: { quietPerHour: 12 } })).resolves.toMatchObject({ pushesPerHour: 5, quietPerHour: 12 });
  });

  it('answers 503 unavailable, safe to repeat, when the policy keeps changing under the write', async () => {
    const deps = newChallengeTestDeps();
    deps.policies.get.mockResolvedValue(null);
    deps.policies.put.mockResolvedValue(false);
    await expect(changePolicy(deps, { tenantId: 'acme', patch: { quietPerHour: 12 } })).rejects.toMatchObject({ code: 'unavailable', status: 503 });
  });

  it('refuses a policy that cannot work with validation_failed, storing nothing', async () => {
    const deps = newChallengeTestDeps();
    deps.policies.get.mockResolvedValue(null);
    await expect(changePolicy(deps, { tenantId: 'acme', patch: { cooldown: { initialSeconds: 7200 } } })).rejects.toMatchObject({ code: 'validation_failed', status: 400 });
    expect(deps.policies.put).not.toHaveBeenCalled();
  });
});
