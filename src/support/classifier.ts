/**
 * Gives every vendor reply exactly one kind — `auto`, `canned`, `human` or `resolution` — with the
 * reasons for it. The kinds decide what the vendor is credited with: an auto-acknowledgement is a
 * first response but not a person, a "please restart" is a person but not a substantive response.
 *
 * Precedence, strongest first:
 * 1. what the vendor or the e-mail says about the sender: `automated`, author role `system`/`bot`,
 *    auto-reply headers and subjects → `auto`, whatever the text says (an auto-responder may carry
 *    a person's words);
 * 2. text that says it is automatic (out-of-office, "this is an automated message", even below the
 *    signature) → `auto`;
 * 3. acknowledgement and status-notification phrasing → `auto` unless the vendor says a person
 *    wrote it, the text states a cause or fix, says someone is on it now ("正在排查"), or goes on
 *    to advise or ask (a macro a person sent). Specifics do not rescue it: acknowledgements
 *    commonly echo the ticket itself, unquoted;
 * 4. an unhedged statement of the root cause or the fix, not beside "we suspect" → `resolution`;
 *    a stock cause with nothing of this ticket → `canned`;
 * 5. engagement with this ticket (its times, ids, numbers, evidence; questions it does not
 *    already answer; analysis with data; escalation; a diagnosis naming one student, or any party
 *    as the vendor's own judgement) → `human`, even beside generic advice;
 * 6. an auto-close warning standing alone → `auto`;
 * 7. generic advice, holding replies, requests for what the ticket already gave → `canned`;
 * 8. analysis without data ("we checked the logs") → `human`; anything else → `canned`.
 *
 * Quoted history and signatures are removed first: a generic reply that quotes the ticket is still
 * generic. After steps 3–8 the reply model (trained-models.ts) weighs the rules' kind and reasons
 * with the reply's words, and overrules them where it is clearly surer (see classifyReply).
 *
 * Read alongside: the phrase tables (classifier-phrases.ts), the questions the reply asks us
 * (questions.ts, the same sentences and request tables), the cause it states (claims.ts, which
 * decides a settled cause however phrased) and whether it states an escalation. A machine asks
 * nothing: questions and escalation are empty for `auto`.
 */
import { detectAutoReply, type HeaderMap } from './auto-reply.ts';
import { RETRACTED, STUDENT, isHedged, readClaim, type DiagnosisClaim } from './claims.ts';
import { findRelayedComment, type RelayedComment } from './relayed-comment.ts';
import { replyFeatures } from './text-features.ts';
import { KIND_MODEL } from './trained-models.ts';
import { standsOver, type ModelReading } from './linear-model.ts';
import { CLASSIFIED_TEXT_LIMIT, GENERIC_ADVICE, MORE_DETAILS, isFollowUp, limitText, questionsIn, readAsks, readOwnText, splitSentences, type Phrase, type Sentence } from './questions.ts';
import type { Question } from '../core/question.ts';
import type { AuthorRole, ReplyKind } from '../core/reply.ts';
import { INFO_KINDS, type InfoKind, type TicketFacts } from '../core/ticket-facts.ts';
import { escapeRegExp, quote, unique } from '../core/text-helpers.ts';
import { ACKNOWLEDGEMENT, ANALYSIS, AUTOMATIC, AUTO_CLOSE, CLEARS_ITSELF, CLOSES_TICKET, CLOSING, CONCLUDES, CONDITION_BEFORE, ESCALATION, ESCALATION_GUARD, EVIDENCE, GENERIC_BLAME, CHECKED_IT, HOLDING, INFO_LABELS, IN_PROGRESS, STILL_WORKING, UNSURE, MEASUREMENT, ONGOING, RESOLUTION, RESOLUTION_GUARD, SHIPPED, STOCK_CAUSE, TIME_OF_DAY } from './classifier-phrases.ts';

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

/**
 * Classifies one vendor reply. Deterministic and offline. The rules read the reply; unless their
 * reading is firm (step 1 and 2 below, or no words of its own), the reply model weighs it with the
 * reply's words, and where the model is clearly surer ({@link MODEL_MARGINS}) its kind stands,
 * explained first, with the rules' reading after it.
 */
export function classifyReply(input: ReplyInput): Classification {
  const ruled = ruleReply(input);
  if (ruled.own === null) return finish(ruled);
  const model = KIND_MODEL.read(replyFeatures(input, ruled.own, ruled));
  if (!overrules(model, ruled.kind)) return finish(ruled);
  const why = `${KIND_MODEL.describe('reply')} reads it as ${model.label} with ${Math.round(model.confidence * 100)} %, decided by ${model.decidedBy.join(', ') || 'its bias'}`;
  return finish({ ...ruled, kind: model.label, reasons: [why, `the rules alone read ${ruled.kind}: ${ruled.reasons[0]}`, ...ruled.reasons.slice(1)] });
}

/**
 * Whether the model's kind stands over the rules': it must be the likelier by {@link MODEL_MARGINS}.
 * The rules carry the project's own cases (tests written with them); the model, trained on other
 * authors' replies, overrules them only where it is clearly surer.
 */
export function overrules(model: ModelReading<ReplyKind>, rulesKind: ReplyKind, margins = MODEL_MARGINS): boolean {
  return standsOver(model, rulesKind, rulesKind === 'auto' ? margins.auto : margins.other);
}

/**
 * How much likelier than the rules' kind the model's must be to stand, chosen by leave-one-author-out
 * runs. Where the rules say `auto` the model must be far surer: a receipt misread as a person's reply
 * starts the clock wrongly, and the rules' receipts carry the desks' own wordings.
 */
export const MODEL_MARGINS = { auto: 0.6, other: 0.2 };

/**
 * The features the reply model reads in a reply, or `null` when the rules' reading is firm and the
 * model is not asked: what training and classifying both use.
 */
export function replyModelFeatures(input: ReplyInput): string[] | null {
  const ruled = ruleReply(input);
  return ruled.own === null ? null : replyFeatures(input, ruled.own, ruled);
}

/** The rules' reading: kind, reasons, and what decided it. */
interface Ruled {
  kind: ReplyKind;
  reasons: string[];
  read?: Reading;
  /**
   * The reply's own text as read; `null` when the rules' reading is firm and the model is not asked:
   * what is known of the sender decided, or the reply has no words of its own, or says a machine wrote it.
   */
  own: string | null;
  relayed: boolean;
  writtenAt?: string;
}

function ruleReply(input: ReplyInput): Ruled {
  const relayed = findRelayedComment(limitText(input.text ?? '', CLASSIFIED_TEXT_LIMIT));
  if (relayed) return ruleRelayed(input, relayed);
  const signals = detectAutoReply({ headers: input.headers, subject: input.subject });
  const machine = [...senderSignals(input), ...signals.strong];
  const weakAuto = signals.weak.map((s) => `also ${s} (weak signal)`);
  if (machine.length > 0) return { kind: 'auto', reasons: [...machine, ...weakAuto], own: null, relayed: false };

  const { reply, text: own, cut } = readOwnText(input.text ?? '');
  const status = input.statusChange?.trim();
  const notes: string[] = [];
  if (status) notes.push(`comes with a status change to '${status}'`);
  if (reply.quoted) notes.push(`ignored quoted history (${plural(lineCount(reply.quoted), 'line')})`);
  const auto = (reasons: string[]): Ruled => ({ kind: 'auto', reasons: [...reasons, ...weakAuto, ...notes], own, relayed: false });
  // A person's mail can carry these too (Outlook sets X-Auto-Response-Suppress on plenty of it).
  const weakIgnored = signals.weak.map((s) => `${s} ignored: not enough on its own`);
  const byPerson = input.authorRole === 'agent' || input.authorRole === 'end-user';
  const personNote = byPerson ? [`the vendor says a person (${input.authorRole}) wrote it`] : [];
  const other = (kind: ReplyKind, reasons: string[], read?: Reading): Ruled => ({ kind, reasons: [...reasons, ...personNote, ...weakIgnored, ...notes], read, own, relayed: false });

  // With no words of its own, or words that say a machine wrote them, there is nothing for the model to weigh.
  const firm = (r: Ruled): Ruled => ({ ...r, own: null });
  if (reply.body === '') {
    if (status) return firm(auto([`status change to '${status}' with no text`]));
    return firm(other('canned', ['no text of its own after removing quoted history and signature']));
  }

  if (cut) {
    const limit = kilobytes(CLASSIFIED_TEXT_LIMIT);
    notes.push(`text cut at ${limit}: only the first ${limit} of the reply's own ${kilobytes(reply.body.length)} were classified`);
  }
  const read = readReply(own, input.facts);
  // "Thanks, Twilio Support. This is an automated message.": a machine signs so below the signature.
  const signedByMachine = matchPhrases(splitSentences(reply.signature), AUTOMATIC);
  if (read.automatic.length > 0 || signedByMachine.length > 0) return firm(auto([...read.automatic, ...signedByMachine]));
  // "已收到您的反馈，我们正在排查中": an acknowledgement says the ticket will be looked at, a
  // person's holding reply that someone is on it now.
  const onIt = IN_PROGRESS.exec(own);
  // An acknowledgement that goes on to advise or ask is a macro a person sent, not a receipt.
  const advises = read.generic.some((g) => /^(generic advice|asks for)/.test(g));
  if (read.acknowledgement.length > 0 && !byPerson && !onIt && !advises) {
    if (read.resolution.length > 0) return other('resolution', [...read.resolution, ...read.acknowledgement.map(also)], read);
    return auto(read.acknowledgement);
  }
  const notReceipt = read.acknowledgement.length > 0 && !byPerson;
  const onItNote = notReceipt && onIt ? [`a person's holding reply rather than an acknowledgement: someone is on it now ('${onIt[0]}')`] : notReceipt && advises ? ['a macro rather than an acknowledgement: it goes on to advise or ask'] : [];
  // Said by a known person, acknowledgement and auto-close phrasing are a macro's boilerplate.
  const generic = [...onItNote, ...(byPerson || onIt || advises ? read.acknowledgement : []), ...(byPerson ? read.autoClose : []), ...read.generic];
  // The cause the reply states, read once: three of the steps below ask for it.
  let claimRead: DiagnosisClaim | null | undefined;
  const claimOf = () => (claimRead === undefined ? (claimRead = readClaim(own)) : claimRead);
  // "所以 not a network issue。我们怀疑是 teacher 端 browser 的问题": what it rules out is settled, its cause is not.
  const unsure = read.resolution.length > 0 && UNSURE.test(own) && (claimOf()?.hedged ?? false);
  if (read.resolution.length > 0 && !unsure) return other('resolution', [...read.resolution, ...read.specific.map(also)], read);
  // The stock cause is still the vendor's verdict when it closes the ticket on it or clears itself.
  const closes = CLOSING.test(status ?? '') || CLOSES_TICKET.test(own);
  const blameIsVerdict = read.blame.length > 0 && (closes || read.clearsItself);
  if (blameIsVerdict) return other('resolution', [...read.blame.map((b) => b.replace('in general terms', 'as its verdict')), ...read.specific.map(also)], read);
  if (read.blame.length > 0 && read.specific.length > 0) return other('resolution', [...read.blame.map((b) => b.replace('in general terms', 'beside the ticket’s specifics')), ...read.specific.map(also)], read);
  // A person's settled word on the cause, however phrased: "that is the cause", "the culprit was",
  // "结论：…", or a cause stated as the ticket is closed — not while still investigating.
  const settled = settledCause(own, closes, read, claimOf);
  if (settled) return other('resolution', [settled, ...read.specific.map(also)], read);
  if (read.specific.length > 0) return other('human', [...read.specific, ...read.analysis, ...generic.map(also)], read);
  const ownDiagnosis = diagnosisOfThisClass(own, claimOf);
  if (ownDiagnosis) return other('human', [ownDiagnosis, ...read.analysis, ...generic.map(also)], read);
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
function ruleRelayed(input: ReplyInput, relayed: RelayedComment): Ruled {
  const inner = ruleReply({ text: relayed.text, facts: input.facts, statusChange: input.statusChange, authorRole: input.authorRole === 'agent' || relayed.author ? 'agent' : undefined });
  const who = relayed.author ? `${relayed.author}'s comment` : 'a comment';
  const when = relayed.writtenAt ? ` written ${relayed.writtenAt}` : relayed.writtenLine ? ` written '${relayed.writtenLine}' (no zone: the mail's time counts)` : '';
  const envelope = detectAutoReply({ headers: input.headers, subject: input.subject }).strong;
  const note = `a help-desk notification relaying ${who}${when}: the comment decides${envelope.length > 0 ? `, not the envelope's ${envelope.join(', ')}` : ''}`;
  return { ...inner, reasons: [...inner.reasons, note], relayed: true, ...(relayed.writtenAt ? { writtenAt: relayed.writtenAt } : {}) };
}

/**
 * The reason a reply settles the cause, if it does: its stated cause (claims.ts) is unhedged and
 * names a side, and it is said as a conclusion, as the ticket is closed, as a cause, or as a
 * finding that rules the other side out, with nothing asked ("uid 1001 stopped pushing video
 * 14:03:12–14:03:22, encoder side, not network").
 * Without this ticket's specifics it takes a word that the vendor checked or concluded
 * ("确认是服务端的问题，已经处理好了"). A reply still investigating settles nothing.
 */
function settledCause(own: string, closes: boolean, read: Reading, claimOf: () => DiagnosisClaim | null): string | null {
  if (ONGOING.test(own)) return null;
  const concluded = CONCLUDES.test(own);
  const concludes = concluded || CHECKED_IT.test(own);
  // The stock "经排查为客户端网络问题" is not settled by saying it checked; a conclusion or a close settles it.
  const stock = STOCK_CAUSE.test(own) || (GENERIC_BLAME.test(own) && !closes && !concluded);
  if (read.specific.length === 0 && ((!closes && !concludes) || stock)) return null;
  const claim = claimOf();
  if (!claim || claim.hedged || claim.side === null) return null;
  // A finding that rules the other side out ("encoder side, not network") is a verdict, but only
  // when nothing around it hedges, asks, hands over or is still being checked.
  // Read off the data ("in our call records uid 1001 stopped sending video") it is a report, not yet a verdict.
  const finding = claim.mechanisms.length > 0 && claim.rulesOut.length > 0 && read.questions.length === 0 && !ANALYSIS.some((p) => p.test(own)) && !read.escalation && !isHedged(own) && !STILL_WORKING.test(own);
  // Said beside "we suspect", a cause or a finding is still a hypothesis; a conclusion or a close is not.
  if (!(closes || concludes || (!UNSURE.test(own) && ((claim.causal && claim.mechanisms.length > 0) || finding)))) return null;
  const how = closes ? 'closes the ticket on a stated cause' : concludes ? 'states its conclusion on the cause' : claim.causal ? 'states the cause' : 'states its finding as settled, asking nothing';
  return `${how}: ${claim.phrases[0] ?? ''}`.trim();
}

/**
 * A diagnosis that names whom in this class it is about: one student, hedged or not ("I'm leaning
 * towards student-2's Wi-Fi", "怀疑是学生 3 当时的网络不稳定"), or any party as the vendor's own
 * judgement ("we suspect … on the teacher's side"). A stock answer blames "your network" or "the
 * broadcaster" flatly, never one student of the class.
 */
function diagnosisOfThisClass(own: string, claimOf: () => DiagnosisClaim | null): string | null {
  const claim = claimOf();
  // Every ticket has a teacher and students: only one student named is this class, or a party
  // in the vendor's own judgement ("we suspect … on the teacher's side", "看起来是学生端…").
  if (!claim || claim.side === null) return null;
  const judged = claim.participant !== null && claim.hedged && UNSURE.test(own);
  if (!/^student-\d+$/.test(claim.participant ?? '') && !judged) return null;
  return `offers a diagnosis about ${claim.participant}${claim.hedged ? ' (hedged)' : ''}: ${claim.phrases[0] ?? ''}`.trim();
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
      if (!match || sentence.question || RETRACTED.test(sentence.text)) continue;
      const end = match.index + match[0].length;
      const clause = clauseAround(sentence.text, match.index, end);
      // "…, not the SFU" negates on purpose: only the rest of its clause may hedge it.
      const guarded = byElimination ? RESOLUTION_GUARD.test(clause.replace(match[0], ' ')) : isGuarded(sentence.text, match, RESOLUTION_GUARD);
      if (guarded) continue;
      // "Caused by network fluctuation" is the stock scapegoat: a cause only with this ticket's specifics beside it.
      if ((GENERIC_BLAME.test(clause) || STOCK_CAUSE.test(sentence.text)) && !MEASUREMENT.test(sentence.text)) {
        // "Preliminary judgement: … not a network issue" hedges the whole sentence, whatever its clauses.
        if (isHedged(sentence.text)) continue;
        const what = GENERIC_BLAME.test(clause) ? 'blames the network' : 'states a cause';
        reading.blame.push(`${what} in general terms: ${quote(sentence.text)}`);
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
  const notGiven: string[] = [];
  const asks = readAsks(sentences);
  for (const { sentence: s, request, inList, opensList, kinds } of asks) {
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
    // A webrtc-internals dump, a HAR file, a network test: no ticket of ours carries them, no checklist asks for them.
    const artefact = request || s.question ? ARTEFACT.exec(s.text) : null;
    if (artefact) reading.specific.push(`asks for ${artefact[0]}, which the ticket did not give`);
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
      } else notGiven.push(`asks for ${INFO_LABELS[kind]}, which the ticket did not give`);
    }
    if (kinds.length === 0 && MORE_DETAILS.test(s.text)) addGeneric(`asks for more details in general: ${quote(s.text)}`);
    else if (kinds.length === 0 && s.question && !inList && !opensList && !isAdvice && !isGenericSentence(s.text)) {
      reading.specific.push(`asks a specific question: ${quote(s.text)}`);
    }
    // Without the ticket's own times to compare, a time of day in a question is the best sign it
    // is about this incident rather than a checklist.
    // A time of day in a question is about this incident, not a checklist — even in another timezone than the ticket's.
    // "Was student-3 on a VPN?" is about one student of this class, however checklist-like its topic.
    const student = s.question && !inList ? STUDENT.exec(s.text) : null;
    if (student) reading.specific.push(`asks about one student of the class, '${student[0]}': ${quote(s.text)}`);
    const time = TIME_OF_DAY.exec(s.text);
    if (time && (s.question || !facts?.times?.length)) reading.specific.push(`asks about a specific time '${time[0]}'`);
  }
  // "Please provide the App ID, channel, uids, time, SDK version and logs": a checklist asking
  // mostly for what the ticket gave is a macro, whatever one item of it the ticket lacked.
  if (asked.size >= 3 && notGiven.length * 2 <= asked.size) for (const reason of notGiven) addGeneric(`${reason}, in a checklist asking mostly for what it gave`);
  else reading.specific.push(...notGiven);
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

const RESTATES = /^\s*(尊敬的[^，,]{0,20}[，,]\s*)?(您|你)(们)?(所)?(反馈|提交|描述|提到|报告|遇到|咨询)的|^\s*(关于|针对)(您|你)(们)?(反馈|提交|提到|描述)?的|^\s*(regarding|concerning|about|re:?) (your|the issue you|the problem you)\b|^\s*thank(s| you) for (reporting|raising|contacting us about|letting us know about)\b/iu;

const ARTEFACT = /\b(?:chrome:\/\/)?webrtc-internals\b(?: dump)?|\bnetwork diagnostics?( (page|tool|test|report))?\b|\bnetdetect\b|\bhar (file|capture)\b|\bpcap\b|\bwireshark\b|\btcpdump\b|\bnet-?export\b|\bnetwork test\b|\bspeed ?test\b|\btraceroute\b|\bmtr\b|抓包|网络测试|测速|网络诊断报告/iu;

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
    // "您反馈的房间 drill-e7b210 用户 1004 视频卡顿问题我们已收到" restates the ticket back: a macro's placeholders.
    // Handing the ticket over with them is escalating with specifics, though: that engages.
    const restates = RESTATES.test(s.text) && !ANALYSIS.some((p) => p.test(s.text)) && !statesEscalation(s.text);
    const generic = !reportsData && (restates || isGenericSentence(s.text) || (!s.question && GENERIC_ADVICE.some((p) => p.pattern.test(s.text))));
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

// "Ticket #12345", "SUP-12345" in a macro's header is not engagement, even when 12345 is one of the ids.
const TICKET_NUMBER_PREFIX = /(ticket|request|case|工单|请求)\s*(id|number|no\.?|编号|号)?\s*[#:：(（]?\s*$|#\s*$/iu;
const TICKET_KEY_PREFIX = /(?<![A-Za-z])[A-Z]{2,6}-$/u;

/** Whether `everywhere` (a global pattern) matches `body` other than as a ticket number. */
function occursOutsideTicketNumber(body: string, everywhere: RegExp): boolean {
  for (const match of body.matchAll(everywhere)) {
    const before = body.slice(Math.max(0, match.index - 20), match.index);
    if (!TICKET_NUMBER_PREFIX.test(before) && !TICKET_KEY_PREFIX.test(before)) return true;
  }
  return false;
}

function timePattern(raw: string): RegExp | undefined {
  const m = /(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(raw);
  if (!m) return undefined;
  const hour = String(Number(m[1]));
  const minute = m[2];
  // The same minute counts: a reply rarely repeats the seconds. A Beijing-time agent writes the
  // same moment eight hours on, and says so ("17:20（北京时间）", "北京时间 16:30:00").
  const beijing = String((Number(m[1]) + 8) % 24);
  const zoned = `北京时间\\s*(?:\\d{4}[-/]\\d{1,2}[-/]\\d{1,2}\\s*)?0?${beijing}:${minute}(?!\\d)|(?<![\\d:])0?${beijing}:${minute}(?::\\d{2})?\\s*[（(]?\\s*(?:北京时间|UTC\\s*\\+\\s*0?8|GMT\\s*\\+\\s*0?8)`;
  return new RegExp(`(?<![\\d:])0?${hour}:${minute}(?!\\d)|(?<!\\d)0?${hour}\\s*[点時时]\\s*${minute}\\s*分|${zoned}`, 'iu');
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
function finish({ kind, reasons, read, writtenAt }: Ruled): Classification {
  const when = writtenAt ? { writtenAt } : {};
  if (kind === 'auto' || !read) return { kind, reasons: unique(reasons), requestsProvidedInfo: [], questions: [], escalation: false, ...when };
  return {
    kind,
    reasons: unique(reasons),
    requestsProvidedInfo: read.requestsProvidedInfo,
    questions: kind === 'resolution' ? read.questionsOnResolution : read.questions,
    escalation: read.escalation,
    ...when,
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
