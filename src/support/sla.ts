import { addBusinessMs, businessMsBetween, nextBusinessOpening } from '../core/business-hours.ts';
import type { Timings } from './timings.ts';
import { SLA_TARGET_NAMES, type SlaClock, type SlaOutcome, type SlaTargets, type SlaVerdict } from '../core/sla.ts';
import type { StoredSlaVerdict } from '../core/stored-timings.ts';

/** The parts of {@link Timings} a verdict reads. */
export type SlaTimings = Pick<
  Timings,
  | 'filedAt'
  | 'businessHours'
  | 'firstResponseAt'
  | 'firstHumanResponseAt'
  | 'firstSubstantiveResponseAt'
  | 'resolutionAt'
>;

/**
 * Judges timings against targets as of `now`: a moment that happened is `met` or `missed`; one that has
 * not is `pending` until its target has elapsed on the SLA's clock, then `missed`.
 */
export function slaVerdict(timings: SlaTimings, targets: SlaTargets, now: Date): SlaVerdict {
  const notes: string[] = [];
  const hours = targets.clock === 'business' ? timings.businessHours : null;
  if (targets.clock === 'business' && !hours) {
    notes.push('the SLA counts business hours but the vendor has none configured; calendar time was used');
  }
  const clock: SlaClock = hours ? 'business' : 'calendar';
  const filedAt = timings.filedAt;
  const elapsed = (until: Date): number =>
    hours ? businessMsBetween(filedAt, until, hours) : Math.max(0, until.getTime() - filedAt.getTime());

  const verdict: SlaVerdict = { tier: targets.tier, clock, overall: 'met', checks: [], notes };
  for (const target of SLA_TARGET_NAMES) {
    const targetMs = targets[`${target}Ms`];
    if (targetMs === null) continue;
    const at = timings[`${target}At`];
    const elapsedMs = elapsed(at ?? now);
    const outcome: SlaOutcome = elapsedMs <= targetMs ? (at ? 'met' : 'pending') : 'missed';
    const dueAt = hours
      ? nextBusinessOpening(addBusinessMs(filedAt, targetMs, hours), hours)
      : new Date(filedAt.getTime() + targetMs);
    verdict.checks.push({ target, outcome, targetMs, elapsedMs, at, dueAt });
    verdict[target] = outcome;
  }
  if (verdict.checks.some((check) => check.outcome === 'missed')) verdict.overall = 'missed';
  else if (verdict.checks.some((check) => check.outcome === 'pending')) verdict.overall = 'pending';
  if (verdict.checks.length === 0) notes.push('the SLA sets no targets, so nothing was judged');
  return verdict;
}

/** A verdict as the store keeps it: instants become ISO-8601 strings. */
export function storedVerdict(verdict: SlaVerdict): StoredSlaVerdict {
  return JSON.parse(JSON.stringify(verdict)) as StoredSlaVerdict;
}
