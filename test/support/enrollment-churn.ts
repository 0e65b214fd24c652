// Enrollment traffic for the fault tests: activations, replacements and revocations while a fault is on, and the
// check that follows: every change that answered success holds everywhere (CONTRACT §2, §8) — a revoked or replaced
// device is refused and never pushed to; an activated device verifies and is pushed to.
import { VigilDevice } from '@vigil/device-sdk';
import { nodeEd25519 } from '@vigil/device-sdk/node';
import { call, sleep, type ServiceFleet } from './steady-load.ts';

interface Outcome {
  userId: string;
  op: 'activate' | 'replace' | 'revoke';
  device: VigilDevice | null;
  /** The device that op took out of service (replace, revoke). */
  gone: VigilDevice | null;
  ok: boolean;
}

export interface EnrollmentChurn {
  stop(): Promise<void>;
  /** Answers that reported success, by op, and what does not hold now. */
  check(): Promise<{ succeeded: Record<string, number>; failedAnswers: number; violations: string[] }>;
}

async function activate(fleet: ServiceFleet, userId: string, replace: boolean): Promise<VigilDevice | null> {
  const started = await call(fleet.url('enrollment'), 'POST', `/v1/users/${userId}/push-enrollments`, 'dev-admin-key', replace ? { replace: true } : {});
  if (started.status !== 201) return null;
  return VigilDevice.activate(String(started.body?.['activationUri']), { platform: 'web', pushToken: null, engine: nodeEd25519 }).catch(() => null);
}

/** Cycles users `prefix0..n`: activate, replace, revoke, over and over, until stopped. */
export function startEnrollmentChurn(fleet: ServiceFleet, prefix: string, users = 4): EnrollmentChurn {
  const outcomes: Outcome[] = [];
  const current = new Map<string, VigilDevice>();
  // After an answer that was not a success the change may or may not have been made: the user's device is unknown
  // until the next success.
  const known = new Map<string, boolean>();
  const userIds = Array.from({ length: users }, (_, index) => `${prefix}${index}`);
  let running = true;
  const loops = userIds.map(async (userId) => {
    while (running) {
      for (const op of ['activate', 'replace', 'revoke'] as const) {
        if (!running) break;
        const before = current.get(userId) ?? null;
        try {
          if (op === 'revoke') {
            const answer = await call(fleet.url('enrollment'), 'DELETE', `/v1/users/${userId}/push-device`, 'dev-admin-key');
            const ok = answer.status === 204;
            if (ok) current.delete(userId);
            known.set(userId, ok);
            outcomes.push({ userId, op, device: null, gone: before, ok });
          } else {
            const device = await activate(fleet, userId, op === 'replace');
            if (device) current.set(userId, device);
            known.set(userId, device !== null);
            outcomes.push({ userId, op, device, gone: op === 'replace' ? before : null, ok: device !== null });
          }
        } catch {
          known.set(userId, false);
          outcomes.push({ userId, op, device: null, gone: null, ok: false });
        }
        await sleep(100);
      }
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.allSettled(loops);
    },
    async check() {
      const violations: string[] = [];
      const succeeded: Record<string, number> = {};
      const verification = fleet.url('verification');
      for (const outcome of outcomes.filter((entry) => entry.ok)) {
        succeeded[outcome.op] = (succeeded[outcome.op] ?? 0) + 1;
        if (outcome.gone) {
          const answer = await outcome.gone.request(verification, 'GET', '/v1/device/challenges/pending?waitSeconds=0').catch(() => null);
          if (answer?.status !== 401) violations.push(`${outcome.userId}: device ${outcome.gone.deviceId} taken out by ${outcome.op} answered ${answer?.status ?? 'nothing'}`);
        }
      }
      // Each user's last device is the one every service must use; no device after a last revocation.
      for (const userId of userIds.filter((id) => known.get(id))) {
        const device = current.get(userId);
        const push = await call(fleet.url('challenge'), 'POST', '/v1/challenges', 'dev-auth-key', { userId });
        if (device) {
          const signed = await device.request(verification, 'GET', '/v1/device/challenges/pending?waitSeconds=0').catch(() => null);
          if (signed?.status !== 200) violations.push(`${userId}: current device answered ${signed?.status ?? 'nothing'}`);
          if (push.status !== 201) violations.push(`${userId}: push to current device answered ${push.status}`);
        } else if (push.status !== 404) {
          violations.push(`${userId}: revoked, yet a push answered ${push.status}`);
        }
      }
      return { succeeded, failedAnswers: outcomes.filter((entry) => !entry.ok).length, violations };
    },
  };
}
