import type { EnrollmentDeps } from './deps.ts';
import { publishFactors } from './factor-change.ts';

export interface RepublishUnsettledFactors {
  /** Changes marked longer ago than this and still unsettled are published again (FACTORS_REPAIR_AFTER_MS). */
  olderThanMs: number;
}

/** Users per sweep: a sweep stays short, and the next one takes the rest. */
const SWEEP_LIMIT = 100;

/**
 * The repair sweep (ADR 0012): publishes the snapshot of every change left unsettled for longer than `olderThanMs`,
 * then settles the marks it saw. A writer stalled for longer than that between its mark and its change, that then dies
 * before publishing, would slip through: keep FACTORS_REPAIR_AFTER_MS well above any write's duration.
 */
export async function republishUnsettledFactors(deps: EnrollmentDeps, command: RepublishUnsettledFactors): Promise<{ republished: number }> {
  const stale = await deps.factorVersions.unsettled(new Date(deps.now().getTime() - command.olderThanMs), SWEEP_LIMIT);
  for (const { user, marks } of stale) {
    const mark = await deps.factorVersions.changing(user);
    await publishFactors(deps, user);
    await deps.factorVersions.settled(user, mark, ...marks);
  }
  return { republished: stale.length };
}
