/**
 * Gives every vendor reply exactly one kind — `auto`, `canned`, `human` or `resolution` — with the
 * reasons for it. The kinds decide what the vendor is credited with: an auto-acknowledgement is a
 * first response but not a person, a "please restart" is a person but not a substantive response.
 *
 * Precedence, strongest first:
 * 1. what the vendor or the e-mail says about the sender: `automated`, author role `system`/`bot`,
 *    auto-reply headers and subjects → `auto`, whatever the text says (an auto-responder may carry
 *    a person's words);
 * 2. text that says it is automatic (out-of-office, "this is an automated message") → `auto`;
 * 3. acknowledgement and status-notification phrasing → `auto` unless the vendor says a person
 *    wrote it, or the text states a cause or fix. Specifics do not rescue it: acknowledgements
 *    commonly echo the ticket itself, unquoted;
 * 4. an unhedged statement of the root cause or the fix → `resolution`;
 * 5. engagement with this ticket (its times, ids, numbers, evidence; questions it does not
 *    already answer; analysis with data; escalation) → `human`, even beside generic advice;
 * 6. an auto-close warning standing alone → `auto`;
 * 7. generic advice, holding replies, requests for what the ticket already gave → `canned`;
 * 8. analysis without data ("we checked the logs") → `human`; anything else → `canned`.
 *
 * Quoted history and signatures are removed first: a generic reply that quotes the ticket is still
 * generic.
 *
 * Read alongside: the questions the reply asks us (questions.ts, the same sentences and request
 * tables) and whether it states an escalation. A machine asks nothing: both are empty for `auto`.
 */
import { detectAutoReply, type HeaderMap } from './auto-reply.ts';
import { readClaim } from './claims.ts';
import { findRelayedComment, type RelayedComment } from './relayed-comment.ts';
import { CLASSIFIED_TEXT_LIMIT, GENERIC_ADVICE, MORE_DETAILS, isFollowUp, limitText, questionsIn, readAsks, readOwnText, splitSentences, type Phrase, type Sentence } from './questions.ts';
import type { Question } from '../core/question.ts';
import type { AuthorRole, ReplyKind } from '../core/reply.ts';
import { INFO_KINDS, type InfoKind, type TicketFacts } from '../core/ticket-facts.ts';
import { escapeRegExp, quote, unique } from '../core/text-helpers.ts';

export { CLASSIFIED_TEXT_LIMIT } from './questions.ts';

/** One vendor activity to classify. */
export interface ReplyInput {
  /** The body; may include quoted history and a signature, which are stripped before reading. */
  text: string;
  /** The e-mail subject, when there is one. */
  subject?: string;
  /** E-mail headers by lower-case name (e-mail only). */
  headers?: HeaderMap;
  /** The author's role, when the vendor says. `agent` and `end-user` mean a person. */
  authorRole?: AuthorRole;
  /** The adapter knows a trigger, automation or bot wrote it (e.g. Zendesk `via.channel: "rule"`). */
  automated?: boolean;
  /** A status change that came with the activity: `solved`, `closed`, `pending`… */
  statusChange?: string;
  /** What the ticket already said, to recognise references to it and requests for it. */
  facts?: TicketFacts;
}

/** The classifier's verdict on one reply. */
export interface Classification {
  /** Exactly one kind. */
  kind: ReplyKind;
  /** Short human-readable reasons, the decisive one first; never empty. */
  reasons: string[];
  /** Requests for information the ticket already contained (always empty for `auto`). */
  requestsProvidedInfo: InfoKind[];
  /** The questions the reply asks us, in order (always empty for `auto`): what the conversation answers. */
  questions: Question[];
  /** The reply says the ticket went to second line, engineering or R&D (never for `auto`). */
  escalation: boolean;
  /** When a notification relays a comment with its own timestamp: that instant (ISO-8601), the time that counts. */
  writtenAt?: string;
}

/** Classifies one vendor reply. Deterministic and offline. */
export function classifyReply(input: ReplyInput): Classification {
  const relayed = findRelayedComment(limitText(input.text ?? '', CLASSIFIED_TEXT_LIMIT));
  if (relayed) return classifyRelayed(input, relayed);
  const signals = detectAutoReply({ headers: input.headers, subject: input.subject });
  const machine = [...senderSignals(input), ...signals.strong];
  const weakAuto = signals.weak.map((s) => `also ${s} (weak signal)`);
  if (machine.length > 0) return verdict('auto', [...machine, ...weakAuto]);

  const { reply, text: own } = readOwnText(input.text ?? '');
  const status = input.statusChange?.trim();
  const notes: string[] = [];
  if (status) notes.push(`comes with a status change to '${status}'`);
  if (reply.quoted) notes.push(`ignored quoted history (${plural(lineCount(reply.quoted), 'line')})`);
  const auto = (reasons: string[]) => verdict('auto', [...reasons, ...weakAuto, ...notes]);
  // A person's mail can carry these too (Outlook sets X-Auto-Response-Suppress on plenty of it).
  const weakIgnored = signals.weak.map((s) => `${s} ignored: not enough on its own`);
  const byPerson = input.authorRole === 'agent' || input.authorRole === 'end-user';
  const personNote = byPerson ? [`the vendor says a person (${input.authorRole}) wrote it`] : [];
  const other = (kind: ReplyKind, reasons: string[], read?: Reading) => verdict(kind, [...reasons, ...personNote, ...weakIgnored, ...notes], read);

  if (reply.body === '') {
    if (status) return auto([`status change to '${status}' with no text`]);
    return other('canned', ['no text of its own after removing quoted history and signature']);
  }

  if (own.length < reply.body.length) {
    const limit = kilobytes(CLASSIFIED_TEXT_LIMIT);
    notes.push(`text cut at ${limit}: only the first ${limit} of the reply's own ${kilobytes(reply.body.length)} were classified`);
  }
  const read = readReply(own, input.facts);
  if (read.automatic.length > 0) return auto(read.automatic);
  if (read.acknowledgement.length > 0 && !byPerson) {
    if (read.resolution.length > 0) return other('resolution', [...read.resolution, ...read.acknowledgement.map(also)], read);
    return auto(read.acknowledgement);
  }
  // Said by a known person, acknowledgement and auto-close phrasing are a macro's boilerplate.
  const generic = [...(byPerson ? [...read.acknowledgement, ...read.autoClose] : []), ...read.generic];
  if (read.resolution.length > 0) return other('resolution', [...read.resolution, ...read.specific.map(also)], read);
  // The stock cause is still the vendor's verdict when it closes the ticket on it or clears itself.
  const blameIsVerdict = read.blame.length > 0 && (CLOSING.test(status ?? '') || read.clearsItself);
  if (blameIsVerdict) return other('resolution', [...read.blame.map((b) => b.replace('in general terms', 'as its verdict')), ...read.specific.map(also)], read);
  if (read.blame.length > 0 && read.specific.length > 0) return other('resolution', [...read.blame.map((b) => b.replace('in general terms', 'beside the ticket’s specifics')), ...read.specific.map(also)], read);
  // A person's settled word on the cause, however phrased: "that is the cause", "the culprit was",
  // "结论：…", or a cause stated as the ticket is closed — not while still investigating.
  const settled = settledCause(own, status, read);
  if (settled) return other('resolution', [settled, ...read.specific.map(also)], read);
  if (read.specific.length > 0) return other('human', [...read.specific, ...read.analysis, ...generic.map(also)], read);
  if (read.blame.length > 0) return other('canned', [...read.blame, ...generic.map(also)], read);
  if (read.autoClose.length > 0 && !byPerson && read.generic.length === 0 && read.analysis.length === 0) {
    return auto(read.autoClose);
  }
  if (generic.length > 0) {
    const autoClose = byPerson ? [] : read.autoClose.map(also);
    return other('canned', [...generic, ...read.analysis.map(also), ...autoClose], read);
  }
  if (read.analysis.length > 0) return other('human', read.analysis, read);
  const nothing = input.facts
    ? 'nothing specific to this ticket: none of its times, ids or numbers, no question it leaves open'
    : 'nothing specific to this ticket (no ticket facts were given to compare with)';
  return other('canned', [nothing], read);
}

/**
 * A notification relaying a person's comment: its envelope (headers, bulk flags, the desk's
 * boilerplate) is a machine's, so the comment alone is classified, and its own timestamp is when
 * the vendor wrote it.
 */
function classifyRelayed(input: ReplyInput, relayed: RelayedComment): Classification {
  const inner = classifyReply({ text: relayed.text, facts: input.facts, statusChange: input.statusChange, authorRole: input.authorRole === 'agent' ? 'agent' : undefined });
  const who = relayed.author ? `${relayed.author}'s comment` : 'a comment';
  const when = relayed.writtenAt ? ` written ${relayed.writtenAt}` : relayed.writtenLine ? ` written '${relayed.writtenLine}' (no zone: the mail's time counts)` : '';
  const envelope = detectAutoReply({ headers: input.headers, subject: input.subject }).strong;
  const note = `a help-desk notification relaying ${who}${when}: the comment decides${envelope.length > 0 ? `, not the envelope's ${envelope.join(', ')}` : ''}`;
  return { ...inner, reasons: [...inner.reasons, note], ...(relayed.writtenAt ? { writtenAt: relayed.writtenAt } : {}) };
}

/**
 * The reason a reply settles the cause, if it does: its stated cause (claims.ts) is unhedged and
 * names a side, beside this ticket's specifics, and it is said as a conclusion or as the ticket is
 * closed; a reply still investigating settles nothing.
 */
function settledCause(own: string, status: string | undefined, read: Reading): string | null {
  if (read.specific.length === 0 || ONGOING.test(own)) return null;
  const claim = readClaim(own);
  if (!claim || claim.hedged || claim.side === null) return null;
  const closes = CLOSING.test(status ?? '') || CLOSES_TICKET.test(own);
  const concludes = CONCLUDES.test(own);
  if (!(closes || concludes || (claim.causal && claim.mechanisms.length > 0))) return null;
  const how = closes ? 'closes the ticket on a stated cause' : concludes ? 'states its conclusion on the cause' : 'states the cause';
  return `${how}: ${claim.phrases[0] ?? ''}`.trim();
}

/** What the vendor said about the sender: its automation flag and the author's role. */
function senderSignals(input: ReplyInput): string[] {
  const reasons: string[] = [];
  if (input.automated) reasons.push('the vendor marked it as sent by a trigger, automation or bot');
  if (input.authorRole === 'system' || input.authorRole === 'bot') reasons.push(`author role is '${input.authorRole}'`);
  return reasons;
}

/** How a reply phrases a request for each kind of information, e.g. in "asks for the logs". */
export function describeInfoKind(kind: InfoKind): string {
  return INFO_LABELS[kind];
}

// ---------------------------------------------------------------------------------------------
// Reading the text

interface Reading {
  /** Says outright that a machine wrote it: out-of-office, "this is an automated message". */
  automatic: string[];
  /** Request acknowledgements and status notifications. */
  acknowledgement: string[];
  /** "Will be closed automatically if we don't hear from you". */
  autoClose: string[];
  resolution: string[];
  /** A cause stated as the stock "your network" with nothing of the ticket in the sentence. */
  blame: string[];
  /** Says the vendor's own service is not the cause: "not related to our service", "跟我们的服务没有关系". */
  clearsItself: boolean;
  /** Strong signs of engaging with this ticket. */
  specific: string[];
  /** Says it looked at data, without showing any. */
  analysis: string[];
  generic: string[];
  requestsProvidedInfo: InfoKind[];
  /** What it asks us, read as any reply but a resolution. */
  questions: Question[];
  /** The same on a resolution: "did this solve your problem?" is not a question there. */
  questionsOnResolution: Question[];
  /** States that the ticket went to second line, engineering or R&D. */
  escalation: boolean;
}

function readReply(body: string, facts: TicketFacts | undefined): Reading {
  const sentences = splitSentences(body);
  const reading: Reading = {
    automatic: matchPhrases(sentences, AUTOMATIC),
    acknowledgement: matchPhrases(sentences, ACKNOWLEDGEMENT),
    autoClose: matchPhrases(sentences, AUTO_CLOSE),
    resolution: [],
    blame: [],
    clearsItself: sentences.some((s) => CLEARS_ITSELF.test(s.text)),
    specific: [],
    analysis: [],
    generic: [],
    requestsProvidedInfo: [],
    questions: [],
    questionsOnResolution: [],
    escalation: false,
  };

  for (const sentence of sentences) {
    for (const { pattern, label, byElimination } of RESOLUTION) {
      const match = pattern.exec(sentence.text);
      if (!match || sentence.question) continue;
      const end = match.index + match[0].length;
      const clause = clauseAround(sentence.text, match.index, end);
      // "…, not the SFU" negates on purpose: only the rest of its clause may hedge it.
      const guarded = byElimination ? RESOLUTION_GUARD.test(clause.replace(match[0], ' ')) : isGuarded(sentence.text, match, RESOLUTION_GUARD);
      if (guarded) continue;
      // "Caused by network fluctuation" is the stock scapegoat: a cause only with this ticket's specifics beside it.
      if ((GENERIC_BLAME.test(clause) || STOCK_CAUSE.test(sentence.text)) && !MEASUREMENT.test(sentence.text)) {
        reading.blame.push(`blames the network in general terms: ${quote(sentence.text)}`);
        break;
      }
      // "Fixed in 2.5.3, please upgrade" is a fix that comes with advice, not advice.
      const shippedFix = label === 'states the fix' && SHIPPED.test(sentence.text);
      if (shippedFix || !GENERIC_ADVICE.some((p) => p.pattern.test(clause))) {
        reading.resolution.push(`${label}: ${quote(sentence.text)}`);
        break;
      }
    }
  }

  const references = factReferences(sentences, facts);
  reading.specific.push(...references.engaged);

  // A set beside the list: one reason per sentence is possible, and a list lookup per sentence is quadratic.
  const genericSeen = new Set<string>();
  const addGeneric = (reason: string) => {
    if (genericSeen.has(reason)) return;
    genericSeen.add(reason);
    reading.generic.push(reason);
  };
  for (const { pattern, label } of GENERIC_ADVICE) if (sentences.some((s) => pattern.test(s.text))) addGeneric(`generic advice: ${label}`);
  for (const s of sentences) {
    const holding = HOLDING.find((p) => p.test(s.text));
    if (holding) addGeneric(`generic holding reply: ${quote(s.text)}`);
  }

  for (const s of sentences) {
    if (isFollowUp(s.text)) addGeneric(`generic follow-up: ${quote(s.text)}`);
  }
  for (const reason of references.inGeneric) addGeneric(reason);

  const asked = new Set<InfoKind>();
  const asks = readAsks(sentences);
  for (const { sentence: s, request, inList, kinds } of asks) {
    const isAdvice = GENERIC_ADVICE.some((p) => p.pattern.test(s.text));
    if (!s.question) {
      if (statesEscalation(s.text)) {
        reading.escalation = true;
        // A hand-over is a moment of the conversation, not engagement: "escalated to R&D" is a macro too.
        addGeneric(`escalates (a hand-over, not engagement on its own): ${quote(s.text)}`);
      }
      if (ANALYSIS.some((p) => p.test(s.text))) {
        if (MEASUREMENT.test(s.text)) reading.specific.push(`gives analysis with data: ${quote(s.text)}`);
        else reading.analysis.push(`says it looked at the data: ${quote(s.text)}`);
      }
    }
    if (!request) {
      // "Please check for errors in your logs" names the logs without having looked at them.
      if (!isAdvice && EVIDENCE.some((p) => p.test(s.text))) reading.specific.push(`refers to the ticket's evidence: ${quote(s.text)}`);
      continue;
    }
    for (const kind of kinds) {
      // "Please confirm the network is stable" is every desk's first checklist item, given or not.
      if (facts?.providedInfo === undefined || kind === 'network') addGeneric(`asks for ${INFO_LABELS[kind]} (standard diagnostics)`);
      else if (facts.providedInfo.includes(kind)) {
        asked.add(kind);
        addGeneric(`asks for ${INFO_LABELS[kind]}, which the ticket already gave`);
      } else reading.specific.push(`asks for ${INFO_LABELS[kind]}, which the ticket did not give`);
    }
    if (kinds.length === 0 && MORE_DETAILS.test(s.text)) addGeneric(`asks for more details in general: ${quote(s.text)}`);
    else if (kinds.length === 0 && s.question && !inList && !isAdvice && !isGenericSentence(s.text)) {
      reading.specific.push(`asks a specific question: ${quote(s.text)}`);
    }
    // Without the ticket's own times to compare, a time of day in a question is the best sign it
    // is about this incident rather than a checklist.
    // A time of day in a question is about this incident, not a checklist — even in another timezone than the ticket's.
    const time = TIME_OF_DAY.exec(s.text);
    if (time && (s.question || !facts?.times?.length)) reading.specific.push(`asks about a specific time '${time[0]}'`);
  }
  reading.requestsProvidedInfo = INFO_KINDS.filter((k) => asked.has(k));
  reading.questions = questionsIn(asks, facts);
  reading.questionsOnResolution = questionsIn(asks, facts, { onResolution: true });
  return reading;
}

/**
 * Whether a sentence states that the ticket went to second line, engineering, R&D or the product
 * team. A plan or an offer is not one ("if it persists we will escalate", "we can pass it to R&D",
 * "我们会升级到研发"): a hedge counts when it comes before the hand-over in its clause, so "I have
 * escalated this to R&D, who will contact you" still is one.
 */
function statesEscalation(sentence: string): boolean {
  for (const pattern of ESCALATION) {
    const match = pattern.exec(sentence);
    if (!match) continue;
    const end = match.index + match[0].length;
    const { from } = clauseBounds(sentence, match.index, end);
    if (ESCALATION_GUARD.test(sentence.slice(from, end)) || CONDITION_BEFORE.test(sentence.slice(0, match.index))) continue;
    return true;
  }
  return false;
}

function isGenericSentence(text: string): boolean {
  return HOLDING.some((p) => p.test(text)) || isFollowUp(text) || MORE_DETAILS.test(text);
}

// ---------------------------------------------------------------------------------------------
// The ticket's own facts

interface FactReference {
  reason: string;
  pattern: RegExp;
  /** A name (channel, room, reference) rather than a uid, time or number. */
  name?: boolean;
}

/**
 * The ticket's facts the reply names. A fact named only inside a generic sentence ("our engineers
 * are investigating channel drill-7f3a9c", "please rejoin channel …") is a macro's placeholder
 * filled in, not engagement, so those are returned apart.
 */
function factReferences(sentences: Sentence[], facts: TicketFacts | undefined): { engaged: string[]; inGeneric: string[] } {
  const engaged: string[] = [];
  const inGeneric: string[] = [];
  if (!facts) return { engaged, inGeneric };
  const ownWords: Sentence[] = [];
  const genericWords: Sentence[] = [];
  for (const s of sentences) {
    // "Was student-3 on a VPN at 08:30?" asks about this incident; only as a statement is it advice.
    // A holding line that also reports data ("仪表盘显示 1003 下行丢包较高，稍后答复") engages with the ticket.
    const reportsData = ANALYSIS.some((p) => p.test(s.text)) && MEASUREMENT.test(s.text);
    const generic = !reportsData && (isGenericSentence(s.text) || (!s.question && GENERIC_ADVICE.some((p) => p.pattern.test(s.text))));
    (generic ? genericWords : ownWords).push(s);
  }
  const named: string[] = [];
  for (const { reason, pattern, name } of factPatterns(facts)) {
    const everywhere = new RegExp(pattern.source, `${pattern.flags}g`);
    if (ownWords.some((s) => occursOutsideTicketNumber(s.text, everywhere))) (name ? named : engaged).push(`refers to ${reason}`);
    else if (genericWords.some((s) => occursOutsideTicketNumber(s.text, everywhere))) inGeneric.push(`names ${reason} only inside generic phrasing`);
  }
  // A channel or room name is what a macro's placeholder fills in: alone, it is not engagement.
  if (engaged.length > 0) engaged.push(...named);
  else inGeneric.push(...named.map((r) => `${r.replace(/^refers to /, 'names ')} and nothing else of the ticket (a macro's placeholder filled in)`));
  return { engaged, inGeneric };
}

function factPatterns(facts: TicketFacts): FactReference[] {
  const out: FactReference[] = [];
  const ref = facts.ref?.trim().toLowerCase();
  for (const raw of unique(facts.identifiers)) {
    const id = raw.trim();
    if (id.length < 3 || id === facts.ref) continue;
    // An id spelled like the reference tag is only counted when written exactly as the id.
    const flags = id.toLowerCase() === ref ? 'u' : 'iu';
    // ASCII boundaries, so an id written between Chinese characters ("频道drill-7f3a9c中") counts.
    const pattern = /^\d+$/.test(id)
      ? new RegExp(`(?<![\\d.])${id}(?![\\d]|\\.\\d)`, flags)
      : new RegExp(`(?<![A-Za-z0-9_-])${escapeRegExp(id)}(?![A-Za-z0-9_]|-[A-Za-z0-9])`, flags);
    out.push({ reason: `the ticket's id '${id}'`, pattern, name: !/^[\d.]+$/.test(id) });
  }
  const minutes = new Set<string>();
  for (const raw of unique(facts.times)) {
    const pattern = timePattern(raw);
    // A ticket gives the same moment several ways ('14:03:12', '2026-11-29T14:03:12Z'); say it once.
    if (!pattern || minutes.has(pattern.source)) continue;
    minutes.add(pattern.source);
    out.push({ reason: `the ticket's time '${raw.trim()}'`, pattern });
  }
  for (const raw of unique(facts.numbers)) {
    const pattern = numberPattern(raw);
    if (pattern) out.push({ reason: `the ticket's number '${raw.trim()}'`, pattern });
  }
  return out;
}

// "Ticket #12345" in a macro's header is not engagement, even when 12345 is one of the ids.
const TICKET_NUMBER_PREFIX = /(ticket|request|case|工单|请求)\s*(id|number|no\.?|编号|号)?\s*[#:：(（]?\s*$/iu;

/** Whether `everywhere` (a global pattern) matches `body` other than as a ticket number. */
function occursOutsideTicketNumber(body: string, everywhere: RegExp): boolean {
  for (const match of body.matchAll(everywhere)) {
    if (!TICKET_NUMBER_PREFIX.test(body.slice(Math.max(0, match.index - 20), match.index))) return true;
  }
  return false;
}

function timePattern(raw: string): RegExp | undefined {
  const m = /(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(raw);
  if (!m) return undefined;
  const hour = String(Number(m[1]));
  const minute = m[2];
  // The same minute counts: a reply rarely repeats the seconds.
  return new RegExp(`(?<![\\d:])0?${hour}:${minute}(?!\\d)|(?<!\\d)0?${hour}\\s*[点時时]\\s*${minute}\\s*分`, 'u');
}

const UNIT_SYNONYMS: string[][] = [
  ['s', 'sec', 'secs', 'second', 'seconds', '秒'],
  ['ms', 'msec', 'millisecond', 'milliseconds', '毫秒'],
  ['min', 'mins', 'minute', 'minutes', '分钟'],
  ['fps', 'frames per second', 'frames/s', '帧', '帧/秒', '帧每秒'],
  ['%', 'percent', 'per cent', '％'],
  ['kbps', 'kbit/s', 'kb/s'],
  ['mbps', 'mbit/s', 'mb/s'],
];

function numberPattern(raw: string): RegExp | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(.*?)\s*$/u.exec(raw);
  if (!m) return undefined;
  const [, value, unit] = m;
  const number = `(?<![\\d.])${escapeRegExp(value)}(?!\\d|\\.\\d)`;
  // Short whole numbers ("3", "20") occur everywhere; only with their unit do they point here.
  const distinctive = value.includes('.') || value.length >= 3;
  if (distinctive || unit === '') return distinctive ? new RegExp(number, 'u') : undefined;
  const lower = unit.toLowerCase();
  const synonyms = UNIT_SYNONYMS.find((group) => group.includes(lower)) ?? [lower.replace(/s$/, ''), lower];
  const units = synonyms.map((u) => escapeRegExp(u)).sort((a, b) => b.length - a.length).join('|');
  return new RegExp(`${number}\\s*(?:${units})(?![A-Za-z])`, 'iu');
}

// ---------------------------------------------------------------------------------------------
// Phrase tables. English patterns use \b; Chinese has no word boundaries.

const AUTOMATIC: Phrase[] = [
  {
    pattern: /\bthis (is|was) an? (automated|automatic|auto-?generated|system[- ]generated|computer[- ]generated) (message|response|reply|e-?mail|notification|notice)\b|\bthis (e-?mail|message) (was|has been|is) (sent|generated) automatically\b|\bautomatic(ally generated)? reply\b|\bauto-?reply\b/iu,
    label: 'says it is automated',
  },
  {
    pattern: /\bout of (the )?office\b|\b(i am|i'm) (currently )?(away|on (annual |parental |sick )?(leave|vacation|holiday)|travell?ing)\b|\b(limited|no) access to (my )?e-?mail\b|\b(i will|i'll) (be back|return)( to the office)? on\b|\bupon my return\b/iu,
    label: 'out-of-office',
  },
  {
    pattern: /(此|本)(邮件|消息|信息)(为|是|由)?系统自动(发送|生成|回复)|系统自动(发送|回复|生成)|自动回复/u,
    label: 'says it is automated',
  },
  { pattern: /(我|本人)(目前|现在|正在)?(不在办公室|休假|出差)|(休假|出差)(中|期间)/u, label: 'out-of-office' },
  // An assistant that cites the ticket's channel and times is still a machine.
  {
    pattern: /\b(i am|i'm|this is) (an? |your )?(ai|virtual|automated|digital|smart) (assistant|agent|support agent|helper|support bot)\b|\b(ai|bot|machine)[- ]generated\b|\b(generated|written|drafted|composed|produced) (automatically )?(by|with) (ai|an ai|our ai|gpt|chatgpt|an? (ai|virtual) assistant|our (ai |virtual )?(assistant|bot)|answer ?bot|the (ai |virtual )?assistant)\b|\banswer ?bot\b|\bai[- ](powered )?(assistant|agent|support)\b|\b(virtual|digital|automated) (support |customer service |help )?(assistant|agent)\b|\(automated (answer|response|reply)\)/iu,
    label: 'says an AI assistant wrote it',
  },
  {
    pattern: /智能(客服|助手|助理|机器人)|AI\s*(助手|助理|客服|机器人)|机器人客服|(由|经)\s*(AI|人工智能|智能(客服|助手|系统)|机器人)[^。！？]{0,8}生成|(本|此|以下)(条)?(回复|回答|内容|答复)(由|为)[^。！？]{0,12}(AI|人工智能|智能|机器人)|我是[^。！？]{0,12}(智能|AI|机器人|虚拟)(客服|助手|助理)/iu,
    label: 'says an AI assistant wrote it',
  },
];

// The optional ticket numbers read `\s*(?:(…)\s*)?`, not `\s*(…)?\s*`: two `\s*` around an optional
// part try every split of a run of spaces between them, which takes seconds on a long run.
const ACKNOWLEDGEMENT: Phrase[] = [
  {
    pattern: /\b(we|i)('ve| have)?\s+(successfully\s+)?received your (support )?(request|ticket|e-?mail|message|inquiry|enquiry|case|submission|query)\b|\byour (support )?(request|ticket|case|inquiry|enquiry|query|message)\s*(?:(\(\s*(?:#\s*)?\d+\s*\)|#\s*\d+|number\s*#?\d+)\s*)?(has been|was|is)\s+(successfully\s+)?(received|created|submitted|logged|opened|registered|recorded)\b|\b(ticket|case|request|reference) (number|id|no\.?) (is|:)\s*(?:#\s*)?[\w-]+|\bthis (e-?mail|message) (is|serves as) an? (confirmation|acknowledge?ment)\b/iu,
    label: 'acknowledgement phrasing',
  },
  {
    pattern: /(已|已经)收到(您|你)(的|提交的)(工单|请求|邮件|问题|反馈|来信|咨询)|工单(已|已经)(收到|创建|提交|受理|生成)|您的(工单|请求|问题)(已|已经)(被)?(收到|创建|提交|受理)|工单(号|编号)(是|为|：|:)/u,
    label: 'acknowledgement phrasing',
  },
  {
    pattern: /\b(status|state) (of your (request|ticket|case) )?(has been |was |is )?(changed|updated|set) to\b|\byour (request|ticket|case)\s*(?:(\(\s*(?:#\s*)?\d+\s*\)|#\s*\d+)\s*)?(has been|was|is)\s+(solved|closed|resolved|marked as \w+|set to \w+|put on hold)\b|\bhow would you rate\b|\brate (our|your|the) (support|service|experience|interaction)\b|\bsatisfaction survey\b/iu,
    label: 'status notification',
  },
  {
    pattern: /工单(状态)?(已|已经)?(变更|更新|修改)为|状态(已|已经)?(变更|更新|修改)为|您的(工单|请求)(已|已经)(被)?(解决|关闭)|满意度(调查|评价)|(对|为)(本次)?服务(进行)?评价/u,
    label: 'status notification',
  },
];

const AUTO_CLOSE: Phrase[] = [
  {
    pattern: /\b(will|shall) be (automatically |auto-?)?(closed|solved|resolved)\b[^.?!]{0,80}\b(if|unless|after|in \d|within)\b|\bautomatically (be )?(closed|solved|close)\b|\bauto-?clos(e|ed|ing)\b|\bif we (do not|don't|haven't|have not) (hear|heard|receive|received)\b/iu,
    label: 'auto-close warning',
  },
  { pattern: /(将|会)(被)?(自动)?(关闭|结单)|自动(关闭|结单)|未(收到|得到)(您的)?(回复|答复)[^。！？]{0,20}(关闭|结单)/u, label: 'auto-close warning' },
];

// A stock network cause: "network fluctuation", "unstable network", "网络波动".
const GENERIC_BLAME =
  /\b(end[- ]users?'?s?|the user's) (connection|network|device|side)\b|\bdevice performance\b|设备性能|网络丢包|\b(network|connection) (fluctuation|instability|jitter|congestion|issues?|problems?|conditions?)\b|\b(unstable|poor|weak|bad|slow|fluctuating) (network|connection|internet|wi-?fi)\b|网络(状况|环境|质量)?(波动|不稳定|较差|不佳|不好|抖动|问题|环境)|弱网/iu;

const CLEARS_ITSELF =
  /\bnot (related to|caused by) (our|the) (service|platform|sdk|servers?)\b|\bnot an? (platform|sdk|server|agora|service) (issue|problem)\b|\bnothing to do with (our|the) (service|platform|sdk|servers?)\b|(跟|和|与)(我们|我方|平台|服务端?)[^。！？]{0,8}(没有|无)关(系)?|(并非|不是)(我们|平台|服务端|SDK)的?问题/iu;

const CLOSING = /^(solved|closed|resolved)$/i;

const CLOSES_TICKET =
  /\b(i('ll| will)|we('ll| will)) (now )?(resolve|close|mark|set)\b[^.?!]{0,30}\b(ticket|case|request|this|it)\b|\b(marking|setting|closing|resolving) (this|the) (ticket|case|request)\b|\bclosing\b\s*[—–-]|\bthe issue (is|has been) (now )?resolved\b|结单|(工单|case|Case)[^。！？]{0,6}(将|会)(被)?关闭|(标记|设置?)为已解决/iu;

const CONCLUDES =
  /^\s*(resolved|confirmed|fixed)\s*[—–:-]|\bconfirmed (it's|it is|that)\b|\bnothing (wrong )?on our (end|side)\b|(跟|和|与)[^。！？]{0,8}(没关系|没有关系|无关)|\b(that|this|which) (is|was) the (root )?cause\b|\bthe culprit (was|is)\b|\bit turned out\b|\bby elimination\b|\bthat leaves\b|\bwe (found|confirmed|determined) that\b|\bcan confirm\b|\bconclusion\b|结论|已定位|定位到|原因如下|原因就是|问题原因|确认(是|为)/iu;

// Still investigating: a hypothesis, not the settled cause.
const ONGOING =
  /\b(still (checking|looking|investigating|digging)|will (update|report back|confirm|follow up|get back)|checking (with|whether|the)|digging into|looking into|investigating|i'll (confirm|update|check)|keep you (posted|updated))\b|正在(排查|分析|确认|调查)|还在(看|查|排查|确认)|稍后(同步|回复|更新)|进一步(排查|确认|分析)|继续(排查|跟进|分析)|有(结论|进展)后|(我们|我)(再)?看看|再看下/iu;

// A fix that exists somewhere: a version, a deployment. "The solution is to restart" is advice.
const SHIPPED = /\bv?\d+\.\d+(\.\d+)?\b|\b(deployed|rolled out|released|ships|shipped|hotfix|patch)\b|上线|发布|部署|热修复/iu;

// A cause told as a rule of thumb: "this kind of freeze is caused by…", "这种情况是…造成的".
const STOCK_CAUSE = /\b(this|that|such) (kind|type|sort) of\b|\bwhen(ever)? only one (student|user|participant|viewer)\b|这种情况|这类(问题|情况)|此类(问题|情况)|一般(都)?是/iu;

const RESOLUTION: (Phrase & { byElimination?: boolean })[] = [
  { pattern: /\broot[- ]?cause\b[^.?!]{0,60}?(\bis\b|\bwas\b|[:：]|\bhas been (identified|found|determined)\b|\bturned out\b)/iu, label: 'states the root cause' },
  { pattern: /\b(identified|found|determined|located|traced|pinpointed)\b[^.?!]{0,30}\b(root[- ]?cause|the cause|the culprit)\b/iu, label: 'states the root cause' },
  { pattern: /\bthe (cause|reason) (of|for|behind) (the|this|that|your)\b[^.?!]{0,40}?\b(is|was)\b|\bthe cause (is|was)\b/iu, label: 'states the cause' },
  { pattern: /\b(was|is|were|are|has been) (caused|triggered) by\b|\bturned out to be\b/iu, label: 'states the cause' },
  { pattern: /\b(freez\w*|stall\w*|issue|problem|outage|incident|interruption|black screen)\b[^.?!]{0,30}\b(was|is)\s+due to\b/iu, label: 'states the cause' },
  { pattern: /\b(we|i)('ve| have)?\s+(now\s+|already\s+|just\s+)?(fixed|patched|corrected|resolved|repaired)\b/iu, label: 'states the fix' },
  { pattern: /\b(issue|problem|bug|freez\w*|it|this|that)\s+(has|have|is|was) (now )?(been )?(fixed|patched|corrected|repaired)\b|\b(issue|problem|bug)\s+(has|have) (now )?been resolved\b/iu, label: 'states the fix' },
  { pattern: /\bfixed in (version |v|sdk |release |build )?\d|\bfixed in [\w.@/-]+ v?\d|\bthe fix\b[^.?!]{0,50}\b(is in|rolled out|went out|shipped|ships|is live)\b|\b(this|it) is a known (defect|bug|issue|regression) in\b|\b(this one )?was on us\b|\bour (fault|bug|mistake)\b|\bis what (froze|caused|broke|stopped|interrupted)\b|\bhas been addressed\b|\b(originated|stemmed) (on|from|in|at) (the|your|our)\b|\b(it|this|that) was an? ([\w-]+ )?(publisher|subscriber|client|server|network|sender|receiver)[- ]side\b|\b(which|that) (fixes|fixed|resolves|resolved) (this|the|your)\b/iu, label: 'states the fix' },
  { pattern: /\b(deployed|released|rolled out|pushed|shipped|applied|published)\b[^.?!]{0,20}\b(fix|patch|hotfix|hot-fix)\b|\b(fix|patch|hotfix)\b[^.?!]{0,20}\b(has been|was|is now|is) (deployed|released|rolled out|applied|live)\b/iu, label: 'states the fix' },
  { pattern: /\bresolved by\b|\bthe (fix|solution|remedy|workaround) (is|was)\b|\b(has|have) (since |now )?been (corrected|restored|rolled back|reverted|mitigated)\b/iu, label: 'states the fix' },
  { pattern: /\b(root )?cause (found|identified|confirmed|located|determined|established)\b|\bfound (it|the (root )?cause|the culprit)\b|\b(was|is) (the|your) (problem|culprit)\b/iu, label: 'states the root cause' },
  { pattern: /\b(this|the|that|your) (issue|problem|freeze|stall|stutter|silence|outage|interruption|behaviou?r) (was|is) (entirely )?(client|server|network|publisher|subscriber|device|browser)[- ]side\b/iu, label: 'states the cause' },
  // "So this is the teacher's client pausing its video, not a media-path problem": a cause, by elimination.
  { pattern: /\b(so|thus|therefore|hence)\b[^.?!]{0,100}\bnot (a |an |the |our |your )?(sfu|server|platform|sdk|network|media[- ]path|client|edge|backend)\b|\bnot (a|an) (platform|sdk|server|network) (issue|problem)\b/iu, label: 'states the cause', byElimination: true },
  { pattern: /根本原因|根因|原因(是|为|在于)|原因[:：]|原因如下|问题已(经)?(查明|定位)|原因(已经?)?(确认|找到|查明|定位)|问题出(在|于)|(是|系|为)(由于|因为|由)?[^。！？]{1,40}(导致|造成|引起|引发)的?|这(就)?是[^。！？]{0,30}的(根本)?原因|(属于|是)[^。！？]{1,30}问题[，,]\s*(跟|和|与)[^。！？]{1,12}无关/u, label: 'states the root cause' },
  { pattern: /已(经)?(修复|修正|解决|上线修复|发布修复)|已在[^。！？]{0,20}修复|已于[^。！？]{0,16}(完成)?修复|修复(已|已经)(上线|发布|部署|生效)|(上线|发布|部署)了?(修复|补丁|热修复)|解决(方法|方案|办法)(是|为|[:：])|通过[^。！？]{1,30}(解决|修复)了?/u, label: 'states the fix' },
];

const RESOLUTION_GUARD =
  /\b(may|might|could|possibl[ey]|probabl[ey]|likely|perhaps|maybe|seems?|appears?|suspect(ed)?|usually|often|typically|generally|commonly|common|normally|sometimes|if|whether|once|until|not|never|unable|cannot|yet|still|unknown|unclear|investigating|looking into|working on|trying|will|going to|plan(ned)?|scheduled|expected|upcoming|soon|in progress)\b|n't|'ll|可能|也许|或许|大概|似乎|好像|疑似|怀疑|猜测|通常|一般|往往|常见|经常|有时|如果|若|假如|是否|未|没|尚|还在|仍在|正在|待|将会|将在|将于|会在|会于|尽快|会导致|会造成|会引起|会出现|计划|预计|可以|排查中|分析中|调查中|处理中|初步|暂时|目前看|是不是|确认(一下)?是否|想(先)?确认/iu;

// Hand-overs that happened or are happening. The team is named so that "assigned it to me" is not one.
const ESCALATION_TEAM = String.raw`(engineer|r&d|research and development|develop|product (team|group)|tier[- ]?(2|3|two|three)|level[- ]?(2|3)|l2|l3|second[- ]line|2nd[- ]line|third[- ]line|specialist|expert|sdk team|media team|backend|back-end)`;
const ESCALATION: RegExp[] = [
  /\bescalat(ed|ing)\b[^.?!]{0,60}\b(to|with)\b|\b(has|have|had) been escalated\b|\b(i|we)('ve| have| had)? escalated (this|it|your (ticket|case|request|issue)|the (ticket|case|request|issue))\b/iu,
  new RegExp(
    String.raw`\b(raised|forwarded|passed|transferred|handed|assigned|escalated|sent|moved)\s+(this|it|your (ticket|case|request|issue)|the (ticket|case|request|issue)|this (ticket|case|request|issue))\s+(over\s+|on\s+)?(to|with)\s+(our|the|a)\b[^.?!]{0,30}${ESCALATION_TEAM}|` +
      String.raw`\b(has|have|had) been (transferred|forwarded|handed over|passed( on)?|assigned|raised|sent|moved)\s+(to|with)\s+(our|the|a)\b[^.?!]{0,30}${ESCALATION_TEAM}`,
    'iu',
  ),
  /(升级|提交|转交|转给|反馈给|反馈至|转到|转至|同步给|移交)[^。！？]{0,10}(研发|技术专家|专家|二线|三线|工程师|产品|后端|SDK\s*团队|开发)/iu,
];
// A plan, an offer or a request, said before the hand-over in its clause: "we will", "we can", "请".
const ESCALATION_GUARD =
  /\b(if|can|could|would|may|might|unless|once|whether|will|shall|should|going to|plan(ning)? to|want to|need to|please)\b|'ll\b|如果|若|可以|可能|如需|需要的话|(?<!已|已经)将|会|是否|打算|计划|准备|请|麻烦|建议/iu;
// A condition anywhere before it in the sentence: "If it persists, we escalate to R&D."
const CONDITION_BEFORE = /\b(if|unless|once|should|in case)\b|如果|若|假如|万一|一旦|倘若|如需/iu;

const HOLDING: RegExp[] = [
  /\b(we are|we're|i am|i'm)\s+(currently\s+|still\s+|now\s+)?(looking into|investigating|checking|working on|reviewing|analy[sz]ing)\b/iu,
  /\bour (engineers?|team|technical team|support team|developers|r&d( team)?|engineering team|experts?|specialists?)\s+(is|are|will be)\s+(currently\s+|still\s+|now\s+)?(looking into|investigating|working on|checking|analy[sz]ing|reviewing)\b/iu,
  /\b(will|shall) (get back to you|update you|keep you (posted|updated|informed)|follow up|reach out|contact you|respond|reply)\b|\bget back to you\b/iu,
  /\bthank(s| you) for your (patience|understanding)\b|\bas soon as (possible|we can)\b|\b(apologi[sz]e|sorry) for (any|the) inconvenience\b/iu,
  /正在(处理|排查|调查|跟进|分析|核实|确认|查看|检查)|(工程师|技术|研发|同事|团队)[^。！？]{0,6}(正在|在)(处理|排查|调查|跟进|分析|查看)|(会|将)尽快|尽快(回复|处理|给您|答复)|耐心等待|感谢(您的)?(耐心|理解)|稍后(回复|联系|答复|给您)|(带来|造成)的?不便|有(进展|结果)(后)?(会)?(第一时间)?(通知|告知|联系)/u,
];

const INFO_LABELS: Record<InfoKind, string> = {
  'sdk-version': 'the SDK version',
  browser: 'the browser',
  os: 'the operating system',
  channel: 'the channel name',
  uid: 'the user ids',
  timestamps: 'the times',
  logs: 'the logs',
  screenshots: 'screenshots or recordings',
  'app-id': 'the App ID',
  network: 'the network details',
  steps: 'the steps to reproduce',
};

const EVIDENCE: RegExp[] = [
  /\b(the|your)\s+(attached\s+)?(chart|graph|screenshots?|timeline(\.json)?|console logs?|logs?|stats|evidence|recording|video)\s+(you|that you)\s+(attached|sent|provided|shared|uploaded|included)\b/iu,
  /\b(in|from|according to|looking at|based on|per)\s+(the|your)\s+(attached\s+)?(chart|graph|screenshots?|timeline(\.json)?|console logs?|logs?|stats timeline|freeze episodes?( table)?)\b/iu,
  /\btimeline\.json\b|\bchart\.png\b|\bconsole\.log\b|\bfreeze episodes? (table|list)\b|\bthe (attached|provided)\s+(chart|graph|screenshots?|timeline|logs?)\b/iu,
  /(您|你)(提供|上传|附上|发送|给)的[^。！？]{0,6}(日志|截图|图表|录屏|数据|时间线)|(从|根据|通过)(您的|你的|附件中?的?)[^。！？]{0,4}(日志|截图|图表|录屏|时间线)|附件(中|里)的?(日志|截图|图表)|(截图|图表)(中|里|上)/u,
];

const ANALYSIS: RegExp[] = [
  /\b(our|the) (logs?|data|analytics|records|metrics|stats|call search|dashboard|monitoring)\s+(show|shows|showed|indicate|indicates|indicated|suggest|suggests|reveal|reveals|confirm|confirms)\b/iu,
  /\b(we|i)('ve| have)?\s+(checked|looked at|reviewed|analy[sz]ed|examined|went through|gone through|inspected|traced|dug into|investigated)\s+(the|your|our|this|agora analytics|analytics|call search)\b/iu,
  /\baccording to (our|the|your) (logs?|data|analytics|records|call search|dashboard|metrics|stats)\b|\bin (our|the server|the) (call |server |quality |edge |media )?(logs|records|data|call search|analytics|dashboard)\b/iu,
  /\b(we|i) (can )?see (that|a|an|the|in|from)\b|\b(we|i) (noticed|observed|found|identified|confirmed|reproduced)\b/iu,
  /(我们|我)?(查看|检查|分析|排查|核查|查询|复现)(了|过)|(从|根据|通过)[^。！？]{0,6}(日志|数据|后台|通话记录|监控|质量数据|水晶球|仪表盘|星图)[^。！？]{0,4}(来看|看|显示|中|上)|(仪表盘|监控|后台|星图|水晶球)[^。！？]{0,4}(显示|上看|里看|来看)|(日志|数据|后台|监控)(显示|表明|中可以看到|可以看到)|(我们|我)(发现|看到|注意到|观察到|确认|定位到)/u,
];

// Data a person would only write after looking: measurements, times of day, uids, error codes.
// Written so that no run of digits or spaces can be split between two quantifiers in many ways:
// `\d+` starts where the digits start, and `\s*[:：]?\s*` is `(?:\s*[:：])?\s*`. Both match the same
// texts as the obvious spelling, which takes seconds on a long run of digits or spaces.
const MEASUREMENT =
  /(?<!\d)\d+(\.\d+)?\s*(%|％|ms\b|s\b|sec\b|seconds?\b|kbps\b|mbps\b|fps\b|秒|毫秒|帧)|\b\d{1,2}:\d{2}\b|\buid(?:\s*[:：])?\s*\d+|\b(error|code|错误码)(?:\s*[:：])?\s*\d{3,}/iu;

const TIME_OF_DAY = /(?<![\d:])\d{1,2}:\d{2}(:\d{2})?(?![\d])/u;

// ---------------------------------------------------------------------------------------------
// Text helpers

function matchPhrases(sentences: Sentence[], phrases: Phrase[]): string[] {
  const reasons: string[] = [];
  for (const { pattern, label } of phrases) {
    const sentence = sentences.find((s) => pattern.test(s.text));
    if (sentence) reasons.push(`${label}: ${quote(sentence.text)}`);
  }
  return unique(reasons);
}

const CLAUSE_BOUNDARY = /[,;，；:：]|\s[—–]\s|\s(?:and|but|so|while|although|whereas)\s|但是|但|并且|而且|不过/giu;

/** The clause around a match, so a hedge elsewhere in a long sentence does not void it. */
function clauseAround(sentence: string, start: number, end: number): string {
  const { from, to } = clauseBounds(sentence, start, end);
  return sentence.slice(from, to);
}

function clauseBounds(sentence: string, start: number, end: number): { from: number; to: number } {
  let from = 0;
  let to = sentence.length;
  for (const boundary of sentence.matchAll(CLAUSE_BOUNDARY)) {
    const bStart = boundary.index;
    const bEnd = bStart + boundary[0].length;
    if (bEnd <= start) from = bEnd;
    else if (bStart >= end) {
      to = bStart;
      break;
    }
  }
  return { from, to };
}

function isGuarded(sentence: string, match: RegExpExecArray, guard: RegExp): boolean {
  return guard.test(clauseAround(sentence, match.index, match.index + match[0].length));
}

/** A machine asks nothing and hands nothing over: `auto` keeps no requests, questions or escalation. */
function verdict(kind: ReplyKind, reasons: string[], read?: Reading): Classification {
  if (kind === 'auto' || !read) return { kind, reasons: unique(reasons), requestsProvidedInfo: [], questions: [], escalation: false };
  return {
    kind,
    reasons: unique(reasons),
    requestsProvidedInfo: read.requestsProvidedInfo,
    questions: kind === 'resolution' ? read.questionsOnResolution : read.questions,
    escalation: read.escalation,
  };
}

function also(reason: string): string {
  return `also ${reason}`;
}

/** Characters as KB, rounded up so that a text over the limit never reads as the limit itself. */
function kilobytes(characters: number): string {
  return `${Math.ceil(characters / 1024)} KB`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function lineCount(text: string): number {
  return text.split('\n').filter((l) => l.trim() !== '').length;
}
