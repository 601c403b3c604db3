/**
 * The run's facts, in words: one piece of text per placeholder, each with the times, numbers and kinds
 * of information it puts in front of the vendor. The placeholders themselves are listed, and
 * documented, in ticket-template.ts.
 */
import { formatMs } from '../core/duration.ts';
import { confirmedBy } from '../core/freeze-signals.ts';
import type { DelaySummary, FreezeResult, JoinFailure, RunResult, StateResult } from '../core/run-result.ts';
import { ticketRef } from '../core/run-id.ts';
import { pipeTable } from '../core/text-table.ts';
import type { Severity } from '../vendors/adapter.ts';
import { VendorClock } from './ticket-clock.ts';
import type { EvidenceFile } from './ticket-evidence.ts';
import { describeValue, hasIdentifier, participantsOf, roomOf } from './ticket-identifiers.ts';
import { isSecretKey, looksSecretValue } from './ticket-secrets.ts';

/** What a body can show that a vendor might otherwise ask for (the classifier's `InfoKind`s). */
export type ProvidedInfo = 'sdk-version' | 'browser' | 'os' | 'channel' | 'uid' | 'timestamps' | 'logs' | 'screenshots' | 'steps';

/** A placeholder's text and what it tells the vendor, so `facts` lists only what the ticket really says. */
export interface Piece {
  text: string;
  times?: string[];
  numbers?: string[];
  provides?: ProvidedInfo[];
}

/** What the pieces are made from: the parts of renderTicket's input that a template can show. */
export interface PiecesInput {
  result: RunResult;
  drill: { name: string; description: string };
  vendorTimezone: string;
  disclosure?: string | false;
  now?: Date;
}

const TEACHER = 'teacher';

/** What a student saw or heard of the teacher: a freeze, or one of the other states. */
type Trouble = 'frozen' | StateResult['state'];

/** A freeze or another state's episode, as the pieces tell them. */
interface Episode {
  participant: string;
  trouble: Trouble;
  start: number;
  /** `null`: still on when the class ended. */
  end: number | null;
  durationMs: number;
  detectedAt: number;
  /** A freeze's signals. */
  signals?: FreezeResult['signals'];
}

/** The readings of the run that several pieces share, worked out once. */
interface RunReading {
  result: RunResult;
  tz: string;
  clock: VendorClock;
  /** `(Asia/Shanghai time)`, `(UTC)`: after a list of local times of day. */
  zoneNote: string;
  /** In the order they began. */
  freezes: FreezeResult[];
  /** Freezes and the other states together, in the order they began. */
  episodes: Episode[];
  /** Students that could not join at all. */
  joinFailures: JoinFailure[];
  incident: number;
  inSession: number;
  ended: number;
  room: string | undefined;
  stack: string;
  students: string[];
  frozenStudents: string[];
  longest: number;
  durations: string[];
  incidentLocal: string;
  incidentUtc: string;
  /** The incident time for a sentence: each reading once. */
  incidentBoth: string;
  incidentReadings: string[];
}

/** Every placeholder's piece for this run; renderTicket picks the ones its templates use. */
export function buildPieces(input: PiecesInput, severity: Severity, attachments: EvidenceFile[]) {
  const { result, drill } = input;
  const run = readRun(result, input.vendorTimezone);
  return {
    ref: { text: ticketRef(result.runId) },
    'run.id': { text: result.runId },
    'drill.name': { text: drill.name },
    'drill.description': { text: drill.description },
    impact: impactPiece(run, severity),
    headline: headlinePiece(run, drill.description),
    summary: summaryPiece(run, drill.description),
    ...timePieces(run, input.now ?? new Date()),
    participants: participantsPiece(run),
    'episodes.table': episodesTablePiece(run),
    delay: delayPiece(result.delay),
    ...freezePieces(run),
    versions: versionsPiece(result),
    identifiers: identifiersPiece(result),
    room: roomPiece(run),
    steps: stepsPiece(run),
    attachments: attachmentsPiece(attachments),
    disclosure: { text: input.disclosure ? input.disclosure.trim() : '' },
    severity: { text: severity },
  };
}

/** When the trouble began: the first freeze or other state, else the first fault, else the class being in session. */
export function incidentAt(result: RunResult): number {
  const starts = [...result.freezes, ...(result.states ?? [])].map((f) => Date.parse(f.startedAt));
  if (starts.length > 0) return Math.min(...starts);
  const faults = result.faults.map((f) => Date.parse(f.startedAt));
  if (faults.length > 0) return Math.min(...faults);
  return Date.parse(result.inSessionAt);
}

function readRun(result: RunResult, tz: string): RunReading {
  const clock = new VendorClock(tz);
  const freezes = [...result.freezes].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  const episodes = [...freezes.map((f) => episodeOf(f, 'frozen')), ...(result.states ?? []).map((s) => episodeOf(s, s.state))].sort(
    (a, b) => a.start - b.start || a.participant.localeCompare(b.participant),
  );
  const incident = incidentAt(result);
  return {
    result,
    tz,
    clock,
    zoneNote: clock.isUtc ? '(UTC)' : `(${tz} time)`,
    freezes,
    episodes,
    joinFailures: result.joinFailures ?? [],
    incident,
    inSession: Date.parse(result.inSessionAt),
    ended: Date.parse(result.endedAt),
    room: roomOf(result),
    stack: result.versions.provider ?? result.provider,
    students: result.students.length > 0 ? result.students : participantsOf(result).filter((p) => p !== TEACHER),
    frozenStudents: [...new Set(freezes.map((f) => f.participant))],
    longest: freezes.reduce((max, f) => Math.max(max, f.durationMs), 0),
    durations: freezes.map((f) => formatMs(f.durationMs)),
    incidentLocal: clock.zoned(incident),
    incidentUtc: clock.utc(incident),
    incidentBoth: clock.both(incident),
    incidentReadings: clock.readings(incident),
  };
}

function episodeOf(e: FreezeResult | StateResult, trouble: Trouble): Episode {
  return {
    participant: e.participant,
    trouble,
    start: Date.parse(e.startedAt),
    end: e.endedAt === null ? null : Date.parse(e.endedAt),
    durationMs: e.durationMs,
    detectedAt: Date.parse(e.detectedAt),
    ...('signals' in e && e.signals ? { signals: e.signals } : {}),
  };
}

/** How each trouble reads: in the impact's list, as what a student saw, and as a step to reproduce. */
const TROUBLE_WORDS: Record<Trouble, { label: string; saw: string; headline: string; step: (verb: (s: string) => string) => string; back: string; notBack: string }> = {
  frozen: {
    label: 'frozen picture',
    saw: "saw the teacher's picture frozen",
    headline: "The teacher's video froze",
    step: (verb) => `${verb('stop')} receiving new video frames from the teacher`,
    back: 'the picture comes back',
    notBack: 'the picture does not come back',
  },
  blank: {
    label: 'black/blank picture',
    saw: 'saw a black or blank picture instead of the teacher',
    headline: "The teacher's video went black",
    step: (verb) => `${verb('see')} a black or blank picture instead of the teacher`,
    back: 'the picture comes back',
    notBack: 'the picture does not come back',
  },
  still: {
    label: 'still picture',
    saw: "saw the teacher's picture stand still",
    headline: "The teacher's picture stood still",
    step: (verb) => `${verb('see')} the teacher's picture stand still while video keeps arriving`,
    back: 'the picture moves again',
    notBack: 'the picture does not move again',
  },
  'audio-dropout': {
    label: 'no sound',
    saw: "lost the teacher's sound",
    headline: "The teacher's sound dropped out",
    step: (verb) => `${verb('stop')} hearing the teacher`,
    back: 'the sound comes back',
    notBack: 'the sound does not come back',
  },
};

const TROUBLE_ORDER: readonly Trouble[] = ['frozen', 'blank', 'still', 'audio-dropout'];

const countOf = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Each student's troubled time with overlaps counted once (a freeze and a dropout at once are one bad moment). */
function troubledMs(episodes: Episode[]): number {
  let total = 0;
  for (const student of new Set(episodes.map((e) => e.participant))) {
    const spans = episodes
      .filter((e) => e.participant === student)
      .map((e) => [e.start, e.start + e.durationMs] as const)
      .sort((a, b) => a[0] - b[0]);
    let [from, to] = spans[0]!;
    for (const [start, end] of spans.slice(1)) {
      if (start > to) {
        total += to - from;
        [from, to] = [start, end];
      } else to = Math.max(to, end);
    }
    total += to - from;
  }
  return total;
}

// ── the story: impact, headline, summary, steps ──────────────────────────────────────────────────────

/**
 * The ticket's first line, what a vendor triages on: how many students, for how long, what they
 * saw, and the severity we give it.
 */
function impactPiece(run: RunReading, severity: Severity): Piece {
  const { episodes, students, joinFailures } = run;
  const rating = `Severity we give it: ${severity}.`;
  const outside = [...new Set(joinFailures.map((j) => j.participant))];
  if (episodes.length === 0 && outside.length === 0) {
    return { text: `Impact: none of the ${countOf(students.length, 'student')} saw frozen, black or still video or lost the sound. ${rating}` };
  }
  const affected = new Set([...outside, ...episodes.map((e) => e.participant)]);
  const ofAll = `${affected.size} of ${countOf(students.length, 'student')}`;
  if (episodes.length === 0) return { text: `Impact: ${ofAll} could not join the class. ${rating}` };
  const longest = Math.max(...episodes.map((e) => e.durationMs));
  const total = troubledMs(episodes);
  const troubles = TROUBLE_ORDER.filter((t) => episodes.some((e) => e.trouble === t));
  const kinds = [
    ...(outside.length > 0 ? [`could not join (${countOf(outside.length, 'student')})`] : []),
    ...troubles.map((t) => `${TROUBLE_WORDS[t].label} (${countOf(new Set(episodes.filter((e) => e.trouble === t).map((e) => e.participant)).size, 'student')})`),
  ];
  const what = kinds.length === 1 ? `${ofAll} ${TROUBLE_WORDS[troubles[0]!].saw}` : `${ofAll}: ${kinds.join(', ')};`;
  const numbers = [formatMs(longest)];
  let howLong = `for ${formatMs(longest)}`;
  if (episodes.length > 1) {
    howLong = `for up to ${formatMs(longest)} (${formatMs(total)} in all)`;
    numbers.push(formatMs(total));
  }
  const open = episodes.some((e) => e.end === null) ? ', still on when the class ended' : '';
  return { text: `Impact: ${what}${kinds.length === 1 ? ',' : ''} ${howLong}${open}. ${rating}`, numbers };
}

/** `both students`, `all 8 students`, `student-2`, `3 of 8 students`. */
function whoOf(these: string[], students: string[]): string {
  if (these.length === students.length && students.length > 1) return students.length === 2 ? 'both students' : `all ${students.length} students`;
  return these.length === 1 ? these[0]! : `${these.length} of ${students.length} students`;
}

function headlinePiece(run: RunReading, description: string): Piece {
  const { freezes, frozenStudents, students, longest, episodes, joinFailures } = run;
  // A student left out of the class is the worst of it; then a freeze; then the first other state.
  if (joinFailures.length > 0) {
    const outside = [...new Set(joinFailures.map((j) => j.participant))];
    const who = whoOf(outside, students);
    // A participant's name keeps its own case; `both students` starts a sentence.
    return { text: `${outside.length === 1 ? who : capitalised(who)} could not join a live class` };
  }
  const trouble: Trouble | undefined = freezes.length > 0 ? 'frozen' : episodes[0]?.trouble;
  if (trouble === undefined) return { text: description };
  const these = trouble === 'frozen' ? frozenStudents : [...new Set(episodes.filter((e) => e.trouble === trouble).map((e) => e.participant))];
  const worst = trouble === 'frozen' ? longest : Math.max(...episodes.filter((e) => e.trouble === trouble).map((e) => e.durationMs));
  const who = whoOf(these, students);
  return {
    text: `${TROUBLE_WORDS[trouble].headline} for ${these.length === 1 ? '' : 'up to '}${formatMs(worst)} for ${who} during a live class`,
    numbers: [formatMs(worst)],
  };
}

function summaryPiece(run: RunReading, description: string): Piece {
  const { freezes, episodes, room, stack, clock, incidentBoth, zoneNote } = run;
  const inRoom = room ? ` in room ${room}` : '';
  const times = [...run.incidentReadings];
  const at = (ms: number) => {
    const text = clock.time(ms);
    times.push(text);
    return text;
  };
  const others = episodes.filter((e) => e.trouble !== 'frozen');
  const otherLines = TROUBLE_ORDER.filter((t) => t !== 'frozen' && others.some((e) => e.trouble === t)).map((t) => {
    const each = others
      .filter((e) => e.trouble === t)
      .map((e) => `${e.participant} for ${formatMs(e.durationMs)} from ${at(e.start)}${e.end === null ? ', still on when the class ended' : ''}`);
    return `${capitalised(TROUBLE_WORDS[t].label)}: ${each.join('; ')} ${zoneNote}.`;
  });
  if (run.joinFailures.length > 0) otherLines.unshift(`Could not join: ${run.joinFailures.map((j) => `${j.participant} (${j.reason})`).join('; ')}.`);
  const numbers = [...run.durations, ...others.map((e) => formatMs(e.durationMs))];
  if (freezes.length === 0) {
    const seen = otherLines.length > 0 ? otherLines.join(' ') : "No frozen video was detected on the students' side.";
    return {
      text: `During a live class on ${stack}${inRoom}, from ${incidentBoth}: ${asClause(description)}. ${seen}`,
      times,
      numbers,
      provides: ['timestamps', ...(room && otherLines.length > 0 ? (['channel'] as const) : [])],
    };
  }
  const each = freezes.map((f) => {
    const recovery = f.endedAt === null ? ', still frozen when the class ended' : '';
    return `${f.participant} for ${formatMs(f.durationMs)} from ${at(Date.parse(f.startedAt))}${recovery}`;
  });
  const recovered = freezes.every((f) => f.endedAt !== null)
    ? `${freezes.length === 1 ? 'The picture' : 'Each time the picture'} came back by itself.`
    : 'The picture had not come back when the class ended.';
  return {
    text:
      `During a live class on ${stack}${inRoom}, the students' view of the teacher's video froze at ${incidentBoth}. ` +
      `Frozen: ${each.join('; ')} ${zoneNote}. ${recovered}${otherLines.length > 0 ? ` ${otherLines.join(' ')}` : ''}`,
    times,
    numbers,
    provides: ['timestamps', ...(room ? (['channel'] as const) : [])],
  };
}

function stepsPiece(run: RunReading): Piece {
  const { episodes, students, room, inSession, clock } = run;
  const times: string[] = [];
  const at = (ms: number) => {
    const text = clock.time(ms);
    times.push(text);
    return text;
  };
  const lines = [
    `The teacher joins ${room ? `room ${room}` : 'the room'} on ${run.stack} and publishes camera and microphone.`,
    `${students.length === 1 ? `The student (${students[0]})` : `${students.length} students (${students.join(', ')})`} join the same room and subscribe to the teacher.`,
    ...run.joinFailures.map((j) => `Of them, ${j.participant} cannot join: ${j.reason}.`),
    `The class is in session from ${at(inSession)} (${clock.zone}).`,
  ];
  // The first trouble seen, and everyone who saw that kind: the step a vendor's engineer reproduces.
  const first = episodes[0];
  if (first) {
    const sinceStart = Math.max(0, first.start - inSession);
    const who = [...new Set(episodes.filter((e) => e.trouble === first.trouble).map((e) => e.participant))];
    const words = TROUBLE_WORDS[first.trouble];
    const verb = (v: string) => (who.length === 1 ? `${v}s` : v);
    lines.push(
      `About ${formatMs(sinceStart)} later, at ${at(first.start)}, ${who.join(' and ')} ${words.step(verb)}; ` +
        (first.end === null ? `${words.notBack} before the class ends.` : `${words.back} after ${formatMs(first.durationMs)}.`),
    );
  } else {
    lines.push(`Watch the teacher's video on every student until the class ends at ${at(run.ended)}.`);
  }
  return { text: lines.map((line, i) => `${i + 1}. ${line}`).join('\n'), times, numbers: first ? [formatMs(first.durationMs)] : [], provides: ['steps', 'timestamps'] };
}

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** A sentence made fit to follow a colon: no final full stop, a leading article in lower case. */
function asClause(text: string): string {
  return text.replace(/\.\s*$/, '').replace(/^(The|A|An) /, (m) => m.toLowerCase());
}

// ── when ─────────────────────────────────────────────────────────────────────────────────────────────

type TimePlaceholder = 'incident' | 'incident.local' | 'incident.utc' | 'class' | 'class.local' | 'class.utc' | 'timezone' | 'now.local' | 'now.utc';

function timePieces(run: RunReading, now: Date): Record<TimePlaceholder, Piece> {
  const { clock, inSession, ended, incidentLocal, incidentUtc } = run;
  const classReadings = clock.spanReadings(inSession, ended);
  const classLocal = clock.localSpan(inSession, ended);
  const classUtc = clock.utcSpan(inSession, ended);
  return {
    incident: { text: run.incidentBoth, times: run.incidentReadings, provides: ['timestamps'] },
    'incident.local': { text: incidentLocal, times: [incidentLocal], provides: ['timestamps'] },
    'incident.utc': { text: incidentUtc, times: [incidentUtc], provides: ['timestamps'] },
    class: { text: clock.bothSpan(inSession, ended), times: classReadings, provides: ['timestamps'] },
    'class.local': { text: classLocal, times: [classLocal], provides: ['timestamps'] },
    'class.utc': { text: classUtc, times: [classUtc], provides: ['timestamps'] },
    timezone: { text: run.tz },
    'now.local': { text: clock.zoned(now.getTime()) },
    'now.utc': { text: clock.utc(now.getTime()) },
  };
}

// ── the freezes ──────────────────────────────────────────────────────────────────────────────────────

/**
 * The episodes, one row each: one start column per distinct clock (the vendor's and UTC, or only
 * UTC when the vendor's clock read UTC then), what the student saw when not only freezes are
 * listed, and which signals confirmed a freeze when the run recorded them.
 */
function episodesTablePiece(run: RunReading): Piece {
  const { episodes, clock } = run;
  if (episodes.length === 0) return { text: 'No freeze, black or still picture or loss of sound was detected.' };
  const times: string[] = [];
  const withSaw = episodes.some((e) => e.trouble !== 'frozen');
  const withLocal = episodes.some((e) => !clock.readsUtc(e.start));
  const withSignals = episodes.some((e) => e.signals);
  const rows = episodes.map((e) => {
    const local = clock.precise(e.start);
    const utc = clock.preciseUtc(e.start);
    times.push(...(withLocal ? [local] : []), utc);
    return [
      e.participant,
      ...(withSaw ? [TROUBLE_WORDS[e.trouble].label] : []),
      ...(withLocal ? [local] : []),
      utc,
      formatMs(e.durationMs) + (e.end === null ? ' (until class end)' : ''),
      `+${formatMs(e.detectedAt - e.start)}`,
      ...(withSignals ? [confirmedBy(e.signals, run.result.provider) ?? '—'] : []),
    ];
  });
  const utcHeader = withLocal || clock.isUtc ? 'start (UTC)' : `start (UTC, also ${run.tz} time)`;
  const header = [
    'participant',
    ...(withSaw ? ['saw'] : []),
    ...(withLocal ? [`start (${run.tz})`] : []),
    utcHeader,
    'duration',
    'detected',
    ...(withSignals ? ['confirmed by'] : []),
  ];
  return {
    text: pipeTable(header, rows),
    times,
    numbers: episodes.map((e) => formatMs(e.durationMs)),
    provides: ['timestamps'],
  };
}

/** `Camera-to-screen delay per student: student-1 p50 180 ms, p95 240 ms; …`, or nothing when the picture was not stamped. */
function delayPiece(delay: DelaySummary[] | undefined): Piece {
  if (!delay || delay.length === 0) return { text: '' };
  const ms = (value: number) => `${Math.round(value)} ms`;
  const each = delay.map((d) => `${d.participant} p50 ${ms(d.p50Ms)}, p95 ${ms(d.p95Ms)}`);
  return { text: `Camera-to-screen delay per student: ${each.join('; ')}.`, numbers: delay.flatMap((d) => [ms(d.p50Ms), ms(d.p95Ms)]) };
}

function freezePieces(run: RunReading): Record<'freeze.count' | 'freeze.longest', Piece> {
  const { freezes, longest } = run;
  return {
    'freeze.count': { text: String(freezes.length) },
    'freeze.longest': { text: formatMs(longest), numbers: freezes.length > 0 ? [formatMs(longest)] : [] },
  };
}

// ── who, what, with which versions and ids ───────────────────────────────────────────────────────────

function participantsPiece(run: RunReading): Piece {
  return {
    text: [`- ${TEACHER}: publishes camera and microphone`, ...run.students.map((s) => `- ${s}: subscribes to the teacher's audio and video`)].join('\n'),
    provides: hasIdentifier(run.result, /uid|user|participant/i) ? ['uid'] : [],
  };
}

function roomPiece(run: RunReading): Piece {
  return { text: run.room ?? '—', provides: run.room ? ['channel'] : [] };
}

const VERSION_LABELS: Record<string, string> = {
  provider: 'Real-time stack',
  sdk: 'SDK',
  browser: 'Browser',
  os: 'OS',
  userAgent: 'User agent',
  node: 'Node.js (test harness)',
};

/** The order a support engineer reads versions in; keys not listed follow in their own order. */
const VERSION_ORDER = ['provider', 'sdk', 'browser', 'os', 'userAgent', 'node'];

function versionsPiece(result: RunResult): Piece {
  const provides = new Set<ProvidedInfo>();
  const versions: Record<string, string> = { ...result.versions };
  const platform = versions.os ? undefined : /\(([^)]+)\)/.exec(versions.userAgent ?? '')?.[1];
  if (platform) versions.os = `${platform} (from the user agent)`;
  const rank = (key: string) => (VERSION_ORDER.includes(key) ? VERSION_ORDER.indexOf(key) : VERSION_ORDER.length);
  const lines: string[] = [];
  for (const key of Object.keys(versions).sort((a, b) => rank(a) - rank(b))) {
    if (isSecretKey(key) || looksSecretValue(String(versions[key]))) continue;
    lines.push(`- ${VERSION_LABELS[key] ?? key}: ${versions[key]}`);
    if (/sdk|provider|rtc|agora/i.test(key)) provides.add('sdk-version');
    if (key === 'browser' || key === 'userAgent') provides.add('browser');
    if (key === 'os') provides.add('os');
  }
  return { text: lines.length > 0 ? lines.join('\n') : '(not recorded)', provides: [...provides] };
}

const IDENTIFIER_LABELS: Record<string, string> = { room: 'Room', channel: 'Channel', participants: 'Participants', uids: 'UIDs', uid: 'UID' };

function identifiersPiece(result: RunResult): Piece {
  const lines = [`- Run: ${result.runId}`];
  for (const [key, value] of Object.entries(result.identifiers)) {
    if (isSecretKey(key)) continue;
    const text = describeValue(value);
    if (text) lines.push(`- ${IDENTIFIER_LABELS[key] ?? key}: ${text}`);
  }
  const provides: ProvidedInfo[] = [];
  if (roomOf(result)) provides.push('channel');
  if (hasIdentifier(result, /uid|user|participant/i)) provides.push('uid');
  return { text: lines.join('\n'), provides };
}

function attachmentsPiece(attachments: EvidenceFile[]): Piece {
  return {
    text: attachments.length > 0 ? attachments.map((a) => `- ${a.filename}: ${a.describe}`).join('\n') : '(no evidence files were kept for this run)',
  };
}
