// Ed25519 verification: @noble/ed25519 (what the device SDK uses) against node:crypto with a cached key (what the
// services use), on the same signatures in one run.
import * as ed from '@noble/ed25519';
import { randomBytes } from 'node:crypto';
import { verifyEd25519 } from '@vigil/crypto';

export interface Ed25519Result {
  nobleVerifyPerSecond: number;
  nodeVerifyPerSecond: number;
  nodeVsNoble: number;
}

function rate(run: () => boolean | Promise<boolean>, durationMs: number): Promise<number> {
  return (async () => {
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < durationMs) {
      if (!(await run())) throw new Error('a valid signature did not verify');
      count += 1;
    }
    return Math.round(count / ((performance.now() - started) / 1000));
  })();
}

export async function benchEd25519(options: { durationMs: number }): Promise<Ed25519Result> {
  const secret = ed.utils.randomSecretKey();
  const publicKey = await ed.getPublicKeyAsync(secret);
  const message = randomBytes(200);
  const signature = await ed.signAsync(message, secret);
  const publicKeyB64 = Buffer.from(publicKey).toString('base64url');
  const signatureB64 = Buffer.from(signature).toString('base64url');
  const nobleVerifyPerSecond = await rate(() => ed.verifyAsync(signature, message, publicKey, { zip215: false }), options.durationMs);
  const nodeVerifyPerSecond = await rate(() => verifyEd25519(publicKeyB64, message, signatureB64), options.durationMs);
  return { nobleVerifyPerSecond, nodeVerifyPerSecond, nodeVsNoble: +(nodeVerifyPerSecond / nobleVerifyPerSecond).toFixed(1) };
}
