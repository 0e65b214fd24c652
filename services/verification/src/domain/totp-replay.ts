/**
 * A TOTP step stays "used" for as long as any code of it could still be accepted: ±1 step of 30 s around now (RFC 6238
 * §5.2), with room for clock skew. The step of a code that confirmed an enrollment is remembered as long.
 */
export const STEP_MEMORY_SECONDS = 120;
