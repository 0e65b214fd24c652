import type { UserRef } from '@vigil/events';

/**
 * The associated data a TOTP secret is sealed with: it binds the secret to its owner, so a sealed secret copied to
 * another user's record does not open.
 */
export function secretOwner(user: UserRef): string {
  return `${user.tenantId}:${user.userId}`;
}
