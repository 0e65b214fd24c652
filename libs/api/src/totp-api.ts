import Type, { type Static } from 'typebox';
import { Nullable, UserId } from '@vigil/events';

/** CONTRACT §6: TOTP verification for the login system. */
export const VerifyTotpBody = Type.Object({ userId: UserId, code: Type.String({ minLength: 1, maxLength: 16 }) }, { additionalProperties: false });
export type VerifyTotpBody = Static<typeof VerifyTotpBody>;

export const TotpVerdictBody = Type.Object({
  valid: Type.Boolean(), reason: Nullable(Type.Enum(['invalid_code', 'reused_code'])), verificationId: Nullable(Type.String()),
}, { additionalProperties: false });
export type TotpVerdictBody = Static<typeof TotpVerdictBody>;
