import { formatMs } from '../core/duration.ts';
import { confirmedBy } from '../core/freeze-signals.ts';
import { SLA_TARGET_NAMES, type SlaTargetName } from '../core/sla.ts';
import type { RunScorecard } from './run-scorecard.ts';
import { TIMING_LABELS } from './run-scorecard.ts';
import type { Proportion } from './stats.ts';
import { DIAGNOSIS_VERDICTS } from '../support/diagnosis.ts';
import type { HitRate, TimingSummary, TrialScorecard, VendorScore } from './trial-scorecard.ts';

/**
 * A scorecard as format-neutral sections: every format (text, Markdown, HTML) renders the same
 * sections, so they cannot drift apart. Cells and paragraphs are plain, unescaped text; each
 * renderer escapes for its own format.
 */
export interface Section {
  title: string;
  paragraphs?: string[];
  table?: { header: string[]; rows: string[][] };
  /** Charts to show here, by their id in the scorecard's charts. */
  charts?: { id: ChartId; alt: string }[];
  /** Lines after the table. */
  after?: string[];
}

/** The charts a scorecard may show. */
export type ChartId = 'fps' | 'timings' | 'sla';

/** What a scorecard's document starts with. */
export interface Document {
  title: string;
  subtitle: string;
  sections: Section[];
}

/** A duration, with `never` for a moment the watch ended without. */
export function shownMs(ms: number | null | undefined): string {
  return ms === Infinity ? 'never' : formatMs(ms);
}

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)} %`;
}

/** `2026-11-29 05:13:00 UTC` */
export function utc(iso: string | null): string {
  return iso === null ? '—' : `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}

const timeOfDay = (iso: string | null): string => (iso === null ? '—' : iso.slice(11, 23));

/** `6.0 s (5.0 s–7.0 s, 96 %) · p90 8.0 s · n 5` */
export function timingCell(summary: TimingSummary): string {
  if (summary.n === 0) return summary.pending ? `pending (${summary.pending})` : 'no data';
  const interval = summary.medianInterval;
  const range = interval ? ` (${shownMs(interval.low)}–${shownMs(interval.high)}, ${Math.floor(interval.confidence * 100)} %)` : '';
  const never = summary.never ? `, ${summary.never} never` : '';
  const pending = summary.pending ? `, +${summary.pending} pending` : '';
  return `${shownMs(summary.median)}${range} · p90 ${shownMs(summary.p90)} · n ${summary.n}${never}${pending}`;
}

/** `80 % (4/5; 38–96 %)` */
export function proportionCell(p: Proportion): string {
  if (p.trials === 0) return 'no data';
  return `${percent(p.rate)} (${p.successes}/${p.trials}; ${percent(p.low)}–${percent(p.high)})`;
}

/**
 * `100 % (292/292; 99 %–100 %) +338 unjudged (watch ended before the deadline): 46 %–100 % of all 630`:
 * tickets not judged yet stand beside the rate, with what the rate over every ticket could be.
 */
function hitRateCell(rate: HitRate | null): string {
  if (rate === null) return 'no target';
  const extra = [
    ...(rate.pending ? [`+${rate.pending} pending`] : []),
    ...(rate.unjudged ? [`+${rate.unjudged} unjudged (watch ended before the deadline)`] : []),
  ].join(' ');
  if (rate.trials === 0) return extra || 'no data';
  const all = extra && rate.overAll ? `: ${percent(rate.overAll.low)}–${percent(rate.overAll.high)} of all ${rate.overAll.tickets}` : '';
  return proportionCell(rate) + (extra ? ` ${extra}${all}` : '');
}

const oneLine = (text: string | null, max = 160): string => {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

// ── the run scorecard ───────────────────────────────────────────────────────────────────────────────

/** Subject line of a run scorecard e-mail. */
export function runSubject(card: RunScorecard): string {
  const t = card.ticket;
  const verdict = !t
    ? card.run.outcome === 'unhealthy-baseline'
      ? 'unhealthy baseline, not filed'
      : card.run.reproduced
        ? 'not filed'
        : 'not reproduced'
    : t.state === 'timed-out'
      ? `no resolution within the watch${t.sla?.overall === 'missed' ? ', SLA missed' : ''}`
      : t.sla
        ? `SLA ${t.sla.overall}`
        : t.state;
  const human = t?.timings.find((x) => x.name === 'firstHumanResponse');
  const humanPart = t ? ` · first human ${human?.calendarMs === null ? (t.state === 'open' ? 'pending' : 'none') : shownMs(human?.calendarMs)}` : '';
  return `[supportdrill] ${card.run.drill} → ${card.run.vendor ?? 'no vendor'}: ${verdict}${humanPart} (${card.run.id})`;
}

export function runDocument(card: RunScorecard): Document {
  const { run, ticket } = card;
  const sections: Section[] = [];
  const unhealthy = run.outcome === 'unhealthy-baseline';
  const verdict = unhealthy ? 'UNHEALTHY BASELINE' : run.reproduced === null ? 'NOT SCORED' : run.reproduced ? 'REPRODUCED' : 'NOT REPRODUCED';
  const attempt = run.attempt ? ` · attempt ${run.attempt.number}${run.attempt.retryOf ? ` (retry of ${run.attempt.retryOf})` : ''}` : '';

  if (card.baseline) sections.push(baselineSection(card.baseline));
  sections.push({
    title: 'What was injected',
    table: {
      header: ['#', 'fault', 'target', 'on at (UTC)', 'off at (UTC)', 'length'],
      rows: card.faults.map((f) => [String(f.index), f.kind, f.target, timeOfDay(f.startedAt), timeOfDay(f.endedAt), formatMs(f.durationMs)]),
    },
    paragraphs: card.faults.length ? undefined : [unhealthy ? 'No fault was injected: the class was not healthy before the first fault.' : 'No fault was injected (a control drill).'],
  });
  if (card.joinFailures) {
    sections.push({
      title: 'Students that could not join',
      table: card.joinFailures.length ? { header: ['student', 'what was seen'], rows: card.joinFailures.map((j) => [j.participant, j.reason]) } : undefined,
      paragraphs: card.joinFailures.length ? undefined : ['Every student joined.'],
    });
  }

  const chartLine = card.chartPng ? [] : ['No fps chart in the evidence.'];
  // Runs from before the signals were recorded keep the table they always had.
  const withSignals = card.episodes.some((e) => e.signals !== null);
  sections.push({
    title: 'What the students saw',
    table: card.episodes.length
      ? {
          header: ['student', 'froze at (UTC)', 'duration', 'onset', 'recovery', 'fault', ...(withSignals ? ['confirmed by'] : [])],
          rows: card.episodes.map((e) => [
            e.participant,
            timeOfDay(e.startedAt),
            formatMs(e.durationMs),
            formatMs(e.onsetDelayMs),
            formatMs(e.recoveryMs),
            e.fault === null ? 'FALSE FREEZE' : `#${e.fault}`,
            ...(withSignals ? [confirmedBy(e.signals ?? undefined, run.provider) ?? '—'] : []),
          ]),
        }
      : undefined,
    paragraphs: card.episodes.length ? undefined : ['No freeze episodes.'],
    after: [`false freezes: ${run.falseFreezes}`, ...chartLine],
    charts: card.chartPng ? [{ id: 'fps', alt: 'received fps per student, fault spans shaded' }] : undefined,
  });
  if (card.states) sections.push(statesSection(card.states, run.falseStates));
  if (card.delay) {
    sections.push({
      title: 'Camera-to-screen delay (from the stamp on the teacher’s picture)',
      table: {
        header: ['student', 'p50', 'p95', 'max', 'seconds measured'],
        rows: card.delay.map((d) => [d.participant, formatMs(d.p50Ms), formatMs(d.p95Ms), formatMs(d.maxMs), String(d.samples)]),
      },
    });
  }
  if (card.checks) sections.push(checksSection(card.checks));

  if (!ticket) {
    const notFiled = unhealthy
      ? 'Nothing was filed: the class was not healthy before the first fault, so a ticket would have blamed the vendor for what was wrong before the drill began.'
      : run.reproduced
        ? 'No ticket was filed for this run.'
        : 'Nothing was filed: the failure was not reproduced.';
    sections.push({ title: 'Ticket', paragraphs: [notFiled] });
    sections.push(...diagnosisSections(card));
    return { title: `Run scorecard — ${run.drill}`, subtitle: `${run.id}${attempt} · ${verdict}: ${run.reason ?? ''}`.trim(), sections };
  }

  const filedWhen =
    ticket.filedOutsideBusinessHours === null
      ? 'no business hours configured for the vendor'
      : ticket.filedOutsideBusinessHours
        ? "filed OUTSIDE the vendor's business hours"
        : "filed inside the vendor's business hours";
  sections.push({
    title: `Ticket ${ticket.vendorTicketId ?? '(not filed)'} at ${ticket.vendor} [${ticket.ref}] — ${ticket.state}`,
    paragraphs: [
      `filed ${utc(ticket.filedAt)} (${filedWhen})${ticket.vendorStatus && ticket.vendorStatus !== ticket.state ? ` · vendor status: ${ticket.vendorStatus}` : ''}`,
      ...(ticket.url ? [`link: ${ticket.url}`] : []),
      ...(ticket.error ? [`error: ${ticket.error}`] : []),
    ],
  });

  sections.push({
    title: 'The conversation (from filing, by the vendor’s clock)',
    table: ticket.activities.length
      ? {
          header: ['elapsed', 'at (UTC)', 'who', 'kind', 'author', 'what they wrote'],
          rows: ticket.activities.map((a) => [
            formatMs(a.elapsedMs),
            timeOfDay(a.at),
            a.side === 'vendor' ? 'vendor' : a.side === 'operator' ? 'operator' : 'us',
            a.side === 'vendor'
              ? (a.kind ?? `status → ${a.status ?? '?'}`) + (a.escalation ? ', escalation' : '') + (a.unverified ? ' (unverified sender: not counted)' : '')
              : (a.purpose ?? 'message'),
            a.author ? `${a.author}${a.role ? ` (${a.role})` : ''}` : (a.role ?? ''),
            oneLine(a.excerpt) +
              (a.questions.length ? ` [asks: ${[...new Set(a.questions)].join(', ')}]` : '') +
              (a.requestsProvidedInfo.length ? ` [asked for what the ticket gave: ${a.requestsProvidedInfo.join(', ')}]` : '') +
              (a.attachments.length ? ` [attached: ${a.attachments.join(', ')}]` : ''),
          ]),
        }
      : undefined,
    paragraphs: ticket.activities.length ? undefined : ['No vendor activity yet.'],
    after: conversationLines(ticket),
  });

  const sla = ticket.sla;
  const clock = sla ? `${sla.tier ?? 'explicit targets'}, ${sla.clock} clock` : 'no SLA';
  sections.push({
    title: `Timings against the SLA (${clock}, judged ${ticket.conversation.slaJudged === 'net' ? 'net of customer wait' : 'gross'})`,
    table: {
      header: ['timing', 'gross', 'net of customer wait', 'business (gross / net)', 'target', 'SLA', 'due by'],
      rows: ticket.timings.map((t) => [
        t.label,
        t.calendarMs === null ? (ticket.state === 'open' ? 'not yet' : 'never') : formatMs(t.calendarMs),
        t.calendarMs === null ? '—' : formatMs(t.netMs ?? t.calendarMs),
        t.businessMs === null ? '—' : `${formatMs(t.businessMs)} / ${formatMs(t.netBusinessMs ?? t.businessMs)}`,
        formatMs(t.targetMs),
        t.outcome === 'pending' && ticket.state === 'timed-out' ? 'pending (watch ended)' : (t.outcome ?? '—'),
        t.outcome ? utc(t.dueAt) : '—',
      ]),
    },
    after: [
      `overall: ${sla?.overall ?? '—'} (as of ${utc(ticket.asOf)})`,
      `replies before the first substantive one: ${ticket.repliesBeforeSubstantive}`,
      `requests for information already given: ${ticket.redundantInfoRequests}${ticket.redundantInfoRequested.length ? ` (${ticket.redundantInfoRequested.join(', ')})` : ''}`,
      ...(ticket.resolvedBy === 'status' ? ['resolved by a status change only, with no reply stating the fix'] : []),
      ...(ticket.unverifiedActivities > 0
        ? [`warning: ${ticket.unverifiedActivities} message(s) from a sender not shown to be the vendor were kept but left out of every timing (see the activity list)`]
        : []),
      ...(ticket.measurementError ? [`measurement error (seen − vendor time): max ${formatMs(ticket.measurementError.maxMs)}, mean ${formatMs(ticket.measurementError.meanMs)}`] : []),
      ...(sla?.notes ?? []).map((note) => `note: ${note}`),
    ],
  });
  sections.push(...diagnosisSections(card));

  return {
    title: `Run scorecard — ${run.drill} → ${ticket.vendor}`,
    subtitle: `${run.id}${attempt} · started ${utc(run.startedAt)} · ${verdict}: ${run.reason ?? ''}`.trim(),
    sections,
  };
}

/** The steady state the class had to hold before the first fault; unhealthy, the run injected and filed nothing. */
function baselineSection(baseline: NonNullable<RunScorecard['baseline']>): Section {
  const span = `${timeOfDay(baseline.from)}–${timeOfDay(baseline.to)} UTC`;
  return {
    title: 'Steady state before the first fault',
    paragraphs: [
      baseline.healthy
        ? `healthy over ${span}: every student's video moving, audio without dropouts, no rise in packet loss`
        : `NOT HEALTHY over ${span}: no fault was injected and nothing was filed, since the vendor would have been blamed for what was already wrong`,
    ],
    after: baseline.problems,
  };
}

const STATE_LABELS: Readonly<Record<NonNullable<RunScorecard['states']>[number]['state'], string>> = {
  blank: 'blank picture',
  still: 'still picture',
  'audio-dropout': 'audio dropout',
};

/** Blank and still pictures and audio dropouts, scored like the freezes: onset, recovery, the fault or FALSE. */
function statesSection(states: NonNullable<RunScorecard['states']>, falseStates: number | null): Section {
  return {
    title: 'Blank and still pictures, audio dropouts',
    table: states.length
      ? {
          header: ['student', 'what', 'from (UTC)', 'duration', 'onset', 'recovery', 'fault'],
          rows: states.map((s) => [
            s.participant,
            STATE_LABELS[s.state],
            timeOfDay(s.startedAt),
            formatMs(s.durationMs),
            formatMs(s.onsetDelayMs),
            formatMs(s.recoveryMs),
            s.fault === null ? 'FALSE' : `#${s.fault}`,
          ]),
        }
      : undefined,
    paragraphs: states.length ? undefined : ['No blank or still picture and no audio dropout.'],
    after: falseStates === null ? undefined : [`false states: ${falseStates}`],
  };
}

/** The drill's expectation check by check, over the window each was judged in. */
function checksSection(checks: NonNullable<RunScorecard['checks']>): Section {
  const window = (w: { from: string; to: string }) => (w.from && w.to ? `${timeOfDay(w.from)}–${timeOfDay(w.to)}` : 'never opened (its event did not happen)');
  return {
    title: 'The expectation, check by check',
    paragraphs: ['Error checks decide whether the run reproduced the failure; warnings are reported only.'],
    table: {
      header: ['check', 'level', 'result', 'observed', 'window (UTC)'],
      rows: checks.map((c) => [c.name, c.level, c.passed ? 'passed' : 'FAILED', c.observed, window(c.window)]),
    },
  };
}

/**
 * The answer key and the vendor's diagnosis against it: the key fault by fault, the verdict with its
 * deciding reasons, then each cause a person stated. Times are UTC times of day, as in the other sections.
 */
function diagnosisSections(card: RunScorecard): Section[] {
  const { answerKey, ticket: diagnosis } = card.diagnosis;
  if (!answerKey) return [{ title: 'The diagnosis', paragraphs: ['no answer key (run from before answer keys)'] }];
  const key: Section = {
    title: 'The diagnosis',
    paragraphs: [
      'The answer key: what was really injected. It is never sent to the vendor; the cause the vendor settled on is scored against it (correct: side and mechanism match; partial: half right — the side without the mechanism, a mechanism without a side, or the wrong participant; wrong: another side; none: no cause stated).',
      ...(answerKey.faults.length ? [] : ['The answer key is empty: nothing was injected.']),
    ],
    table: answerKey.faults.length
      ? {
          header: ['#', 'where (side)', 'participant', 'what (mechanism)', 'affected students', 'on–off (UTC)'],
          rows: answerKey.faults.map((f) => [
            String(f.index),
            f.side,
            f.participant,
            `${f.mechanism} (${f.mechanisms.join(', ')})`,
            f.affected.join(', ') || 'none',
            `${timeOfDay(f.startedAt)}–${timeOfDay(f.endedAt)}`,
          ]),
        }
      : undefined,
  };
  const ticket = card.ticket;
  if (!ticket || !diagnosis) return [{ ...key, after: ['No ticket: there is no diagnosis to score.'] }];

  const watched = ticket.state === 'open' || ticket.state === 'filing';
  const [decisive, ...more] = diagnosis.verdict === 'none' && watched ? ['no person has stated a cause so far'] : diagnosis.reasons;
  const firstCorrect =
    diagnosis.firstCorrectMs !== null
      ? `${formatMs(diagnosis.firstCorrectMs)} after filing (at ${timeOfDay(diagnosis.firstCorrectAt)} UTC)`
      : watched
        ? 'not yet (the ticket is still watched)'
        : 'never';
  key.after = [
    `verdict: ${diagnosis.verdict === 'none' && watched ? 'none yet' : diagnosis.verdict}${decisive ? ` — ${decisive}` : ''}`,
    ...more.map((reason) => `from: ${reason}`),
    `time to first correct diagnosis: ${firstCorrect}`,
    `used its own data: ${diagnosis.usedOwnData ? 'yes' : 'no'}`,
  ];
  const filedAt = ticket.filedAt === null ? null : Date.parse(ticket.filedAt);
  const claims: Section = {
    title: 'Causes the vendor stated',
    table: diagnosis.claims.length
      ? {
          header: ['at (UTC)', 'elapsed', 'kind', 'side blamed', 'mechanism', 'used own data', 'verdict'],
          rows: diagnosis.claims.map((c) => [
            timeOfDay(c.at),
            filedAt === null ? '—' : formatMs(Date.parse(c.at) - filedAt),
            c.kind,
            (c.claim.side ?? '—') + (c.claim.participant ? ` (${c.claim.participant})` : '') + (c.claim.hedged ? ', hedged' : ''),
            c.claim.mechanisms.join(', ') || '—',
            c.claim.usedOwnData ? 'yes' : 'no',
            c.verdict,
          ]),
        }
      : undefined,
    paragraphs: diagnosis.claims.length ? undefined : ['No person stated a cause.'],
  };
  return [key, claims];
}

/** What the conversation took: the vendor's waits on us, its rounds of questions, follow-ups, escalation. */
function conversationLines(ticket: NonNullable<RunScorecard['ticket']>): string[] {
  const c = ticket.conversation;
  const lines = [
    `customer wait (the vendor waiting on us): ${formatMs(c.customerWaitMs)} in ${c.waits.length} span(s)${c.waits.some((w) => w.to === null) ? ', one still open' : ''}`,
    `rounds of questions: ${c.questionRounds} (${c.questionRoundsBeforeSubstantive} before the first substantive reply) · our messages: ${c.messages}${c.operatorMessages ? ` (${c.operatorMessages} by the operator)` : ''}`,
  ];
  if (c.followUps.length) {
    lines.push(`follow-ups needed: ${c.followUps.length} — next vendor reply after each: ${c.followUps.map((f) => (f.nextReplyMs === null ? 'none yet' : formatMs(f.nextReplyMs))).join(', ')}`);
  }
  lines.push(
    c.escalatedAt
      ? `escalated at ${utc(c.escalatedAt)} (${formatMs(Date.parse(c.escalatedAt) - Date.parse(ticket.filedAt ?? c.escalatedAt))} after filing); information asked again after it: ${c.redundantInfoRequestsAfterEscalation}`
      : 'no escalation seen',
  );
  if (c.waitingOnOperator) lines.push(`waiting on a person: ${c.waitingOnOperator} question(s) — \`npx supportdrill tickets reply ${ticket.ref} --message …\``);
  return lines;
}

// ── the trial scorecard ─────────────────────────────────────────────────────────────────────────────

export function trialSubject(card: TrialScorecard): string {
  const vendors = card.vendors.map((v) => v.vendor).join(', ') || 'no vendors';
  return `[supportdrill] trial scorecard ${card.period.from.slice(0, 10)} – ${card.period.to.slice(0, 10)}: ${vendors} (${card.runs.total} runs)`;
}

/** How many run ids a summary line names before it counts the rest. */
const RUNS_NAMED = 5;

function notCountedLine(runIds: string[]): string {
  const named = runIds.slice(0, RUNS_NAMED).join(', ') + (runIds.length > RUNS_NAMED ? ` and ${runIds.length - RUNS_NAMED} more` : '');
  return `${runIds.length} run(s) not counted: unhealthy baseline (the class was not healthy before the first fault, so nothing was injected or filed and no vendor is to blame): ${named}.`;
}

function retriedLine(retried: TrialScorecard['runs']['retried']): string {
  const each = retried.slice(0, RUNS_NAMED).map((r) => `${r.runId} retried as ${r.retriedAs}`);
  const named = each.join(', ') + (retried.length > RUNS_NAMED ? ` and ${retried.length - RUNS_NAMED} more` : '');
  return `${retried.length} run(s) not counted: retried (the drill's outcome is its retry's, which counts instead): ${named}.`;
}

/** Targets any of the vendors is judged on, so that rows nobody has are left out. */
function judgedTargets(vendors: VendorScore[]): SlaTargetName[] {
  return SLA_TARGET_NAMES.filter((name) => vendors.some((v) => v.slaHitRate[name] !== null));
}

function worstCell(v: VendorScore): string {
  const w = v.worst;
  if (!w) return '—';
  return `${w.runId} [${w.ref}] first human ${shownMs(w.firstHumanResponseMs)}, resolution ${shownMs(w.resolutionMs)}${w.url ? ` ${w.url}` : ''}`;
}

export function trialDocument(card: TrialScorecard): Document {
  const r = card.runs;
  const sections: Section[] = [];
  const counts = [
    `${r.total} run(s) started in the period: ${r.completed} scored (${r.reproduced} reproduced, ${r.notReproduced} not), ${r.failed} failed or interrupted, ${r.inProgress} in progress.`,
    ...(r.withoutVendor ? [`${r.withoutVendor} scored run(s) filed nothing (not reproduced, a control drill, or --no-ticket) and count for no vendor.`] : []),
    ...(r.unhealthyBaseline.length ? [notCountedLine(r.unhealthyBaseline)] : []),
    ...(r.retried.length ? [retriedLine(r.retried)] : []),
  ];
  const summary = [
    ...counts,
    ...(card.vendors.some((v) => Object.values(v.slaHitRate).some((rate) => rate !== null && rate.unjudged > 0))
      ? [
          'Some watches ended before an SLA deadline, so those tickets were never judged on that target ("unjudged": the vendor may have met it after we stopped looking). ' +
            'They stand beside each rate and in grey in the SLA chart, and no vendor is ranked on a rate that leaves them out. Tickets filed now are watched until their SLA’s last deadline has passed.',
        ]
      : []),
    'Times run from filing to the vendor’s own timestamp. Medians come with a distribution-free interval (the % is its exact confidence; few runs give wide or low-confidence ranges); "never" counts tickets whose watch ended without the moment as slower than all others.',
  ];
  if (card.vendors.length === 0) {
    sections.push({ title: 'Summary', paragraphs: [...counts, 'No vendor had a run in the period.'] });
    return { title: 'Trial scorecard', subtitle: period(card), sections };
  }
  sections.push({ title: 'Summary', paragraphs: summary });

  const vs = card.vendors;
  const header = ['', ...vs.map((v) => v.vendor)];
  const row = (label: string, cell: (v: VendorScore) => string) => [label, ...vs.map(cell)];
  const targets = judgedTargets(vs);
  const rows: string[][] = [
    row('drills (reproduced)', (v) => `${v.drills} (${v.reproduced})`),
    row('tickets: resolved · timed out · open', (v) => `${v.tickets.filed}: ${v.tickets.resolved} · ${v.tickets.timedOut} · ${v.tickets.open}${v.tickets.stopped ? ` · ${v.tickets.stopped} stopped` : ''}${v.tickets.filingFailed ? ` · ${v.tickets.filingFailed} not filed` : ''}`),
    row('SLA', (v) => (v.sla ? `${v.sla.tier ?? 'explicit'} (${v.sla.clock})` : 'not in the config')),
    ...SLA_TARGET_NAMES.map((name) => row(TIMING_LABELS[name], (v) => timingCell(v.timings[name]))),
    ...(vs.some((v) => v.businessTimings)
      ? (['firstHumanResponse', 'resolution'] as const).map((name) =>
          row(`${TIMING_LABELS[name]}, business time`, (v) => (v.businessTimings ? timingCell(v.businessTimings[name]) : 'no business hours')),
        )
      : []),
    ...targets.map((name) => row(`SLA met: ${TIMING_LABELS[name]}`, (v) => hitRateCell(v.slaHitRate[name]))),
    row('first human reply was canned', (v) => proportionCell(v.firstHumanCanned)),
    row('resolved within the watch', (v) => proportionCell(v.resolvedWithinWatch)),
    ...(vs.some((v) => v.unverifiedMessages > 0)
      ? [row('messages from unverified senders (not counted)', (v) => (v.unverifiedMessages ? `${v.unverifiedMessages} ⚠` : '0'))]
      : []),
  ];
  sections.push({
    title: 'Vendors side by side',
    table: { header, rows },
    charts: [
      { id: 'timings', alt: 'median time to first human response and to resolution per vendor, with intervals' },
      { id: 'sla', alt: 'share of tickets meeting each SLA target per vendor' },
    ],
  });

  if (vs.some((v) => v.byBusinessHours)) {
    const splitRows: string[][] = [];
    for (const side of ['inside', 'outside'] as const) {
      const cell = (f: (s: NonNullable<VendorScore['byBusinessHours']>['inside']) => string) => (v: VendorScore) =>
        v.byBusinessHours ? f(v.byBusinessHours[side]) : 'no business hours';
      splitRows.push(row(`${side}: drills`, cell((s) => String(s.drills))));
      splitRows.push(row(`${side}: first human response`, cell((s) => timingCell(s.firstHumanResponse))));
      splitRows.push(row(`${side}: resolution`, cell((s) => timingCell(s.resolution))));
      for (const name of targets) splitRows.push(row(`${side}: SLA met, ${TIMING_LABELS[name]}`, cell((s) => hitRateCell(s.slaHitRate[name]))));
    }
    sections.push({
      title: 'Inside vs outside business hours (the 7×24 claim)',
      paragraphs: ['Drills split by whether they were filed while the vendor’s desk was open.'],
      table: { header, rows: splitRows },
    });
  }

  const sample = (summary: VendorScore['conversation']['customerWait'], unit: 'ms' | 'count') =>
    summary.n === 0 ? 'no data' : `median ${unit === 'ms' ? shownMs(summary.median) : String(summary.median)} · p90 ${unit === 'ms' ? shownMs(summary.p90) : String(summary.p90)} · n ${summary.n}`;
  sections.push({
    title: 'The conversation',
    paragraphs: [
      'Net timings leave out the time the vendor waited on us (from its question to our answer); the SLA is judged on the clock each vendor’s contract uses (net by default). Rounds count the replies that asked us something before the first substantive one; “asked again after the escalation” is information the ticket gave that the second line or R&D asked for anew.',
    ],
    table: {
      header,
      rows: [
        ...(['firstHumanResponse', 'resolution'] as const).map((name) => row(`${TIMING_LABELS[name]}, net of customer wait`, (v) => timingCell(v.conversation.netTimings[name]))),
        row('customer wait per ticket', (v) => sample(v.conversation.customerWait, 'ms')),
        row('rounds of questions before the first substantive reply', (v) => sample(v.conversation.roundsBeforeSubstantive, 'count')),
        row('needed a follow-up', (v) => proportionCell(v.conversation.followedUp)),
        row('next reply after a follow-up', (v) => sample(v.conversation.nextReplyAfterFollowUp, 'ms')),
        row('escalated to second line / R&D', (v) => proportionCell(v.conversation.escalated)),
        row('asked again after the escalation', (v) => proportionCell(v.conversation.reAskedAfterEscalation)),
      ],
    },
  });

  sections.push(trialDiagnosisSection(vs, header, row));

  sections.push({
    title: 'Worst case (slowest first human response)',
    table: { header: ['vendor', 'worst case'], rows: vs.map((v) => [v.vendor, worstCell(v)]) },
    after: ['`npm run scorecard -- --run <run id>` shows that run’s scorecard.'],
  });
  sections.push({
    title: 'Ranking',
    paragraphs: card.ranking.map((rk) =>
      rk.order
        ? `${rk.label}: best first ${rk.order.join(', ')} (${rk.reason})`
        : `${rk.label}: ${rk.reason}${rk.separated.length ? `; told apart: ${rk.separated.map(([a, b]) => `${a} before ${b}`).join(', ')}` : ''}`,
    ),
  });
  return { title: 'Trial scorecard', subtitle: period(card), sections };
}

/** The vendors' diagnoses against the answer keys, tickets with no verdict yet beside each share. */
function trialDiagnosisSection(vs: VendorScore[], header: string[], row: (label: string, cell: (v: VendorScore) => string) => string[]): Section {
  const title = 'The diagnosis (against the answer keys, which vendors never see)';
  if (vs.every((v) => v.diagnosis.correct.overAll === null)) {
    return { title, paragraphs: ['No ticket in the period has an answer key (runs from before answer keys): nothing to score a diagnosis against.'] };
  }
  const unjudged = (v: VendorScore) => (v.diagnosis.unjudged ? ` +${v.diagnosis.unjudged} unjudged (no verdict yet)` : '');
  const correctCell = (v: VendorScore) => {
    const { correct } = v.diagnosis;
    const all = v.diagnosis.unjudged && correct.overAll ? `: ${percent(correct.overAll.low)}–${percent(correct.overAll.high)} of all ${correct.overAll.tickets}` : '';
    if (correct.trials === 0) return v.diagnosis.unjudged ? unjudged(v).trim() : 'no data';
    return proportionCell(correct) + unjudged(v) + all;
  };
  return {
    title,
    paragraphs: [
      'Each ticket’s verdict is on the cause the vendor settled on (its last stated before the resolution): correct when the side and the mechanism match what was injected, partial when half right (the side without the mechanism, a mechanism without a side, or the wrong participant), wrong when it blames another side, none when no person stated a cause. A ticket still watched with no cause stated yet is unjudged: shown beside the share, never counted in it.',
    ],
    table: {
      header,
      rows: [
        row('correct diagnosis', correctCell),
        row('verdicts: correct · partial · wrong · none', (v) => `${DIAGNOSIS_VERDICTS.map((verdict) => v.diagnosis.verdicts[verdict]).join(' · ')}${v.diagnosis.unjudged ? ` · ${v.diagnosis.unjudged} unjudged` : ''}`),
        row('time to first correct diagnosis', (v) => timingCell(v.diagnosis.firstCorrect)),
        row('used its own data', (v) => proportionCell(v.diagnosis.usedOwnData)),
        ...(vs.some((v) => v.diagnosis.withoutKey > 0) ? [row('tickets without an answer key (runs from before answer keys)', (v) => String(v.diagnosis.withoutKey))] : []),
      ],
    },
  };
}

function period(card: TrialScorecard): string {
  return `${utc(card.period.from)} → ${utc(card.period.to)} · generated ${utc(card.generatedAt)}`;
}
