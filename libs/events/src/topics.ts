// Published topic names (CONTRACT §8). Renaming one is a breaking change for every consumer and for SOC tooling:
// add a new versioned topic instead.
export const TOPICS = {
  enrollment: 'vigil.enrollment.v1',
  factors: 'vigil.factors.v1',
  challenges: 'vigil.challenges.v1',
  notifications: 'vigil.notifications.v1',
  verifications: 'vigil.verifications.v1',
  fatigueAlerts: 'vigil.fatigue-alerts.v1',
  userRisk: 'vigil.user-risk.v1',
  // v2: tenant policies (CONTRACT §5a), keyed by tenant; for any service that needs a tenant's policy.
  policies: 'vigil.policies.v1',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export const ALL_TOPICS: readonly Topic[] = Object.values(TOPICS);

/** Topics that keep only the latest record per key (the user's current factors). */
export const COMPACTED_TOPICS: ReadonlySet<Topic> = new Set([TOPICS.factors, TOPICS.policies]);

/** Where a consumer parks a message it cannot validate or handle, with its original bytes. */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}
