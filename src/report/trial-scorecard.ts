import type { Config } from '../config/config.ts';
import { formatMs } from '../core/duration.ts';
import { prefixed, UserError } from '../core/errors.ts';
import type { RunTicketSummary } from '../store/rows.ts';
import type { StoredTimings } from '../core/stored-timings.ts';
import type { Store } from '../store/store.ts';
import { SLA_TARGET_NAMES, slaDeadline, type SlaClock, type SlaTargetName, type SlaTargets, type SlaTierName } from '../core/sla.ts';
import { DIAGNOSIS_VERDICTS, type DiagnosisVerdict } from '../support/diagnosis.ts';
import { TIMING_LABELS } from './run-scorecard.ts';
import { mediansDiffer, proportion, proportionsDiffer, summarize, type Proportion, type SampleSummary } from './stats.ts';

/**
 * One timing across a vendor's tickets. Values are calendar milliseconds; `Infinity` (`"never"` in
 * JSON) stands for tickets whose watch ended without the moment.
 */
export interface TimingSummary extends SampleSummary {
  /** Tickets still watched where the moment has not happened yet: left out of `n`. */
  pending: number;
}

/**
 * SLA hit rate of one target: met / (met + missed). A ticket unresolved at a deadline the watch saw
 * pass has missed it, whatever its stored verdict says; tickets not judged yet are left out of the
 * rate and counted, and {@link HitRate.overAll} says what the rate could be with them.
 */
export interface HitRate extends Proportion {
  /** Tickets still watched whose deadline has not passed. */
  pending: number;
  /**
   * Tickets whose watch ended before the target's deadline without the moment: never judged, since
   * the vendor may still have met the deadline after we stopped looking. Many of them mean the watch
   * was shorter than the SLA (tickets filed before watches lasted past the SLA's last deadline), and
   * the rate alone flatters the vendor.
   */
  unjudged: number;
  /**
   * The share of all these tickets (`met + missed + pending + unjudged`) that met the target: from
   * `low` (none of the undecided ones meets it) to `high` (all do). Both equal `rate` when every
   * ticket is judged; `null` with no tickets.
   */
  overAll: { tickets: number; low: number; high: number } | null;
}

/** A vendor's figures for drills filed inside or outside its business hours. */
export interface BusinessHoursSplit {
  drills: number;
  firstHumanResponse: TimingSummary;
  resolution: TimingSummary;
  /** `null` for a moment the SLA sets no target for. */
  slaHitRate: Record<SlaTargetName, HitRate | null>;
}

/** The slowest ticket, with what is needed to look at it. */
export interface WorstCase {
  runId: string;
  ref: string;
  vendorTicketId: string | null;
  url: string | null;
  evidenceDir: string | null;
  state: string;
  /** `Infinity` (`"never"` in JSON): the watch ended without one. */
  firstHumanResponseMs: number | null;
  resolutionMs: number | null;
}

/** One vendor's column of the trial scorecard. */
export interface VendorScore {
  vendor: string;
  /** Whether the vendor is still in the config (its SLA and business hours come from there). */
  configured: boolean;
  sla: { tier: SlaTierName | null; clock: SlaClock; targets: Record<SlaTargetName, number | null> } | null;
  hasBusinessHours: boolean;
  /** Runs in the period attributed to this vendor, and how many reproduced the failure. */
  drills: number;
  reproduced: number;
  tickets: { filed: number; open: number; resolved: number; timedOut: number; stopped: number; filingFailed: number };
  timings: Record<SlaTargetName, TimingSummary>;
  /** Business-time equivalents; `null` when the vendor has no business hours. */
  businessTimings: Record<SlaTargetName, TimingSummary> | null;
  slaHitRate: Record<SlaTargetName, HitRate | null>;
  /** `null` without business hours: nothing to split on. */
  byBusinessHours: { inside: BusinessHoursSplit; outside: BusinessHoursSplit } | null;
  /** Of the tickets with a human reply, how many got a canned one first. */
  firstHumanCanned: Proportion;
  /** Of the tickets whose watch is over, how many were resolved within it. */
  resolvedWithinWatch: Proportion;
  /** The slowest first human response (never counts as slowest), then the slowest resolution. */
  worst: WorstCase | null;
  /** Messages on its tickets from senders not shown to be the vendor, left out of every timing. */
  unverifiedMessages: number;
  /** How its conversations went (see {@link ConversationScore}). */
  conversation: ConversationScore;
  /** How its diagnoses scored against the runs' answer keys (see {@link DiagnosisScore}). */
  diagnosis: DiagnosisScore;
}

/**
 * A vendor's diagnoses against the answer keys. A ticket still watched on which no person has stated
 * a cause yet is unjudged: counted and shown, left out of the shares, and {@link DiagnosisScore.correct}'s
 * `overAll` says what the share could be with them. A ticket still watched that has a verdict counts
 * with the cause stated so far.
 */
export interface DiagnosisScore {
  /** Tickets whose run has no answer key (runs from before answer keys): not judged on a diagnosis. */
  withoutKey: number;
  /** Judged tickets by verdict: the cause the vendor settled on. */
  verdicts: Record<DiagnosisVerdict, number>;
  /** Tickets with an answer key and no verdict yet: still watched with no cause stated, or not scored since (a ticket watched before diagnoses were kept). */
  unjudged: number;
  /** Judged tickets whose diagnosis is correct. */
  correct: Proportion & {
    /** Of all tickets with an answer key (judged + unjudged): from `low` (no unjudged one turns out correct) to `high` (all do); `null` with none. */
    overAll: { tickets: number; low: number; high: number } | null;
  };
  /** From filing to the first correct cause stated: `Infinity` for a watch that ended without one, pending while watched. */
  firstCorrect: TimingSummary;
  /** Judged tickets where a person said it looked at its own data (call records, quality dashboards, server logs). */
  usedOwnData: Proportion;
}

/** A vendor's conversations over the period: what the timings net of our waits hide and show. */
export interface ConversationScore {
  /** The four timings net of customer wait (the vendor waiting on us), as `timings` are gross. */
  netTimings: Record<SlaTargetName, TimingSummary>;
  /** Customer wait per ticket (the time the vendor waited on our answers), over tickets filed. */
  customerWait: SampleSummary;
  /** Rounds of questions per ticket before its first substantive reply. */
  roundsBeforeSubstantive: SampleSummary;
  /** Tickets that needed a follow-up after silence, of those filed; and the vendor's next reply after one. */
  followedUp: Proportion;
  nextReplyAfterFollowUp: SampleSummary;
  /** Tickets the vendor escalated to second line / R&D, of those filed. */
  escalated: Proportion;
  /** Of the escalated tickets, those where the escalated side asked again for what the ticket gave. */
  reAskedAfterEscalation: Proportion;
}

/** Whether the vendors can be put in order on one measure, and why (not). */
export interface Ranking {
  /** A median timing, the share resolved within the watch, an SLA target's hit rate (`sla.resolution`), or the share diagnosed correctly. */
  measure: 'firstHumanResponse' | 'resolution' | 'resolvedWithinWatch' | `sla.${SlaTargetName}` | 'diagnosisCorrect';
  label: string;
  /** Best first; `null` when the numbers do not support a full order. */
  order: string[] | null;
  /** Pairs the numbers do tell apart, best first: `[[better, worse], …]`. */
  separated: [string, string][];
  reason: string;
}

/** A trial scorecard: vendors side by side over a period. Instants are ISO-8601 UTC. */
export interface TrialScorecard {
  kind: 'trial';
  generatedAt: string;
  period: { from: string; to: string };
  runs: {
    /** Every run started in the period. */
    total: number;
    /** Scored runs. */
    completed: number;
    reproduced: number;
    notReproduced: number;
    /** Scored runs with no vendor: not reproduced, control drills, or `--no-ticket`. */
    withoutVendor: number;
    /** Runs that failed, were interrupted or refused before scoring. */
    failed: number;
    /** Runs still going. */
    inProgress: number;
    /**
     * Runs not counted at all, by id: their class was unhealthy before the first fault, so nothing
     * was injected or filed and no vendor can be blamed (neither scored nor any vendor's drills).
     */
    unhealthyBaseline: string[];
    /**
     * Runs not counted at all: attempts another run in the period retried (`attempt.retryOf`), each
     * with the run that retried it. The drill's outcome is its last attempt's, so counting the first
     * as well would make a vendor's drill that reproduced on its retry also one that did not. One
     * whose baseline was unhealthy is listed under {@link unhealthyBaseline} instead.
     */
    retried: { runId: string; retriedAs: string }[];
  };
  vendors: VendorScore[];
  ranking: Ranking[];
}

/** What {@link buildTrialScorecard} covers. */
export interface TrialScorecardOptions {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** Vendors to show, in this order; @defaultValue every vendor with runs in the period */
  vendors?: string[];
  now?: Date;
}

const SETTLED = new Set(['resolved', 'timed-out']);
const FAILED = new Set(['failed', 'interrupted', 'refused']);
/** Below this many values a median's interval cannot reach 95 %, so vendors are not ranked on it. */
const RANK_CONFIDENCE = 0.95;

/** The timings of a ticket, in ms: the calendar and business measures of the four moments. */
type MomentKey = `${SlaTargetName}Ms` | `${SlaTargetName}BusinessMs` | `${SlaTargetName}NetMs`;

type Run = RunTicketSummary;
type Ticket = NonNullable<RunTicketSummary['ticket']>;

/** A ticket's moment: ms, `Infinity` when the watch is over without it, `undefined` while pending. */
function momentMs(ticket: Ticket, timings: StoredTimings | null, key: MomentKey): number | undefined {
  const value = timings?.[key] ?? null;
  if (value !== null) return value;
  return SETTLED.has(ticket.state) ? Infinity : undefined;
}

function timingSummary(values: (number | undefined)[]): TimingSummary {
  const known = values.filter((value): value is number => value !== undefined);
  return { ...summarize(known), pending: values.length - known.length };
}

/** How a ticket stands on one SLA target, as the scorecard counts it. */
type Judgement = 'met' | 'missed' | 'pending' | 'unjudged';

interface Entry {
  run: Run;
  ticket: Ticket;
  timings: StoredTimings | null;
  judgements: Map<SlaTargetName, Judgement>;
}

/** Timed-out tickets' watch ends by ticket id, for tickets whose stored verdict cannot say alone. */
type WatchEnds = ReadonlyMap<number, string | null>;

/**
 * Judges a ticket on one target from its deadline and its stored timings. A stored `met` or
 * `missed` stands. Otherwise the deadline (the stored check's, else the configured target's from the
 * filing) decides: a moment that happened met it if it came by the deadline; one that did not
 * happen missed it once a watch saw the deadline pass — also when the stored verdict, judged
 * before the deadline or against other targets, still says `pending`. A watch that ended earlier
 * leaves the target unjudged. `null`: the ticket is not judged on this target at all.
 */
function judge(ticket: Ticket, name: SlaTargetName, sla: SlaTargets | null, watchEnds: WatchEnds): Judgement | null {
  const check = ticket.sla?.checks.find((c) => c.target === name) ?? null;
  if (check && check.outcome !== 'pending') return check.outcome;
  const timings = ticket.timings;
  const filedAt = timings?.filedAt ?? ticket.filedAt;
  const targetMs = sla?.[`${name}Ms`] ?? null;
  const deadline = check?.dueAt
    ? Date.parse(check.dueAt)
    : targetMs !== null && filedAt
      ? slaDeadline(new Date(filedAt), targetMs, sla!.clock, timings?.businessHours ?? null).getTime()
      : null;
  const settled = SETTLED.has(ticket.state);
  if (deadline === null || Number.isNaN(deadline)) return check ? (settled ? 'unjudged' : 'pending') : null;
  const at = timings?.[`${name}At`] ?? null;
  if (at !== null) return Date.parse(at) <= deadline ? 'met' : 'missed';
  if (!settled) return 'pending';
  // A resolved ticket was watched until its resolution; a timed-out one until its watch deadline.
  const watchedUntil = ticket.state === 'resolved' ? (timings?.resolutionAt ?? null) : (watchEnds.get(ticket.id) ?? null);
  return watchedUntil !== null && Date.parse(watchedUntil) > deadline ? 'missed' : 'unjudged';
}

/** Whether {@link judge} needs a timed-out ticket's watch end: a target it is judged on has no stored `met` or `missed`. */
function needsWatchEnd(ticket: Ticket, sla: SlaTargets | null): boolean {
  if (ticket.state !== 'timed-out') return false;
  const checks = ticket.sla?.checks ?? [];
  return SLA_TARGET_NAMES.some(
    (name) => (sla?.[`${name}Ms`] != null || checks.some((c) => c.target === name)) && !checks.some((c) => c.target === name && c.outcome !== 'pending'),
  );
}

function hitRates(entries: Entry[], targets: Record<SlaTargetName, number | null> | null): Record<SlaTargetName, HitRate | null> {
  const rates = {} as Record<SlaTargetName, HitRate | null>;
  for (const name of SLA_TARGET_NAMES) {
    const count = { met: 0, missed: 0, pending: 0, unjudged: 0 };
    for (const entry of entries) {
      const judgement = entry.judgements.get(name);
      if (judgement) count[judgement]++;
    }
    const tickets = count.met + count.missed + count.pending + count.unjudged;
    if (tickets === 0 && (targets === null || targets[name] === null)) {
      rates[name] = null;
      continue;
    }
    rates[name] = {
      ...proportion(count.met, count.met + count.missed),
      pending: count.pending,
      unjudged: count.unjudged,
      overAll: tickets ? { tickets, low: count.met / tickets, high: (tickets - count.missed) / tickets } : null,
    };
  }
  return rates;
}

function split(entries: Entry[], targets: Record<SlaTargetName, number | null> | null): BusinessHoursSplit {
  return {
    drills: entries.length,
    firstHumanResponse: timingSummary(entries.map((e) => momentMs(e.ticket, e.timings, 'firstHumanResponseMs'))),
    resolution: timingSummary(entries.map((e) => momentMs(e.ticket, e.timings, 'resolutionMs'))),
    slaHitRate: hitRates(entries, targets),
  };
}

function slowness(entry: Entry): [number, number] {
  return [momentMs(entry.ticket, entry.timings, 'firstHumanResponseMs') ?? -1, momentMs(entry.ticket, entry.timings, 'resolutionMs') ?? -1];
}

function vendorScore(vendor: string, runs: Run[], config: Config, watchEnds: WatchEnds): VendorScore {
  const vendorConfig = Object.hasOwn(config.vendors, vendor) ? config.vendors[vendor]! : null;
  const filed: Entry[] = [];
  const counts = { filed: 0, open: 0, resolved: 0, timedOut: 0, stopped: 0, filingFailed: 0 };
  for (const run of runs) {
    const ticket = run.ticket;
    if (!ticket) continue;
    if (ticket.state === 'filing-failed' || ticket.state === 'filing') {
      counts.filingFailed++;
      continue;
    }
    counts.filed++;
    if (ticket.state === 'open') counts.open++;
    else if (ticket.state === 'resolved') counts.resolved++;
    else if (ticket.state === 'timed-out') counts.timedOut++;
    else if (ticket.state === 'stopped') counts.stopped++;
    // A ticket we stopped watching (the vendor refused us) says nothing about the vendor's speed.
    if (ticket.state === 'stopped' || !ticket.filedAt) continue;
    const judgements = new Map<SlaTargetName, Judgement>();
    for (const name of SLA_TARGET_NAMES) {
      const judgement = judge(ticket, name, vendorConfig?.sla ?? null, watchEnds);
      if (judgement) judgements.set(name, judgement);
    }
    filed.push({ run, ticket, timings: ticket.timings, judgements });
  }

  const targets = vendorConfig
    ? (Object.fromEntries(SLA_TARGET_NAMES.map((name) => [name, vendorConfig.sla[`${name}Ms`]])) as Record<SlaTargetName, number | null>)
    : null;
  const hasBusinessHours = vendorConfig ? vendorConfig.businessHours !== null : filed.some((e) => typeof e.timings?.filedOutsideBusinessHours === 'boolean');
  const timings = {} as Record<SlaTargetName, TimingSummary>;
  const businessTimings = {} as Record<SlaTargetName, TimingSummary>;
  for (const name of SLA_TARGET_NAMES) {
    timings[name] = timingSummary(filed.map((e) => momentMs(e.ticket, e.timings, `${name}Ms`)));
    businessTimings[name] = timingSummary(filed.map((e) => momentMs(e.ticket, e.timings, `${name}BusinessMs`)));
  }

  let humanReplied = 0;
  let cannedFirst = 0;
  for (const entry of filed) {
    if (typeof entry.timings?.firstHumanResponseMs !== 'number') continue;
    humanReplied++;
    if (entry.ticket.firstHumanKind === 'canned') cannedFirst++;
  }

  const over = filed.filter((e) => SETTLED.has(e.ticket.state));
  const inside = filed.filter((e) => e.timings?.filedOutsideBusinessHours === false);
  const outside = filed.filter((e) => e.timings?.filedOutsideBusinessHours === true);

  let worst: Entry | null = null;
  for (const entry of filed) {
    if (!worst) {
      worst = entry;
      continue;
    }
    const [a1, a2] = slowness(entry);
    const [b1, b2] = slowness(worst);
    if (a1 > b1 || (a1 === b1 && a2 > b2)) worst = entry;
  }

  return {
    vendor,
    configured: vendorConfig !== null,
    sla: vendorConfig ? { tier: vendorConfig.sla.tier, clock: vendorConfig.sla.clock, targets: targets! } : null,
    hasBusinessHours,
    drills: runs.length,
    reproduced: runs.filter((run) => run.reproduced === true).length,
    tickets: counts,
    timings,
    businessTimings: hasBusinessHours ? businessTimings : null,
    slaHitRate: hitRates(filed, targets),
    byBusinessHours: hasBusinessHours ? { inside: split(inside, targets), outside: split(outside, targets) } : null,
    firstHumanCanned: proportion(cannedFirst, humanReplied),
    resolvedWithinWatch: proportion(over.filter((e) => e.ticket.state === 'resolved').length, over.length),
    unverifiedMessages: filed.reduce((sum, e) => sum + (e.timings?.unverifiedActivities ?? 0), 0),
    conversation: conversationScore(filed),
    diagnosis: diagnosisScore(filed),
    worst: worst
      ? {
          runId: worst.run.runId,
          ref: worst.ticket.ref,
          vendorTicketId: worst.ticket.vendorTicketId,
          url: worst.ticket.url,
          evidenceDir: worst.run.evidenceDir,
          state: worst.ticket.state,
          firstHumanResponseMs: momentMs(worst.ticket, worst.timings, 'firstHumanResponseMs') ?? null,
          resolutionMs: momentMs(worst.ticket, worst.timings, 'resolutionMs') ?? null,
        }
      : null,
  };
}

function conversationScore(filed: Entry[]): ConversationScore {
  const netTimings = {} as Record<SlaTargetName, TimingSummary>;
  for (const name of SLA_TARGET_NAMES) {
    // A ticket stored before the conversation existed has no net figure: its gross one is its net (nobody waited on us).
    netTimings[name] = timingSummary(filed.map((e) => (typeof e.timings?.[`${name}NetMs`] === 'number' ? e.timings[`${name}NetMs`]! : momentMs(e.ticket, e.timings, `${name}Ms`))));
  }
  const followedUp = filed.filter((e) => (e.timings?.followUps.length ?? 0) > 0);
  const escalated = filed.filter((e) => e.timings?.escalatedAt);
  return {
    netTimings,
    customerWait: summarize(filed.map((e) => e.timings?.customerWaitMs ?? 0)),
    roundsBeforeSubstantive: summarize(filed.map((e) => e.timings?.questionRoundsBeforeSubstantive ?? 0)),
    followedUp: proportion(followedUp.length, filed.length),
    nextReplyAfterFollowUp: summarize(followedUp.flatMap((e) => e.timings!.followUps.map((f) => f.nextReplyMs ?? Infinity))),
    escalated: proportion(escalated.length, filed.length),
    reAskedAfterEscalation: proportion(escalated.filter((e) => (e.timings?.redundantInfoRequestsAfterEscalation ?? 0) > 0).length, escalated.length),
  };
}

function diagnosisScore(filed: Entry[]): DiagnosisScore {
  const verdicts = Object.fromEntries(DIAGNOSIS_VERDICTS.map((verdict) => [verdict, 0])) as Record<DiagnosisVerdict, number>;
  let withoutKey = 0;
  let unjudged = 0;
  let ownData = 0;
  const firstCorrect: (number | undefined)[] = [];
  for (const { run, ticket } of filed) {
    if (!run.hasAnswerKey) {
      withoutKey++;
      continue;
    }
    const diagnosis = ticket.diagnosis;
    const watched = !SETTLED.has(ticket.state);
    if (diagnosis === null || (watched && diagnosis.verdict === 'none')) {
      unjudged++;
      if (watched) firstCorrect.push(undefined);
      continue;
    }
    verdicts[diagnosis.verdict]++;
    if (diagnosis.usedOwnData) ownData++;
    firstCorrect.push(diagnosis.firstCorrectMs ?? (watched ? undefined : Infinity));
  }
  const judged = DIAGNOSIS_VERDICTS.reduce((sum, verdict) => sum + verdicts[verdict], 0);
  const tickets = judged + unjudged;
  return {
    withoutKey,
    verdicts,
    unjudged,
    correct: {
      ...proportion(verdicts.correct, judged),
      overAll: tickets ? { tickets, low: verdicts.correct / tickets, high: (verdicts.correct + unjudged) / tickets } : null,
    },
    firstCorrect: timingSummary(firstCorrect),
    usedOwnData: proportion(ownData, judged),
  };
}

const shownMs = (ms: number | null): string => (ms === Infinity ? 'never' : formatMs(ms));

function describeMedian(vendor: string, summary: SampleSummary): string {
  const interval = summary.medianInterval;
  return `${vendor} median ${shownMs(summary.median)}${interval ? ` (${shownMs(interval.low)}–${shownMs(interval.high)})` : ''}, n=${summary.n}`;
}

/**
 * Orders vendors on one measure only when every pair is told apart (non-overlapping 95 % intervals);
 * otherwise says which pairs are and why the rest are not.
 */
function rank(
  measure: Ranking['measure'],
  vendors: VendorScore[],
  value: (v: VendorScore) => number | null,
  differ: (a: VendorScore, b: VendorScore) => -1 | 0 | 1,
  tooFew: (v: VendorScore) => string | null,
  describe: (v: VendorScore) => string,
): Ranking {
  const label =
    measure === 'resolvedWithinWatch'
      ? 'resolved within the watch'
      : measure === 'diagnosisCorrect'
        ? 'correct diagnosis'
        : measure.startsWith('sla.')
          ? `SLA met: ${TIMING_LABELS[measure.slice(4) as SlaTargetName]}`
          : `median ${TIMING_LABELS[measure as SlaTargetName]}`;
  if (vendors.length < 2) {
    return { measure, label, order: null, separated: [], reason: 'one vendor: nothing to rank it against' };
  }
  const short = vendors.map(tooFew).filter((reason): reason is string => reason !== null);
  const sorted = [...vendors].sort((a, b) => (value(a) ?? Infinity) - (value(b) ?? Infinity));
  const separated: [string, string][] = [];
  const overlapping: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      if (differ(a, b) === -1) separated.push([a.vendor, b.vendor]);
      else overlapping.push(`${describe(a)} and ${describe(b)} overlap`);
    }
  }
  const pairs = (sorted.length * (sorted.length - 1)) / 2;
  if (short.length === 0 && separated.length === pairs) {
    return { measure, label, order: sorted.map((v) => v.vendor), separated, reason: 'every pair of 95 % intervals is apart' };
  }
  const reasons = [...short, ...(short.length ? [] : overlapping)];
  return { measure, label, order: null, separated: short.length ? [] : separated, reason: `not ranked: ${reasons.join('; ')}` };
}

function rankings(vendors: VendorScore[]): Ranking[] {
  const timingRank = (measure: 'firstHumanResponse' | 'resolution') =>
    rank(
      measure,
      vendors,
      (v) => v.timings[measure].median,
      (a, b) => mediansDiffer(a.timings[measure], b.timings[measure]),
      (v) => {
        const interval = v.timings[measure].medianInterval;
        if (interval && interval.confidence >= RANK_CONFIDENCE) return null;
        return `${v.vendor} has ${v.timings[measure].n} ticket(s) judged on ${TIMING_LABELS[measure]}, too few for a 95 % interval of the median (6 are needed)`;
      },
      (v) => describeMedian(v.vendor, v.timings[measure]),
    );
  const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`);
  return [
    timingRank('firstHumanResponse'),
    timingRank('resolution'),
    rank(
      'resolvedWithinWatch',
      vendors,
      // Higher is better: negate so that the ascending sort puts the best first.
      (v) => (v.resolvedWithinWatch.rate === null ? null : -v.resolvedWithinWatch.rate),
      (a, b) => proportionsDiffer(b.resolvedWithinWatch, a.resolvedWithinWatch),
      (v) => (v.resolvedWithinWatch.trials > 0 ? null : `${v.vendor} has no ticket whose watch is over`),
      (v) => `${v.vendor} ${pct(v.resolvedWithinWatch.rate)} (${pct(v.resolvedWithinWatch.low)}–${pct(v.resolvedWithinWatch.high)}), n=${v.resolvedWithinWatch.trials}`,
    ),
    ...SLA_TARGET_NAMES.filter((name) => vendors.some((v) => v.slaHitRate[name] !== null)).map((name) => slaRank(name, vendors)),
    ...(vendors.some((v) => v.diagnosis.correct.overAll !== null) ? [diagnosisRank(vendors)] : []),
  ];
}

/**
 * Ranks on the share diagnosed correctly, like an SLA hit rate: only when every vendor's share
 * covers all its tickets with an answer key, since a ticket with no cause stated yet may still get
 * the right one (or none).
 */
function diagnosisRank(vendors: VendorScore[]): Ranking {
  const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`);
  return rank(
    'diagnosisCorrect',
    vendors,
    (v) => (v.diagnosis.correct.rate === null ? null : -v.diagnosis.correct.rate),
    (a, b) => proportionsDiffer(b.diagnosis.correct, a.diagnosis.correct),
    (v) => {
      const { correct, unjudged } = v.diagnosis;
      if (unjudged && correct.overAll) {
        return (
          `${v.vendor}'s share leaves out ${unjudged} unjudged (no cause stated yet) of its ${correct.overAll.tickets} ticket(s) with an answer key: ` +
          `${pct(correct.overAll.low)} to ${pct(correct.overAll.high)} of them correct, too wide to rank on`
        );
      }
      return correct.trials > 0 ? null : `${v.vendor} has no ticket judged on its diagnosis`;
    },
    (v) => `${v.vendor} ${pct(v.diagnosis.correct.rate)} (${pct(v.diagnosis.correct.low)}–${pct(v.diagnosis.correct.high)}), n=${v.diagnosis.correct.trials}`,
  );
}

/**
 * Ranks on one SLA target's hit rate, only when every vendor's rate covers all its tickets: a rate
 * that leaves out tickets not judged yet says nothing about them, and a vendor whose watches ended
 * before its deadlines would look best exactly because its slow tickets are left out.
 */
function slaRank(name: SlaTargetName, vendors: VendorScore[]): Ranking {
  const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`);
  const label = TIMING_LABELS[name];
  return rank(
    `sla.${name}`,
    vendors,
    (v) => {
      const rate = v.slaHitRate[name]?.rate ?? null;
      return rate === null ? null : -rate;
    },
    (a, b) => {
      const [ra, rb] = [a.slaHitRate[name], b.slaHitRate[name]];
      return ra && rb ? proportionsDiffer(rb, ra) : 0;
    },
    (v) => {
      const rate = v.slaHitRate[name];
      if (!rate) return `${v.vendor}'s SLA sets no ${label} target`;
      const undecided = [
        ...(rate.unjudged ? [`${rate.unjudged} unjudged (the watch ended before the deadline)`] : []),
        ...(rate.pending ? [`${rate.pending} pending (the deadline has not passed yet)`] : []),
      ];
      if (undecided.length && rate.overAll) {
        return (
          `${v.vendor}'s rate leaves out ${undecided.join(' and ')} of its ${rate.overAll.tickets} ticket(s): ` +
          `${pct(rate.overAll.low)} to ${pct(rate.overAll.high)} of them met the target, too wide to rank on`
        );
      }
      return rate.trials > 0 ? null : `${v.vendor} has no ticket judged on ${label}`;
    },
    (v) => {
      const rate = v.slaHitRate[name];
      return rate ? `${v.vendor} ${pct(rate.rate)} (${pct(rate.low)}–${pct(rate.high)}), n=${rate.trials}` : `${v.vendor} no target`;
    },
  );
}

/**
 * The trial scorecard over `[from, to)`: each vendor's drills, timings, SLA hit rates (also split by
 * drills fired inside and outside its business hours), canned first replies, resolution within the
 * watch and worst case, side by side, ranked only where the numbers support it.
 */
export async function buildTrialScorecard(store: Store, config: Config, options: TrialScorecardOptions): Promise<TrialScorecard> {
  const { from, to } = options;
  if (!(from.getTime() < to.getTime())) {
    throw new UserError(prefixed('scorecard', `the period is empty: it starts ${from.toISOString()} and ends ${to.toISOString()}; the end must come after the start`));
  }
  const runs = await store.runTicketSummaries({ from, to });
  const unhealthy = runs.filter((run) => run.status === 'unhealthy-baseline');
  const retriedAs = new Map(runs.flatMap((run) => (run.retryOf ? [[run.retryOf, run.runId] as const] : [])));
  const superseded = runs.filter((run) => retriedAs.has(run.runId) && run.status !== 'unhealthy-baseline');
  // By status and retry, not by the vendor the run names: one killed between saving its result and letting go of its vendor still names it.
  const completed = runs.filter((run) => run.reproduced !== null && run.status !== 'unhealthy-baseline' && !retriedAs.has(run.runId));
  const byVendor = new Map<string, Run[]>();
  for (const run of completed) {
    const vendor = run.vendor ?? run.ticket?.vendor;
    if (!vendor) continue;
    const list = byVendor.get(vendor);
    if (list) list.push(run);
    else byVendor.set(vendor, [run]);
  }

  let names = options.vendors ?? [...byVendor.keys()].sort();
  if (options.vendors) {
    const unknown = names.filter((name) => !byVendor.has(name) && !Object.hasOwn(config.vendors, name));
    if (unknown.length) {
      const known = [...new Set([...Object.keys(config.vendors), ...byVendor.keys()])];
      throw new UserError(prefixed('scorecard', `--vendor: no vendor ${unknown.map((n) => `'${n}'`).join(', ')} in the config or in the runs. Vendors: ${known.join(', ')}.`));
    }
    names = [...new Set(names)];
  }
  // Only an older store's timed-out tickets need their watch end (one more query, then only).
  const slaOf = (vendor: string) => (Object.hasOwn(config.vendors, vendor) ? config.vendors[vendor]!.sla : null);
  const watchEnds: WatchEnds = completed.some((run) => run.ticket !== null && needsWatchEnd(run.ticket, slaOf(run.ticket.vendor)))
    ? new Map((await store.listTickets({ state: 'timed-out' })).map((t) => [t.id, t.watchUntil]))
    : new Map();
  const vendors = names.map((name) => vendorScore(name, byVendor.get(name) ?? [], config, watchEnds));
  return {
    kind: 'trial',
    generatedAt: (options.now ?? new Date()).toISOString(),
    period: { from: from.toISOString(), to: to.toISOString() },
    runs: {
      total: runs.length,
      completed: completed.length,
      reproduced: completed.filter((run) => run.reproduced).length,
      notReproduced: completed.filter((run) => !run.reproduced).length,
      withoutVendor: completed.filter((run) => !run.vendor && !run.ticket).length,
      failed: runs.filter((run) => FAILED.has(run.status)).length,
      inProgress: runs.filter((run) => run.reproduced === null && !FAILED.has(run.status)).length,
      unhealthyBaseline: unhealthy.map((run) => run.runId),
      retried: superseded.map((run) => ({ runId: run.runId, retriedAs: retriedAs.get(run.runId)! })),
    },
    vendors,
    ranking: rankings(vendors),
  };
}
