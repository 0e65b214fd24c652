import type { EventData } from '@vigil/events';

// Event shapes are owned by libs/events; the domain names the parts it builds.
export type FactorsSnapshot = EventData<'vigil.factors.snapshot'>;
export type EncryptedSecret = FactorsSnapshot extends { totp: infer T } ? (T extends { secret: infer S } ? S : never) : never;
