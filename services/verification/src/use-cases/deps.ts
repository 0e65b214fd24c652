import type { SecretBox } from '@vigil/crypto';
import type { EventSink } from '@vigil/events';

import type { LockoutPolicy } from '../domain/lockout-policy.ts';
import type { ChallengeProjection, FactorProjection, LongPollPlaces, RejectionBudget, TotpGuard, Wakeups } from '../domain/ports.ts';

export interface VerificationDeps {
  challenges: ChallengeProjection;
  factors: FactorProjection;
  totpGuard: TotpGuard;
  newChallenges: Wakeups;
  longPolls: LongPollPlaces;
  rejections: RejectionBudget;
  events: EventSink;
  secretBox: SecretBox;
  serverKey: { keyId: string; sign(message: Uint8Array): string };
  settings: { projectionWaitMs: number; lockout: LockoutPolicy };
  now: () => Date;
  newId: () => string;
}
