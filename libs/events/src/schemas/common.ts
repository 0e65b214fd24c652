import Type, { type Static, type TSchema } from 'typebox';

/** `null` or the given schema: the contract spells absent values as null, never as a missing field. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const TenantId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' });
// CONTRACT §2: 1-128 chars of [A-Za-z0-9._@+-].
export const UserId = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._@+-]+$' });
export const Id = Type.String({ minLength: 1, maxLength: 128 });
export const Timestamp = Type.String({ format: 'date-time' });

export const Platform = Type.Enum(['ios', 'android', 'web']);
export const PushChannel = Type.Enum(['fcm', 'poll']);

export const Location = Type.Object(
  {
    country: Type.Optional(Type.String({ maxLength: 64 })),
    city: Type.Optional(Type.String({ maxLength: 128 })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  },
  { additionalProperties: false },
);

/**
 * An IPv4 or IPv6 address (CONTRACT §5 v2): it becomes part of Redis keys, alert source lists and OCSF observables, so
 * it must be an address and nothing else (no markup, no key separators).
 */
export const IpAddress = Type.Union([Type.String({ format: 'ipv4', maxLength: 15 }), Type.String({ format: 'ipv6', maxLength: 45 })]);

/**
 * What the login system tells about the sign-in attempt (CONTRACT §5); shown to the user and used by the rules. The
 * challenge service checks `ip` strictly at its edge (`ChallengeContextInput`); events keep accepting any short string
 * for one release, so that events written before v2 (still in topics and outboxes during an upgrade) are not
 * dead-lettered — an approval among them would never reach its login system.
 */
export const ChallengeContext = Type.Object(
  {
    ip: Type.Optional(Type.String({ maxLength: 64 })),
    userAgent: Type.Optional(Type.String({ maxLength: 512 })),
    application: Type.Optional(Type.String({ maxLength: 128 })),
    location: Type.Optional(Location),
  },
  { additionalProperties: false },
);

/** Who the event is about: every event's data carries it, and the message key is derived from it. */
export const UserRef = { tenantId: TenantId, userId: UserId };
/** A user of a tenant, as every service names one (the type of `UserRef`'s fields). */
export type UserRef = { [K in keyof typeof UserRef]: Static<(typeof UserRef)[K]> };
export type ChallengeContext = Static<typeof ChallengeContext>;

export const strict = { additionalProperties: false } as const;

/** The context a login system sends (CONTRACT §5 v2): `ip` must be an IPv4 or IPv6 address. */
export const ChallengeContextInput = Type.Object(
  { ...ChallengeContext.properties, ip: Type.Optional(IpAddress) },
  { additionalProperties: false },
);
