import type { UserRef } from '@vigil/events';
import type { EncryptedSecret, FactorsSnapshot, PushFactor } from './factor-types.ts';

export interface DeviceRecord extends UserRef {
  deviceId: string;
  publicKey: string;
  platform: PushFactor['platform'];
  pushToken: string | null;
  deviceName: string | null;
  appVersion: string | null;
  enrolledAt: Date;
  lastSeenAt: Date | null;
}

export interface PendingActivation extends UserRef {
  enrollmentId: string;
  expiresAt: Date;
  replace: boolean;
  proofId: string | null;
}

export interface TotpCredential extends UserRef {
  secret: EncryptedSecret;
  enrolledAt: Date;
  /** The enrollment confirmed into it: a repeat of that confirm converges instead of answering 404. */
  enrollmentId?: string;
  /** The time step of the confirming code, spent by the confirmation (CONTRACT §4 v2). */
  spentStep?: number;
}

export interface PendingTotp extends UserRef {
  enrollmentId: string;
  secret: EncryptedSecret;
  expiresAt: Date;
}

/** Active push devices; at most one per tenant+user (a unique index, not only this code). */
export interface DeviceRepository {
  findActiveByUser(user: UserRef): Promise<DeviceRecord | null>;
  findActiveById(deviceId: string): Promise<DeviceRecord | null>;
  /** Inserts; throws DeviceConflict if the user already has an active device. */
  insert(device: DeviceRecord): Promise<void>;
  /** Removes the active device (keeping a revocation record); returns it, or null if there was none. */
  revoke(match: { deviceId?: string } & UserRef, reason: 'admin' | 'self' | 'replaced', at: Date): Promise<DeviceRecord | null>;
  updatePushToken(deviceId: string, pushToken: string | null): Promise<DeviceRecord | null>;
  /** Whether a device of the user with this key was revoked or replaced (its key never comes back). */
  wasRevoked(user: UserRef, publicKey: string): Promise<boolean>;
  touch(deviceId: string, at: Date): Promise<void>;
}

export class DeviceConflict extends Error {
  constructor() {
    super('the user already has an active device');
    this.name = 'DeviceConflict';
  }
}

/** A code taken by a device key; `repeat`: this same key had taken it before (its activation is being repeated). */
export type ConsumedActivation = PendingActivation & { repeat: boolean };

/** Activation codes, stored by hash only. */
export interface ActivationCodeRepository {
  insert(codeHash: string, pending: PendingActivation): Promise<void>;
  /**
   * Marks the code used by `publicKey`, atomically, if it exists, is not expired at `now`, and is unused or was used
   * by this same key (`repeat`: an activation repeated after a failure, to converge).
   */
  consume(codeHash: string, now: Date, publicKey: string): Promise<ConsumedActivation | null>;
  /** Spends every other unused code of the user (CONTRACT §4 v2: an activation invalidates the user's open codes). */
  invalidateOthers(user: UserRef, keepEnrollmentId: string, now: Date): Promise<void>;
}

export interface TotpRepository {
  findCredential(user: UserRef): Promise<TotpCredential | null>;
  /** Replaces the user's credential (a confirmed new enrollment replaces the old secret). */
  saveCredential(credential: TotpCredential): Promise<void>;
  removeCredential(user: UserRef): Promise<boolean>;
  insertPending(pending: PendingTotp): Promise<void>;
  findPending(user: UserRef, enrollmentId: string): Promise<PendingTotp | null>;
  deletePending(user: UserRef, enrollmentId: string): Promise<void>;
}

/** Recent successful verifications (push approvals, TOTP) that may stand as proof for replacing a device. */
export interface ProofStore {
  record(proof: UserRef & { proofId: string; at: Date }): Promise<void>;
  /** Takes the proof out (single use) and returns when it happened, if it was for this user. */
  take(user: UserRef, proofId: string): Promise<Date | null>;
}

/** Counts failed activations per source IP (5 per 10 min → 429). */
export interface ActivationThrottle {
  /** Milliseconds to wait if the IP is over its limit, else null. */
  blockedForMs(ip: string): Promise<number | null>;
  recordFailure(ip: string): Promise<void>;
}

export interface SuspensionStore {
  set(user: UserRef, until: Date | null): Promise<void>;
  get(user: UserRef): Promise<Date | null>;
}

/** Publishes the user's current factors on the compacted topic (tombstone when none are left). */
export interface FactorPublisher {
  publish(snapshot: FactorsSnapshot | null, user: UserRef): Promise<void>;
}

/** Per-user snapshot versions, and the marks of changes whose snapshot may not have reached Kafka yet (ADR 0012). */
export interface FactorVersions {
  next(user: UserRef): Promise<number>;
  /**
   * Marks the user's factors as changing before the change is made, so that a change whose snapshot never reached
   * Kafka (a crash, Kafka down) is found and published again. Each change has its own mark: one change settling
   * never clears another's. Returns the mark, for `settled`.
   */
  changing(user: UserRef): Promise<string>;
  /** The snapshot after the changes identified by `marks` is published. */
  settled(user: UserRef, ...marks: string[]): Promise<void>;
  /** Users with a change marked before `before` and not settled, with those marks. */
  unsettled(before: Date, limit: number): Promise<{ user: UserRef; marks: string[] }[]>;
}
