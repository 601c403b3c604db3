import type { ReplyKind } from '../core/reply.ts';
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
  /** The reply's kind, or `null` for a status change that carries no reply. */
  kind: ReplyKind | null;
  /** The ticket status this activity set, if any (`'solved'`, `'closed'`, `'pending'`, …). */
  status?: string | null;
  /** Items the reply asked for that the ticket already contained (as the classifier found them). */
  requestsProvidedInfo?: readonly string[];
  /** Not shown to come from the vendor (an e-mail from an unknown sender): left out of every timing. */
  unverified?: boolean;
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
  const redundantInfoRequested = new Set<string>();
  let skewed = 0;
  let maxSkewMs = 0;

  for (const activity of activities) {
    const kind = activity.kind;
    const resolvingStatus = isResolvingStatus(activity.status);
    if (kind !== null || resolvingStatus) firstResponse ??= activity;
    if (kind === 'canned' || kind === 'human' || kind === 'resolution') firstHuman ??= activity;
    if (kind === 'human' || kind === 'resolution') firstSubstantive ??= activity;
    if (kind === 'resolution' || resolvingStatus) resolution ??= activity;
    if (kind !== null && !firstSubstantive) repliesBeforeSubstantive++;
    for (const item of activity.requestsProvidedInfo ?? []) {
      redundantInfoRequests++;
      redundantInfoRequested.add(item);
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

  let measurementError: Timings['measurementError'] = null;
  if (activities.length > 0) {
    const lags = activities.map((activity) => activity.seenAt.getTime() - activity.at.getTime());
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
  };
}

/** Timings as the store keeps them: instants become ISO-8601 strings. */
export function storedTimings(timings: Timings): StoredTimings {
  return JSON.parse(JSON.stringify(timings)) as StoredTimings;
}
