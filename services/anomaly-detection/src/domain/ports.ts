import type { EventData, EventDraft, UserRef } from '@vigil/events';
import type { IpSignIn, SeriesEntry, UserSeries } from './series.ts';
import type { Location } from './travel.ts';

export type FatigueAlert = EventData<'vigil.fatigue.alert'>;

/** An event added to one of a user's series. */
export interface SeriesWrite {
  user: UserRef;
  series: UserSeries;
  entry: SeriesEntry;
  /** The longest window a rule reads from the series (seriesWindowMs): entries are kept at least that long. */
  windowMs: number;
}

/**
 * Time-ordered series of events: per user, and per source address across users. Entries are unique per event, so a
 * redelivered event adds nothing and a retried handler sees the same window.
 */
export interface WindowStore {
  add(write: SeriesWrite): Promise<void>;
  /** Adds the entry and returns the series' entries within (entry.atMs - windowMs, entry.atMs]. */
  addAndRange(write: SeriesWrite): Promise<SeriesEntry[]>;
  /** The series' entries within (atMs - windowMs, atMs]. */
  range(query: { user: UserRef; series: UserSeries; atMs: number; windowMs: number }): Promise<SeriesEntry[]>;
  /** Adds the sign-in to its address's series; returns that series within (atMs - windowMs, atMs + windowMs). */
  addAndAround(write: { tenantId: string; signIn: IpSignIn; windowMs: number }): Promise<IpSignIn[]>;
  lastLocation(user: UserRef): Promise<Location | null>;
  setLocation(user: UserRef, location: Location): Promise<void>;
}

/** Which alert a detection belongs to. */
export interface AlertClaim {
  alertId: string;
  /** This call made the claim: no alert can exist under its id yet. */
  first: boolean;
}

/**
 * Deduplication of alerts across instances: the first detection of a key within `ttlMs` claims a fresh alert id,
 * later ones (on any instance) get that id.
 */
export interface AlertDedup {
  claim(request: { dedupKey: string; ttlMs: number }): Promise<AlertClaim>;
}

/**
 * Alerts, for GET /v1/alerts. Each write stores the events that announce it in the same step (CONTRACT §8) and
 * resolves once Kafka has them; if Kafka has not, it throws EventsPendingError and the stored events are published
 * later whatever happens.
 */
export interface AlertStore {
  /** Stores a new alert unless one with its id exists (another try stored it first): true when this call stored it. */
  insert(alert: FatigueAlert, events: readonly EventDraft[]): Promise<boolean>;
  find(alertId: string): Promise<FatigueAlert | null>;
  update(alert: FatigueAlert, events: readonly EventDraft[]): Promise<void>;
  /** Newest first (by lastSeenAt). */
  list(query: AlertQuery): Promise<FatigueAlert[]>;
}

export interface AlertQuery {
  tenantId: string;
  userId?: string;
  since?: Date;
  limit: number;
}
