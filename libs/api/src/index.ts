export { ChallengeBody, ChallengeCreatedBody, ChallengeParams, ChallengeStatus, CreateChallengeBody, IdempotencyHeaders } from './challenge-api.ts';
export { PolicyBody, PolicyChangeBody } from './policy-api.ts';
export { TotpVerdictBody, VerifyTotpBody } from './totp-api.ts';
