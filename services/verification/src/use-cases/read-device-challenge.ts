import type { SignedChallenge } from '../domain/ports.ts';
import { VerificationError } from '../domain/verification-error.ts';
import type { VerificationDeps } from './deps.ts';
import { ownChallenge, type DeviceAttempt } from './own-challenge.ts';

export type ReadDeviceChallenge = DeviceAttempt;

/** CONTRACT §6: a pending challenge, signed by the server; expired or decided ones are gone (410) for the device. */
export async function readDeviceChallenge(deps: VerificationDeps, command: ReadDeviceChallenge): Promise<SignedChallenge> {
  const challenge = await ownChallenge(deps, command);
  if (challenge.status === 'expired' || challenge.expiresAt <= deps.now()) throw new VerificationError('expired', 'the challenge has expired');
  // GET answers 410 for a decided challenge (CONTRACT §6); an answer to it (POST) is a 409 conflict.
  if (challenge.status !== 'pending') throw new VerificationError('already_decided', 'the challenge was already decided', { status: 410 });
  return challenge.signed;
}
