import type { EventData } from '@vigil/events';

// Event shapes are owned by libs/events (STYLE habit 4; ADR 0015): the domain names the parts of the factors snapshot
// it builds, derived from its schema rather than written out again.
export type FactorsSnapshot = EventData<'vigil.factors.snapshot'>;
export type PushFactor = NonNullable<FactorsSnapshot['push']>;
export type EncryptedSecret = NonNullable<FactorsSnapshot['totp']>['secret'];
