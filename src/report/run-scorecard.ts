import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Config } from '../config/config.ts';
import { prefixed, UserError } from '../core/errors.ts';
import type { RunStatus, TicketRow, TicketState } from '../store/rows.ts';
import type { Store } from '../store/store.ts';
import { SLA_TARGET_NAMES, type SlaClock, type SlaOutcome, type SlaTargetName, type SlaTierName } from '../core/sla.ts';
import type { ActivityKind } from '../core/reply.ts';
import type { AnswerKey } from '../core/answer-key.ts';
import type { BaselineResult, CheckResult, DelaySummary, FreezeSignals, JoinFailure, RunAttempt, RunOutcome, StateResult } from '../core/run-result.ts';
import type { TicketDiagnosis } from '../support/diagnosis.ts';
import { diagnosisKey, ticketDiagnosis } from '../support/ticket-diagnosis.ts';

/** The glossary words for the four timed moments, in the order scorecards show them. */
export const TIMING_LABELS: Readonly<Record<SlaTargetName, string>> = {
  firstResponse: 'first response',
  firstHumanResponse: 'first human response',
  firstSubstantiveResponse: 'first substantive response',
  resolution: 'resolution',
};

/** A fault as injected, with its length. */
export interface ScorecardFault {
  index: number;
  kind: string;
  target: string;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
}

/** A freeze episode as a student saw it. */
export interface ScorecardEpisode {
  participant: string;
  startedAt: string;
  endedAt: string | null;
  durationMs: number;
  onsetDelayMs: number | null;
  recoveryMs: number | null;
  /** The fault that caused it, or `null` for a freeze no fault explains. */
  fault: number | null;
  /** Which independent signals confirmed it; `null` for a run from before they were recorded. */
  signals: FreezeSignals | null;
}

/** A blank or still picture, or an audio dropout, as a student saw or heard it: scored like a freeze (`fault` null: no fault explains it). */
export interface ScorecardState extends Omit<ScorecardEpisode, 'signals'> {
  state: StateResult['state'];
}

/** One activity in the ticket's conversation. Text fields are as written, unescaped. */
export interface ScorecardActivity {
  /** Who spoke: the vendor, supportdrill (`us`: answers, follow-ups, close-outs), or the operator. */
  side: 'vendor' | 'us' | 'operator';
  /** The vendor's timestamp. */
  at: string;
  /** From filing, by the vendor's clock. */
  elapsedMs: number | null;
  kind: ActivityKind | null;
  /** The status it set, if any. */
  status: string | null;
  author: string | null;
  role: string | null;
  excerpt: string | null;
  /** Items asked for that the ticket already gave. */
  requestsProvidedInfo: string[];
  /** From a sender not shown to be the vendor: kept, counted in no timing. */
  unverified: boolean;
  /** What a vendor reply asked us (topics, e.g. `logs`, `channel`, `other`). */
  questions: string[];
  /** A vendor reply saying the ticket went to second line / engineering / R&D. */
  escalation: boolean;
  /** Of our messages: why we sent it (`answer`, `follow-up`, …) and what was attached. */
  purpose: string | null;
  attachments: string[];
}

/** How the conversation went: the vendor's waits on us, its rounds of questions, follow-ups, escalation. */
export interface ScorecardConversation {
  /** Which durations the SLA was judged on: net of customer wait or gross. */
  slaJudged: 'net' | 'gross';
  /** Total of the vendor's waits on us that ended, ms. */
  customerWaitMs: number;
  waits: { from: string; to: string | null }[];
  questionRounds: number;
  questionRoundsBeforeSubstantive: number;
  /** Our messages on the ticket, and the operator's among them. */
  messages: number;
  operatorMessages: number;
  followUps: { at: string; nextReplyMs: number | null }[];
  escalatedAt: string | null;
  /** Requests for information already given, made after the escalation (lost in the hand-over). */
  redundantInfoRequestsAfterEscalation: number;
  /** Questions still waiting for a person (`tickets reply`). */
  waitingOnOperator: number;
}

/** One of the four timings against its SLA target. */
export interface ScorecardTiming {
  name: SlaTargetName;
  label: string;
  /** The vendor's timestamp of the moment, or `null` while it has not happened. */
  at: string | null;
  calendarMs: number | null;
  /** `null` without business hours. */
  businessMs: number | null;
  /** Net of the vendor's waits on us. */
  netMs: number | null;
  netBusinessMs: number | null;
  /** `null` when the SLA sets no target for this moment. */
  targetMs: number | null;
  outcome: SlaOutcome | null;
  /** The last instant that still meets the target. */
  dueAt: string | null;
}

/** The ticket part of a run scorecard. */
export interface ScorecardTicket {
  vendor: string;
  ref: string;
  vendorTicketId: string | null;
  url: string | null;
  state: TicketState;
  vendorStatus: string | null;
  filedAt: string | null;
  watchUntil: string | null;
  /** When the timings and verdict below were last computed. */
  asOf: string;
  /** Whether the drill was filed while the vendor was closed; `null` without business hours. */
  filedOutsideBusinessHours: boolean | null;
  activities: ScorecardActivity[];
  timings: ScorecardTiming[];
  sla: { tier: SlaTierName | null; clock: SlaClock; overall: SlaOutcome; notes: string[] } | null;
  repliesBeforeSubstantive: number;
  redundantInfoRequests: number;
  redundantInfoRequested: string[];
  /** Messages from senders not shown to be the vendor, left out of the timings. */
  unverifiedActivities: number;
  resolvedBy: 'reply' | 'status' | null;
  /** How late we saw activities compared with the vendor's timestamps. */
  measurementError: { maxMs: number; meanMs: number } | null;
  conversation: ScorecardConversation;
  error: string | null;
}

/**
 * What was really injected and how the vendor's diagnosis scores against it. Ours only: the answer
 * key is never in the ticket or anything sent to the vendor.
 */
export interface ScorecardDiagnosis {
  /** `null` for a run from before answer keys. */
  answerKey: AnswerKey | null;
  /** The ticket's diagnosis; `null` without an answer key or without a ticket. */
  ticket: TicketDiagnosis | null;
}

/** Everything one run's scorecard shows. Instants are ISO-8601 UTC strings. */
export interface RunScorecard {
  kind: 'run';
  generatedAt: string;
  run: {
    id: string;
    drill: string;
    provider: string;
    vendor: string | null;
    status: RunStatus;
    startedAt: string;
    endedAt: string | null;
    reproduced: boolean | null;
    reason: string | null;
    evidenceDir: string | null;
    students: string[];
    falseFreezes: number;
    /** States no fault explains; `null` for a run from before states were detected. */
    falseStates: number | null;
    versions: Record<string, string>;
    /** `unhealthy-baseline`: nothing was injected or filed. `null` for a run from before outcomes (read `reproduced`). */
    outcome: RunOutcome | null;
    /** Which attempt of the drill this run was; `null` for a first attempt and for runs from before retries. */
    attempt: RunAttempt | null;
  };
  /** The steady state before the first fault; `null` when none was checked. */
  baseline: BaselineResult | null;
  faults: ScorecardFault[];
  episodes: ScorecardEpisode[];
  /** Blank and still pictures and audio dropouts; `null` for a run from before they were detected. */
  states: ScorecardState[] | null;
  /** Students that could not join, when the drill expected some to; `null` otherwise. */
  joinFailures: JoinFailure[] | null;
  /** Every check of the drill's expectation, errors and warnings; `null` when it has none. */
  checks: CheckResult[] | null;
  /** Each student's camera-to-screen delay (ms); `null` when the teacher's picture was not stamped. */
  delay: DelaySummary[] | null;
  /** The run's fps chart from its evidence (absolute path), or `null` when there is none. */
  chartPng: string | null;
  ticket: ScorecardTicket | null;
  diagnosis: ScorecardDiagnosis;
}

/** What {@link buildRunScorecard} needs besides the store. */
export interface RunScorecardOptions {
  /** Evidence directories are stored relative to the directory the drill ran in. @defaultValue `process.cwd()` */
  cwd?: string;
  /** For the evidence fallback `<dataDir>/runs/<runId>/`, and the vendor's SLA clock (net or gross of customer wait). */
  config?: Pick<Config, 'dataDir'> & Partial<Pick<Config, 'vendors'>>;
  now?: Date;
}

function findChart(evidenceDir: string | null, runId: string, options: RunScorecardOptions): string | null {
  const candidates: string[] = [];
  if (evidenceDir) candidates.push(isAbsolute(evidenceDir) ? evidenceDir : resolve(options.cwd ?? process.cwd(), evidenceDir));
  if (options.config) candidates.push(join(options.config.dataDir, 'runs', runId));
  for (const dir of candidates) {
    const png = join(dir, 'chart.png');
    if (existsSync(png)) return png;
  }
  return null;
}

/** The ticket part, from the ticket's stored timings and SLA verdict (what the watcher last judged). */
export async function scorecardTicket(ticket: TicketRow, store: Pick<Store, 'activities' | 'messages'>, options: { slaJudged?: 'net' | 'gross' } = {}): Promise<ScorecardTicket> {
  const timings = ticket.timings;
  const verdict = ticket.sla;
  const checks = new Map((verdict?.checks ?? []).map((check) => [check.target, check]));
  const filedAt = ticket.filedAt ? Date.parse(ticket.filedAt) : null;
  const messages = await store.messages(ticket.id);
  const byVendorId = new Map(messages.filter((m) => m.vendorMessageId !== null).map((m) => [m.vendorMessageId!, m]));
  return {
    vendor: ticket.vendor,
    ref: ticket.ref,
    vendorTicketId: ticket.vendorTicketId,
    url: ticket.url,
    state: ticket.state,
    vendorStatus: ticket.vendorStatus,
    filedAt: ticket.filedAt,
    watchUntil: ticket.watchUntil,
    asOf: ticket.updatedAt,
    filedOutsideBusinessHours: timings?.filedOutsideBusinessHours ?? null,
    activities: (await store.activities(ticket.id)).map((activity) => {
      const ours = activity.kind === 'customer' ? byVendorId.get(activity.vendorActivityId) : undefined;
      return {
      side: activity.kind !== 'customer' ? ('vendor' as const) : ours && !ours.automatic ? ('operator' as const) : ('us' as const),
      at: activity.at,
      elapsedMs: filedAt === null ? null : Date.parse(activity.at) - filedAt,
      kind: activity.kind,
      status: activity.statusChange,
      author: activity.authorName,
      role: activity.authorRole,
      excerpt: activity.excerpt,
      requestsProvidedInfo: activity.requestsProvidedInfo,
      unverified: activity.unverified,
      questions: activity.questions.map((q) => q.topic),
      escalation: activity.escalation,
      purpose: ours?.purpose ?? null,
      attachments: ours?.attachments.map((a) => a.filename) ?? [],
      };
    }),
    timings: SLA_TARGET_NAMES.map((name): ScorecardTiming => {
      const check = checks.get(name);
      return {
        name,
        label: TIMING_LABELS[name],
        at: timings?.[`${name}At`] ?? null,
        calendarMs: timings?.[`${name}Ms`] ?? null,
        businessMs: timings?.[`${name}BusinessMs`] ?? null,
        netMs: timings?.[`${name}NetMs`] ?? null,
        netBusinessMs: timings?.[`${name}NetBusinessMs`] ?? null,
        targetMs: check?.targetMs ?? null,
        outcome: check?.outcome ?? null,
        dueAt: check?.dueAt ?? null,
      };
    }),
    sla: verdict ? { tier: verdict.tier, clock: verdict.clock, overall: verdict.overall, notes: verdict.notes } : null,
    repliesBeforeSubstantive: timings?.repliesBeforeSubstantive ?? 0,
    redundantInfoRequests: timings?.redundantInfoRequests ?? 0,
    redundantInfoRequested: timings?.redundantInfoRequested ?? [],
    unverifiedActivities: timings?.unverifiedActivities ?? 0,
    resolvedBy: timings?.resolvedBy ?? null,
    measurementError: timings?.measurementError ?? null,
    conversation: {
      slaJudged: options.slaJudged ?? 'net',
      customerWaitMs: timings?.customerWaitMs ?? 0,
      waits: timings?.customerWaits ?? [],
      questionRounds: timings?.questionRounds ?? 0,
      questionRoundsBeforeSubstantive: timings?.questionRoundsBeforeSubstantive ?? 0,
      messages: messages.filter((m) => m.state === 'sent').length,
      operatorMessages: messages.filter((m) => m.state === 'sent' && !m.automatic).length,
      followUps: timings?.followUps ?? [],
      escalatedAt: timings?.escalatedAt ?? null,
      redundantInfoRequestsAfterEscalation: timings?.redundantInfoRequestsAfterEscalation ?? 0,
      waitingOnOperator: messages.filter((m) => m.state === 'needed').length,
    },
    error: ticket.error,
  };
}

/**
 * One run's scorecard from the store: what was injected, what the students saw, and the ticket's
 * timeline and timings. A run id the store does not know is a {@link UserError}.
 */
export async function buildRunScorecard(store: Store, runId: string, options: RunScorecardOptions = {}): Promise<RunScorecard> {
  const run = await store.getRun(runId);
  if (!run) {
    throw new UserError(prefixed('scorecard', `No run '${runId}' in ${store.location}. \`npx supportdrill tickets\` lists the runs that filed tickets.`));
  }
  const result = run.result;
  const ticket = await store.getTicketByRun(runId);
  const key = diagnosisKey(result);
  return {
    kind: 'run',
    generatedAt: (options.now ?? new Date()).toISOString(),
    run: {
      id: run.id,
      drill: run.drill,
      provider: run.provider,
      vendor: run.vendor ?? ticket?.vendor ?? null,
      status: run.status,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      reproduced: run.reproduced,
      reason: run.reason,
      evidenceDir: run.evidenceDir,
      students: result?.students ?? [],
      falseFreezes: result?.falseFreezes ?? 0,
      falseStates: result?.falseStates ?? null,
      versions: result?.versions ?? {},
      outcome: result?.outcome ?? null,
      // A first attempt is every run's: only a retry is worth saying.
      attempt: result?.attempt && (result.attempt.number > 1 || result.attempt.retryOf) ? result.attempt : null,
    },
    baseline: result?.baseline ?? null,
    faults: (result?.faults ?? []).map((fault) => ({
      index: fault.index,
      kind: fault.kind,
      target: fault.target,
      startedAt: fault.startedAt,
      endedAt: fault.endedAt,
      durationMs: fault.endedAt === null ? null : Date.parse(fault.endedAt) - Date.parse(fault.startedAt),
    })),
    episodes: (result?.freezes ?? []).map((freeze) => ({
      participant: freeze.participant,
      startedAt: freeze.startedAt,
      endedAt: freeze.endedAt,
      durationMs: freeze.durationMs,
      onsetDelayMs: freeze.onsetDelayMs,
      recoveryMs: freeze.recoveryMs,
      fault: freeze.fault,
      signals: freeze.signals ?? null,
    })),
    states:
      result?.states?.map((state) => ({
        participant: state.participant,
        state: state.state,
        startedAt: state.startedAt,
        endedAt: state.endedAt,
        durationMs: state.durationMs,
        onsetDelayMs: state.onsetDelayMs,
        recoveryMs: state.recoveryMs,
        fault: state.fault,
      })) ?? null,
    joinFailures: result?.joinFailures ?? null,
    checks: result?.checks?.length ? result.checks : null,
    delay: result?.delay?.length ? result.delay : null,
    chartPng: findChart(run.evidenceDir, run.id, options),
    ticket: ticket ? await scorecardTicket(ticket, store, { slaJudged: options.config?.vendors?.[ticket.vendor]?.slaClock }) : null,
    diagnosis: {
      answerKey: key?.key ?? null,
      ticket: key && ticket ? ticketDiagnosis(ticket, await store.activities(ticket.id), key) : null,
    },
  };
}

/**
 * Whether a run scorecard shows an SLA miss (the `sla-misses` e-mail policy). A watch that ended
 * without a resolution counts too: a target still "pending" then will never be seen to be met.
 */
export function hasSlaMiss(scorecard: RunScorecard): boolean {
  const ticket = scorecard.ticket;
  if (!ticket) return false;
  return ticket.state === 'timed-out' || ticket.sla?.overall === 'missed' || ticket.timings.some((t) => t.outcome === 'missed');
}
