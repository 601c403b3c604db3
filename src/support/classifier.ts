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
 */
import { detectAutoReply, type HeaderMap } from './auto-reply.ts';
import { extractReplyText } from '../core/reply-text.ts';
import type { AuthorRole, ReplyKind } from '../core/reply.ts';
import { INFO_KINDS, type InfoKind, type TicketFacts } from '../core/ticket-facts.ts';

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
}

/**
 * How much of a reply's own text (after quoted history and the signature are removed) is read: 64 KB,
 * counted in characters (UTF-16 code units). A person's reply, even a long one, is a few KB; what
 * is longer is pasted logs or a dump, whose first 64 KB say as much about the reply as the rest. The
 * cap bounds the time one reply holds the event loop. It applies to reading only: callers keep the
 * whole message as evidence, and the verdict says when the text was cut.
 */
export const CLASSIFIED_TEXT_LIMIT = 64 * 1024;

/** Classifies one vendor reply. Deterministic and offline. */
export function classifyReply(input: ReplyInput): Classification {
  const signals = detectAutoReply({ headers: input.headers, subject: input.subject });
  const machine = [...senderSignals(input), ...signals.strong];
  const weakAuto = signals.weak.map((s) => `also ${s} (weak signal)`);
  if (machine.length > 0) return verdict('auto', [...machine, ...weakAuto]);

  const reply = extractReplyText(input.text ?? '');
  const status = input.statusChange?.trim();
  const notes: string[] = [];
  if (status) notes.push(`comes with a status change to '${status}'`);
  if (reply.quoted) notes.push(`ignored quoted history (${plural(lineCount(reply.quoted), 'line')})`);
  const auto = (reasons: string[]) => verdict('auto', [...reasons, ...weakAuto, ...notes]);
  // A person's mail can carry these too (Outlook sets X-Auto-Response-Suppress on plenty of it).
  const weakIgnored = signals.weak.map((s) => `${s} ignored: not enough on its own`);
  const byPerson = input.authorRole === 'agent' || input.authorRole === 'end-user';
  const personNote = byPerson ? [`the vendor says a person (${input.authorRole}) wrote it`] : [];
  const other = (kind: ReplyKind, reasons: string[], asked: InfoKind[] = []) =>
    verdict(kind, [...reasons, ...personNote, ...weakIgnored, ...notes], asked);

  if (reply.body === '') {
    if (status) return auto([`status change to '${status}' with no text`]);
    return other('canned', ['no text of its own after removing quoted history and signature']);
  }

  const own = limitText(reply.body, CLASSIFIED_TEXT_LIMIT);
  if (own.length < reply.body.length) {
    const limit = kilobytes(CLASSIFIED_TEXT_LIMIT);
    notes.push(`text cut at ${limit}: only the first ${limit} of the reply's own ${kilobytes(reply.body.length)} were classified`);
  }
  const read = readReply(own, input.facts);
  const asked = read.requestsProvidedInfo;
  if (read.automatic.length > 0) return auto(read.automatic);
  if (read.acknowledgement.length > 0 && !byPerson) {
    if (read.resolution.length > 0) return other('resolution', [...read.resolution, ...read.acknowledgement.map(also)], asked);
    return auto(read.acknowledgement);
  }
  // Said by a known person, acknowledgement and auto-close phrasing are a macro's boilerplate.
  const generic = [...(byPerson ? [...read.acknowledgement, ...read.autoClose] : []), ...read.generic];
  if (read.resolution.length > 0) return other('resolution', [...read.resolution, ...read.specific.map(also)], asked);
  if (read.specific.length > 0) return other('human', [...read.specific, ...read.analysis, ...generic.map(also)], asked);
  if (read.autoClose.length > 0 && !byPerson && read.generic.length === 0 && read.analysis.length === 0) {
    return auto(read.autoClose);
  }
  if (generic.length > 0) {
    const autoClose = byPerson ? [] : read.autoClose.map(also);
    return other('canned', [...generic, ...read.analysis.map(also), ...autoClose], asked);
  }
  if (read.analysis.length > 0) return other('human', read.analysis, asked);
  const nothing = input.facts
    ? 'nothing specific to this ticket: none of its times, ids or numbers, no question it leaves open'
    : 'nothing specific to this ticket (no ticket facts were given to compare with)';
  return other('canned', [nothing], asked);
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
  /** Strong signs of engaging with this ticket. */
  specific: string[];
  /** Says it looked at data, without showing any. */
  analysis: string[];
  generic: string[];
  requestsProvidedInfo: InfoKind[];
}

interface Phrase {
  pattern: RegExp;
  label: string;
}

interface Sentence {
  text: string;
  question: boolean;
  listItem: boolean;
}

function readReply(body: string, facts: TicketFacts | undefined): Reading {
  const sentences = splitSentences(body);
  const reading: Reading = {
    automatic: matchPhrases(sentences, AUTOMATIC),
    acknowledgement: matchPhrases(sentences, ACKNOWLEDGEMENT),
    autoClose: matchPhrases(sentences, AUTO_CLOSE),
    resolution: [],
    specific: [],
    analysis: [],
    generic: [],
    requestsProvidedInfo: [],
  };

  for (const sentence of sentences) {
    for (const { pattern, label } of RESOLUTION) {
      const match = pattern.exec(sentence.text);
      if (match && !sentence.question && !isGuarded(sentence.text, match, RESOLUTION_GUARD)) {
        const clause = clauseAround(sentence.text, match.index, match.index + match[0].length);
        if (!GENERIC_ADVICE.some((p) => p.pattern.test(clause))) {
          reading.resolution.push(`${label}: ${quote(sentence.text)}`);
          break;
        }
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
    if (FOLLOW_UP.test(s.text)) addGeneric(`generic follow-up: ${quote(s.text)}`);
  }
  for (const reason of references.inGeneric) addGeneric(reason);

  const asked = new Set<InfoKind>();
  let listOpen = false;
  for (const s of sentences) {
    const inList: boolean = listOpen && s.listItem;
    const request: boolean = inList || REQUEST.test(s.text) || s.question;
    listOpen = inList || (request && (/[:：]\s*$/.test(s.text) || /\b(following|below)\b|以下|如下/iu.test(s.text)));
    const isAdvice = GENERIC_ADVICE.some((p) => p.pattern.test(s.text));
    if (!s.question) {
      const escalation = ESCALATION.exec(s.text);
      if (escalation && !isGuarded(s.text, escalation, ESCALATION_GUARD)) reading.specific.push(`escalates: ${quote(s.text)}`);
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
    const kinds = infoKinds(s.text);
    for (const kind of kinds) {
      if (facts?.providedInfo === undefined) addGeneric(`asks for ${INFO_LABELS[kind]} (standard diagnostics)`);
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
    const time = TIME_OF_DAY.exec(s.text);
    if (time && !facts?.times?.length) reading.specific.push(`asks about a specific time '${time[0]}'`);
  }
  reading.requestsProvidedInfo = INFO_KINDS.filter((k) => asked.has(k));
  return reading;
}

function isGenericSentence(text: string): boolean {
  return HOLDING.some((p) => p.test(text)) || FOLLOW_UP.test(text) || MORE_DETAILS.test(text);
}

function infoKinds(sentence: string): InfoKind[] {
  // "Try another browser and let us know" advises; it does not ask which browser was used.
  let text = sentence;
  for (const pattern of GENERIC_ADVICE_ALL) text = text.replace(pattern, ' ');
  return INFO_KINDS.filter((kind) => INFO_PATTERNS[kind].test(text));
}

// ---------------------------------------------------------------------------------------------
// The ticket's own facts

interface FactReference {
  reason: string;
  pattern: RegExp;
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
    const generic = isGenericSentence(s.text) || GENERIC_ADVICE.some((p) => p.pattern.test(s.text));
    (generic ? genericWords : ownWords).push(s);
  }
  for (const { reason, pattern } of factPatterns(facts)) {
    const everywhere = new RegExp(pattern.source, `${pattern.flags}g`);
    if (ownWords.some((s) => occursOutsideTicketNumber(s.text, everywhere))) engaged.push(`refers to ${reason}`);
    else if (genericWords.some((s) => occursOutsideTicketNumber(s.text, everywhere))) inGeneric.push(`names ${reason} only inside generic phrasing`);
  }
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
    out.push({ reason: `the ticket's id '${id}'`, pattern });
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

const RESOLUTION: Phrase[] = [
  { pattern: /\broot[- ]?cause\b[^.?!]{0,60}?(\bis\b|\bwas\b|[:：]|\bhas been (identified|found|determined)\b|\bturned out\b)/iu, label: 'states the root cause' },
  { pattern: /\b(identified|found|determined|located|traced|pinpointed)\b[^.?!]{0,30}\b(root[- ]?cause|the cause|the culprit)\b/iu, label: 'states the root cause' },
  { pattern: /\bthe (cause|reason) (of|for|behind) (the|this|that|your)\b[^.?!]{0,40}?\b(is|was)\b|\bthe cause (is|was)\b/iu, label: 'states the cause' },
  { pattern: /\b(was|is|were|are|has been) (caused|triggered) by\b|\bturned out to be\b/iu, label: 'states the cause' },
  { pattern: /\b(freez\w*|stall\w*|issue|problem|outage|incident|interruption|black screen)\b[^.?!]{0,30}\b(was|is)\s+due to\b/iu, label: 'states the cause' },
  { pattern: /\b(we|i)('ve| have)?\s+(now\s+|already\s+|just\s+)?(fixed|patched|corrected|resolved|repaired)\b/iu, label: 'states the fix' },
  { pattern: /\b(issue|problem|bug|freez\w*|it|this|that)\s+(has|have|is|was) (now )?(been )?(fixed|patched|corrected|repaired)\b|\b(issue|problem|bug)\s+(has|have) (now )?been resolved\b/iu, label: 'states the fix' },
  { pattern: /\bfixed in (version |v|sdk |release |build )?\d|\b(which|that) (fixes|fixed|resolves|resolved) (this|the|your)\b/iu, label: 'states the fix' },
  { pattern: /\b(deployed|released|rolled out|pushed|shipped|applied|published)\b[^.?!]{0,20}\b(fix|patch|hotfix|hot-fix)\b|\b(fix|patch|hotfix)\b[^.?!]{0,20}\b(has been|was|is now|is) (deployed|released|rolled out|applied|live)\b/iu, label: 'states the fix' },
  { pattern: /\bresolved by\b|\bthe (fix|solution|remedy) (is|was)\b/iu, label: 'states the fix' },
  { pattern: /根本原因|根因|原因(是|为|在于)|原因[:：]|问题出(在|于)|(是|系)(由于|因为|由)[^。！？]{1,40}(导致|造成|引起|引发)/u, label: 'states the root cause' },
  { pattern: /已(经)?(修复|修正|解决|上线修复|发布修复)|已在[^。！？]{0,20}修复|修复(已|已经)(上线|发布|部署|生效)|(上线|发布|部署)了?(修复|补丁|热修复)|解决(方法|方案|办法)(是|为|[:：])|通过[^。！？]{1,30}(解决|修复)了?/u, label: 'states the fix' },
];

const RESOLUTION_GUARD =
  /\b(may|might|could|possibl[ey]|probabl[ey]|likely|perhaps|maybe|seems?|appears?|suspect(ed)?|usually|often|typically|generally|commonly|common|normally|sometimes|if|whether|once|until|not|never|unable|cannot|yet|still|unknown|unclear|investigating|looking into|working on|trying|will|going to|plan(ned)?|scheduled|expected|upcoming|soon|in progress)\b|n't|'ll|可能|也许|或许|大概|似乎|好像|疑似|怀疑|猜测|通常|一般|往往|常见|经常|有时|如果|若|假如|是否|未|没|尚|还在|仍在|正在|待|将会|将在|将于|会在|会于|尽快|会导致|会造成|会引起|会出现|计划|预计|可以|排查中|分析中|调查中|处理中/iu;

const ESCALATION =
  /\bescalat(ed|ing|e)\b[^.?!]{0,60}\b(to|with)\b|\b(has|have) been escalated\b|\b(raised|forwarded|passed|transferred|handed( over)?|assigned)\s+(this|it|your (ticket|case|request|issue))\s+(on\s+)?(to|with)\s+(our|the|a)\b[^.?!]{0,30}(engineer|r&d|develop|product|tier|l2|l3|second[- ]line|specialist|expert|sdk team|media team|backend)|(升级|提交|转交|转给|反馈给|反馈至|转到|转至|同步给)[^。！？]{0,10}(研发|技术专家|专家|二线|工程师|产品|后端|SDK\s*团队|开发)/iu;
const ESCALATION_GUARD = /\b(if|can|could|would|may|might|unless|once|whether)\b|如果|若|可以|可能|如需|需要的话/iu;

const GENERIC_ADVICE: Phrase[] = [
  { pattern: /\bcheck\b[^.?!]{0,20}\b(network|internet|connection|wi-?fi|bandwidth|router)\b|\b(stable|good|strong|reliable)\s+(network|internet|connection|wi-?fi)\b|\bensure\b[^.?!]{0,30}\b(network|bandwidth)\b|检查[^。！？]{0,8}网络|网络[^。！？]{0,6}(稳定|通畅|正常)|确保[^。！？]{0,10}网络|网络(状况|质量|环境)?(不好|不佳|较差|不稳定)/iu, label: 'check your network' },
  { pattern: /\b(restart|reboot|relaunch|reload|refresh|rejoin|re-join|re-?enter)(ing)?\b|\b(log|sign) out and (back )?in\b|重启|重新(启动|加入|进入|登录|打开|连接)|刷新|退出(后)?(再|重新)/iu, label: 'restart or rejoin' },
  { pattern: /\bclear(ing)?\b[^.?!]{0,20}\b(cache|cookies|browsing data)\b|清(除|理|空)[^。！？]{0,6}缓存/iu, label: 'clear the cache' },
  { pattern: /\b(update|upgrade|updating|upgrading)\b[^.?!]{0,25}\b(sdk|app|application|browser|chrome|client|driver|version|latest)\b|\b(latest|newest|most recent) (version|sdk|release|build)\b|(更新|升级)[^。！？]{0,10}(SDK|版本|浏览器|客户端|应用|驱动)|最新(的)?版本/iu, label: 'update the SDK or app' },
  { pattern: /\b(switch|change|try|use|using)\b[^.?!]{0,15}\b(another|a different|different|other|a new)\s+(device|network|browser|computer|laptop|wi-?fi|phone|machine|camera|isp|connection)\b|\b(switch|change) (to )?(wi-?fi|4g|5g|ethernet|a wired|wired)\b|\breinstall\b|(更换|切换|换)(一下|一个|个|用)?[^。！？]{0,4}(设备|网络|浏览器|电脑|手机|wifi|wi-fi|摄像头)|重新安装|重装/iu, label: 'switch device, network or browser' },
  { pattern: /\b(firewall|proxy|vpn)\b|防火墙|代理|vpn/iu, label: 'check firewall, proxy or VPN' },
  { pattern: /\btry (it )?again\b|再试|重试/iu, label: 'try again' },
  { pattern: /\bclose (other|unnecessary|background) (apps|applications|programs|tabs)\b|关闭[^。！？]{0,6}(其他|后台)(程序|应用)/iu, label: 'close other applications' },
];

/** The generic advice patterns, global, to blank every occurrence out of a sentence. */
const GENERIC_ADVICE_ALL: RegExp[] = GENERIC_ADVICE.map(({ pattern }) => new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`));

const HOLDING: RegExp[] = [
  /\b(we are|we're|i am|i'm)\s+(currently\s+|still\s+|now\s+)?(looking into|investigating|checking|working on|reviewing|analy[sz]ing)\b/iu,
  /\bour (engineers?|team|technical team|support team|developers|r&d( team)?|engineering team|experts?|specialists?)\s+(is|are|will be)\s+(currently\s+|still\s+|now\s+)?(looking into|investigating|working on|checking|analy[sz]ing|reviewing)\b/iu,
  /\b(will|shall) (get back to you|update you|keep you (posted|updated|informed)|follow up|reach out|contact you|respond|reply)\b|\bget back to you\b/iu,
  /\bthank(s| you) for your (patience|understanding)\b|\bas soon as (possible|we can)\b|\b(apologi[sz]e|sorry) for (any|the) inconvenience\b/iu,
  /正在(处理|排查|调查|跟进|分析|核实|确认|查看|检查)|(工程师|技术|研发|同事|团队)[^。！？]{0,6}(正在|在)(处理|排查|调查|跟进|分析|查看)|(会|将)尽快|尽快(回复|处理|给您|答复)|耐心等待|感谢(您的)?(耐心|理解)|稍后(回复|联系|答复|给您)|(带来|造成)的?不便|有(进展|结果)(后)?(会)?(第一时间)?(通知|告知|联系)/u,
];

const FOLLOW_UP =
  /\b(persists?|persisting)\b|\bstill (happening|occurring|experiencing|seeing|see|an issue|there)\b|\b(has|have) (the issue|it|this|the problem) been resolved\b|\bis (it|the issue|the problem) (resolved|fixed|solved)( now)?\b|\banything else\b|\bfurther (questions|assistance)\b|\bfeel free\b|\bhope (this|that|it) helps\b|\bany (other )?questions\b|(依然|仍然|还|仍)(存在|出现|复现|发生)|是否(已经|已)?解决|还有(其他|什么|别的)(问题|需要)|如有(其他|任何)?(问题|疑问)|随时(联系|与我们联系)/iu;

const MORE_DETAILS =
  /\b(more|further|additional) (details|information|info)\b|\bdescribe (the|your) (issue|problem)\b|\bprovide (some )?details\b|(更多|更详细|详细)(的)?(信息|细节|描述|说明|情况)|详细(描述|说明)/iu;

const REQUEST =
  /\b(please|pls|kindly)\b[^.?!]{0,15}\b(provide|send|share|attach|upload|tell|let (us|me) know|confirm|specify|include|collect|give|advise|forward|export|clarify)\b|\b(could|can|would|will) you\b[^.?!]{0,15}\b(provide|send|share|attach|upload|tell|let (us|me) know|confirm|specify|include|collect|give|advise|forward|export|clarify)\b|\b(we|i)('d| would)?\s*(need|require|like to (have|know|see|get)|want to (know|see))\b|\b(what|which)\s+(is|was|were|are)\s+(the|your)\b|\bmay (we|i) (know|have|ask)\b|请(您|你)?[^。！？，]{0,4}(提供|发送|告知|告诉|上传|附上|确认|说明|补充|发一下|发给|导出)|麻烦(您|你)?[^。！？，]{0,4}(提供|发送|告知|上传|补充|确认|发)|(能否|可否|是否可以|可以)[^。！？，]{0,4}(提供|告知|发送|上传|补充|确认)|需要(您|你)?(提供|补充)|请问/iu;

const INFO_PATTERNS: Record<InfoKind, RegExp> = {
  'sdk-version': /\bsdk\b[^.?!\n]{0,10}\bversions?\b|\bversions? of (the |your )?(agora )?(web )?sdk\b|\b(which|what) (sdk )?version\b|\bversion numbers?\b|sdk\s*版本|版本号|(哪个|什么|哪一个)版本/iu,
  browser: /\bbrowsers?\b|浏览器/iu,
  os: /\boperating systems?\b|\bos( version)?\b|\b(windows|macos|mac os|android|ios|linux) version\b|操作系统|系统版本/iu,
  channel: /\bchannels?( name| id)?\b|\broom (name|id)\b|频道|房间(号|名|id)/iu,
  uid: /\buids?\b|\buser ?ids?\b|用户\s*id/iu,
  timestamps: /\btime ?stamps?\b|\bexact times?\b|\bwhat time\b|\bdate and time\b|\bwhen (exactly|did|does) (it|the|this)\b|\btime (when|at which) (it|the|this)\b|\btime ?zone\b|时间点|时间戳|具体(的)?时间|发生(的)?时间|什么时候|何时|几点/iu,
  logs: /\blogs?\b|\blog files?\b|\bconsole (output|logs?)\b|日志/iu,
  screenshots: /\bscreen ?shots?\b|\bscreen (recording|capture)s?\b|\b(video )?recordings?\b|\bscreencasts?\b|截图|截屏|录屏|屏幕录制|录像/iu,
  'app-id': /\bapp ?ids?\b|\bproject ids?\b|应用\s*id|项目\s*id/iu,
  network: /\bnetwork (type|conditions?|environment|info(rmation)?|details|setup|speed|topology|provider)\b|\bbandwidth\b|\bconnection type\b|\bisp\b|网络(类型|环境|情况|状况|信息|带宽|运营商)|带宽|运营商/iu,
  steps: /\bsteps to reproduce\b|\brepro(duction)? steps\b|\bhow to reproduce\b|\bhow (can|could|do|did) (we|you) reproduce\b|\bsteps\b|步骤|(如何|怎么|怎样)(复现|重现)|复现方法/iu,
};

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
  /\b(we|i)('ve| have)?\s+(checked|looked at|reviewed|analy[sz]ed|examined|went through|gone through|inspected|traced|dug into|investigated)\s+(the|your|our|this)\b/iu,
  /\baccording to (our|the|your) (logs?|data|analytics|records|call search|dashboard|metrics|stats)\b|\bin (our|the server|the) (logs|call search|analytics|dashboard)\b/iu,
  /\b(we|i) (can )?see (that|a|an|the|in|from)\b|\b(we|i) (noticed|observed|found|identified|confirmed|reproduced)\b/iu,
  /(我们|我)?(查看|检查|分析|排查|核查|查询|复现)(了|过)|(从|根据|通过)[^。！？]{0,6}(日志|数据|后台|通话记录|监控|质量数据|水晶球)(来看|看|显示|中|上)|(日志|数据|后台|监控)(显示|表明|中可以看到|可以看到)|(我们|我)(发现|看到|注意到|观察到|确认|定位到)/u,
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

const LIST_ITEM = /^\s*([-*•·●]|\d{1,2}[.)、]|[（(]\d{1,2}[)）]|[a-z][.)])\s*\S/iu;

function splitSentences(body: string): Sentence[] {
  const sentences: Sentence[] = [];
  for (const { line, listItem } of unwrapLines(body)) {
    for (const part of line.split(/(?<=[.!?])\s+|(?<=[。！？；])/u)) {
      const text = part.trim();
      if (text === '') continue;
      sentences.push({ text, question: /[?？]\s*$/.test(text) || /^请问/u.test(text), listItem });
    }
  }
  return sentences;
}

// Both are tested on one character: the last of a line.
const WIDE_CHARACTER = /[\u3000-\u9fff\uff00-\uffef]/u;
const ENDS_SENTENCE = /[.!?。！？:：;；]/u;

/**
 * Joins hard-wrapped lines (plain-text mail wraps at ~72 columns) back into their sentences. Only
 * the last character of the previous line decides how to join, so that is all that is looked at:
 * testing the paragraph joined so far would make a long paragraph quadratic.
 */
function unwrapLines(body: string): Array<{ line: string; listItem: boolean }> {
  const out: Array<{ parts: string[]; listItem: boolean }> = [];
  let previousEnded = true;
  let previousWide = false;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      previousEnded = true;
      continue;
    }
    const listItem = LIST_ITEM.test(line);
    const last = out[out.length - 1];
    // Chinese runs on without a space where a line was wrapped; other scripts take one.
    if (last && !previousEnded && !listItem) last.parts.push(previousWide ? line : ` ${line}`);
    else out.push({ parts: [line], listItem });
    const lastCharacter = line[line.length - 1];
    previousEnded = ENDS_SENTENCE.test(lastCharacter);
    previousWide = WIDE_CHARACTER.test(lastCharacter);
  }
  return out.map(({ parts, listItem }) => ({ line: parts.join(''), listItem }));
}

function matchPhrases(sentences: Sentence[], phrases: Phrase[]): string[] {
  const reasons: string[] = [];
  for (const { pattern, label } of phrases) {
    const sentence = sentences.find((s) => pattern.test(s.text));
    if (sentence) reasons.push(`${label}: ${quote(sentence.text)}`);
  }
  return unique(reasons);
}

const CLAUSE_BOUNDARY = /[,;，；]|\s(?:and|but|so|while|although|whereas)\s|但是|但|并且|而且|不过/giu;

/** The clause around a match, so a hedge elsewhere in a long sentence does not void it. */
function clauseAround(sentence: string, start: number, end: number): string {
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
  return sentence.slice(from, to);
}

function isGuarded(sentence: string, match: RegExpExecArray, guard: RegExp): boolean {
  return guard.test(clauseAround(sentence, match.index, match.index + match[0].length));
}

function verdict(kind: ReplyKind, reasons: string[], requestsProvidedInfo: InfoKind[] = []): Classification {
  return { kind, reasons: unique(reasons), requestsProvidedInfo: kind === 'auto' ? [] : requestsProvidedInfo };
}

function also(reason: string): string {
  return `also ${reason}`;
}

function quote(text: string, max = 90): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `"${oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine}"`;
}

/** The first `limit` characters of `text`, without splitting a surrogate pair. */
function limitText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const code = text.charCodeAt(limit - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit);
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

function unique<T>(values: readonly T[] | undefined): T[] {
  return [...new Set(values ?? [])];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
