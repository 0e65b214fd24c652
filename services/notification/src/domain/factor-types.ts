import type { EventData } from '@vigil/events';

/**
 * How the user's device is reached: the part of the factors snapshot's push factor that a push needs, derived from the
 * schema in libs/events (STYLE habit 4; ADR 0015) rather than written out again.
 */
export type DeviceChannel = Pick<NonNullable<EventData<'vigil.factors.snapshot'>['push']>, 'deviceId' | 'channel' | 'pushToken'>;
