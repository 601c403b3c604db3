/**
 * The rows every store implementation reads and writes, in the ground floor's types: instants as
 * ISO-8601 UTC strings with milliseconds, timings, SLA verdicts and facts already decoded.
 */
import type { Question } from '../core/question.ts';
import type { ActivityKind, AuthorRole, ReplyKind } from '../core/reply.ts';
import type { FaultResult, FreezeResult, RunResult } from '../core/run-result.ts';
import type { StoredDiagnosis } from '../core/stored-diagnosis.ts';
import type { StoredSlaVerdict, StoredTimings } from '../core/stored-timings.ts';
import type { TicketFacts } from '../core/ticket-facts.ts';

/** Where a run is. A killed process leaves the last one written, so the run says where it stopped. */
export type RunStatus =
  | 'created'
  | 'running'
  | 'in-session'
  | 'scored'
  | 'filing'
  | 'filed'
  | 'filing-failed'
  | 'not-reproduced'
  /** The class was not healthy before the first fault: nothing injected, nothing filed. */
  | 'unhealthy-baseline'
  | 'watching'
  | 'resolved'
  | 'timed-out'
  | 'interrupted'
  | 'failed'
  | 'refused';

export const RUN_STATUSES: readonly RunStatus[] = [
  'created',
  'running',
  'in-session',
  'scored',
  'filing',
  'filed',
  'filing-failed',
  'not-reproduced',
  'unhealthy-baseline',
  'watching',
  'resolved',
  'timed-out',
  'interrupted',
  'failed',
  'refused',
];

/**
 * Where a ticket is: `filing` (a filing began and may not have reached the vendor — look it up there
 * before filing again), `open` (being watched), `resolved`, `timed-out` (the watch ended without a
 * resolution), `filing-failed`, `stopped` (watching was given up, e.g. the vendor refused us).
 */
export type TicketState = 'filing' | 'open' | 'resolved' | 'timed-out' | 'filing-failed' | 'stopped';

export const TICKET_STATES: readonly TicketState[] = ['filing', 'open', 'resolved', 'timed-out', 'filing-failed', 'stopped'];

/** An instant as the store takes it: a Date or an ISO-8601 string. Stored as UTC ISO-8601 with ms. */
export type Instant = Date | string;

/** One execution of a drill. Instants are ISO-8601 UTC strings with milliseconds. */
export interface RunRow {
  id: string;
  drill: string;
  provider: string;
  /** The vendor the run files to; `null` when it files nothing (`--no-ticket`). */
  vendor: string | null;
  status: RunStatus;
  /** Finer than the status: the step the run was in when last written (`launching browser`, …). */
  phase: string | null;
  /** When the row was written. */
  createdAt: string;
  /** When the run started; the result's start time once it is saved. */
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
  /** `null` until the run is scored. */
  reproduced: boolean | null;
  reason: string | null;
  evidenceDir: string | null;
  /** The drill's `--json` document, once saved. */
  result: RunResult | null;
  error: string | null;
}

/** What {@link Store.createRun} takes. */
export interface NewRun {
  id: string;
  drill: string;
  provider: string;
  vendor: string | null;
  /** @defaultValue `'created'` */
  status?: RunStatus;
  phase?: string | null;
  /** @defaultValue now */
  startedAt?: Instant;
}

/** The fields of a run that change as it goes; a field left out is left as it is. */
export interface RunPatch {
  status?: RunStatus;
  phase?: string | null;
  vendor?: string | null;
  startedAt?: Instant;
  endedAt?: Instant | null;
  reproduced?: boolean | null;
  reason?: string | null;
  evidenceDir?: string | null;
  error?: string | null;
}

export interface ListRunsOptions {
  /** Runs started at or after this instant. */
  since?: Instant;
  drill?: string;
  vendor?: string;
  status?: RunStatus | readonly RunStatus[];
  limit?: number;
}

/**
 * A run and its ticket as a trial scorecard reads them, for many runs at once: without the run's
 * result document, and with the kind of the ticket's first human reply worked out by the database.
 */
export interface RunTicketSummary {
  runId: string;
  drill: string;
  vendor: string | null;
  status: RunStatus;
  startedAt: string;
  reproduced: boolean | null;
  evidenceDir: string | null;
  /** Whether the run's result has an answer key (runs from before answer keys have none). */
  hasAnswerKey: boolean;
  /** The run this one retried (its result's `attempt.retryOf`); `null` for a first attempt and for runs from before retries. */
  retryOf: string | null;
  ticket: {
    id: number;
    vendor: string;
    ref: string;
    vendorTicketId: string | null;
    url: string | null;
    state: TicketState;
    filedAt: string | null;
    timings: StoredTimings | null;
    sla: StoredSlaVerdict | null;
    /** The kind of the first `canned`, `human` or `resolution` reply, or `null` before one. */
    firstHumanKind: ReplyKind | null;
    diagnosis: StoredDiagnosis | null;
  } | null;
}

/** A fault of a run as saved with its result. */
export interface FaultRow extends Omit<FaultResult, 'index'> {
  runId: string;
  idx: number;
}

/** A freeze episode of a run as saved with its result. */
export interface FreezeEpisodeRow extends Omit<FreezeResult, 'fault'> {
  id: number;
  runId: string;
  /** Index of the fault that caused it, or `null` for a freeze no fault explains. */
  faultIdx: number | null;
}

/** What was filed for a run. Instants are ISO-8601 UTC strings with milliseconds. */
export interface TicketRow {
  id: number;
  runId: string;
  /** The vendor's name in the config. */
  vendor: string;
  /** The run's reference tag without brackets (`DRILL-7f3a9c`). */
  ref: string;
  vendorTicketId: string | null;
  url: string | null;
  /** When filing began. */
  createdAt: string;
  /** The vendor's timestamp of the filing; every timing starts here. */
  filedAt: string | null;
  state: TicketState;
  /** The ticket's status in the vendor's words (`open`, `pending`, `solved`, …). */
  vendorStatus: string | null;
  /** When watching gives up and records "no resolution". */
  watchUntil: string | null;
  /** The adapter's position in the ticket's activity. */
  cursor: string | null;
  lastPolledAt: string | null;
  /** When the watcher should poll next; `null` means as soon as possible. */
  nextPollAt: string | null;
  /** Consecutive failed polls, for backoff. */
  pollErrors: number;
  /** Failed attempts at filing the ticket. */
  filingAttempts: number;
  /** When a `filing-failed` ticket is filed again by the service; `null` when it waits for `tickets retry`. */
  refileAt: string | null;
  resolutionAt: string | null;
  /** The last computed timings. */
  timings: StoredTimings | null;
  /** The last SLA verdict. */
  sla: StoredSlaVerdict | null;
  /** The vendor's diagnosis against the run's answer key, as last scored; `null` for a run without one, or before the watcher scored it. */
  diagnosis: StoredDiagnosis | null;
  error: string | null;
  /** The title as filed. */
  title: string | null;
  /** What the ticket told the vendor (the classifier checks replies against it). */
  facts: TicketFacts | null;
  updatedAt: string;
}

/** The fields of a ticket the watcher changes; a field left out is left as it is. */
export interface TicketPatch {
  state?: TicketState;
  /** The vendor's id, when the vendor tells it only after filing (an e-mail acknowledgement). */
  vendorTicketId?: string;
  vendorStatus?: string | null;
  url?: string | null;
  watchUntil?: Instant | null;
  cursor?: string | null;
  lastPolledAt?: Instant | null;
  nextPollAt?: Instant | null;
  pollErrors?: number;
  resolutionAt?: Instant | null;
  timings?: StoredTimings | null;
  sla?: StoredSlaVerdict | null;
  diagnosis?: StoredDiagnosis | null;
  error?: string | null;
  title?: string | null;
  facts?: TicketFacts | null;
}

export interface ListTicketsOptions {
  state?: TicketState | readonly TicketState[];
  vendor?: string;
  limit?: number;
}

/** A vendor activity as classified, ready to record. */
export interface NewActivity {
  /** The vendor's own id: the same activity seen twice is recorded once. */
  vendorActivityId: string;
  /** The vendor's timestamp. */
  at: Instant;
  /** When we first saw it. @defaultValue now */
  seenAt?: Instant;
  /** The reply's kind (`customer` for a message we sent), or `null` for a status change without a reply. */
  kind: ActivityKind | null;
  /** Why the classifier chose the kind. @defaultValue `[]` */
  reasons?: readonly string[];
  authorName?: string | null;
  authorRole?: AuthorRole | null;
  subject?: string | null;
  /** @defaultValue the start of `text`, on one line */
  excerpt?: string | null;
  text?: string | null;
  statusChange?: string | null;
  /** Items the reply asked for that the ticket already contained. @defaultValue `[]` */
  requestsProvidedInfo?: readonly string[];
  /** Not shown to come from the vendor (an e-mail from an unknown sender): kept, never counted in timings. @defaultValue `false` */
  unverified?: boolean;
  /** The questions the reply asks us. @defaultValue `[]` */
  questions?: readonly Question[];
  /** The reply says the ticket went to second line, engineering or R&D. @defaultValue `false` */
  escalation?: boolean;
}

export interface ActivityRow {
  id: number;
  ticketId: number;
  vendorActivityId: string;
  at: string;
  seenAt: string;
  kind: ActivityKind | null;
  reasons: string[];
  authorName: string | null;
  authorRole: AuthorRole | null;
  subject: string | null;
  excerpt: string | null;
  text: string | null;
  statusChange: string | null;
  requestsProvidedInfo: string[];
  unverified: boolean;
  questions: Question[];
  escalation: boolean;
}

/** Why we send a message on a ticket. */
export type MessagePurpose =
  /** Answers a vendor reply's questions from the run's evidence. */
  | 'answer'
  /** "Any update?" after the vendor went silent. */
  | 'follow-up'
  /** The operator's own words (`tickets reply`), often for a question no evidence answers. */
  | 'operator'
  /** Confirms the resolution (before marking the ticket solved). */
  | 'close-out'
  /** Tells the vendor, after the resolution, that the ticket was a scheduled support drill. */
  | 'disclosure';

/**
 * Where a message is: `needed` (a question only a person can answer waits for the operator; no body
 * yet), `planned` (written, due at `dueAt`), `sending` (an attempt began: after a crash, the vendor
 * is asked for it before it is sent again), `sent`, `cancelled` (no longer to be sent: the ticket
 * settled, a cap, a pause).
 */
export type MessageState = 'needed' | 'planned' | 'sending' | 'sent' | 'cancelled';

/** A message we send, or will, on a ticket. Instants are ISO-8601 UTC strings with milliseconds. */
export interface MessageRow {
  id: number;
  ticketId: number;
  /** What it is, unique on the ticket: `answer:<activity id>`, `follow-up:2`, `close-out`, `operator:<n>`. */
  plan: string;
  /** Its identity at the vendor, in its body: `DRILL-783902/3`. */
  key: string;
  purpose: MessagePurpose;
  /** Written by supportdrill, not the operator: what the caps count. */
  automatic: boolean;
  state: MessageState;
  body: string | null;
  attachments: { filename: string; path: string; contentType: string }[];
  /** The vendor reply it answers, by activity id. */
  answersActivityId: number | null;
  /** The questions it answers, or, while `needed`, the ones the operator is asked. */
  questions: Question[];
  /** What the planner noted (e.g. how many questions pointed to the ticket), for the scorecard. */
  detail: unknown;
  dueAt: string;
  attempts: number;
  sentAt: string | null;
  vendorMessageId: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A message to plan; `key` is assigned by the store (the ticket's ref and the next number). */
export interface NewMessage {
  plan: string;
  purpose: MessagePurpose;
  automatic: boolean;
  /** @defaultValue `'planned'` (`'needed'` when there is no body) */
  state?: 'needed' | 'planned';
  body?: string | null;
  attachments?: MessageRow['attachments'];
  answersActivityId?: number | null;
  questions?: readonly Question[];
  detail?: unknown;
  dueAt: Instant;
}

/** The fields of a message that change after planning. */
export interface MessagePatch {
  state?: MessageState;
  body?: string | null;
  attachments?: MessageRow['attachments'];
  dueAt?: Instant;
  error?: string | null;
  detail?: unknown;
}

/** A side effect that leaves the process, as claimed or done (see {@link Store.claimEffect}). */
export interface EffectRow {
  /** What it is, by kind and subject: `scorecard-mail:<run id>`. */
  key: string;
  state: 'claimed' | 'done';
  /** The process that claimed it last. */
  holder: string;
  /** How many times it was claimed: more than 1 means a holder died or failed in between. */
  attempts: number;
  claimedAt: string;
  doneAt: string | null;
  /** What the holder recorded when it was done (e.g. the Message-ID, the outbox file). */
  detail: unknown;
}

/** The outcome of a claim: whether this holder does the effect now, and if not, why. */
export type EffectClaim =
  | { claimed: true; attempts: number; takenOver: boolean }
  | { claimed: false; state: 'claimed' | 'done'; holder: string };

export interface CountMessagesOptions {
  ticketId?: number;
  /** The ticket's vendor. */
  vendor?: string;
  automatic?: boolean;
  states?: readonly MessageState[];
  /** Planned at or after this instant. */
  since?: Instant;
}
