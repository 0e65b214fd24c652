import type { EventData, EventDraft } from '@vigil/events';
import type { TimedMember } from './busiest-window.ts';
import type { Location, Rule } from './rules.ts';

export interface UserRef {
  tenantId: string;
  userId: string;
}

export type FatigueAlert = EventData<'vigil.fatigue.alert'>;

/** Time-ordered series per key (sorted sets): members are unique per event, so a redelivery adds nothing. */
export interface WindowStore {
  /** Adds the member at `atMs` and returns the members within (atMs - windowMs, atMs], with their times. */
  addAndRange(key: string, member: string, atMs: number, windowMs: number): Promise<TimedMember[]>;
  /** Adds the member at `atMs` and returns the members within (atMs - windowMs, atMs + windowMs) with their times. */
  addAndAround(key: string, member: string, atMs: number, windowMs: number): Promise<TimedMember[]>;
  range(key: string, fromMs: number, toMs: number): Promise<TimedMember[]>;
  lastLocation(user: UserRef): Promise<Location | null>;
  setLocation(user: UserRef, location: Location): Promise<void>;
}

export interface Detection extends UserRef {
  rule: Rule;
  count: number;
  windowMs: number;
  at: Date;
  /** The first event the rule counted (the detection happens at `at`, the last). */
  firstSeenAt: Date;
  challengeIds: string[];
  sourceIps: string[];
  mitigation: { action: 'suspend_push'; until: string } | null;
}

/** The events that announce an alert as it is written (the alert itself; the mitigation it opens). */
export type Announce = (alert: FatigueAlert) => EventDraft[];

/**
 * Alerts, deduplicated per user (or IP) and rule for 15 min: the first detection opens, later ones update. Each write
 * stores the events `announce` gives in the same step, and resolves once Kafka has them (throws if not yet: they
 * are published later whatever happens).
 */
export interface AlertStore {
  record(detection: Detection, dedupKey: string, dedupMs: number, announce: Announce): Promise<FatigueAlert>;
  list(tenantId: string, filter: { userId?: string; since?: Date; limit: number }): Promise<FatigueAlert[]>;
}
