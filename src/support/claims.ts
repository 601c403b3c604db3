/**
 * Reads the cause a vendor reply states, explainably, in English and Chinese: the side it blames,
 * the mechanism, the participant and the times it names, whether it says it looked at its own data,
 * and the fix it offers. Only what the reply *states* counts: "please check your network" is advice
 * and blames nothing; "the freeze was caused by your network" blames the network; "the network was
 * normal" rules it out. A hedged statement ("it may be…", "可能是…") still counts as a diagnosis,
 * and says so.
 *
 * Read alongside the classifier (the same quoted-history stripping and sentences) and diagnosis.ts,
 * which scores the claim against the run's answer key.
 */
import type { MechanismKind } from '../core/ground-truth.ts';
import { limitText, readAsks, readOwnText, splitSentences } from './questions.ts';
import { findRelayedComment } from './relayed-comment.ts';
import { escapeRegExp, quote, unique } from '../core/text-helpers.ts';

/**
 * The side a reply blames: the answer key's sides, `client` when it blames the customer's client
 * without saying whose, and `third-party` (a browser bug, the ISP, the customer's own servers).
 */
export type ClaimSide = 'publisher' | 'subscriber' | 'client' | 'network' | 'server' | 'third-party';

/** What one reply says the cause is. */
export interface DiagnosisClaim {
  side: ClaimSide | null;
  /** `teacher`, `students` or `student-N`, when the reply names whom (directly or by uid). */
  participant: string | null;
  mechanisms: MechanismKind[];
  /** The reply says it looked at the vendor's own data (call records, quality dashboard, server logs). */
  usedOwnData: boolean;
  /** It says so with a hedge ("may", "might", "可能"). */
  hedged: boolean;
  /** It says this is the cause ("caused by", "原因是"), rather than reporting what was seen. */
  causal: boolean;
  /** Times of day it names in its statement of the cause, as written. */
  times: string[];
  /** The fix or workaround it offers, as a sentence. */
  fix: string | null;
  /** The sides and mechanisms it says were fine ("not network", "nothing on the SFU"). */
  rulesOut: string[];
  /** The sentences that decided side and mechanism, with what each said. */
  phrases: string[];
}

/** How much of a reply's own text is read for the cause it states. */
export const CLAIM_TEXT_LIMIT = 16 * 1024;

/** Whom the run's identifiers name: uid (or other id) → participant, from `{ uids: { teacher: 1001 } }`. */
export type ParticipantIds = Readonly<Record<string, string>>;

/**
 * The words of a reply that state its cause: a notification's envelope carries older comments (our
 * own ticket among them), so only the relayed comment speaks; quoted history and signature are not
 * the vendor's word.
 */
export function claimText(text: string): string {
  return readOwnText(findRelayedComment(text ?? '')?.text ?? text ?? '').text;
}

/** The cause the reply states, or `null` when it states none. */
export function readClaim(text: string, participantIdsOfRun: ParticipantIds = {}): DiagnosisClaim | null {
  return readClaimIn(claimText(text), participantIdsOfRun);
}

/** The cause stated in a reply's {@link claimText}: for callers that read those words for more. */
export function readClaimIn(own: string, participantIdsOfRun: ParticipantIds = {}): DiagnosisClaim | null {
  const ids = idPatterns(participantIdsOfRun);
  // A person states a cause in prose, not in the log lines pasted below it: 16 KB is pages of prose
  // and keeps the classifier, which asks this of every reply, as fast on a 64 KB log paste.
  const sentences = splitSentences(limitText(own, CLAIM_TEXT_LIMIT));
  const usedOwnData = sentences.some((s) => !s.question && !ADVICE_START.test(s.text) && (OWN_DATA.some((p) => p.test(s.text)) || measuresTheSession(s.text, ids)));
  const fix = sentences.find((s) => !s.question && FIX.some((p) => p.test(s.text)))?.text ?? null;

  // "Please provide: 2、出现问题的 userID（推流端和拉流端）": what a request's list names, it asks for.
  const listed = new Set(readAsks(sentences).filter((a) => a.inList || a.opensList).map((a) => a.sentence));
  const stated: Statement[] = [];
  // Under a "Root cause" / "问题原因" heading, what follows is the cause, however it is phrased.
  let underCause = false;
  for (const [i, s] of sentences.entries()) {
    if (HEADING.test(s.text)) {
      underCause = CAUSE_HEADING.test(s.text);
      continue;
    }
    if (listed.has(s)) continue;
    // "Does your app mute the mic? An 8 s gap would fit that." asks a hypothesis: a hedged claim.
    const hypothesis = s.question && FITS.test(sentences[i + 1]?.text ?? '');
    // "SFU got zero audio packets from 1001 — did the headset switch?": a finding, then a question.
    const lead = s.question && !hypothesis ? statementBeforeQuestion(s.text) : null;
    if (s.question && !hypothesis && lead === null) continue;
    const text = lead ?? (hypothesis ? s.text.replace(/^\s*(is there|are there|do|does|did|could|can)\b/i, '') : s.text);
    const statement = readStatement(text, ids, s.listItem, hypothesis, underCause);
    if (statement) stated.push(statement);
  }
  if (stated.length === 0) return null;
  // The vendor's conclusion over its evidence: a stated cause before an observation, a full one
  // (side and mechanism) before a partial one, an unhedged one before a hedged one.
  const rank = (s: Statement) => (s.side !== null && s.mechanisms.length > 0 ? 4 : 0) + (s.causal ? 2 : 0) + (s.hedged ? 0 : 1);
  const primary = stated.reduce((best, s) => (rank(s) > rank(best) ? s : best));
  const agreeing = stated.filter((s) => s.side === null || primary.side === null || s.side === primary.side);
  const side = primary.side ?? agreeing.find((s) => s.side !== null)?.side ?? null;
  // A cause stated as the cause ("caused by insufficient uplink bandwidth") is the mechanism; what
  // other sentences saw beside it ("…and ~5 % loss") is its symptom.
  const causeStated = primary.causal && primary.side !== null && primary.mechanisms.length > 0 && !primary.hedged;
  let mechanisms = causeStated ? [...primary.mechanisms] : unique([...primary.mechanisms, ...agreeing.flatMap((s) => s.mechanisms)]);
  // "The CPU overload stopped the encoder": the CPU is the cause it names, the rest its symptom.
  if (mechanisms.includes('cpu')) mechanisms = ['cpu'];
  // "Students" is whom it hit; a statement naming the teacher or one student says whom it is on.
  const specific = (p: string | null) => p !== null && p !== 'students';
  const participant = specific(primary.participant) ? primary.participant : (agreeing.find((s) => specific(s.participant))?.participant ?? primary.participant ?? agreeing.find((s) => s.participant !== null)?.participant ?? null);
  return {
    side,
    participant,
    mechanisms,
    usedOwnData,
    hedged: primary.hedged,
    causal: primary.causal,
    times: unique(agreeing.flatMap((s) => s.times)),
    fix,
    rulesOut: unique(sentences.filter((s) => !s.question).flatMap((s) => ruledOutIn(s.text, ids))),
    phrases: [primary, ...agreeing.filter((s) => s !== primary)].map(describe),
  };
}

/** The part of a sentence that names the cause, when it says which part that is; with where it starts. */
function causePart(sentence: string): { text: string; at: number } | null {
  const after = /\b(caused by|due to|because of|because|resulted from|results from|comes? from|came from|owing to)\b|由于|因为/iu.exec(sentence);
  if (after) return { text: sentence.slice(after.index + after[0].length), at: after.index + after[0].length };
  const between = /是([^。！？]{1,40}?)(导致|造成|引起|所致)/u.exec(sentence);
  if (between) return { text: between[1]!, at: between.index + 1 };
  const before = /(导致|造成|引起)|\b(as a result|which (caused|froze|broke))\b/iu.exec(sentence);
  if (before && before.index > 0) return { text: sentence.slice(0, before.index), at: 0 };
  return null;
}

/** The statement a question sentence opens with, when its question is only the last clause. */
function statementBeforeQuestion(sentence: string): string | null {
  const parts = sentence.split(/\s+[—–-]{1,2}\s+|[，,;；]\s*(?=(?:did|does|do|is|was|were|are|can|could|has|have|any|麻烦|请)\b|[^，,;；]{0,14}(?:是不是|是否|请问|有没有|能否|会不会)|想(再|先)?确认)/iu);
  if (parts.length < 2) {
    // "1001 从 17:20:05 起上行丢包 20% 左右，看着像老师那边网络的问题，方便让老师跑一下测速发我吗？": the last clause asks.
    const cut = Math.max(sentence.lastIndexOf('，'), sentence.lastIndexOf(','), sentence.lastIndexOf('；'));
    const tail = cut === -1 ? '' : sentence.slice(cut + 1);
    if (cut === -1 || tail.length > 40 || !/[吗呢][?？]?\s*$|[?？]\s*$/u.test(tail)) return null;
    const lead = sentence.slice(0, cut).trim();
    return lead.length >= 12 && !SUPPOSING.test(lead) ? lead : null;
  }
  const lead = parts.slice(0, -1).join(', ').trim();
  return lead.length >= 12 && !/[?？]\s*$/.test(lead) ? lead : null;
}

interface Statement {
  text: string;
  side: ClaimSide | null;
  participant: string | null;
  mechanisms: MechanismKind[];
  /** Says it is the cause ("caused by", "原因是", "we suspect"), rather than what was seen. */
  causal: boolean;
  hedged: boolean;
  times: string[];
  ruledOut: string[];
}

/**
 * One sentence as a statement of cause, or `undefined` when it is not one: advice, a generic
 * "weak networks can cause freezes", a checklist item, a question, or nothing about a cause at all.
 */
function readStatement(whole: string, ids: IdPattern[], listItem: boolean, hypothesis = false, underCause = false): Statement | undefined {
  // "Regarding ticket 48501 (channel …): this kind of issue is caused by…": the framing restates, the rest may claim.
  const framed = FRAMING.exec(whole);
  // The colon that ends the framing, not one inside its brackets ("（工单号：48455）").
  const colon = framed ? whole.replace(/[(（][^)）]*[)）]/gu, (m) => ' '.repeat(m.length)).search(/[:：]/u) : -1;
  const sentence = framed && colon > 0 ? whole.slice(colon + 1) : whole;
  if (RESTATEMENT.test(sentence) && !CAUSAL.some((p) => p.test(sentence))) return undefined;
  // "I said the teacher's uplink was the problem, but…": a cause taken back is no longer claimed.
  if (RETRACTED.test(sentence)) return undefined;
  const ruledOut = ruledOutIn(sentence, ids);
  // "声音中断是网络丢包导致的": the mechanisms of the cause, not of the symptom it explains.
  const cause = causePart(sentence);
  const mechanismsIn = (text: string, offset: number) =>
    MECHANISMS.map((m) => ({ kind: m.kind, at: firstUnnegated(text, m.patterns) })).filter((m) => m.at >= 0 && !ruledOut.includes(m.kind) && !(m.kind === 'relay-stall' && ruledOut.includes('server'))).map((m) => ({ ...m, at: m.at + offset }));
  const inCause = cause ? mechanismsIn(cause.text, cause.at) : [];
  // "是网络波动导致的，…声音中断": a cause that names a side and no mechanism is vague; the symptom is not its mechanism.
  const vagueCause = cause !== null && inCause.length === 0 && SIDES.some(({ patterns }) => patterns.some((p) => p.test(cause.text)));
  const found = inCause.length > 0 ? inCause : vagueCause ? [] : mechanismsIn(sentence, 0);
  const mechanisms = unique(found.sort((a, b) => a.at - b.at).map((m) => m.kind));
  // "老师端推流音频似乎有数据，怀疑是学生端播放设备的问题，导致…": the side the cause part names.
  let side = (cause && vagueCause ? sideOf(cause.text, mechanisms, ruledOut) : null) ?? sideOf(sentence, mechanisms, ruledOut);
  if (mechanisms.length === 0 && (side === null || hypothesis)) return undefined;
  const participant = participantOf(sentence, ids, found.length > 0 ? Math.min(...found.map((m) => m.at)) : -1);

  const causal = hypothesis || underCause || CAUSAL.some((p) => p.test(sentence));
  const observed = OBSERVED.some((p) => p.test(sentence));
  if (ADVICE_START.test(sentence) && !causal) return undefined;
  if (framed && colon <= 0) return undefined;
  // "Whether the mic stopped or the gain dropped" asks; "if the SFU stops forwarding" supposes.
  if (SUPPOSING.test(sentence) || PRODUCT_FEATURE.test(sentence)) return undefined;
  // "Poor networks can cause freezes" explains the world, not this ticket.
  // A list of possibilities ("factors such as…", "1）网络波动 2）设备性能不足") names no cause, whoever it mentions.
  if (FACTOR_LIST.test(sentence) || (sentence.match(ENUMERATOR) ?? []).length >= 2) return undefined;
  // …unless it also says what went wrong here: "您这边网络不稳定", "one of our nodes".
  if (GENERIC_CONDITION.test(sentence) && participant === null && !/(?<![\d:])\d{1,2}:\d{2}/.test(sentence) && !THIS_CASE.test(sentence)) return undefined;
  // A checklist item states nothing unless it reports what was seen.
  if (listItem && !observed && !causal && !TIME.test(sentence)) return undefined;
  // "Please send a HAR file" asks.
  if (REQUESTING.test(sentence)) return undefined;
  // A mechanism stated as what happened is a claim; a side alone needs saying it is the cause.
  // A server named with what went wrong on it ("接入节点异常") says what the fault was.
  if (mechanisms.length === 0 && !causal && !observed && side !== 'server') return undefined;
  if (side === null && participant !== null && mechanisms.some((m) => CLIENT_MECHANISMS.has(m))) side = participant === 'teacher' ? 'publisher' : 'subscriber';
  if (side === 'client' && participant !== null) side = participant === 'teacher' ? 'publisher' : 'subscriber';
  return { text: sentence, side, participant, mechanisms, causal, hedged: hypothesis || isHedged(sentence), times: [...sentence.matchAll(TIME_ALL)].map((m) => m[0]), ruledOut };
}

/**
 * The side a sentence blames. The vendor's server only when something on it went wrong ("our edge
 * logs show…" is where it looked, not what it blames); the network path over the client it runs to
 * ("the teacher's uplink"), unless the mechanism is the client's own (an encoder, a capture);
 * else what the sentence names, else what its mechanism implies.
 */
function sideOf(whole: string, mechanisms: MechanismKind[], ruledOut: string[]): ClaimSide | null {
  // "From the SFU side it looks like the subscriber…": where the vendor looked from blames nothing.
  const sentence = whole.replace(VANTAGE, ' ');
  const named = new Set(SIDES.filter(({ side, patterns }) => !ruledOut.includes(side) && patterns.some((p) => firstUnnegated(sentence, [p]) >= 0)).map((s) => s.side));
  const clientMechanism = mechanisms.some((m) => CLIENT_MECHANISMS.has(m));
  const networkOnly = mechanisms.length > 0 && mechanisms.every((m) => NETWORK_MECHANISMS.has(m));
  if (mechanisms.includes('relay-stall') && !ruledOut.includes('server')) return 'server';
  // "Loss on the teacher side": a network mechanism on a named client is that client's network path.
  if (networkOnly && (named.has('publisher') || named.has('subscriber') || named.has('client')) && !ENCODER.test(sentence) && !ruledOut.includes('network')) return 'network';
  // "Our edge node served the others without any issue" names a server and clears it.
  if (named.has('server') && (firstUnnegated(sentence, [SERVER_FAULT]) >= 0 || (networkOnly && ON_SERVER.test(sentence))) && !clientMechanism) return 'server';
  if (named.has('network') && !clientMechanism && !ruledOut.includes('network')) return 'network';
  if (clientMechanism && !named.has('publisher') && !named.has('subscriber')) return impliedSide(mechanisms) ?? (named.has('client') ? 'client' : null);
  for (const side of ['publisher', 'subscriber', 'client', 'third-party'] as const) if (named.has(side)) return side;
  if (mechanisms.length === 0) return null;
  if (mechanisms.every((m) => NETWORK_MECHANISMS.has(m))) return ruledOut.includes('network') ? null : 'network';
  return impliedSide(mechanisms);
}

/**
 * A measurement of this class's session the ticket did not give ("uid 1001 … uplink loss 0", "1003
 * 的 audio 上行是 0"): the vendor read it in its own data — unless it reads the customer's evidence.
 */
function measuresTheSession(sentence: string, ids: IdPattern[]): boolean {
  if (CUSTOMER_EVIDENCE.test(sentence) || !SESSION_METRIC.test(sentence)) return false;
  return ids.some(({ pattern }) => sentence.search(pattern) >= 0);
}

/** A run's id as it is written in a reply, and whom it names. */
interface IdPattern {
  participant: string;
  /** Global, for every mention; ids shorter than 3 characters are left out as too common. */
  pattern: RegExp;
}

/** The run's ids as patterns, compiled once per reply rather than once per sentence. */
function idPatterns(ids: ParticipantIds): IdPattern[] {
  return Object.entries(ids)
    .filter(([id]) => id.length >= 3)
    .map(([id, participant]) => ({ participant, pattern: new RegExp(`(?<![\\dA-Za-z-])${escapeRegExp(id)}(?![\\dA-Za-z])`, 'g') }));
}

/** The side a mechanism belongs to when the sentence names none; "video did not arrive" names none. */
function impliedSide(mechanisms: MechanismKind[]): ClaimSide | null {
  if (mechanisms.includes('relay-stall')) return 'server';
  if (mechanisms.some((m) => m === 'no-video-sent' || m === 'audio-stopped' || m === 'bad-picture')) return 'publisher';
  if (mechanisms.includes('decode-failure')) return 'subscriber';
  if (mechanisms.length > 0 && mechanisms.every((m) => NETWORK_MECHANISMS.has(m))) return 'network';
  return null;
}

/** What a sentence says was fine: sides and mechanisms, a network rule-out only when it is not about another party. */
function ruledOutIn(sentence: string, ids: IdPattern[]): string[] {
  return RULED_OUT.filter((r) => r.pattern.test(sentence) && !(r.label === 'network' && clearsAnotherParty(sentence, r.pattern, ids))).map((r) => r.label);
}

/**
 * Whether a sentence's rule-out is about one party while the sentence speaks of another: "the
 * teacher's uplink lost 20 %; the students' downlinks were healthy" clears the students, not the
 * network the teacher's loss crossed.
 */
function clearsAnotherParty(sentence: string, pattern: RegExp, ids: IdPattern[]): boolean {
  const match = pattern.exec(sentence);
  if (!match) return false;
  const mentions = mentionsIn(sentence, ids);
  // Whom the rule-out is about: the party named just before it ("学生端网络均无异常", "the students' downlinks were healthy").
  const cleared = mentions.filter((m) => m.at < match.index + match[0].length && m.at >= match.index - 20).sort((a, b) => b.at - a.at)[0];
  if (!cleared) return false;
  return mentions.some((m) => m.participant !== cleared.participant && (m.at < match.index - 20 || m.at >= match.index + match[0].length));
}

/** Every party a sentence names, where: uids, "student-2", the teacher, the students. */
function mentionsIn(sentence: string, ids: IdPattern[]): { at: number; participant: string }[] {
  const mentions: { at: number; participant: string }[] = [];
  for (const { pattern, participant } of ids) for (const m of sentence.matchAll(pattern)) mentions.push({ at: m.index, participant });
  for (const m of sentence.matchAll(new RegExp(STUDENT.source, 'giu'))) mentions.push({ at: m.index, participant: `student-${m[1] ?? m[2]}` });
  for (const m of sentence.matchAll(new RegExp(TEACHER.source, 'giu'))) mentions.push({ at: m.index, participant: 'teacher' });
  for (const m of sentence.matchAll(/\b(all|every|the) (students|viewers|subscribers|audience)\b|\bstudents'|所有(的)?(学生|观众|订阅端)|全部学生|学生们|学生端|部分学生/giu)) mentions.push({ at: m.index, participant: 'students' });
  return mentions;
}

/**
 * Whom a sentence is about: the receiver of a stalled forward ("to 1004", "对 1004 的转发"), else
 * the participant named nearest the mechanism ("loss on the teacher's uplink, which hit student-2"
 * is about the teacher), else the first named.
 */
function participantOf(sentence: string, ids: IdPattern[], mechanismAt: number): string | null {
  const mentions = mentionsIn(sentence, ids);
  // "…导致学生端卡顿", "…, which hit student-2": who suffered the effect is not whom the cause is on.
  const effect = mechanismAt >= 0 ? sentence.slice(mechanismAt).search(EFFECT) : -1;
  if (effect >= 0) mentions.splice(0, mentions.length, ...mentions.filter((m) => m.at < mechanismAt + effect));
  if (mentions.length === 0) return null;
  const relaying = /forward|relay|deliver|going out|downtrack|served|转发|下发|推送给|发给/iu.test(sentence);
  const receiver = mentions.find((m) => RECEIVER_BEFORE.test(sentence.slice(Math.max(0, m.at - 24), m.at)) || RECEIVER_AFTER.test(sentence.slice(m.at, m.at + 24)));
  if (receiver && relaying) return receiver.participant;
  // A stalled forward is always to a receiver: the teacher named beside it owns the stream.
  const student = mentions.find((m) => m.participant.startsWith('student-'));
  if (relaying && student && RELAY_WORDS.test(sentence)) return student.participant;
  if (mechanismAt < 0) return mentions.sort((a, b) => a.at - b.at)[0]!.participant;
  // Whom the mechanism's own clause names, before anyone named further off.
  const clauseStart = Math.max(...[...sentence.slice(0, mechanismAt).matchAll(/[,;，；:：]/gu)].map((m) => m.index + 1), 0);
  const clauseEnd = mechanismAt + (sentence.slice(mechanismAt).search(/[,;，；]|\s(?:while|whereas|but)\s|而|但/u) + 1 || sentence.length - mechanismAt + 1);
  const inClause = mentions.filter((m) => m.at >= clauseStart && m.at < clauseEnd);
  if (inClause.length > 0) mentions.splice(0, mentions.length, ...inClause);
  return mentions.sort((a, b) => Math.abs(a.at - mechanismAt) - Math.abs(b.at - mechanismAt) || a.at - b.at)[0]!.participant;
}

/**
 * Where the first of `patterns` matches without a negation shortly before it in its clause ("no
 * packet loss", "并非网络") or inside it ("audio never dropped"); -1 when none does.
 */
function firstUnnegated(sentence: string, patterns: RegExp[]): number {
  let first = -1;
  for (const pattern of patterns) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const match of sentence.matchAll(global)) {
      const before = sentence.slice(Math.max(0, match.index - 30), match.index);
      const clause = before.split(/[,;，；。:：]|\bbut\b|但是?/u).pop() ?? '';
      if (NEGATION.test(clause) || NEVER.test(match[0]) || NEGATED_END.test(match[0])) continue;
      if (first === -1 || match.index < first) first = match.index;
      break;
    }
  }
  return first;
}

function describe(s: Statement): string {
  const parts = [
    s.side ? `blames ${SIDE_WORDS[s.side]}` : undefined,
    s.participant ? `names ${s.participant}` : undefined,
    s.mechanisms.length > 0 ? `mechanism ${s.mechanisms.join(', ')}` : undefined,
    s.ruledOut.length > 0 ? `rules out ${s.ruledOut.join(', ')}` : undefined,
    s.hedged ? 'hedged' : undefined,
  ].filter((p): p is string => p !== undefined);
  return `${parts.join('; ')}: ${quote(s.text)}`;
}

const SIDE_WORDS: Record<ClaimSide, string> = {
  publisher: "the publisher's client",
  subscriber: "a subscriber's client",
  client: "the customer's client",
  network: 'the network',
  server: "the vendor's servers",
  'third-party': 'a third party',
};

const NETWORK_MECHANISMS = new Set<MechanismKind>(['packet-loss', 'bandwidth', 'latency', 'disconnect']);
const CLIENT_MECHANISMS = new Set<MechanismKind>(['no-video-sent', 'audio-stopped', 'decode-failure', 'no-video-received', 'cpu', 'bad-picture']);

// ---------------------------------------------------------------------------------------------
// Phrase tables. English patterns use \b; Chinese has no word boundaries.

/** One student named by number: "student-2", "学生 3". */
export const STUDENT = /\bstudent[- _#]?(\d+)\b|学生\s*(\d+)/iu;

const TEACHER = /\b(teacher|tutor|instructor|host|presenter|publisher|broadcaster|sender|sending side|uploader)('s)?\b|老师|教师|主讲|主播|推流端|发送端|发布端|上麦端/iu;

const ENCODER = /\b(encod\w*|captur\w*|camera|microphone|mic|track|publish\w*)\b|编码|采集|摄像头|麦克风|推流/iu;

const MECHANISMS: { kind: MechanismKind; patterns: RegExp[] }[] = [
  {
    kind: 'no-video-sent',
    patterns: [
      /\b(stopp?ed|ceased|paused|halted|quit) (sending|publishing|pushing|uploading|encoding|capturing)(?!(?: or \w+)? (audio|sound|mic))( (any|the))? ?(video|frames|media|stream)?\b(?! to\b)/iu,
      // The camera or capture, and what became of it, either way round: "the USB camera dropped off the bus", "采集断了", "paused or lost the camera capture".
      /(?<!audio |mic |microphone )\b(camera|capture|capturer|webcam|video track|camera track|video source)\b[^.?!]{0,30}?\b(stopp?(ed|s)?|paus\w*|suspend\w*|lost|dropp\w*|mut(ed|e)|interrupt\w*|reset|froze|hung|crash\w*|disconnect\w*|end(ed|ing|s)|died|went away)\b|\bnothing (was )?(sent|published|pushed)\b|\b(stopp?ed|paused|lost|dropped|interrupted|reset|disconnected|suspended) (or \w+ )?(the )?(camera|capture|webcam|video track|camera track)\b|(?<!audio |音频|mic |麦克风)(摄像头|采集|camera|capture)[^。！？，,]{0,20}(停了|断了|中断|被\s*reset|被重置|重置|掉了|没了|停止|卡住)|(没有|没)(发|推)(送)?(任何)?视频|(没有|没)(任何)?视频帧(发|推)(出|送)|(没有|未)(采集|发送|推送)(\/(采集|发送|推送))?(任何)?视频|一帧都没(有)?(出|发)/iu,
      /\bstop(s|ped)? (delivering|sending|pushing) (rtp|media|packets|video|frames)\b|\b(ingress|inbound)\b[^.?!]{0,30}\b(zero|no|0) (video )?(packets|frames|rtp)\b|\b(zero|no) (inbound|incoming) video( packets| frames| rtp)?\b|\b(?<!received |receiving |inbound |downlink )video (send |sending |sent |outgoing |uplink |upstream )?(bitrate|frame ?rate|fps)\b[^.?!]{0,20}\b((go(es)?|went|drops?|dropped|fell|falls) (down )?to|at|is|was|of|=)\s*(0|zero)\b/iu,
      /\bno (video )?(frames?|video|media|packets?|data) (is |are |was |were |being |got )?(being )?(sent|published|pushed|uploaded|encoded|captured|produced)\b|\b(sent|published|pushed|uploaded|encoded) no (video|frames)\b|\b(sent|published|pushed) (zero|0) (video )?(frames|packets|rtp)\b|\b(got|received) (zero|no|0) video (rtp|packets|frames) from\b|\bnothing to forward\b|\bno video (went|got|was sent|going) out\b/iu,
      /\breceived no video (packets|frames|data)? ?from\b|\b(stops?|stopped|ceased) (delivering|producing|handing|providing|generating) (video )?frames\b|\b(camera|video|local camera) track (stops|stopped|got muted|was muted|went silent|ended)\b|\b(track|camera) (got|was) muted\b/iu,
      /\b(did|does|was) not (send|publish|push|upload|encode)\w*\b[^.?!]{0,20}\b(video|frames)\b|\bwasn't (sending|publishing)\b/iu,
      /\b(video|camera) (track )?(was |got |had been )?(muted|unpublished|disabled|stopped|ended|interrupted)\b|\b(encoder|capture|camera)( output)? (stopped|stalled|failed|dropped|froze|hung|crashed)\b/iu,
      /\b(disabled|muted|unpublished) the (local )?(video|camera)( track)?\b|\bmute\w*Video\b|\bstopped feeding\b|\bnothing went out\b|推流(帧率|码率)[^。！？，]{0,4}(是|为|降为|掉到)\s*0|\b(video|video track)\b[^.?!]{0,25}\breceived (0|zero|no) packets\b|\bsends? no video\b|\btrack[- ]muted\b|\bmuted (its|the) (camera|video)( track)?\b|\bstops? (sending|publishing) (video|frames)\b|\bsent a mute (for|of|on) (its|the|their) (camera|video)\b|\bpaus(ing|ed) (its|their|the teacher's) (own )?video\b|\bhad nothing to forward\b|\bstopped handing frames\b/iu,
      /\b(outbound|outgoing|sent|upstream|uplink) (video )?(frame ?rate|fps|frames?|bitrate)\b[^.?!]{0,30}\b(0|zero|dropped|fell|went)\b|\bframes ?sent\b[^.?!]{0,20}\b(0|zero|flat|stopped)\b/iu,
      /(停止|中断|暂停)(了)?(推流|发送|发布|编码|采集|上行)|(没有|未|无)(推送|发送|发布|上行|编码)(任何)?(视频|画面|帧|数据)|(视频|画面)(帧)?(发送|推送|上行)(中断|停止|为0|为零)|(摄像头|采集|编码器?)(异常|停止|中断|失败|卡住|断了|断开|断掉)|(没|没有)推(送)?(任何)?(视频|画面|流)|(视频轨道?|摄像头)(被)?(静音|关闭|禁用|mute|断了|断开)|(没有|没)发(送)?视频帧|发送(帧率|码率)(均|都)?(降|掉)?(为|到)\s*0|上行(视频)?(帧率|码率)(降|掉)?(为|到)\s*0|视频(发送|上行)?帧率(降|掉)?(为|到)\s*0|停止出帧|(没有|不再)出帧|(video|视频)\s*(上行|发送)?\s*(帧率|码率)[^。！？，]{0,25}(降|掉)(为|到)\s*0/iu,
    ],
  },
  {
    kind: 'audio-stopped',
    patterns: [
      /\b(audio|microphone|mic|sound)( track)?\b(?:(?!packets?\b)[^.?!]){0,25}\b(stopp?ed|muted|cut out|dropped( out)?|went silent|was silent|interrupted|disabled|unpublished|not (sent|captured|published))\b/iu,
      /\b(stop(s|ped)?|ceased) (sending|publishing|capturing)( or \w+)? (audio|sound)\b|\b(audio|mic|microphone) track\b[^.?!]{0,20}\b(ended|track-ended|stopped)\b|\baudio input( device)?\b[^.?!]{0,20}\b(going away|went away|disappear\w*|removed|lost|disconnected|switched)\b|\bno audio (frames?|packets?|data)? ?(is |was |were )?(sent|published|captured|received)\b|\baudio (level|energy|volume)\b[^.?!]{0,20}\b(0|zero|flat)\b/iu,
      /\b(disabled|muted|stopped|unpublished) the (local )?(audio|mic|microphone)( track)?\b|\b(zero|0|no) audio packets\b|\bsends? no audio\b|\b(delivers?|sent|sends?) silence\b|\b(audio|mic|microphone) (send |sending |outgoing )?(bitrate|level|volume|energy)\b[^.?!]{0,40}\b(is|was|at|to|of)\s+(0|zero)\b|\bmut(e|es|ed|ing) the (local |teacher's )?(audio|mic|microphone)( track)?\b|\bmic(rophone)?[- ]side\b|\baudio capture\b[^.?!]{0,40}\b(stopp\w*|interrupt\w*|fail\w*|paused|dropped)\b/iu,
      /(音频|声音|麦克风|音轨|mic)( track)?[^。！？包据]{0,10}(中断|停止|停了|静音|断了|没有了|丢失|为0|为零|异常)|(停止|中断)(了)?(发送|推送|采集)(音频|声音)|(没有|未|无)(发送|采集|推送|收到)(任何)?(音频|声音)|(没有|无)(任何)?(音频|声音)(发|发送|推|推送)(出|出去)|(audio|音频)\s*(上行|发送|码率|发送码率)[^。！？，]{0,4}(是|为|降为|降到|掉到)\s*0|(audio|音频)[^。！？]{0,40}码率[^。！？，]{0,4}(是|为|降为|降到|掉到)\s*0|(mic|麦克风|音频)\s*采集[^。！？，]{0,4}(断了|中断|停了|停止)|(麦克风|mic)[^。！？]{0,10}被[^。！？]{0,10}(独占|占用)|(audio|音频|mic|麦克风)\s*(capture|采集)[^。！？，,]{0,40}(停了|断了|中断|打断|停止|stopped)|\b(microphone|mic)\b[^.?!]{0,20}\b(taken|grabbed|captured|seized) by\b|\bswitched the (default )?(input|microphone|mic)\b|采集拿不到(数据|声音)|\b(user-)?mute-audio\b|\bmuted (the|its|their) (mic|microphone|audio)\b|(音频|麦克风)(音频)?轨道[^。！？]{0,10}(track-ended|ended|结束|中断)|(没有|无)(任何)?音频数据(上行|发送|发出)|mute(Local)?Audio|(没有|未)收到[^。！？，]{0,12}的?音频(包|数据)|(音频|麦克风|audio)[^。！？]{0,20}采集[^。！？，]{0,6}(没有|未)(及时)?恢复|(audio capture|音频采集|麦克风采集)[^。！？]{0,30}(打断|中断|停止|失败)/iu,
    ],
  },
  {
    kind: 'packet-loss',
    patterns: [
      /\bdropp(ing|ed) (\S+ ){0,4}packets\b|\bpackets (getting|got) dropped\b|\bpacket[- ]?loss\b|\b(packets?|frames?) (were |was |being )?(lost|dropped)\b|\bloss rate\b|\b\d+(\.\d+)?\s*%\s*(of )?(packet |uplink |downlink |upstream |downstream )?loss\b|\blossy\b/iu,
      /\b(uplink|downlink|upstream|downstream|receive|inbound|outbound) (packet )?loss\b|\b(downlink|uplink|upstream|downstream)\b[^.?!]{0,15}\b(shows?|showed|had|has|with) (\w+ )?loss\b|\bpackets ?lost\b|\bnacks?\b|\bloss (spike|burst)s?\b|\bburst of loss\b|\bloss\b[^.?!]{0,30}\b(on|in)\b[^.?!]{0,20}\b(uplink|downlink|upstream|downstream|link|connections?)\b|\bjitter\/loss\b|\blost\b[^.?!]{0,30}\bpackets\b|\bretransmissions?\b/iu,
      /丢包|丢帧|数据包(丢失|丢弃)|(音频|视频|媒体)数据(包)?丢失/u,
    ],
  },
  {
    kind: 'bandwidth',
    patterns: [
      /\bbandwidth\b|\bcongest\w*\b|\bconstrained (downlink|uplink|network|link|connection)\b|\bthrottl\w*\b|\bbitrate (cap|limit|dropped|fell)\b|\b(capped|limited|throttled)( at| to| around| about| near)? ~?\d+\s*(k|m)?bps\b|\b\d+\s*kbps\b[^.?!]{0,20}\b(cap|limit)\b|\b(insufficient|limited|low) (bandwidth|throughput|bitrate)\b/iu,
      /\b(receive|send|available|inbound|outbound)? ?bitrate\b[^.?!]{0,20}\b(sits at|pinned|stuck|capped|limited|only|around|about)\b[^.?!]{0,12}\d+\s*(kbit\/s|kbps|kb\/s|k\b)|\bcould not (carry|sustain|keep up with) the (stream|bitrate|video)\b/iu,
      /带宽|拥塞|限速|码率(不足|受限|下降|过低)|码率(设置)?(过高|太高)|网速(慢|不足|过低)/u,
    ],
  },
  { kind: 'latency', patterns: [/\b(high|huge|large|increased) (latency|rtt|delay|jitter)\b|\b(downlink|uplink|network|some|heavy|severe) jitter\b|\b(latency|rtt|jitter)\b[^.?!]{0,20}\b(spiked|high|over|above|increased|reached|rose|jumped|climbed|went up)\b/iu, /(延迟|时延|抖动|RTT)(很|较|过|偏)?(高|大)|(延迟|时延|抖动)(增加|升高|飙升)|(较大|很大|明显)的?(延迟|时延)|(RTT|延迟|时延)[^。！？，]{0,15}(升|涨|飙)(到|至|高)|网络延迟/iu] },
  {
    kind: 'decode-failure',
    patterns: [/\b(can'?t|cannot|could ?n[o']t|unable to) (decode|render)\b|\btrouble (decoding|rendering)\b|\b(decod\w*|render\w*)\b[^.?!]{0,20}\b(fail\w*|error|stall\w*|stuck|froze|problem|issue)\b|\b(failed|unable) to (decode|render)\b|\bdecoder\b/iu, /解码[^。！？，]{0,6}(失败|异常|错误|卡住|问题)|渲染[^。！？，]{0,4}(失败|异常|问题)|解码器|渲染帧率(为|降为|降到)\s*0|(停止|中断)(了)?[^。！？，]{0,10}渲染|render(ed)? ?fps[^。！？，.]{0,6}(是|为|is|was|at|of)?\s*0\b/iu],
  },
  {
    kind: 'no-video-received',
    patterns: [/\breceived video (bitrate|frame ?rate|fps)\b[^.?!]{0,20}\b(drops?|dropped|fell|falls|goes|went) to (0|zero)\b|\b(did not|didn't|never) (receive|get)\b[^.?!]{0,15}\b(video|frames)\b|\bno (video )?frames (were )?received\b|\bframes ?received\b[^.?!]{0,20}\b(0|zero|flat|stopped)\b/iu, /(没有|未|无)(收到|接收到)(任何)?(视频|画面|帧)/u],
  },
  { kind: 'cpu', patterns: [/\b(cpu|processor)\b[^.?!]{0,25}\b(high|overload\w*|100 ?%|spike\w*|usage|load|maxed|throttl\w*|contention|starv\w*)\b|\b(device|machine|computer|laptop) (performance|overload\w*|too slow|under load)\b|\bhigh cpu\b|\bheavy cpu\b|\b100 ?% cpu\b|\bcpu (was )?(probably )?pegged\b|\b(machine|laptop|computer|device|cpu)\b[^.?!]{0,20}\boverloaded\b|\bencoder (is |was )?(struggling|overloaded|starved)\b|\bperformance (issue|problem|limitation)\b|\bcan'?t keep up with (decoding|encoding)\b/iu, /CPU[^。！？]{0,10}(过高|占用|负载|满|飙升|100)|CPU[^。！？，]{0,10}\d{2,3}\s*%|(电脑|设备|机器)?性能(扛不住|跟不上)|设备性能|性能不足|机器(配置|性能)(低|差|不足)/iu] },
  {
    kind: 'bad-picture',
    patterns: [
      /\b(black|blank|empty|dark) (screen|frames?|picture|image|video)\b|\b(camera|capture|track|source)\b[^.?!]{0,30}\b(black|blank|the same frame|a (static|still|frozen) (image|picture|frame)|identical frames)\b|\b(same|one|single|identical) frame\b[^.?!]{0,20}\b(repeated|over and over|again and again|looped|resent)\b|\b(static|still|unchanging|frozen) (image|picture|frame)s? (from|on|in) (the )?(teacher|publisher|camera|capture)\b|\bframes (keep|kept) (coming|arriving|flowing)\b[^.?!]{0,40}\b(same|static|unchanged|black)\b/iu,
      /黑屏|画面(全)?(黑|变黑)|(全)?黑(色)?(画面|帧)|(摄像头|采集)[^。！？，]{0,10}(黑|静止|同一帧|重复)|画面静止|(同一|相同)(的)?帧|帧(内容)?(重复|不变)/u,
    ],
  },
  {
    kind: 'relay-stall',
    patterns: [
      /\b(edge|media|relay|forwarding|sfu|our) (node|server|servers|cluster|gateway)s?\b[^.?!]{0,40}\b(stopped|stall\w*|failed|fault|anomal\w*|incident|outage|did not forward|was not forwarding|bug|drop\w*)\b/iu,
      /\b(disrupt\w*|interrupt\w*|broke|halted|paused) (the )?(media |video )?forwarding\b|\bstall\w* on our (side|end)\b|\b(don't|do not|didn't|did not) see it (going out|being forwarded|forwarded|sent)\b/iu,
      /\bdown ?track\b[^.?!]{0,50}\b(stop\w*|paus\w*|stall\w*|froze|hung)\b|\bforwarder\b[^.?!]{0,40}\b(stall\w*|stuck|kept waiting|sent nothing|hung)\b|\bforwarding (to|towards) [^.?!]{0,30}\b(paused|stalled|stopped|stuck)\b|\b(we|it|the (sfu|server|edge|node)) stopped sending to\b|\bforwarding (thread|session|process|worker)\b[^.?!]{0,20}\b(wedged|stuck|hung|stalled|froze)\b|\bwedged\b[^.?!]{0,20}\bforwarding\b|\bingest\b[^.?!]{0,60}\b(paused|stalled|stopped)\b|\bsent nothing to\b|\bforwarded nothing\b|\bnot sent on\b|\bforwarding queue\b[^.?!]{0,30}\b(paused|stalled|stuck|blocked)\b|\bsubscription\b[^.?!]{0,30}\b(dropped|paused|stalled|interrupted)\b|\bdown ?track\b[^.?!]{0,30}\bstuck\b|\bforwarding (side|stall|issue|problem|bug|worker|process|path)\b|\b(degraded|interrupted|disrupted|impaired) (media |video )?forwarding\b|\bforwarding (abnormalit\w*|anomal\w*|error|failure|fault)\b|\bgap in (the )?(outgoing|forwarded|egress) (video )?(packets|frames|media)\b|\b(stopped|not|failed to|didn't|did not) (forward\w*|relay\w*|rout\w*)\b|\bforwarding (stopped|stalled|failed|was interrupted)\b|\b(server|node|edge)[- ]side (issue|problem|fault|anomaly)\b|\b(an? |the )?(incident|outage) (on|in|at|affecting) (our|the)\b/iu,
      /(边缘节点|节点|服务器|服务端|媒体服务|SFU|机房)[^。！？]{0,15}(故障|停止转发|中断|卡住|宕机|未转发|没有转发|阻塞|停滞|bug)|(转发|forwarding)[^。！？，,]{0,6}(异常|故障|问题|停止|中断|卡住|卡了|阻塞|停滞|hang|stall|stuck)|转发[^。！？，,]{0,25}(中断|卡住|停止|stall)|(转发节点|节点)[^。！？]{0,10}(没往下推|没有往下推|没推|没下发|未下发)|\bingest stall\b|(停止|中断|没有|未|没)(了)?(及时|正常)?转发/iu,
    ],
  },
  { kind: 'disconnect', patterns: [/\b(disconnect\w*|went offline|lost (the )?connection|connection (was )?(lost|dropped|interrupted|reset)|network (dropped|went down|cut out)|(network|connection) drop(out)?s?|reconnect\w*)\b|\b(session|connection)\b[^.?!]{0,30}\btim(ed|es)? ?out\b|\bsession timeout\b/iu, /断线|掉线|断开(连接)?|连接(中断|断开|丢失)|离线|重连/u] },
];

const SIDES: { side: ClaimSide; patterns: RegExp[] }[] = [
  {
    side: 'server',
    patterns: [
      /\b(our|agora's|tencent's|zego's|livekit's|the vendor's)( \w+)? (side|end|servers?|edge|nodes?|infrastructure|backend|sd-rtn|media servers?|cluster|pop)\b(?! (logs?|records?|data|dashboard|metrics|monitoring|analytics))|\b(edge|relay|media|forwarding) (node|server|box|cluster|pop)s?\b(?! (logs?|records?|data|metrics))|\b(media |edge )?access nodes?\b|\b(that|this|the same) node\b|\bturn (relay|server)s?\b|\b(jitsi )?videobridge\b|\bjvb\b|\b(the )?bridge\b|\brelay node\b|\b(node|edge|server) (switch|failover|migration|restart)\b|\bserver[- ]side\b|\bsfu\b(?! (logs?|records?|data|stats))/iu,
      /(我方|我们这边|我们的|我司)(服务器|服务端|节点|机房|边缘)(?!日志|数据|记录|监控)|边缘节点|接入节点|节点(迁移|切换|扩容|升级|故障|异常)|(我们|我方)(的)?(某个|某一个|一个)?\s*(edge|边缘)?\s*节点|edge\s*节点|服务器(?!日志|数据|记录|监控)|服务端(?!日志|数据|记录|监控)|媒体服务|转发节点|机房/u,
    ],
  },
  {
    side: 'third-party',
    patterns: [/\b(chrome|chromium|browser) (bug|regression)\b|\bbug in (chrome|chromium|the browser)\b|\b(third[- ]party|3rd[- ]party)\b/iu, /浏览器(的)?(bug|缺陷)|第三方/iu],
  },
  {
    side: 'publisher',
    patterns: [
      /\b(the )?(teacher|tutor|instructor|host|presenter|publisher|broadcaster|sender)('s)? (side|end|client|device|app|browser|camera|encoder|computer|machine|pc|laptop|stream|encoder configuration|audio processing|microphone|mic)\b|\b(publishing|sending|publisher|sender)[- ](side|end|client)\b|\bon the (teacher|publisher|host|sender)('s)? (side|end)\b/iu,
      /(老师|教师|主讲|主播|推流|发送|发布)(端|侧|方)?(的)?(设备|客户端|电脑|浏览器|摄像头|编码|采集|这边|那边)|\b(teacher|publisher|host)\s*(端|侧)|(teacher|老师)\s*(端|侧)?\s*(的)?\s*(browser|client|device|pc|laptop)\b|推流端|发送端|发布端|上行端|(老师|教师|主讲|主播)(端|侧|那边|这边)/u,
    ],
  },
  {
    side: 'subscriber',
    patterns: [
      /\b(the )?(students?|viewers?|subscribers?|receivers?|audience)('s?)? (side|end|client|device|app|browser|decoder|computer|machine)s?\b|\b(students?|viewers?|subscribers?|receivers?)'s? (audio |video )?(playback|rendering|player|page|tab)\b|\bautoplay\b|\b(receiving|subscribing|subscriber|receiver|playback)[- ](side|end|client)\b|\bstudent[- _#]?\d+'s (laptop|pc|computer|machine|device|browser|gpu|decoder|client)\b/iu,
      /(学生|观众|订阅|接收|拉流|播放)(端|侧|方)(的)?(设备|客户端|电脑|浏览器|解码)?|\b(student|subscriber|viewer)\s*(端|侧)|(学生|观众)(的)?(设备|客户端|电脑|浏览器)|自动播放/u,
    ],
  },
  {
    side: 'network',
    patterns: [
      /\b(your|the|their|teacher's|student's|(?:student|teacher|viewer|subscriber)[- _#]?\d+'s|local|client's|customer's|user's)\s+(\w+['’]?\s+)?(network|internet|connection|wi-?fi|uplink|downlink|upstream|downstream|last[- ]mile|link)s?\b|\b(uplink|downlink|upstream|downstream|last[- ]mile|network path|network conditions?|weak network|poor network|unstable network|network (quality|jitter|fluctuation|instability|issues?|problems?))\b/iu,
      /\b(isp|internet (service )?provider|carrier)\b|\b(home|household|residential|office|school|campus) (connection|network|internet|wi-?fi|broadband|link)\b/iu,
      /网络|上行|下行|链路|弱网|WiFi|wifi|无线|运营商/u,
    ],
  },
  {
    side: 'client',
    patterns: [/\b(your|the customer's|the user's|the) (client|app|application|code|integration|implementation|side|end|environment|device|browser|local (device|environment))\b|\bclient[- ]side\b|\b(web |client |js |browser )?sdk (bug|issue|defect|regression)\b|\bbug in (the |our |your )?([\w.-]+ ){0,3}sdk\b/iu, /(您|你)(们)?(的|那边|这边)?(客户端|应用|代码|集成|设备|环境|本地|这一侧|那一侧)|客户端|端侧|本地(环境|设备)/u],
  },
];

// A side or mechanism the reply says was fine: "the network was normal", "没有丢包", "not a server issue".
const RULED_OUT: { label: string; pattern: RegExp }[] = [
  { label: 'publisher', pattern: /(推流端|老师|主播|发送端|上行)[^。！？，]{0,8}(也|都|均)?(正常|没问题|没有问题|无异常)|\b(the )?(publisher|teacher|sender|broadcaster)('s)?( side| client| uplink| stream)? ([\w-]+ )?(was|is|looks?|looked|seemed) (fine|normal|healthy|ok|okay|clean)\b/iu },
  { label: 'cpu', pattern: /\b(cpu|processor)( usage| load)? (was|is|stayed|remained|looked) (normal|fine|low|ok)\b|CPU[^。！？，]{0,6}(正常|不高)/iu },
  { label: 'network', pattern: /(跟|和|与)[^。！？]{0,10}网络[^。！？]{0,10}(无关|没有关系|没关系)|(上行|下行|网络)[^。！？，]{0,12}(都|也|均)(很|比较)?正常|\bno (problem|issue|fault)s? (with|on|in) the network\b|(?<!\bour |\bour own )\b(network|connection|uplink|downlink)s?( (quality|conditions?|path))?( both| all)? (was|were|is|are|look|looked|looks|remained|stayed|seem|seemed) (normal|fine|good|stable|healthy|clean|ok|okay)\b|\b(network|connection|uplink|downlink)s? (had|showed|saw|with) no (packet )?(loss|issues?|problems?|jitter|congestion)\b|(网络|上行|下行|链路)[^。！？，]{0,6}(无|没有)(丢包|异常|问题|抖动)|\bno (signs? of )?(network|connectivity) (issues?|problems?)\b|\bnot (a |an )?(network|connectivity) (issue|problem)\b|\bnot (the )?(network|connectivity)\b(?! (settings?|tests?|config\w*))|网络(状况|质量|环境|情况)?(都)?(正常|良好|稳定|没有问题|没问题)|(并非|不是|排除了?)(网络|弱网)/iu },
  { label: 'packet-loss', pattern: /丢包[^。！？，]{0,10}(都|也)?(很|比较)?正常|\bno (significant |obvious |notable )?(packet[- ]?)?loss\b|(?<![\d.])0(\.0+)?\s*%\s*(packet |uplink |downlink |upstream |downstream )?loss\b|\bloss (was |is |stayed |stays |remained |remains )?(at )?(0|zero|normal|low)\b(?!\.\d)|(没有|无|未见|未发现)(明显)?丢包|零丢包|丢包(率)?(为\s*0|为零|正常)|丢包(率)?\s*(为|是)?\s*0\s*%?(?![.\d])/iu },
  { label: 'server', pattern: /(服务端|服务器)?转发[^。！？，]{0,4}(没有|未)(发现)?(异常|问题)|(跟|和|与)[^。！？]{0,10}(服务|平台|声网|SDK)[^。！？]{0,6}(无关|没有关系|没关系)|\bno (problem|issue|fault|anomal\w*|error)s? (with|on|in) [^.?!]{0,30}\b(servers?|sfu|edge|backend|platform)\b|\bnothing on (ours|our side|our end|the (sfu|server|edge|backend|platform))\b|\bnot (on )?our (side|end)\b|\bnot the (sfu|server|edge)\b|(跟|和|与)(服务端|服务器|我们|平台)[^。！？]{0,6}(无关|没有关系|没关系)|\bnot (a |an )?(server|server-side|backend) (issue|problem)\b|\b(our )?(servers?|edge nodes?|backend) (was|were|is|are) (normal|fine|healthy|working normally)\b|(服务器|服务端|节点)(都)?(正常|没有问题|没问题|无异常)|(服务端|服务器)[^。！？，]{0,8}(都)?(没问题|没有问题|正常|无异常)|(并非|不是|排除了?|非)(服务器|服务端)/iu },
];

// A match whose last word is negated inside it: "our server logs … found no anomaly".
const NEGATED_END = /\b(no|not|nothing|without)\s+\S+$|(没有|无|未)\S{0,4}$/iu;

const NEVER = /\bnever\b|从未|从来没有/iu;

const NEGATION = /\b(no|not|nothing|never|without|isn't|wasn't|weren't|aren't|didn't|doesn't|rule[sd]? out|rather than|instead of)\b|n't\b|没有|并非|不是|排除|非(?!常)|无(?!法|声|线|人)|未(?=发现|见)/iu;

const CAUSAL: RegExp[] = [
  /\b(caused|triggered|led|resulted) (by|to|from)\b|\bdue to\b|\bbecause( of)?\b|\b(the |a )?(root )?cause\b|\breason (for|behind|was|is)\b|\bresponsible for\b|\b(is|was) the (culprit|problem|issue)\b|\bturned out\b|\b(comes?|came|coming) from\b|\bstems? from\b|\bowing to\b|\bthe (issue|problem|freeze|stall|black screen|silence) (is|was|lies|came)\b/iu,
  /原因|导致|造成|引起|引发|由于|因为|所致|是[^。！？]{1,20}(问题|故障|异常)|(本次|该|这个|此)?问题(为|是)|问题(出|在)|(可能|怀疑|应该|估计|疑似|初步判断)是/u,
  /\bcould be\b|\bleaning towards\b|\bprobably\b|\bmay have (affected|caused|been)\b|\bi'?d look at\b|\bknown (issue|bug|defect|problem)\b|\boriginated (on|from|in|at)\b|\bas a result\b|\b(this|it|that) was an? [^.?!]{0,30}\b(block|issue|problem|bug|stall|disconnect)\b|倾向于|(可能|应该|估计|怀疑|疑似)(和|与|跟)[^。！？]{1,20}(有关|相关)|\b(might|may|could) be (related|linked|connected|due) to\b|\b(we|i) suspect\b|\bsuspect(ed)? (that|a|an|the)\b|\b(could|would|might) (do|explain|cause) (it|this|that)\b|\bmakes me think\b|\bseems likely\b|\b(it's|it is|this is) (possibly|probably|likely)\b|\bpoints? (to|at)\b|\bcaused\b|\bsmells like\b|大概率是|\bis what caused\b|\bso (it'?s|it is|this is|that'?s)\b|像是|结论(为|是)|(本次|该|此|这次)[^。！？]{0,12}为[^。！？]{1,20}(问题|故障|异常|导致)|\bwould explain\b|\bmy (guess|hunch|bet) is\b|(可能|也许)(影响|导致|造成)了?|\bfits (a|an|the)\b[^.?!]{0,20}\b(problem|issue|fault)\b|\bconsistent with (a|an)\b[^.?!]{0,30}\b(problem|issue|fault)\b|\b(this is|it'?s|it is|that'?s|that is) (a|an|the)\b[^.?!]{0,40}\b(issue|problem|limitation|bug|fault)\b/iu,
];

// Reporting what the vendor saw: "we see…", "our logs show…", "从后台看…".
const OBSERVED: RegExp[] = [
  /\b(we|i)('ve| have)? (can )?(see|saw|found|noticed|observed|confirmed|identified|located|traced|detected|determined|verified)\b|\b(logs?|data|records?|metrics|stats|dashboard|analytics|call search|monitoring|timeline|trace) (show|shows|showed|indicate[sd]?|suggest(s|ed)?|reveal(s|ed)?|confirm(s|ed)?)\b|\b(looks|seems|appears) (like|to be|that)\b|\b(according to|based on) (our|the)\b|\bfrom (our|the) (data|logs?|records|dashboard|metrics|side|end)\b|\b(there|it) (was|were|is)\b/iu,
  /(我们|我)(发现|看到|注意到|观察到|确认|定位|查到|排查|查看)|经(过)?排查|排查(发现|后)|发现|看到|注意到|观察到|(显示|表明|可以看到|来看)|(日志|数据|后台|记录|监控)中|存在|出现(了)?|查了/u,
];

// Vendor-side data, not the customer's: "our call records", "Agora Analytics", "通话质量后台".
const SESSION_METRIC = /\b(loss|bitrate|rtt|fps|frame ?rate|bandwidth estimate|jitter)\b[^.?!]{0,12}\b(0|zero|\d+\s*(%|ms|kbps|fps))\b|\d+(\.\d+)?\s*(%|％)\s*(uplink |downlink )?loss|\d+\s*kbps|(丢包|码率|帧率|RTT|上行|下行)[^。！？，]{0,6}(是|为|在)?\s*(0|\d+\s*(%|％|ms|kbps|k\b))/iu;

const CUSTOMER_EVIDENCE = /\b(your|the) (console |client |browser |sdk )?logs?\b|\byou (sent|attached|provided|shared)\b|\b(the|your) (timeline|chart|stats timeline|screenshots?)\b|您(提供|上传|发送)的|你们的\s*(console\s*)?(log|日志)|附件|截图|图表/iu;

const OWN_DATA: RegExp[] = [
  /\btelemetry\b|\b(looking|looked) (at|into) (the )?(room|channel|call|session)\b|\b(completed|finished|wrapped up) (the|our) (investigation|analysis)\b|\bwent through (the|our)\b|\b(our|the) (investigation|analysis) (shows|showed|found)\b/iu,
  /星图|监控仪表盘|仪表盘|后台|经(过)?(后台|研发|技术)?排查|查了(一)?下|(我们|我)(看了|查看了|查了|查看)(一下)?(?!您|你)|我再看下|通过[^。！？]{0,8}查看|遥测/u,
  /\b(on|from) our (side|end)\b|\bchecked our side\b|\bpulled up\b|\b(sfu|edge|server|node|media server|backend|gateway) (logs?|records?|data|metrics|stats)\b|\b(qoe|qos|quality|call quality|monitoring) (data|records?|dashboard|metrics)\b|\bin (analytics|agora analytics|call search|our (qoe|qos|data|records|logs|metrics|dashboard|monitoring))\b|\bour (call |media |server |edge |quality |call quality )+(logs?|records?|data|metrics|traces)\b/iu,
  /\b(our|internal|server[- ]side|backend) (logs?|records?|data|metrics|monitoring|dashboards?|analytics|call (records|search|logs|quality data)|quality (data|dashboard|records)|tools?|telemetry|traces?)\b|\b(agora )?(analytics|call search|call inspector|crystal ball)\b|\b(we|i) (checked|looked (at|into|up)|pulled|reviewed|queried|analy[sz]ed|examined|traced)\b[^.?!]{0,40}\b(channel|call|session|room|uid|records?|quality|logs?|data)\b|\bon our (end|side)\b[^.?!]{0,30}\b(see|saw|shows?|showed|logs?|data)\b/iu,
  /(通话|质量|后台|服务端|服务器|监控|内部)(数据|记录|日志|后台|系统|平台)|通话质量后台|水晶球|质量监控|(我们|我)(查看|查询|检查|排查|调取|分析|核查)(了)?[^。！？]{0,20}(频道|通话|记录|日志|数据|后台|uid|UID|用户)|(从|根据)(我们|我方)?(的)?(后台|服务端|监控|通话记录)/u,
];

const FITS = /\b(would|could|might) (fit|explain|match|account for) (that|this|it|the)\b|(正好|刚好)?(符合|吻合|对得上)/iu;

const EFFECT = /导致|造成|引起|使得|以致|\b(which|that) (hit|affected|impacted|caused)\b|\bwhich is what\b|\bsaw (it )?as\b|\b(affecting|causing|so that|resulting in)\b/iu;

const FRAMING = /^\s*(regarding|concerning|about (the|your)|re:|(we are |we're |i am |i'm )?sorry to hear|thanks? (you )?for (contacting|reaching|reporting|the|your))\b|^\s*(关于|对于|针对|感谢您?(的)?反馈|很抱歉)/iu;

/** A cause the vendor reports it gave before and takes back: "I said…", "之前判断…", "更正". */
export const RETRACTED = /\b(i|we) (said|thought|told you|assumed)\b|\bin my (previous|last|earlier) (e-?mail|reply|message)\b|之前(说|判断|以为|认为|回复)|更正/iu;

// "您反馈的房间 … 卡顿问题" restates the ticket: a claim only when it goes on to say what caused it.
const RESTATEMENT = /^\s*(尊敬的[^，,]{0,20}[，,]\s*)?(您|你)(们)?(所)?(反馈|提交|描述|提到|报告|遇到|咨询)的/u;

const REQUESTING = /\b(please|kindly) (send|share|provide|attach|upload|collect|run|check)\b|\bif you can\b|\bwould (also )?(help|be (helpful|useful))\b|\bcould you (send|share|provide)\b|请(您)?(提供|发送|上传|附上|补充)|麻烦(您)?(提供|发|补充)/iu;

const SUPPOSING = /\bwhether\b|^\s*(if|in case|should)\b|是否|^\s*(如果|若|假如|万一)|^\s*如(?=问题|果|您|有)|的话[，,]/iu;

// What the product does, not what went wrong: "SDK 中内置了多项弱网对抗策略", "LiveKit supports simulcast".
const PRODUCT_FEATURE = /内置(了)?|(支持|提供)(了)?(多种|多项|完善的)|\b(built[- ]in|supports?|provides?|offers?)\b[^.?!]{0,30}\b(fec|nack|retransmission|simulcast|adaptive|dynacast)\b/iu;

// Where the vendor looked from: "from the SFU side", "on our end we see", "从服务端看".
const VANTAGE = /\b(from|on) (the |our )?(sfu|server|edge|media server|backend)?\s?(side|end|perspective|point of view)\b(?=,?\s*(it |this |that )?(looks?|seems?|appears?|we (can )?see|i (can )?see)\b)|\b(confirmed|checked|verified|seen|reproduced) (on|from) our (side|end)\b|从(我们|服务端|服务器|后台|SFU)(这边|的角度)?(来)?看/giu;

// A network mechanism placed on the vendor's machines: "retransmissions on the Singapore edge cluster".
const ON_SERVER = /\b(on|at|in|through) (the |our |one of our )?([\w-]+ ){0,2}(edge|server|node|cluster|sfu|pop|relay)s?\b(?! (logs?|metrics|data|records|dashboards?|stats))/iu;

// What goes wrong on a server, beside its name: "our edge logs" is where the vendor looked.
const SERVER_FAULT = /\b(fail\w*|fault\w*|incident|outage|stall\w*|stopp?ed|bug|anomal\w*|error|crash\w*|broke\w*|down|issue|problem|disrupt\w*|misbehav\w*|involved|to blame|delay\w*|spike\w*|congest\w*|dropp\w*|wedged|overload\w*|related|hiccup\w*|something|glitch\w*|blip|degrad\w*|transient|tim(ed|es)? ?out|timeout|abnormalit\w*)\b|故障|异常|问题|宕机|中断|停止|卡住|bug|延迟|有关|负载(较|过)?高|过载|抖动|波动|锅|迁移/iu;

// "1004 订阅的老师视频流", "1004 拉的流": the receiver named before what it receives.
const RECEIVER_AFTER = /^[^\s，,。]{0,8}\s*(订阅|拉取|接收|拉)的/u;

const RELAY_WORDS = /\b(forward\w*|relay\w*|down ?track)\b|转发/iu;

// "to 1004", "towards participant 1003", "对 1004 的", "served 1004".
const RECEIVER_BEFORE = /\b(to|towards|toward|for|served|serving|reach(ed|ing)?)\s+(participant |uid |user |subscriber |student )?$|(对|给|向|到|服务)\s*(用户|学生|uid|UID)?\s*$|影响(的)?用户(为|是)\s*(学生)?\s*(uid|UID)?\s*$/iu;

const ADVICE_START = /^\s*(?:(?:[一二三四五六七八九十]+[、.．]|\d+[.)、．]|[-*•])\s*)?(please|kindly|try|you (can|could|may|should|might want to)|we (suggest|recommend|advise)|i (suggest|recommend)|make sure|ensure|check|consider)\b|^\s*(?:(?:[一二三四五六七八九十]+[、.．]|\d+[.)、．]|[-*•])\s*)?(我们(建议|推荐)|请|建议|麻烦|您可以|你可以|可以尝试|尝试|确保|检查|确认(?!了|是|过)|开启|打开|关闭|升级|更新|保持|使用|尽量|避免|引导|接入|减少|降低)/iu;

// A cause told of the world, not this ticket: "may be caused by factors such as…", "通常与网络有关".
const GENERIC_CONDITION = /多个方面|较为复杂|类问题的成因|\b(many|several|various|a variety of|a number of|multiple|lots of) (possible |potential |different )?(causes|factors|reasons|contributors|things)\b|\bcan happen for\b|\b(can|may|might|could|will|would|usually|typically|generally|often|commonly|sometimes|tend to)\b[^.?!]{0,30}\b(caus\w*|lead to|result in|affect\w*|related to|associated with)\b|\b(in general|generally|in most cases|most often|typically|commonly)\b|\b(factors|causes) (such as|like|including)\b|\b(several|many|various|a number of) (causes|factors|reasons)\b|(一般|通常|往往|常见|多种因素|多方面因素|包括但不限于|等因素|诸如)|(与|和|跟)[^。！？]{1,40}(有关|相关)|\b(if|when|whenever)\b[^.?!]{0,40}\b(network|bandwidth|cpu|device|loss)\b|(如果|若|当)[^。！？]{0,20}(网络|带宽|CPU|设备|丢包)|(一般|通常|往往|可能会|会)(导致|造成|引起)|容易(导致|造成|出现)/iu;

/**
 * Whether a sentence hedges. "Could" is a hedge in "it could be the network", not in "so no video
 * could be delivered" or "nothing the SFU could do", which state what was impossible.
 */
export function isHedged(text: string): boolean {
  // An aside in brackets ("(likely the app's hotkey)") or a pasted log line ("camera device may be unplugged") hedges nothing.
  const sentence = proseOf(text).replace(/[(（][^)）]*[)）]/gu, (m) => ' '.repeat(m.length));
  for (const match of sentence.matchAll(HEDGE_ALL)) {
    if (/^could$/i.test(match[0]) && CANNOT_BEFORE.test(sentence.slice(Math.max(0, match.index - 30), match.index))) continue;
    return true;
  }
  return false;
}

/** The text without pasted log lines and JSON: "14:03:12.120 Agora-SDK [WARN] …", "{"ts":…}". */
export function proseOf(text: string): string {
  return text.replace(LOG_LINE, '');
}

const LOG_LINE = /^\s*(?:\d{1,2}:\d{2}:\d{2}[.,]\d+|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}\S*\s+\[|\{"|\[(?:INFO|WARN|WARNING|ERROR|DEBUG)\]).*$/gmu;

const CANNOT_BEFORE = /\b(no|nothing|none|never|not)\b[^,.;:，。；]{0,25}$/iu;

// A short line standing alone as a heading: "**Root cause**", "▍问题原因", "Resolution summary:".
const HEADING = /^\s*(?:[#▍■●*]+\s*|\*\*)?[\p{L} ]{2,24}(?:\*\*)?\s*[:：]?\s*$/u;
const CAUSE_HEADING = /\b(root cause|cause|resolution( summary)?|findings?|conclusion)\b|原因|根因|结论|排查结果/iu;

const FACTOR_LIST = /\b(factors|causes|reasons|contributors|things)\b[^.?!]{0,20}\b(such as|like|including|include)\b|因素|包括但不限于|以下(几|几个)?(方面|原因|因素)/iu;
const ENUMERATOR = /(?:^|[\s：:；;，,)）])(?:\d|[一二三四五六七八九十])[)）、]/gu;

// A statement about this customer or one of the vendor's own machines, not the world.
const THIS_CASE = /(您|你)(们)?(这边|那边)?(的)?(网络|网速)[^。！？，]{0,4}(不太?稳定|较差|不太?好|不佳|波动|有问题)|\byour (network|connection|internet)( connection)? (is|was|has been) (unstable|poor|weak|bad|congested)\b|(我们|我方)(的)?某(个|一个|台)|\bone of our\b/iu;

const HEDGE = /\blooks (to be|[\w-]+[- ]side)\b|\bimo\b|\bimho\b|像是|\bsmells like\b|大概率|看起来|看上去|看着|\b(i|we) (think|believe|reckon)\b|\bmore like\b|\bwould (explain|fit|match)\b|我觉得|我认为|看着像|看起来像|\bpreliminar\w*|\btentative\w*|\binitial (assessment|judg(e)?ment|finding|read)s?\b|\bmakes? me think\b|\bleaning towards\b|倾向于|\b(may|might|could(?! not)(?!n't)|possibl[ey]|possibilit(y|ies)|probabl[ey]|likely|perhaps|maybe|seems?|appears?|suspect\w*|looks like|not sure|guess)\b|可能|也许|或许|大概|似乎|好像|疑似|怀疑|猜测|初步(判断|怀疑|看)|估计|应该(都|就)?是|应该(都|就)?(是|由|和)/iu;
const HEDGE_ALL = new RegExp(HEDGE.source, 'giu');

const FIX: RegExp[] = [
  /\b(we|i)('ve| have)? (deployed|released|rolled out|pushed|applied|shipped|fixed|patched|restarted|replaced|migrated|rerouted)\b|\b(fix|patch|hotfix|workaround|solution)\b[^.?!]{0,30}\b(is|was|has been|will be)\b|\b(upgrade|update) to (version |v)?\d/iu,
  /已(经)?(修复|上线|发布|部署|重启|替换|迁移|切换)|修复(方案|版本)|解决(方案|办法|方法)|升级到\s*\d|(临时|规避)方案/u,
];

const TIME = /(?<![\d:])\d{1,2}:\d{2}(:\d{2})?(?!\d)/u;
const TIME_ALL = new RegExp(TIME.source, 'gu');
