import type { EventDraft, UserRef } from '@vigil/events';
import type { DeviceChannel } from './factor-types.ts';
import type { PushMessage } from './push-message.ts';

export class PushSendError extends Error {
  readonly code: string;
  readonly retryAfterMs: number | null;
  constructor(code: string, message: string, retryAfterMs: number | null) {
    super(message);
    this.name = 'PushSendError';
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Sends one push; resolves with the provider's message id or throws PushSendError. */
export interface PushSender {
  send(message: PushMessage): Promise<string>;
}

/** The notification service's projection of vigil.factors.v1. */
export interface DeviceChannels {
  get(user: UserRef): Promise<DeviceChannel | null>;
  /** Keeps the snapshot's device (null: none) unless the projection already has this version or a newer one. */
  apply(user: UserRef, device: DeviceChannel | null, version: number): Promise<void>;
  /** The user's factors are gone (a tombstone on the compacted topic): whatever version was kept. */
  forget(user: UserRef): Promise<void>;
}

/**
 * Remembers which challenges were dispatched, so that a redelivered event never sends twice: a push is claimed before
 * FCM is called (at most one send per challenge, even across a crash mid-send), and its outcome is recorded with the
 * event that announces it.
 */
export interface DispatchLedger {
  claim(challengeId: string, ttlMs: number): Promise<boolean>;
  finish(challengeId: string, outcome: EventDraft): Promise<void>;
}
