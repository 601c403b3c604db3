import { businessMsBetween } from '../core/business-hours.ts';
import { formatMs } from '../core/duration.ts';
import type { Timings } from './timings.ts';
import { SLA_TARGET_NAMES, slaDeadline, type SlaClock, type SlaOutcome, type SlaTargets, type SlaVerdict } from '../core/sla.ts';
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
> & { customerWaits?: Timings['customerWaits'] };

/** How the SLA's clock treats the vendor's waits on us: stopped (`net`, the default) or running (`gross`). */
export type SlaWaitClock = 'net' | 'gross';

/**
 * Judges timings against targets as of `now`: a moment that happened is `met` or `missed`; one that has
 * not is `pending` until its target has elapsed on the SLA's clock, then `missed`.
 */
export function slaVerdict(timings: SlaTimings, targets: SlaTargets, now: Date, waits: SlaWaitClock = 'net'): SlaVerdict {
  const notes: string[] = [];
  const hours = targets.clock === 'business' ? timings.businessHours : null;
  if (targets.clock === 'business' && !hours) {
    notes.push('the SLA counts business hours but the vendor has none configured; calendar time was used');
  }
  const clock: SlaClock = hours ? 'business' : 'calendar';
  const filedAt = timings.filedAt;
  const span = (from: Date, until: Date): number =>
    hours ? businessMsBetween(from, until, hours) : Math.max(0, until.getTime() - from.getTime());
  // Net of customer wait: the time the vendor was waiting on us before `until` does not count against it.
  const stopped = (until: Date): number =>
    waits === 'gross'
      ? 0
      : (timings.customerWaits ?? []).reduce((sum, wait) => {
          const from = Math.max(wait.from.getTime(), filedAt.getTime());
          const to = Math.min((wait.to ?? until).getTime(), until.getTime());
          return to > from ? sum + span(new Date(from), new Date(to)) : sum;
        }, 0);
  const elapsed = (until: Date): number => Math.max(0, span(filedAt, until) - stopped(until));
  const waited = stopped(now);
  if (waited > 0) notes.push(`judged net of customer wait: the clock stopped for ${formatMs(waited)} while the vendor waited on us`);
  else if (waits === 'gross' && (timings.customerWaits ?? []).length > 0) notes.push('judged gross: the clock ran while the vendor waited on us');

  const verdict: SlaVerdict = { tier: targets.tier, clock, overall: 'met', checks: [], notes };
  for (const target of SLA_TARGET_NAMES) {
    const targetMs = targets[`${target}Ms`];
    if (targetMs === null) continue;
    const at = timings[`${target}At`];
    const elapsedMs = elapsed(at ?? now);
    const outcome: SlaOutcome = elapsedMs <= targetMs ? (at ? 'met' : 'pending') : 'missed';
    // The deadline moves by the time the clock stood still before the moment (or now).
    const extra = stopped(at ?? now);
    const dueAt = slaDeadline(filedAt, targetMs + extra, clock, hours);
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
