import type { QuietReason } from '../domain/challenge.ts';
import type { Admission, PushGate } from '../domain/ports.ts';
import { keys } from './keys.ts';
import type { ChallengeScripts } from './redis-scripts.ts';

const QUIET_REASONS: ReadonlySet<string> = new Set<QuietReason>(['cooldown', 'user_per_minute', 'user_per_hour', 'since_success']);

/**
 * The push gate (ADR 0014): one script reads the device, the suspension, the cool-down and every window and decides
 * push, quiet or refuse in one step, so concurrent creates cannot all slip under a limit. Its reply codes are the
 * script's own (lua/push-gate.lua).
 */
export function redisPushGate(scripts: ChallengeScripts, newId: () => string): PushGate {
  return {
    async admit(user, ip, limits): Promise<Admission> {
      const [code, retryAfterMs, deviceId, quietReason] = await scripts.pushGate(
        [keys.suspended(user), keys.cooldown(user), keys.userLog(user), keys.ipLog(user.tenantId, ip ?? '-'), keys.device(user), keys.sinceSuccess(user), keys.quietLog(user)],
        [limits.pushesPerMinute, limits.pushesPerHour, limits.ipPerMinute, newId(), ip ? '1' : '0', 60_000, 3_600_000, limits.pushesSinceSuccess, limits.quietPerHour],
      );
      if (code === 0 && deviceId) return { admitted: true, deviceId, delivery: 'push' };
      if (code === 8 && deviceId && quietReason && QUIET_REASONS.has(quietReason)) return { admitted: true, deviceId, delivery: 'quiet', quietReason: quietReason as QuietReason };
      if (code === 6) return { admitted: false, kind: 'no_device' };
      if (code === 1) return { admitted: false, kind: 'suspended', retryAfterMs };
      return { admitted: false, kind: 'throttled', rule: code === 7 ? 'quiet_per_hour' : 'ip_per_minute', retryAfterMs };
    },
  };
}
