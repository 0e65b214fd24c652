import { describe, expect, it } from 'vitest';
import { QUIET_DELIVERY_NOTICE, type ChallengePayload } from '@vigil/device-sdk';
import { challengeLines } from './challenge-listing.ts';

const challenge = (delivery?: 'push' | 'quiet'): ChallengePayload => ({
  challengeId: '0b5e9a4c-1a6f-4d1e-9a57-8d1f3c2b7e60', tenantId: 'acme', userId: 'alice', deviceId: 'd-1',
  createdAt: '2025-01-01T10:00:00.000Z', expiresAt: '2025-01-01T10:01:00.000Z', numberMatchDigits: 6,
  context: { ip: '198.51.100.20', application: 'vpn' }, ...(delivery ? { delivery } : {}),
});

describe('pending challenges in the CLI', () => {
  it('prints a pushed challenge on one line with the number of digits to type', () => {
    expect(challengeLines(challenge('push'))).toEqual([
      'challenge 0b5e9a4c-1a6f-4d1e-9a57-8d1f3c2b7e60  expires 2025-01-01T10:01:00.000Z  type the 6-digit number shown at sign-in  context {"ip":"198.51.100.20","application":"vpn"}',
    ]);
    expect(challengeLines(challenge())).toHaveLength(1);
  });

  it('warns under a quiet challenge that the user was not notified of it', () => {
    expect(challengeLines(challenge('quiet'))).toEqual([challengeLines(challenge('push'))[0], `  ! ${QUIET_DELIVERY_NOTICE}`]);
  });
});
