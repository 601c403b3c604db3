/**
 * Our answer to a vendor's questions, written from the run's own evidence the way a diligent
 * customer's engineer would: short, polite, plain text, each question quoted and answered under it,
 * the files it asks for attached. What the ticket already gave is pointed to (and counted); what no
 * evidence answers (a call, a setting to try) is left to a person, and said so.
 *
 * Never a certificate, token or secret: identifiers are filtered by key name and by the shape of
 * their value, and the body is scrubbed of secret-looking values and of the environment's secrets.
 * The body carries no reference line: the caller appends `Our reference: …`.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatMs } from '../core/duration.ts';
import type { Question, QuestionTopic } from '../core/question.ts';
import type { FreezeResult, JoinFailure, RunResult, StateResult } from '../core/run-result.ts';
import type { InfoKind, TicketFacts } from '../core/ticket-facts.ts';
import type { OutgoingMessage } from '../vendors/adapter.ts';
import { describeInfoKind } from './classifier.ts';
import { VendorClock } from './ticket-clock.ts';
import { describeValue, participantsOf, roomOf } from './ticket-identifiers.ts';
import { buildPieces } from './ticket-pieces.ts';
import { isSecretKey, looksSecretValue, secretScrubber } from './ticket-secrets.ts';

/** The language an answer is written in: the one the questions were asked in. */
export type AnswerLanguage = 'en' | 'zh';

/** A file sent with the answer (absolute path), as {@link OutgoingMessage} carries it. */
export type AnswerAttachment = OutgoingMessage['attachments'][number];

/** What an answer is written from. */
export interface AnswerInput {
  /** The questions to answer, in the order the vendor asked them (a classification's `questions`). */
  questions: Question[];
  /** The run the ticket is about. */
  result: RunResult;
  /** The ticket: its reference tag and what it already told the vendor. */
  ticket: { ref: string; facts?: TicketFacts | null };
  /** IANA timezone the vendor works in; times are written in it and in UTC, once when its clock reads UTC. */
  vendorTimezone: string;
  /** See {@link answerLanguage}. */
  language: AnswerLanguage;
  /** The files in the run's evidence directory (`evidenceFiles(dir)`); only those on disk are attached. */
  evidence: readonly AnswerAttachment[];
  /**
   * `result` is a new run of the drill, made because the vendor asked to reproduce it: a reproduce
   * question is answered with what it showed and its evidence. Otherwise such a question is left to
   * a person.
   * @defaultValue `false`
   */
  rerun?: boolean;
}

/** The answer, and which questions it answered, pointed to or left to a person. */
export interface ComposedAnswer {
  /** Plain text without the reference line; empty when nothing could be answered (leave it to the operator). */
  body: string;
  /** The files the answers name, in evidence order, each once, with absolute paths. */
  attachments: AnswerAttachment[];
  /** Answered from the run's evidence (a reproduce question: from the new run, when `rerun`). */
  answered: Question[];
  /** Already given in the ticket: the answer says where, and gives it again. */
  pointedTo: Question[];
  /** Only a person can answer (topic `other`), or the run has no evidence for it. */
  unanswered: Question[];
  /** The vendor asked us to run it again (topic `reproduce`), whether or not it was. */
  rerunRequested: boolean;
}

/** Chinese when most of the questions were asked in Chinese, else English. */
export function answerLanguage(questions: readonly Question[]): AnswerLanguage {
  const chinese = questions.filter((q) => HAN.test(q.text)).length;
  return chinese > questions.length - chinese ? 'zh' : 'en';
}

/** Writes the answer to `input.questions`; deterministic, reads only the evidence files' metadata. */
export function composeAnswer(input: AnswerInput): ComposedAnswer {
  const words = WORDS[input.language];
  const run = readRun(input);
  const scrub = secretScrubber();
  const answered: Question[] = [];
  const pointedTo: Question[] = [];
  const unanswered: Question[] = [];
  const files: AnswerAttachment[] = [];
  const written = new Set<string>();
  const sections: string[] = [];

  for (const [text, questions] of byText(input.questions)) {
    const lines: string[] = [];
    const here = new Set<string>();
    const given: InfoKind[] = [];
    let missing = false;
    let person = false;
    for (const question of questions) {
      const answer = question.topic === 'other' ? null : answerTopic(question.topic, run, words);
      if (!answer) {
        unanswered.push(question);
        if (question.topic === 'other') person = true;
        else missing = true;
        continue;
      }
      if (isGiven(question, input.ticket.facts)) {
        pointedTo.push(question);
        given.push(question.topic as InfoKind);
      } else answered.push(question);
      files.push(...answer.files);
      // Several topics share one answer (the versions list): write it once.
      if (!written.has(answer.key)) {
        written.add(answer.key);
        here.add(answer.key);
        lines.push(answer.text);
      } else if (!here.has(answer.key) && !lines.includes(words.seeAbove)) lines.push(words.seeAbove);
    }
    if (given.length > 0) lines.unshift(words.pointer(given, input.ticket.ref));
    if (missing) lines.push(words.missing);
    if (person) lines.push(words.person);
    sections.push([`> ${text}`, ...lines].join('\n'));
  }

  const rerunRequested = input.questions.some((q) => q.topic === 'reproduce');
  if (answered.length === 0 && pointedTo.length === 0) {
    return { body: '', attachments: [], answered, pointedTo, unanswered, rerunRequested };
  }
  const body = [words.greeting, words.opening, ...sections, words.closing].join('\n\n');
  return {
    body: redactSecretShapes(scrub(body)).replace(APP_ID_SLOT, run.appId ?? ''),
    attachments: onDisk(files),
    answered,
    pointedTo,
    unanswered,
    rerunRequested,
  };
}

// ---------------------------------------------------------------------------------------------
// The run, read once

interface RunFacts {
  result: RunResult;
  clock: VendorClock;
  evidence: readonly AnswerAttachment[];
  steps: string;
  versions: string;
  /** Which of sdk-version, browser and os the versions list answers. */
  versionKinds: string[];
  appId: string | null;
  rerun: boolean;
}

function readRun(input: AnswerInput): RunFacts {
  const { result, vendorTimezone } = input;
  // The ticket's own pieces: the steps and versions read as they did in the ticket, less what looks secret.
  const versions = Object.fromEntries(Object.entries(result.versions).filter(([key, value]) => !looksSecret(key, String(value))));
  const pieces = buildPieces({ result: { ...result, versions }, drill: { name: result.drill, description: result.reason }, vendorTimezone }, 'normal', []);
  return {
    result,
    clock: new VendorClock(vendorTimezone),
    evidence: input.evidence,
    steps: pieces.steps.text,
    versions: pieces.versions.text,
    versionKinds: pieces.versions.provides ?? [],
    appId: appIdOf(result),
    rerun: input.rerun ?? false,
  };
}

interface TopicAnswer {
  /** Answers that are the same text share a key. */
  key: string;
  text: string;
  files: AnswerAttachment[];
}

/** The answer to one topic from the run, or `null` when the run has nothing for it. */
function answerTopic(topic: Exclude<QuestionTopic, 'other'>, run: RunFacts, words: Words): TopicAnswer | null {
  const named = (pattern: RegExp) => run.evidence.filter((f) => pattern.test(f.filename));
  switch (topic) {
    case 'logs': {
      const logs = named(/^console-.+\.log$/);
      if (logs.length === 0) return null;
      const timeline = named(/^timeline\.json$/);
      return { key: topic, text: words.logs(logs.map((f) => f.filename), timeline.length > 0), files: [...logs, ...timeline] };
    }
    case 'screenshots': {
      const shots = named(/^screenshot-.+\.png$/);
      if (shots.length === 0) return null;
      const chart = named(/^chart\.png$/);
      return { key: topic, text: words.screenshots(shots.map((f) => f.filename), chart.length > 0), files: [...shots, ...chart] };
    }
    case 'timestamps':
      return { key: topic, text: timesText(run, words), files: [] };
    case 'sdk-version':
    case 'browser':
    case 'os':
      return run.versionKinds.includes(topic) ? { key: 'versions', text: `${words.versions}\n${run.versions}`, files: [] } : null;
    case 'channel': {
      const room = roomOf(run.result);
      return room && !looksSecret('room', room) ? { key: topic, text: words.channel(room), files: [] } : null;
    }
    case 'uid': {
      const uids = userIds(run.result);
      return uids ? { key: topic, text: words.uids(uids), files: [] } : null;
    }
    case 'app-id':
      return run.appId ? { key: topic, text: words.appId(APP_ID_SLOT), files: [] } : null;
    case 'network': {
      const timeline = named(/^timeline\.json$/);
      return { key: topic, text: networkText(run, words, timeline.length > 0), files: timeline };
    }
    case 'steps':
      return { key: topic, text: `${words.steps}\n${run.steps}`, files: [] };
    case 'reproduce': {
      if (!run.rerun) return null;
      const { result, clock } = run;
      const started = Date.parse(result.inSessionAt);
      const seen = seenIn(result);
      const times = seen.length > 0 ? timesText(run, words) : words.noTrouble;
      const at = clock.readsUtc(started) ? [clock.utc(started)] : [clock.long(started), clock.utc(started)];
      const also = clock.readsUtc(started) && !clock.isUtc ? clock.zone : null;
      return { key: topic, text: `${words.rerun(result.runId, at, also, result.reproduced, seen)}\n${times}`, files: [...run.evidence] };
    }
  }
}

/**
 * What a student saw or heard of the teacher, in the students' words: a state's own name is not
 * used, since `audio-dropout` is also a fault kind and would tell the vendor what was injected.
 */
type Seen = 'frozen' | 'blank' | 'still' | 'no-sound' | 'not-joined';

const SEEN_OF_STATE: Record<StateResult['state'], SeenEpisode['seen']> = { blank: 'blank', still: 'still', 'audio-dropout': 'no-sound' };
const SEEN_ORDER: readonly Seen[] = ['not-joined', 'frozen', 'blank', 'still', 'no-sound'];

/** A freeze or another state's episode, as the answer tells it. */
interface SeenEpisode {
  seen: Exclude<Seen, 'not-joined'>;
  episode: FreezeResult | StateResult;
}

/** The freezes and the other states together, in the order they began. */
function episodesOf(result: RunResult): SeenEpisode[] {
  const all: SeenEpisode[] = [
    ...result.freezes.map((episode) => ({ seen: 'frozen' as const, episode })),
    ...(result.states ?? []).map((episode) => ({ seen: SEEN_OF_STATE[episode.state], episode })),
  ];
  return all.sort((a, b) => Date.parse(a.episode.startedAt) - Date.parse(b.episode.startedAt) || a.episode.participant.localeCompare(b.episode.participant));
}

/** Each kind of trouble the students had, worst first; empty when they saw and heard the teacher throughout. */
function seenIn(result: RunResult): Seen[] {
  const seen = new Set<Seen>(episodesOf(result).map((e) => e.seen));
  if ((result.joinFailures ?? []).length > 0) seen.add('not-joined');
  return SEEN_ORDER.filter((s) => seen.has(s));
}

function timesText(run: RunFacts, words: Words): string {
  const { result, clock } = run;
  const episodes = episodesOf(result);
  const joinFailures: JoinFailure[] = result.joinFailures ?? [];
  const instants = [result.inSessionAt, result.endedAt, ...result.faults.flatMap((f) => [f.startedAt, f.endedAt ?? result.endedAt]), ...episodes.map((e) => e.episode.startedAt)];
  // Decided for the whole answer, not per line: a class across a clock change would otherwise give
  // its lines at offset 0 without the local reading the others have, and they would read as UTC.
  const utcOnly = instants.every((iso) => clock.readsUtc(Date.parse(iso)));
  // UTC to the millisecond: the vendor asked when exactly, and its own logs have milliseconds.
  const at = (iso: string) => (utcOnly ? [clock.preciseUtc(Date.parse(iso))] : [clock.long(Date.parse(iso)), clock.preciseUtc(Date.parse(iso))]);
  const until = (iso: string) => (utcOnly ? [clock.preciseUtc(Date.parse(iso))] : [clock.time(Date.parse(iso)), clock.preciseUtc(Date.parse(iso))]);
  const lines = [words.timesIntro(clock.zone, utcOnly)];
  for (const fault of result.faults) lines.push(words.trouble(at(fault.startedAt), until(fault.endedAt ?? result.endedAt)));
  // Out of the class the whole time, so before anything seen in it.
  for (const j of joinFailures) lines.push(words.notJoined(j.participant, j.reason));
  for (const { seen, episode: e } of episodes) {
    const back = e.endedAt === null ? null : clock.time(Date.parse(e.endedAt));
    lines.push(words.episode(seen, e.participant, at(e.startedAt), formatMs(e.durationMs), back));
  }
  if (episodes.length === 0 && joinFailures.length === 0) lines.push(words.noTrouble);
  lines.push(words.classTimes(at(result.inSessionAt), until(result.endedAt)));
  return lines.join('\n');
}

function networkText(run: RunFacts, words: Words, timeline: boolean): string {
  const { result } = run;
  const stack = result.versions.provider ?? result.provider;
  // What was injected (the answer key) is never told: the vendor's diagnosis is judged against it.
  // The measured stats are the honest answer to a network question.
  const lines = [words.setup(participantsOf(run.result), stack)];
  if (timeline) lines.push(words.networkStats);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Identifiers, never secrets

const APP_ID_KEY = /^app.?id$/i;

/** Whether an identifier must stay out of the answer, by its key and by its value's shape; the App ID may be named (the vendor asks for it), never its certificate. */
function looksSecret(key: string, value: string): boolean {
  const appId = APP_ID_KEY.test(key);
  if (isSecretKey(key) && !appId) return true;
  return looksSecretValue(value, { hex32: appId });
}

/** The value with every secret key and secret-shaped string left out; `undefined` when nothing is left. */
function withoutSecrets(key: string, value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return looksSecret(key, String(value)) ? undefined : value;
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(key, v)).filter((v) => v !== undefined);
  if (typeof value === 'object' && value !== null) {
    const kept = Object.entries(value).flatMap(([k, v]) => {
      const safe = looksSecret(k, '') ? undefined : withoutSecrets(k, v);
      return safe === undefined ? [] : [[k, safe] as const];
    });
    return kept.length > 0 ? Object.fromEntries(kept) : undefined;
  }
  return undefined;
}

function userIds(result: RunResult): string | null {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(result.identifiers)) {
    if (!/uid|user|participant/i.test(key) || looksSecret(key, '')) continue;
    const text = describeValue(withoutSecrets(key, value));
    if (text) parts.push(`${key}: ${text}`);
  }
  return parts.length > 0 ? parts.join('; ') : null;
}

function appIdOf(result: RunResult): string | null {
  for (const [key, value] of Object.entries(result.identifiers)) {
    if (APP_ID_KEY.test(key) && typeof value === 'string' && value.trim() !== '' && !looksSecret(key, value)) return value.trim();
  }
  return null;
}

// Stands for the App ID while the body is scrubbed: the environment's secrets include AGORA_APP_ID,
// which the vendor may be given when it asks.
const APP_ID_SLOT = '\u0000app-id\u0000';

// The same shapes within text, and 32 hex digits on their own (the App ID is put in after this).
const SECRET_IN_TEXT =
  /\b00[67][A-Za-z0-9+/=_-]{20,}|\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*|-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)|(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/=_-]{40,}(?![A-Za-z0-9+/=_-])|(?<![0-9A-Fa-f])[0-9A-Fa-f]{32}(?![0-9A-Fa-f])/g;

/** Whatever slipped through with a secret's shape (a version string that is a token) is blanked. */
function redactSecretShapes(text: string): string {
  return text.replace(SECRET_IN_TEXT, '[redacted]');
}

// ---------------------------------------------------------------------------------------------
// Helpers

function isGiven(question: Question, facts: TicketFacts | null | undefined): boolean {
  return question.alreadyGiven || (facts?.providedInfo?.includes(question.topic as InfoKind) ?? false);
}

/** The questions grouped by the sentence that asks them, in the order asked. */
function byText(questions: readonly Question[]): Map<string, Question[]> {
  const groups = new Map<string, Question[]>();
  for (const q of questions) groups.set(q.text, [...(groups.get(q.text) ?? []), q]);
  return groups;
}

/** Each file once, with an absolute path, and only if it is on disk. */
function onDisk(files: readonly AnswerAttachment[]): AnswerAttachment[] {
  const seen = new Set<string>();
  const out: AnswerAttachment[] = [];
  for (const file of files) {
    const path = resolve(file.path);
    if (seen.has(path) || !isFile(path)) continue;
    seen.add(path);
    out.push({ filename: file.filename, path, contentType: file.contentType });
  }
  return out;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const HAN = /\p{Script=Han}/u;

// ---------------------------------------------------------------------------------------------
// The words, in each language

interface Words {
  greeting: string;
  opening: string;
  closing: string;
  seeAbove: string;
  missing: string;
  person: string;
  /**
   * `at` is an instant's readings: the local one and UTC, or UTC alone when the vendor's clock read
   * UTC then; `also` names its zone then when that is not UTC by name (London in winter).
   */
  rerun(runId: string, at: string[], also: string | null, reproduced: boolean, seen: Seen[]): string;
  versions: string;
  steps: string;
  noTrouble: string;
  networkStats: string;
  pointer(kinds: InfoKind[], ref: string): string;
  logs(names: string[], timeline: boolean): string;
  screenshots(names: string[], chart: boolean): string;
  channel(room: string): string;
  uids(text: string): string;
  appId(id: string): string;
  /** `utcOnly`: the vendor's clock read UTC all along, so each time below is written once, in UTC. */
  timesIntro(zone: string, utcOnly: boolean): string;
  /** `from` and `to` are readings as in {@link rerun}; `to` gives the local one as a time of day. */
  trouble(from: string[], to: string[]): string;
  /** `backLocal`: when the picture or sound came back, as a local time of day; `null` when it had not by the class's end. */
  episode(seen: Exclude<Seen, 'not-joined'>, participant: string, from: string[], duration: string, backLocal: string | null): string;
  /** `reason` is the run's own (what was seen, never what was injected), in English as the ticket gave it. */
  notJoined(participant: string, reason: string): string;
  classTimes(from: string[], to: string[]): string;
  setup(participants: string[], stack: string): string;
}

const ZH_LABELS: Record<InfoKind, string> = {
  'sdk-version': 'SDK 版本',
  browser: '浏览器',
  os: '操作系统',
  channel: '频道名',
  uid: '用户 ID',
  timestamps: '时间',
  logs: '日志',
  screenshots: '截图',
  'app-id': 'App ID',
  network: '网络情况',
  steps: '复现步骤',
};

const WORDS: Record<AnswerLanguage, Words> = {
  en: {
    greeting: 'Hello,',
    opening: 'Thank you for looking into this. Our answers are below each of your questions.',
    closing: 'Best regards',
    seeAbove: 'Please see above.',
    missing: 'We do not have this from this run; a colleague will get back to you on it.',
    person: 'A colleague will get back to you on this one.',
    rerun: (runId, at, also, reproduced, seen) =>
      `We ran the same class again with the same set-up (run ${runId}, in session from ${at.join(', that is ')}${also ? ` (also ${also} time)` : ''}); ` +
      `${rerunOutcomeEn(reproduced, seen)}. Its console logs, stats timeline, screenshots and chart are attached.`,
    versions: 'Versions:',
    steps: 'Steps to reproduce:',
    noTrouble: "- No frozen, black or still video and no loss of sound was detected on the students' side.",
    networkStats: "Every participant's network stats (packet loss, round-trip time, bitrate) over the whole class are in the attached timeline.json.",
    pointer: (kinds, ref) => {
      const plural = kinds.length > 1 || PLURAL_LABELS.has(kinds[0]!);
      return `${capitalize(listEn(kinds.map(describeInfoKind)))} ${plural ? 'were' : 'was'} in the ticket we filed (${ref}); for convenience, here ${plural ? 'they are' : 'it is'} again.`;
    },
    logs: (names, timeline) =>
      `Attached: the browser console log of every participant (${names.join(', ')}); the SDK writes its log lines there.` +
      (timeline
        ? " Also attached: timeline.json, every participant's video and network stats over the class, with each episode the students saw or heard (frozen video, black or blank picture, still picture, no sound)."
        : ''),
    screenshots: (names, chart) =>
      `Attached: screenshots of a student's screen (${names.join(', ')}).` + (chart ? " Also attached: chart.png, each student's rendered frame rate of the teacher's video over time." : ''),
    channel: (room) => `The channel (room) name is ${room}.`,
    uids: (text) => `The user ids: ${text}.`,
    appId: (id) => `Our App ID is ${id}.`,
    timesIntro: (zone, utcOnly) => (!utcOnly ? `All times in ${zone} and in UTC:` : zone === 'UTC' ? 'All times in UTC:' : `All times in UTC (also ${zone} time):`),
    trouble: (from, to) => `- The trouble began at ${thatIs(from)} and ended at ${inBrackets(to)}.`,
    episode: (seen, participant, from, duration, backLocal) => {
      const { what, back, notBack } = EPISODE_EN[seen];
      return `- ${participant}: ${what} at ${thatIs(from)} for ${duration}` + (backLocal ? ` (${back} at ${backLocal}).` : `, and ${notBack} when the class ended.`);
    },
    notJoined: (participant, reason) => `- ${participant} could not join the class: ${reason}.`,
    classTimes: (from, to) => `- The class was in session from ${thatIs(from)} to ${inBrackets(to)}.`,
    setup: (participants, stack) => `All participants (${participants.join(', ')}) joined from one machine, each in its own browser, on ${stack}.`,
  },
  zh: {
    greeting: '您好，',
    opening: '感谢您的跟进。我们的回复写在您每个问题的下方。',
    closing: '谢谢！',
    seeAbove: '请见上文。',
    missing: '这次运行没有记录这项信息，我们的同事会另行回复您。',
    person: '这个问题我们的同事会另行回复您。',
    rerun: (runId, at, also, reproduced, seen) =>
      `我们按同样的设置重新运行了一次课堂（运行 ${runId}，从 ${also ? `${zhThatIs(at).trimEnd()}（也是 ${also} 时间）` : zhThatIs(at)}开始上课），` +
      `${rerunOutcomeZh(reproduced, seen)}。这次运行的控制台日志、统计时间线、截图和图表已附上。`,
    versions: '版本信息：',
    steps: '复现步骤（与工单中一致）：',
    noTrouble: '- 学生端没有检测到视频卡住、黑屏、画面静止或声音中断。',
    networkStats: '整堂课每个参与者的网络统计数据（丢包、往返时延、码率）见附件 timeline.json。',
    pointer: (kinds, ref) => `关于${kinds.map((k) => ZH_LABELS[k]).join('、')}：我们在提交的工单（${ref}）中已经提供，这里再提供一次。`,
    logs: (names, timeline) =>
      `已附上每个参与者的浏览器控制台日志（${names.join('、')}），SDK 的日志也输出在其中。` + (timeline ? '另附 timeline.json：整堂课每个参与者的视频和网络统计数据，以及学生端看到或听到的每个异常片段（视频卡住、黑屏或空白画面、画面静止、没有声音）。' : ''),
    screenshots: (names, chart) => `已附上学生端的屏幕截图（${names.join('、')}）。` + (chart ? '另附 chart.png：每个学生收到的老师视频的渲染帧率随时间的变化。' : ''),
    channel: (room) => `频道（房间）名是 ${room}。`,
    uids: (text) => `用户 ID：${text}。`,
    appId: (id) => `我们的 App ID 是 ${id}。`,
    timesIntro: (zone, utcOnly) => (!utcOnly ? `以下时间均为 ${zone} 时间，并附 UTC 时间：` : zone === 'UTC' ? '以下时间均为 UTC 时间：' : `以下时间均为 UTC 时间（也是 ${zone} 时间）：`),
    trouble: (from, to) => `- 问题从 ${zhThatIs(from)}开始，到 ${zhInBrackets(to)}结束。`,
    episode: (seen, participant, from, duration, backLocal) => {
      const { what, back, notBack } = EPISODE_ZH[seen];
      return `- ${participant}：${what(zhThatIs(from))}，持续 ${duration}` + (backLocal ? `，${backLocal} ${back}。` : `，${notBack}。`);
    },
    notJoined: (participant, reason) => `- ${participant} 未能加入课堂（${reason}）。`,
    classTimes: (from, to) => `- 课堂从 ${zhThatIs(from)}进行到 ${zhInBrackets(to).trimEnd()}。`,
    setup: (participants, stack) => `所有参与者（${participants.join('、')}）都在同一台机器上、各自的浏览器中加入，使用 ${stack}。`,
  },
};

// The labels (describeInfoKind) that read as plural: "the logs were", "the SDK version was".
const PLURAL_LABELS = new Set<InfoKind>(['uid', 'timestamps', 'logs', 'screenshots', 'network', 'steps']);

const EPISODE_EN: Record<SeenEpisode['seen'], { what: string; back: string; notBack: string }> = {
  frozen: { what: "the teacher's video froze", back: 'back', notBack: 'had not come back' },
  blank: { what: "the teacher's picture went black or blank", back: 'back', notBack: 'had not come back' },
  still: { what: "the teacher's picture stood still", back: 'moving again', notBack: 'had not moved again' },
  'no-sound': { what: "the teacher's sound dropped out", back: 'back', notBack: 'had not come back' },
};

/** `what` puts the start (its readings) where Chinese word order wants it. */
const EPISODE_ZH: Record<SeenEpisode['seen'], { what: (at: string) => string; back: string; notBack: string }> = {
  frozen: { what: (at) => `老师的视频在 ${at}卡住`, back: '恢复', notBack: '课堂结束时仍未恢复' },
  blank: { what: (at) => `老师的画面在 ${at}变黑或变成空白`, back: '恢复', notBack: '课堂结束时仍未恢复' },
  still: { what: (at) => `老师的画面在 ${at}静止不动`, back: '恢复正常', notBack: '课堂结束时画面仍然静止' },
  'no-sound': { what: (at) => `老师的声音在 ${at}中断`, back: '恢复', notBack: '课堂结束时仍未恢复' },
};

const SEEN_EN: Record<Seen, string> = {
  'not-joined': 'a student who could not join',
  frozen: 'frozen video',
  blank: 'a black or blank picture',
  still: 'a still picture',
  'no-sound': 'no sound',
};

const SEEN_ZH: Record<Seen, string> = {
  'not-joined': '学生无法加入课堂',
  frozen: '视频卡住',
  blank: '黑屏或空白画面',
  still: '画面静止',
  'no-sound': '没有声音',
};

// A run that did not reproduce may still have had trouble below the drill's bar: say so rather than "no freeze".
function rerunOutcomeEn(reproduced: boolean, seen: Seen[]): string {
  const what = listEn(seen.map((s) => SEEN_EN[s]));
  if (reproduced) return seen.length > 0 ? `it happened again (${what})` : 'it happened again';
  return seen.length > 0 ? `this time it did not happen as before, though there was ${what}` : 'this time the students saw and heard the teacher without trouble';
}

function rerunOutcomeZh(reproduced: boolean, seen: Seen[]): string {
  const what = seen.map((s) => SEEN_ZH[s]).join('、');
  if (reproduced) return seen.length > 0 ? `问题再次出现（${what}）` : '问题再次出现';
  return seen.length > 0 ? `这次没有像之前那样出现问题，但仍有${what}` : '这次学生端看到和听到的老师都正常';
}

/** An instant's readings in a sentence: `13:13:00 (Asia/Shanghai, UTC+08:00), that is 05:13:00Z,`, or the one reading. */
function thatIs(readings: string[]): string {
  return readings.length > 1 ? `${readings.join(', that is ')},` : readings.join('');
}

/** `13:13:10 (05:13:10Z)`, or the one reading. */
function inBrackets(readings: string[]): string {
  return readings.length > 1 ? `${readings[0]} (${readings[1]})` : readings.join('');
}

/** `13:13:00 (…)（即 05:13:00Z）`; the one reading is followed by a space, as Chinese text puts one between it and the next word. */
function zhThatIs(readings: string[]): string {
  return readings.length > 1 ? `${readings[0]}（即 ${readings[1]}）` : `${readings.join('')} `;
}

/** `13:13:10（05:13:10Z）`, or the one reading followed by a space. */
function zhInBrackets(readings: string[]): string {
  return readings.length > 1 ? `${readings[0]}（${readings[1]}）` : `${readings.join('')} `;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function listEn(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
