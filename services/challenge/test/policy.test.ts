import { describe, expect, it } from 'vitest';
import { applyPatch, conformance, policyCooldownSchedule, policyProblem, type Policy } from '../src/domain/policy.ts';

const DEFAULTS: Policy = {
  numberMatchDigits: 6, challengeTtlSeconds: 60, pushesPerMinute: 3, pushesPerHour: 10, pushesSinceSuccess: 10, quietPerHour: 60,
  cooldown: { afterMisses: 3, initialSeconds: 300, maxSeconds: 3600 },
};

describe('tenant policy conformance (NIST SP 800-63B-4 §3.1.3)', () => {
  it('finds the defaults conformant', () => {
    expect(conformance(DEFAULTS)).toEqual({ nist80063b4: true, findings: [] });
  });

  it('names each unmet clause in plain words', () => {
    const loose = conformance({ ...DEFAULTS, numberMatchDigits: 2, challengeTtlSeconds: 900, pushesSinceSuccess: 1000, cooldown: { ...DEFAULTS.cooldown, afterMisses: 101 } });
    expect(loose.nist80063b4).toBe(false);
    expect(loose.findings).toHaveLength(4);
    expect(loose.findings[0]).toMatch(/2 digits.*at least 6 decimal digits/);
    expect(loose.findings[1]).toMatch(/900 s.*10 minutes/);
    expect(loose.findings[2]).toMatch(/1000 pushes.*reasonable limit/);
    expect(loose.findings[3]).toMatch(/101 in a row/);
    expect(conformance({ ...DEFAULTS, numberMatchDigits: 5 }).findings).toHaveLength(1);
    expect(conformance({ ...DEFAULTS, numberMatchDigits: 8, pushesSinceSuccess: 100 }).nist80063b4).toBe(true);
  });
});

describe('policy changes', () => {
  it('keeps what a partial change leaves out, down to the cool-down fields', () => {
    const changed = applyPatch(DEFAULTS, { numberMatchDigits: 8, cooldown: { maxSeconds: 600 } });
    expect(changed).toEqual({ ...DEFAULTS, numberMatchDigits: 8, cooldown: { afterMisses: 3, initialSeconds: 300, maxSeconds: 600 } });
  });

  it('refuses fields that contradict each other', () => {
    expect(policyProblem(DEFAULTS)).toBeNull();
    expect(policyProblem({ ...DEFAULTS, cooldown: { afterMisses: 3, initialSeconds: 900, maxSeconds: 600 } })).toMatch(/initialSeconds/);
    expect(policyProblem({ ...DEFAULTS, pushesPerMinute: 20, pushesPerHour: 10 })).toMatch(/pushesPerMinute/);
  });

  it('gives the cool-down schedule of its own settings', () => {
    expect(policyCooldownSchedule({ ...DEFAULTS, cooldown: { afterMisses: 2, initialSeconds: 60, maxSeconds: 200 } })).toEqual([0, 60_000, 120_000, 200_000]);
  });
});
