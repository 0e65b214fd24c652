import type { UserRef } from '@vigil/events';
import type { EnrollmentDeps } from './deps.ts';

/** A successful verification of the user (a push approval, a TOTP success), as reported by its event. */
export interface RecordProof extends UserRef {
  /** The challenge or verification id: what an admin names as `proofId` when starting a replacement. */
  proofId: string;
  at: Date;
}

/** Keeps a recent verification as a single-use proof that the user controls a factor (CONTRACT §4, replacing a device). */
export async function recordProof(deps: EnrollmentDeps, command: RecordProof): Promise<void> {
  await deps.proofs.record(command);
}
