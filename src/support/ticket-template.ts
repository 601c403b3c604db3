/**
 * Turns a run into the ticket a customer would file: what the students saw, when (in the vendor's
 * timezone and in UTC), who, the freeze episodes, versions, ids, steps to reproduce and the evidence.
 * A drill may replace the title and body with its own templates; both use the placeholders below.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatMs } from '../core/duration.ts';
import type { RunResult } from '../core/run-result.ts';
import { ticketRef } from '../core/run-id.ts';
import { UserError, prefixed } from '../core/errors.ts';
import { suggestKey } from '../core/key-hints.ts';
import type { Severity, TicketDraft } from '../vendors/adapter.ts';
import { isValidTimezone, wallClock } from '../core/business-hours.ts';

/** A drill's own ticket template (`ticket` in the drill file). */
export interface TicketTemplateOverrides {
  /**
   * The subject, with `{{placeholders}}`. The reference tag `[{{ref}}]` is put in front when the
   * template leaves it out, since replies are matched to the run by it.
   * @defaultValue {@link DEFAULT_TITLE}
   */
  title?: string;
  /**
   * The plain-text body, with `{{placeholders}}`. The disclosure line is added at the end unless the
   * template places `{{disclosure}}` itself.
   * @defaultValue {@link DEFAULT_BODY}
   */
  body?: string;
  /**
   * How bad it is; each adapter maps it to its vendor's priority.
   * @defaultValue `'high'`
   */
  severity?: Severity;
}

export interface RenderTicketInput {
  result: RunResult;
  drill: { name: string; description: string; ticket?: TicketTemplateOverrides };
  /** IANA timezone the vendor works in; times are written in it and in UTC. */
  vendorTimezone: string;
  /** A line saying the ticket comes from a support drill; `false` or absent for none. */
  disclosure?: string | false;
  /** The run's evidence directory (absolute); only files that exist there are attached. */
  evidenceDir: string;
  /** When the ticket is written. @defaultValue the current time */
  now?: Date;
}

/** What a body can show that a vendor might otherwise ask for (the classifier's `InfoKind`s). */
type ProvidedInfo = 'sdk-version' | 'browser' | 'os' | 'channel' | 'uid' | 'timestamps' | 'logs' | 'screenshots' | 'steps';

export const DEFAULT_TITLE = '[{{ref}}] {{headline}}';

export const DEFAULT_BODY = `{{summary}}

Please look into what happened in this room at that time, and tell us the cause and how to prevent it in live classes.

When
- Trouble began: {{incident.local}} = {{incident.utc}}
- Class in session: {{class.local}}

Participants
{{participants}}

Freeze episodes (what each student saw of the teacher's video)
{{episodes.table}}

Versions
{{versions}}

Identifiers
{{identifiers}}

Steps to reproduce
{{steps}}

Attached
{{attachments}}

Our reference: {{ref}}

{{disclosure}}`;

/** A disclosure line for configs that want one without writing their own. */
export const DEFAULT_DISCLOSURE =
  'This ticket was filed by a scheduled support drill during our evaluation of your service: the problem was ' +
  'reproduced on purpose in a test classroom. Please handle it as you would any customer ticket.';

/**
 * The placeholders a title or body template may use (`{{name}}`, spaces inside the braces allowed).
 * An unknown placeholder is an error that names it.
 *
 * | placeholder | what it becomes |
 * | --- | --- |
 * | `{{ref}}` | the reference tag without brackets, `DRILL-7f3a9c` |
 * | `{{run.id}}` | the full run id, `run_20261129T051246Z_7f3a9c` |
 * | `{{drill.name}}` | the drill's name |
 * | `{{drill.description}}` | the drill's one-sentence description |
 * | `{{headline}}` | one line in plain words: who saw what, for how long |
 * | `{{summary}}` | a paragraph in plain words: what happened, where, when, to whom |
 * | `{{incident.local}}` | when the first freeze began in the vendor's timezone: `2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00)` |
 * | `{{incident.utc}}` | the same instant in UTC: `2026-11-29 05:13:00 UTC` |
 * | `{{class.local}}` / `{{class.utc}}` | when the class was in session, from–to |
 * | `{{timezone}}` | the vendor's timezone, `Asia/Shanghai` |
 * | `{{participants}}` | the teacher and the students, one per line |
 * | `{{episodes.table}}` | the freeze episodes: participant, start (vendor time and UTC), duration, detection delay |
 * | `{{freeze.count}}` | how many freeze episodes there were |
 * | `{{freeze.longest}}` | the longest freeze, `12.2 s` |
 * | `{{versions}}` | real-time stack / SDK, browser, OS, user agent, one per line |
 * | `{{identifiers}}` | room or channel, participant ids and the like, one per line |
 * | `{{room}}` | the room or channel id |
 * | `{{steps}}` | numbered steps to reproduce |
 * | `{{attachments}}` | the attached evidence files, one per line |
 * | `{{disclosure}}` | the disclosure line, or nothing |
 * | `{{severity}}` | `low`, `normal`, `high` or `urgent` |
 * | `{{now.local}}` / `{{now.utc}}` | when the ticket was written |
 */
export const TICKET_PLACEHOLDERS = [
  'ref', 'run.id', 'drill.name', 'drill.description', 'headline', 'summary', 'incident.local', 'incident.utc',
  'class.local', 'class.utc', 'timezone', 'participants', 'episodes.table', 'freeze.count', 'freeze.longest',
  'versions', 'identifiers', 'room', 'steps', 'attachments', 'disclosure', 'severity', 'now.local', 'now.utc',
] as const;
export type TicketPlaceholder = (typeof TICKET_PLACEHOLDERS)[number];

const SEVERITIES: readonly Severity[] = ['low', 'normal', 'high', 'urgent'];

/** A placeholder's text and what it tells the vendor, so `facts` lists only what the ticket really says. */
interface Piece {
  text: string;
  times?: string[];
  numbers?: string[];
  provides?: ProvidedInfo[];
}

/** Renders the ticket for a run from the drill's template (or the default one) and the run's facts. */
export function renderTicket(input: RenderTicketInput): TicketDraft {
  const { result, drill } = input;
  const where = `drill '${drill.name}'`;
  const severity = drill.ticket?.severity ?? 'high';
  if (!SEVERITIES.includes(severity)) {
    throw new UserError(prefixed('ticket', `${where} ticket.severity: '${String(severity)}' is not a severity; expected one of ${SEVERITIES.join(', ')}`));
  }
  const attachments = evidenceFiles(resolve(input.evidenceDir));
  const pieces = buildPieces(input, severity, attachments);
  const ref = pieces.ref.text;
  const used = new Set<TicketPlaceholder>();

  let title = fill(drill.ticket?.title ?? DEFAULT_TITLE, pieces, used, `${where} ticket.title`).replace(/\s+/g, ' ').trim();
  if (!title.includes(`[${ref}]`)) title = `[${ref}] ${title}`;

  const bodyTemplate = drill.ticket?.body ?? DEFAULT_BODY;
  let body = fill(bodyTemplate, pieces, used, `${where} ticket.body`);
  const disclosure = pieces.disclosure.text;
  if (disclosure && !used.has('disclosure')) body = `${body.trimEnd()}\n\n${disclosure}`;
  body = tidy(body);

  const times = new Set<string>();
  const numbers = new Set<string>();
  const provided = new Set<ProvidedInfo>();
  for (const name of used) {
    pieces[name].times?.forEach((t) => times.add(t));
    pieces[name].numbers?.forEach((n) => numbers.add(n));
    pieces[name].provides?.forEach((p) => provided.add(p));
  }
  // Attached files reach the vendor whether or not the body lists them.
  if (attachments.some((a) => a.filename.startsWith('screenshot-'))) provided.add('screenshots');
  if (attachments.some((a) => a.filename.endsWith('.log'))) provided.add('logs');

  const scrub = secretScrubber();
  return {
    runId: result.runId,
    ref,
    title: scrub(title),
    body: scrub(body),
    severity,
    attachments: attachments.map(({ filename, path, contentType }) => ({ filename, path, contentType })),
    facts: {
      ref,
      identifiers: identifierFacts(result).map(scrub),
      times: [...times],
      numbers: [...numbers],
      providedInfo: PROVIDED_ORDER.filter((kind) => provided.has(kind)),
    },
    incidentAt: incidentAt(result),
  };
}

const PROVIDED_ORDER: readonly ProvidedInfo[] = ['sdk-version', 'browser', 'os', 'channel', 'uid', 'timestamps', 'logs', 'screenshots', 'steps'];

function fill(template: string, pieces: Record<TicketPlaceholder, Piece>, used: Set<TicketPlaceholder>, where: string): string {
  const unknown: string[] = [];
  const text = template.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (whole, name: string) => {
    if (!(TICKET_PLACEHOLDERS as readonly string[]).includes(name)) {
      unknown.push(name);
      return whole;
    }
    used.add(name as TicketPlaceholder);
    return pieces[name as TicketPlaceholder].text;
  });
  if (unknown.length > 0) {
    const problems = [...new Set(unknown)].map((name) => {
      const hint = suggestKey(name, TICKET_PLACEHOLDERS);
      return `{{${name}}}${hint ? ` (did you mean {{${hint}}}?)` : ''}`;
    });
    throw new UserError(
      prefixed(
        'ticket',
        `${where}: unknown placeholder ${problems.join(', ')}; known placeholders: ${TICKET_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
      ),
    );
  }
  return text;
}

function tidy(body: string): string {
  return body
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ── the run's facts, in words ────────────────────────────────────────────────────────────────────────

function buildPieces(input: RenderTicketInput, severity: Severity, attachments: EvidenceFile[]): Record<TicketPlaceholder, Piece> {
  const { result, drill, vendorTimezone: tz } = input;
  const clock = new VendorClock(tz);
  const ref = ticketRef(result.runId);
  const freezes = [...result.freezes].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  const incident = incidentAt(result);
  const inSession = Date.parse(result.inSessionAt);
  const ended = Date.parse(result.endedAt);
  const room = roomOf(result);
  const stack = result.versions.provider ?? result.provider;
  const teacher = 'teacher';
  const students = result.students.length > 0 ? result.students : participantsOf(result).filter((p) => p !== teacher);
  const longest = freezes.reduce((max, f) => Math.max(max, f.durationMs), 0);
  const durations = freezes.map((f) => formatMs(f.durationMs));
  const frozenStudents = [...new Set(freezes.map((f) => f.participant))];

  const incidentLocal = clock.long(incident);
  const incidentUtc = clock.utc(incident);
  const who =
    frozenStudents.length === students.length && students.length > 1
      ? students.length === 2
        ? 'both students'
        : `all ${students.length} students`
      : frozenStudents.length === 1
        ? frozenStudents[0]!
        : `${frozenStudents.length} of ${students.length} students`;

  const headline: Piece =
    freezes.length > 0
      ? {
          text: `The teacher's video froze for ${frozenStudents.length === 1 ? '' : 'up to '}${formatMs(longest)} for ${who} during a live class`,
          numbers: [formatMs(longest)],
        }
      : { text: drill.description };

  const summary: Piece = (() => {
    const inRoom = room ? ` in room ${room}` : '';
    if (freezes.length === 0) {
      return {
        text:
          `During a live class on ${stack}${inRoom}, from ${incidentLocal}, that is ${incidentUtc}: ${asClause(drill.description)}. ` +
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
        `that is ${incidentUtc}. Frozen: ${each.join('; ')} (${tz} time). ${recovered}`,
      times,
      numbers: durations,
      provides: ['timestamps', ...(room ? (['channel'] as const) : [])],
    };
  })();

  const table: Piece = (() => {
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
      text: pipeTable([['participant', `start (${tz})`, 'start (UTC)', 'duration', 'detected'], ...rows]),
      times,
      numbers: durations,
      provides: ['timestamps'],
    };
  })();

  const participants: Piece = {
    text: [`- ${teacher}: publishes camera and microphone`, ...students.map((s) => `- ${s}: subscribes to the teacher's audio and video`)].join('\n'),
    provides: hasIdentifier(result, /uid|user|participant/i) ? ['uid'] : [],
  };

  const versions = versionsPiece(result);
  const identifiers = identifiersPiece(result);

  const steps: Piece = (() => {
    const times: string[] = [];
    const at = (ms: number) => {
      const text = clock.time(ms);
      times.push(text);
      return text;
    };
    const lines = [
      `The teacher joins ${room ? `room ${room}` : 'the room'} on ${stack} and publishes camera and microphone.`,
      `${students.length === 1 ? `The student (${students[0]})` : `${students.length} students (${students.join(', ')})`} join the same room and subscribe to the teacher.`,
      `The class is in session from ${at(inSession)} (${tz}).`,
    ];
    if (freezes.length > 0) {
      const first = freezes[0]!;
      const sinceStart = Math.max(0, Date.parse(first.startedAt) - inSession);
      lines.push(
        `About ${formatMs(sinceStart)} later, at ${at(Date.parse(first.startedAt))}, ${frozenStudents.join(' and ')} ${frozenStudents.length === 1 ? 'stops' : 'stop'} receiving new video frames from the teacher; ` +
          (first.endedAt === null ? 'the picture does not come back before the class ends.' : `the picture comes back after ${formatMs(first.durationMs)}.`),
      );
    } else {
      lines.push(`Watch the teacher's video on every student until the class ends at ${at(ended)}.`);
    }
    return { text: lines.map((line, i) => `${i + 1}. ${line}`).join('\n'), times, numbers: freezes.length > 0 ? [durations[0]!] : [], provides: ['steps', 'timestamps'] };
  })();

  const classLocal = `${clock.long(inSession)} – ${clock.time(ended)}`;
  const classUtc = `${clock.utc(inSession)} – ${clock.utcTime(ended)}`;
  const now = input.now ?? new Date();

  return {
    ref: { text: ref },
    'run.id': { text: result.runId },
    'drill.name': { text: drill.name },
    'drill.description': { text: drill.description },
    headline,
    summary,
    'incident.local': { text: incidentLocal, times: [incidentLocal], provides: ['timestamps'] },
    'incident.utc': { text: incidentUtc, times: [incidentUtc], provides: ['timestamps'] },
    'class.local': { text: classLocal, times: [classLocal], provides: ['timestamps'] },
    'class.utc': { text: classUtc, times: [classUtc], provides: ['timestamps'] },
    timezone: { text: tz },
    participants,
    'episodes.table': table,
    'freeze.count': { text: String(freezes.length) },
    'freeze.longest': { text: formatMs(longest), numbers: freezes.length > 0 ? [formatMs(longest)] : [] },
    versions,
    identifiers,
    room: { text: room ?? '—', provides: room ? ['channel'] : [] },
    steps,
    attachments: {
      text: attachments.length > 0 ? attachments.map((a) => `- ${a.filename}: ${a.describe}`).join('\n') : '(no evidence files were kept for this run)',
    },
    disclosure: { text: input.disclosure ? input.disclosure.trim() : '' },
    severity: { text: severity },
    'now.local': { text: clock.long(now.getTime()) },
    'now.utc': { text: clock.utc(now.getTime()) },
  };
}

/** When the trouble began: the first freeze, else the first fault, else the class being in session. */
function incidentAt(result: RunResult): number {
  const starts = result.freezes.map((f) => Date.parse(f.startedAt));
  if (starts.length > 0) return Math.min(...starts);
  const faults = result.faults.map((f) => Date.parse(f.startedAt));
  if (faults.length > 0) return Math.min(...faults);
  return Date.parse(result.inSessionAt);
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
    if (isSecretKey(key)) continue;
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

function describeValue(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(describeValue).filter(Boolean).join(', ');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .filter(([key]) => !isSecretKey(key))
      .map(([key, inner]) => `${key} ${describeValue(inner)}`)
      .join(', ');
  }
  return '';
}

/**
 * Room or channel first: the sandbox desk's personas take the first id as the channel. Plain words
 * (`teacher`) are left out: any reply may say them without having read the ticket.
 */
function identifierFacts(result: RunResult): string[] {
  const room: string[] = [];
  const other: string[] = [];
  for (const [key, value] of Object.entries(result.identifiers)) {
    if (isSecretKey(key)) continue;
    (/room|channel/i.test(key) ? room : other).push(...flatten(value));
  }
  return [...new Set([...room, result.runId, ...other])].filter((id) => id.length > 0 && !/^\p{L}+$/u.test(id));
}

function flatten(value: unknown): string[] {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (typeof value === 'object' && value !== null) return Object.entries(value).filter(([k]) => !isSecretKey(k)).flatMap(([, v]) => flatten(v));
  return [];
}

function roomOf(result: RunResult): string | undefined {
  for (const [key, value] of Object.entries(result.identifiers)) {
    if (/room|channel/i.test(key) && (typeof value === 'string' || typeof value === 'number')) return String(value);
  }
  return undefined;
}

function participantsOf(result: RunResult): string[] {
  const list = result.identifiers.participants;
  return Array.isArray(list) ? list.map(String) : ['teacher'];
}

function hasIdentifier(result: RunResult, key: RegExp): boolean {
  return Object.keys(result.identifiers).some((k) => key.test(k) && !isSecretKey(k));
}

// ── secrets: none in a ticket ────────────────────────────────────────────────────────────────────────

const SECRET_KEY = /token|secret|passw|certificate|credential|private|api.?key|app.?key|app.?id|^key$|signature/i;

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Blanks out the values of secret-looking environment variables, wherever a provider or a template
 * may have let one through: a ticket leaves the building.
 */
function secretScrubber(): (text: string) => string {
  const secrets = Object.entries(process.env)
    .filter(([name, value]) => SECRET_KEY.test(name) && value !== undefined && value.length >= 6)
    .map(([, value]) => value!)
    .sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

// ── evidence ─────────────────────────────────────────────────────────────────────────────────────────

interface EvidenceFile {
  filename: string;
  path: string;
  contentType: string;
  describe: string;
}

const SCREENSHOT_ORDER = ['before', 'during', 'after'];

/** The files worth attaching, in reading order; empty console logs are left out as noise. */
function evidenceFiles(dir: string): EvidenceFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const nonEmpty = (name: string) => {
    try {
      const stat = statSync(join(dir, name));
      return stat.isFile() && stat.size > 0;
    } catch {
      return false;
    }
  };
  const files: EvidenceFile[] = [];
  const add = (filename: string, contentType: string, describe: string) =>
    files.push({ filename, path: join(dir, filename), contentType, describe });
  if (names.includes('timeline.json') && nonEmpty('timeline.json')) {
    add('timeline.json', 'application/json', "every participant's video and network stats over the class, with the freeze episodes");
  }
  if (names.includes('chart.png') && nonEmpty('chart.png')) add('chart.png', 'image/png', "each student's rendered frame rate of the teacher's video over time");
  const rank = (name: string) => {
    const index = SCREENSHOT_ORDER.indexOf(name.slice('screenshot-'.length, -'.png'.length));
    return index === -1 ? SCREENSHOT_ORDER.length : index;
  };
  const screenshots = names.filter((n) => /^screenshot-.+\.png$/.test(n) && nonEmpty(n)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const name of screenshots) {
    const moment = name.slice('screenshot-'.length, -'.png'.length);
    add(name, 'image/png', `a student's screen ${SCREENSHOT_ORDER.includes(moment) ? `${moment} the freeze` : `(${moment})`}`);
  }
  for (const name of names.filter((n) => /^console-.+\.log$/.test(n) && nonEmpty(n)).sort()) {
    add(name, 'text/plain', `browser console of ${name.slice('console-'.length, -'.log'.length)}`);
  }
  return files;
}

// ── formatting ───────────────────────────────────────────────────────────────────────────────────────

/** Formats instants in the vendor's timezone and in UTC, the two ways every time is written. */
class VendorClock {
  constructor(readonly timezone: string) {
    if (!isValidTimezone(timezone)) throw new UserError(prefixed('ticket', `'${timezone}' is not an IANA timezone; write it like 'Asia/Shanghai'`));
  }

  /** `2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00)` */
  long(ms: number): string {
    return `${this.date(ms)} ${this.time(ms)} (${this.timezone}, ${this.offset(ms)})`;
  }

  /** `13:13:00` */
  time(ms: number): string {
    return this.local(ms).slice(11, 19);
  }

  /** `2026-11-29 13:13:00.793`, for the episodes table. */
  precise(ms: number): string {
    return `${this.date(ms)} ${this.time(ms)}.${millis(ms)}`;
  }

  /** `2026-11-29 05:13:00 UTC` */
  utc(ms: number): string {
    return `${new Date(ms).toISOString().slice(0, 10)} ${this.utcTime(ms)} UTC`;
  }

  utcTime(ms: number): string {
    return new Date(ms).toISOString().slice(11, 19);
  }

  /** `2026-11-29 05:13:00.793Z` */
  preciseUtc(ms: number): string {
    return new Date(ms).toISOString().replace('T', ' ');
  }

  private date(ms: number): string {
    return this.local(ms).slice(0, 10);
  }

  /** `UTC+08:00`, `UTC-04:00` */
  private offset(ms: number): string {
    const minutes = Math.round((wallClock(ms, this.timezone) - ms) / 60_000);
    const abs = Math.abs(minutes);
    return `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  }

  /** The local wall-clock reading as an ISO string (`2026-11-29T13:13:00.793Z`, the Z meaning nothing). */
  private local(ms: number): string {
    return new Date(wallClock(ms, this.timezone)).toISOString();
  }
}

function millis(ms: number): string {
  return String(((Math.round(ms) % 1000) + 1000) % 1000).padStart(3, '0');
}

function pipeTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** A sentence made fit to follow a colon: no final full stop, a leading article in lower case. */
function asClause(text: string): string {
  return text.replace(/\.\s*$/, '').replace(/^(The|A|An) /, (m) => m.toLowerCase());
}
