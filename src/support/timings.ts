import type { ActivityKind } from '../core/reply.ts';
import type { ActivityRow, MessageRow } from '../store/rows.ts';
import type { StoredTimings } from '../core/stored-timings.ts';
import type { Timings } from '../core/timings.ts';

export type { Timings };
import { businessMsBetween, isWithinBusinessHours, type BusinessHours } from '../core/business-hours.ts';

/**
 * Statuses that mean the vendor considers the ticket done. Compared case-insensitively; `resolved` is
 * Freshdesk's and Jira Service Management's word for Zendesk's `solved`.
 */
export const RESOLVED_STATUSES: readonly string[] = ['solved', 'closed', 'resolved'];

/** One vendor activity on a ticket, as timings need it. */
export interface TimedActivity {
  /** The vendor's own timestamp: the truth for every timing. */
  at: Date;
  /** When we first saw it; only used to report measurement error. */
  seenAt: Date;
  /** The reply's kind (`customer` for a message we sent), or `null` for a status change that carries no reply. */
  kind: ActivityKind | null;
  /** The ticket status this activity set, if any (`'solved'`, `'closed'`, `'pending'`, …). */
  status?: string | null;
  /** Items the reply asked for that the ticket already contained (as the classifier found them). */
  requestsProvidedInfo?: readonly string[];
  /** Not shown to come from the vendor (an e-mail from an unknown sender): left out of every timing. */
  unverified?: boolean;
  /** How many questions the vendor's reply asks us: one or more starts a customer wait. */
  questions?: number;
  /** The vendor's reply says the ticket went to second line / engineering / R&D. */
  escalation?: boolean;
  /** For a `customer` activity: it was a follow-up after silence (its next vendor reply is timed). */
  followUp?: boolean;
}

/** Input of {@link computeTimings}. */
export interface TimingsInput {
  /** When the ticket was filed; every duration starts here. */
  filedAt: Date;
  /** The ticket's activities in any order. */
  activities: readonly TimedActivity[];
  /**
   * The vendor's business hours; when given, every duration is also measured in business time.
   * @defaultValue `null` (calendar time only)
   */
  business?: BusinessHours | null;
}

function isResolvingStatus(status: string | null | undefined): boolean {
  return typeof status === 'string' && RESOLVED_STATUSES.includes(status.trim().toLowerCase());
}

/**
 * Times a ticket from its activities. Status changes other than solved/closed are not responses: a
 * triage rule moving a ticket to "pending" tells the customer nothing, while closing it does say
 * something — the vendor considers the matter done — so it counts as a response and a resolution.
 */
export function computeTimings(input: TimingsInput): Timings {
  const filed = input.filedAt.getTime();
  const business = input.business ?? null;
  // Stable sort: equal vendor timestamps keep the order the vendor listed them in.
  // A message nobody can show came from the vendor (anyone may send a mail with the ticket's tag) says
  // nothing about the vendor's speed.
  const activities = input.activities.filter((a) => !a.unverified).sort((a, b) => a.at.getTime() - b.at.getTime());
  const unverifiedActivities = input.activities.length - activities.length;

  let firstResponse: TimedActivity | undefined;
  let firstHuman: TimedActivity | undefined;
  let firstSubstantive: TimedActivity | undefined;
  let resolution: TimedActivity | undefined;
  let repliesBeforeSubstantive = 0;
  let redundantInfoRequests = 0;
  let redundantAfterEscalation = 0;
  const redundantInfoRequested = new Set<string>();
  let skewed = 0;
  let maxSkewMs = 0;
  let escalated: TimedActivity | undefined;
  let questionRounds = 0;
  let questionRoundsBeforeSubstantive = 0;
  const waits: { from: Date; to: Date | null }[] = [];
  const followUps: { at: Date; nextReplyMs: number | null }[] = [];
  let customerMessages = 0;

  for (const activity of activities) {
    const kind = activity.kind;
    const beforeSubstantive = firstSubstantive === undefined;
    if (kind === 'customer') {
      // Our own message: never a vendor response; it ends the vendor's wait on us.
      customerMessages++;
      const open = waits[waits.length - 1];
      if (open && open.to === null) open.to = activity.at;
      if (activity.followUp) followUps.push({ at: activity.at, nextReplyMs: null });
      continue;
    }
    const resolvingStatus = isResolvingStatus(activity.status);
    if (kind !== null || resolvingStatus) firstResponse ??= activity;
    if (kind === 'canned' || kind === 'human' || kind === 'resolution') firstHuman ??= activity;
    if (kind === 'human' || kind === 'resolution') firstSubstantive ??= activity;
    if (kind === 'resolution' || resolvingStatus) resolution ??= activity;
    if (kind !== null && !firstSubstantive) repliesBeforeSubstantive++;
    if (kind !== null && kind !== 'auto') {
      for (const followUp of followUps) followUp.nextReplyMs ??= Math.max(0, activity.at.getTime() - followUp.at.getTime());
      if ((activity.questions ?? 0) > 0) {
        questionRounds++;
        if (beforeSubstantive && kind === 'canned') questionRoundsBeforeSubstantive++;
        const open = waits[waits.length - 1];
        if (!open || open.to !== null) waits.push({ from: activity.at, to: null });
      }
      if (activity.escalation) escalated ??= activity;
    }
    // A vendor that resolves without our answer has stopped waiting on us.
    const open = waits[waits.length - 1];
    if (open && open.to === null && (kind === 'resolution' || resolvingStatus) && open.from.getTime() < activity.at.getTime()) open.to = activity.at;
    for (const item of activity.requestsProvidedInfo ?? []) {
      redundantInfoRequests++;
      redundantInfoRequested.add(item);
      if (escalated && escalated !== activity) redundantAfterEscalation++;
    }
    const early = filed - activity.at.getTime();
    if (early > 0) {
      skewed++;
      maxSkewMs = Math.max(maxSkewMs, early);
    }
  }

  const calendarMs = (activity: TimedActivity | undefined): number | null =>
    activity ? Math.max(0, activity.at.getTime() - filed) : null;
  const businessMs = (activity: TimedActivity | undefined): number | null =>
    activity && business ? businessMsBetween(input.filedAt, activity.at, business) : null;
  // The vendor's wait on us before a moment, in calendar or business time: what "net" takes away.
  const waitedBefore = (until: Date, measure: (from: Date, to: Date) => number): number =>
    waits.reduce((sum, wait) => {
      const end = Math.min((wait.to ?? until).getTime(), until.getTime());
      const start = Math.max(wait.from.getTime(), filed);
      return end > start ? sum + measure(new Date(start), new Date(end)) : sum;
    }, 0);
  const calendarSpan = (from: Date, to: Date) => to.getTime() - from.getTime();
  const netMs = (activity: TimedActivity | undefined): number | null =>
    activity ? Math.max(0, calendarMs(activity)! - waitedBefore(activity.at, calendarSpan)) : null;
  const netBusinessMs = (activity: TimedActivity | undefined): number | null =>
    activity && business ? Math.max(0, businessMs(activity)! - waitedBefore(activity.at, (from, to) => businessMsBetween(from, to, business))) : null;

  let measurementError: Timings['measurementError'] = null;
  // Only the vendor's activities were seen late or early; ours are recorded as we send them.
  const seen = activities.filter((a) => a.kind !== 'customer');
  if (seen.length > 0) {
    const lags = seen.map((activity) => activity.seenAt.getTime() - activity.at.getTime());
    measurementError = {
      maxMs: Math.max(...lags),
      meanMs: Math.round(lags.reduce((sum, lag) => sum + lag, 0) / lags.length),
    };
  }

  return {
    filedAt: input.filedAt,
    firstResponseAt: firstResponse?.at ?? null,
    firstHumanResponseAt: firstHuman?.at ?? null,
    firstSubstantiveResponseAt: firstSubstantive?.at ?? null,
    resolutionAt: resolution?.at ?? null,
    resolvedBy: resolution ? (resolution.kind === 'resolution' ? 'reply' : 'status') : null,
    firstResponseMs: calendarMs(firstResponse),
    firstHumanResponseMs: calendarMs(firstHuman),
    firstSubstantiveResponseMs: calendarMs(firstSubstantive),
    resolutionMs: calendarMs(resolution),
    firstResponseBusinessMs: businessMs(firstResponse),
    firstHumanResponseBusinessMs: businessMs(firstHuman),
    firstSubstantiveResponseBusinessMs: businessMs(firstSubstantive),
    resolutionBusinessMs: businessMs(resolution),
    repliesBeforeSubstantive,
    redundantInfoRequests,
    redundantInfoRequested: [...redundantInfoRequested],
    unverifiedActivities,
    measurementError,
    filedOutsideBusinessHours: business ? !isWithinBusinessHours(input.filedAt, business) : null,
    clockSkew: skewed > 0 ? { activities: skewed, maxMs: maxSkewMs } : null,
    businessHours: business,
    firstResponseNetMs: netMs(firstResponse),
    firstHumanResponseNetMs: netMs(firstHuman),
    firstSubstantiveResponseNetMs: netMs(firstSubstantive),
    resolutionNetMs: netMs(resolution),
    firstResponseNetBusinessMs: netBusinessMs(firstResponse),
    firstHumanResponseNetBusinessMs: netBusinessMs(firstHuman),
    firstSubstantiveResponseNetBusinessMs: netBusinessMs(firstSubstantive),
    resolutionNetBusinessMs: netBusinessMs(resolution),
    customerWaits: waits,
    customerWaitMs: waits.reduce((sum, wait) => sum + (wait.to ? wait.to.getTime() - wait.from.getTime() : 0), 0),
    questionRounds,
    questionRoundsBeforeSubstantive,
    escalatedAt: escalated?.at ?? null,
    redundantInfoRequestsAfterEscalation: redundantAfterEscalation,
    followUps,
    customerMessages,
  };
}

/** Timings as the store keeps them: instants become ISO-8601 strings. */
export function storedTimings(timings: Timings): StoredTimings {
  return JSON.parse(JSON.stringify(timings)) as StoredTimings;
}

/**
 * A ticket's stored activities as timings read them, with the ticket's messages saying which of
 * our own were follow-ups (whose next vendor reply is timed).
 */
export function timedActivities(activities: readonly ActivityRow[], messages: readonly MessageRow[] = []): TimedActivity[] {
  const followUps = new Set(messages.filter((m) => m.purpose === 'follow-up' && m.vendorMessageId !== null).map((m) => m.vendorMessageId));
  return activities.map((a) => ({
    at: new Date(a.at),
    seenAt: new Date(a.seenAt),
    kind: a.kind,
    status: a.statusChange ?? undefined,
    requestsProvidedInfo: a.requestsProvidedInfo,
    unverified: a.unverified,
    questions: a.questions.length,
    escalation: a.escalation,
    followUp: a.kind === 'customer' && followUps.has(a.vendorActivityId),
  }));
}
