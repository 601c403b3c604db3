/**
 * The run's facts, in words: one piece of text per placeholder, each with the times, numbers and kinds
 * of information it puts in front of the vendor. The placeholders themselves are listed, and
 * documented, in ticket-template.ts.
 */
import { formatMs } from '../core/duration.ts';
import type { FreezeResult, RunResult } from '../core/run-result.ts';
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

/** The readings of the run that several pieces share, worked out once. */
interface RunReading {
  result: RunResult;
  tz: string;
  clock: VendorClock;
  /** In the order they began. */
  freezes: FreezeResult[];
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
    headline: headlinePiece(run, drill.description),
    summary: summaryPiece(run, drill.description),
    ...timePieces(run, input.now ?? new Date()),
    participants: participantsPiece(run),
    'episodes.table': episodesTablePiece(run),
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

/** When the trouble began: the first freeze, else the first fault, else the class being in session. */
export function incidentAt(result: RunResult): number {
  const starts = result.freezes.map((f) => Date.parse(f.startedAt));
  if (starts.length > 0) return Math.min(...starts);
  const faults = result.faults.map((f) => Date.parse(f.startedAt));
  if (faults.length > 0) return Math.min(...faults);
  return Date.parse(result.inSessionAt);
}

function readRun(result: RunResult, tz: string): RunReading {
  const clock = new VendorClock(tz);
  const freezes = [...result.freezes].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  const incident = incidentAt(result);
  return {
    result,
    tz,
    clock,
    freezes,
    incident,
    inSession: Date.parse(result.inSessionAt),
    ended: Date.parse(result.endedAt),
    room: roomOf(result),
    stack: result.versions.provider ?? result.provider,
    students: result.students.length > 0 ? result.students : participantsOf(result).filter((p) => p !== TEACHER),
    frozenStudents: [...new Set(freezes.map((f) => f.participant))],
    longest: freezes.reduce((max, f) => Math.max(max, f.durationMs), 0),
    durations: freezes.map((f) => formatMs(f.durationMs)),
    incidentLocal: clock.long(incident),
    incidentUtc: clock.utc(incident),
  };
}

// ── the story: headline, summary, steps ──────────────────────────────────────────────────────────────

function headlinePiece(run: RunReading, description: string): Piece {
  const { freezes, frozenStudents, students, longest } = run;
  if (freezes.length === 0) return { text: description };
  const who =
    frozenStudents.length === students.length && students.length > 1
      ? students.length === 2
        ? 'both students'
        : `all ${students.length} students`
      : frozenStudents.length === 1
        ? frozenStudents[0]!
        : `${frozenStudents.length} of ${students.length} students`;
  return {
    text: `The teacher's video froze for ${frozenStudents.length === 1 ? '' : 'up to '}${formatMs(longest)} for ${who} during a live class`,
    numbers: [formatMs(longest)],
  };
}

function summaryPiece(run: RunReading, description: string): Piece {
  const { freezes, room, stack, clock, incidentLocal, incidentUtc } = run;
  const inRoom = room ? ` in room ${room}` : '';
  if (freezes.length === 0) {
    return {
      text:
        `During a live class on ${stack}${inRoom}, from ${incidentLocal}, that is ${incidentUtc}: ${asClause(description)}. ` +
        `No frozen video was detected on the students' side.`,
      times: [incidentLocal, incidentUtc],
    };
  }
  const times = [incidentLocal, incidentUtc];
  const each = freezes.map((f) => {
    const start = clock.time(Date.parse(f.startedAt));
    times.push(start);
    const recovery = f.endedAt === null ? ', still frozen when the class ended' : '';
    return `${f.participant} for ${formatMs(f.durationMs)} from ${start}${recovery}`;
  });
  const recovered = freezes.every((f) => f.endedAt !== null)
    ? `${freezes.length === 1 ? 'The picture' : 'Each time the picture'} came back by itself.`
    : 'The picture had not come back when the class ended.';
  return {
    text:
      `During a live class on ${stack}${inRoom}, the students' view of the teacher's video froze at ${incidentLocal}, ` +
      `that is ${incidentUtc}. Frozen: ${each.join('; ')} (${run.tz} time). ${recovered}`,
    times,
    numbers: run.durations,
    provides: ['timestamps', ...(room ? (['channel'] as const) : [])],
  };
}

function stepsPiece(run: RunReading): Piece {
  const { freezes, frozenStudents, students, room, inSession, clock } = run;
  const times: string[] = [];
  const at = (ms: number) => {
    const text = clock.time(ms);
    times.push(text);
    return text;
  };
  const lines = [
    `The teacher joins ${room ? `room ${room}` : 'the room'} on ${run.stack} and publishes camera and microphone.`,
    `${students.length === 1 ? `The student (${students[0]})` : `${students.length} students (${students.join(', ')})`} join the same room and subscribe to the teacher.`,
    `The class is in session from ${at(inSession)} (${run.tz}).`,
  ];
  if (freezes.length > 0) {
    const first = freezes[0]!;
    const sinceStart = Math.max(0, Date.parse(first.startedAt) - inSession);
    lines.push(
      `About ${formatMs(sinceStart)} later, at ${at(Date.parse(first.startedAt))}, ${frozenStudents.join(' and ')} ${frozenStudents.length === 1 ? 'stops' : 'stop'} receiving new video frames from the teacher; ` +
        (first.endedAt === null ? 'the picture does not come back before the class ends.' : `the picture comes back after ${formatMs(first.durationMs)}.`),
    );
  } else {
    lines.push(`Watch the teacher's video on every student until the class ends at ${at(run.ended)}.`);
  }
  return { text: lines.map((line, i) => `${i + 1}. ${line}`).join('\n'), times, numbers: freezes.length > 0 ? [run.durations[0]!] : [], provides: ['steps', 'timestamps'] };
}

/** A sentence made fit to follow a colon: no final full stop, a leading article in lower case. */
function asClause(text: string): string {
  return text.replace(/\.\s*$/, '').replace(/^(The|A|An) /, (m) => m.toLowerCase());
}

// ── when ─────────────────────────────────────────────────────────────────────────────────────────────

type TimePlaceholder = 'incident.local' | 'incident.utc' | 'class.local' | 'class.utc' | 'timezone' | 'now.local' | 'now.utc';

function timePieces(run: RunReading, now: Date): Record<TimePlaceholder, Piece> {
  const { clock, inSession, ended, incidentLocal, incidentUtc } = run;
  const classLocal = `${clock.long(inSession)} – ${clock.time(ended)}`;
  const classUtc = `${clock.utc(inSession)} – ${clock.utcTime(ended)}`;
  return {
    'incident.local': { text: incidentLocal, times: [incidentLocal], provides: ['timestamps'] },
    'incident.utc': { text: incidentUtc, times: [incidentUtc], provides: ['timestamps'] },
    'class.local': { text: classLocal, times: [classLocal], provides: ['timestamps'] },
    'class.utc': { text: classUtc, times: [classUtc], provides: ['timestamps'] },
    timezone: { text: run.tz },
    'now.local': { text: clock.long(now.getTime()) },
    'now.utc': { text: clock.utc(now.getTime()) },
  };
}

// ── the freezes ──────────────────────────────────────────────────────────────────────────────────────

function episodesTablePiece(run: RunReading): Piece {
  const { freezes, clock } = run;
  if (freezes.length === 0) return { text: 'No freeze episode was detected.' };
  const times: string[] = [];
  const rows = freezes.map((f) => {
    const start = Date.parse(f.startedAt);
    const local = clock.precise(start);
    const utc = clock.preciseUtc(start);
    times.push(local, utc);
    return [f.participant, local, utc, formatMs(f.durationMs) + (f.endedAt === null ? ' (until class end)' : ''), `+${formatMs(Date.parse(f.detectedAt) - start)}`];
  });
  return {
    text: pipeTable(['participant', `start (${run.tz})`, 'start (UTC)', 'duration', 'detected'], rows),
    times,
    numbers: run.durations,
    provides: ['timestamps'],
  };
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
