import type { DeviceProjection } from '../domain/ports.ts';
import { keys } from './keys.ts';
import type { ChallengeScripts } from './redis-scripts.ts';

/** The user's active device, from vigil.factors.v1; the script keeps the newest version (older snapshots change nothing). */
export function redisDeviceProjection(scripts: ChallengeScripts): DeviceProjection {
  return {
    async apply(user, deviceId, version) {
      await scripts.applyDevice([keys.device(user)], [deviceId ?? '', version]);
    },
  };
}
