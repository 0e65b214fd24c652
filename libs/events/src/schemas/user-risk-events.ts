import Type from 'typebox';
import { Id, Nullable, Timestamp, UserRef, strict } from './common.ts';
import { AlertRule } from './alert-events.ts';

export const PushSuspended = Type.Object(
  { ...UserRef, until: Timestamp, rule: AlertRule, alertId: Nullable(Id), suspendedAt: Timestamp },
  strict,
);

export const PushRestored = Type.Object(
  { ...UserRef, restoredAt: Timestamp, by: Type.Enum(['admin', 'expiry']) },
  strict,
);
