import type { BusinessHours } from './business-hours.ts';

/** How a ticket was timed. Instants are the vendor's; `…Ms` are calendar durations from `filedAt`. */
export interface Timings {
  filedAt: Date;
  /** First reply of any kind, or a solved/closed status change. Other status changes do not count. */
  firstResponseAt: Date | null;
  /** First `canned`, `human` or `resolution` reply. */
  firstHumanResponseAt: Date | null;
  /** First `human` or `resolution` reply. */
  firstSubstantiveResponseAt: Date | null;
  /** First `resolution` reply or solved/closed status, whichever came first. */
  resolutionAt: Date | null;
  /** Whether the resolution was a reply stating the fix or only a status change (e.g. an auto-close). */
  resolvedBy: 'reply' | 'status' | null;
  firstResponseMs: number | null;
  firstHumanResponseMs: number | null;
  firstSubstantiveResponseMs: number | null;
  resolutionMs: number | null;
  /** Business-time equivalents; `null` also when no business hours were given. */
  firstResponseBusinessMs: number | null;
  firstHumanResponseBusinessMs: number | null;
  firstSubstantiveResponseBusinessMs: number | null;
  resolutionBusinessMs: number | null;
  /** Vendor replies before the first substantive one (all replies so far when there is none yet). */
  repliesBeforeSubstantive: number;
  /** Requests for information the ticket already contained, counted per item asked for. */
  redundantInfoRequests: number;
  /** The distinct items those requests asked for. */
  redundantInfoRequested: string[];
  /** How late we saw activities (`seenAt − at`); `null` with no activities. */
  measurementError: { maxMs: number; meanMs: number } | null;
  /** Whether the ticket was filed while the vendor was closed; `null` without business hours. */
  filedOutsideBusinessHours: boolean | null;
  /** Activities not shown to come from the vendor (unverified e-mail senders), left out of every timing. */
  unverifiedActivities: number;
  /**
   * Activities the vendor timestamped before `filedAt` — clock skew between us and the vendor. Their
   * durations count as 0. `null` when there were none.
   */
  clockSkew: { activities: number; maxMs: number } | null;
  /** The business hours the business durations were measured against. */
  businessHours: BusinessHours | null;

  // ── the conversation ──
  /**
   * The four durations net of customer wait: each minus the time, before its moment, that the vendor
   * was waiting on us (from a question of its to our next message). Equal to the gross ones when the
   * vendor never asked.
   */
  firstResponseNetMs: number | null;
  firstHumanResponseNetMs: number | null;
  firstSubstantiveResponseNetMs: number | null;
  resolutionNetMs: number | null;
  /** Business-time equivalents of the net durations; `null` also when no business hours were given. */
  firstResponseNetBusinessMs: number | null;
  firstHumanResponseNetBusinessMs: number | null;
  firstSubstantiveResponseNetBusinessMs: number | null;
  resolutionNetBusinessMs: number | null;
  /** Each span the vendor waited on us: from its question to our next message (`to: null` while it lasts). */
  customerWaits: { from: Date; to: Date | null }[];
  /** Total of the customer waits that ended, ms. */
  customerWaitMs: number;
  /** Vendor replies that asked us something (the rounds of questions it needed). */
  questionRounds: number;
  /** Of those, the ones before the first substantive reply. */
  questionRoundsBeforeSubstantive: number;
  /** When a vendor reply first said the ticket went to second line / engineering / R&D. */
  escalatedAt: Date | null;
  /** Requests for information the ticket already gave made after the escalation: information lost in the hand-over. */
  redundantInfoRequestsAfterEscalation: number;
  /** Each follow-up we sent after silence, and how long the vendor then took to reply (`null`: not yet). */
  followUps: { at: Date; nextReplyMs: number | null }[];
  /** Messages we sent on the ticket (answers, follow-ups, the operator's, close-outs). */
  customerMessages: number;
}
