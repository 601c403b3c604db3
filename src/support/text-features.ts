/**
 * What the trained models (trained-models.ts) see in one reply: the rules' reading (the kind and the
 * shapes of its reasons, or the cause the claim reader found), what the vendor or the e-mail says
 * about the sender, and the reply's own words as words and word pairs (Chinese as characters and
 * character pairs, which carry its words without a segmenter), and for the kind also the words of its
 * first and last sentence on their own. Numbers count as `0`: "uid 1001" and
 * "uid 1004" are the same evidence of looking, and a model must not learn one scenario's uids.
 *
 * A feature is a short string (`w=restart`, `b=restart_the`, `rule=canned`); the same functions
 * make them for training (scripts/train-models.ts) and for reading, so the two cannot drift apart.
 */
import type { HeaderMap } from './auto-reply.ts';
import type { DiagnosisClaim } from './claims.ts';
import type { AuthorRole, ReplyKind } from '../core/reply.ts';

/** What the vendor's side says about a reply, beside its text. */
export interface ReplyEnvelope {
  subject?: string;
  headers?: HeaderMap;
  authorRole?: AuthorRole;
  automated?: boolean;
  statusChange?: string;
}

/** The rules' reading of the reply, which the model weighs with the words. */
export interface RulesReading {
  kind: ReplyKind;
  reasons: string[];
  /** The reply is a help-desk notification relaying a comment. */
  relayed: boolean;
}

/** The features of one reply, each once. `own` is the reply's own text, as the rules read it. */
export function replyFeatures(envelope: ReplyEnvelope, own: string, rules: RulesReading): string[] {
  const features = new Set<string>([`rule=${rules.kind}`]);
  rules.reasons.forEach((reason, index) => {
    features.add(`why=${reasonShape(reason)}`);
    if (index === 0) features.add(`why0=${reasonShape(reason)}`);
  });
  if (rules.relayed) features.add('relayed');
  if (envelope.authorRole) features.add(`role=${envelope.authorRole}`);
  if (envelope.automated) features.add('automated');
  if (envelope.statusChange) features.add(`status=${envelope.statusChange.trim().toLowerCase()}`);
  for (const name of Object.keys(envelope.headers ?? {})) features.add(`hdr=${name.toLowerCase()}`);
  for (const word of words(envelope.subject ?? '')) features.add(`s=${word}`);
  addWords(features, own);
  // How a reply opens and closes says most about who wrote it: "Thanks for reaching out" opens a
  // macro, "Root cause: …" or "Closing this ticket" ends a resolution, wherever the rest wanders.
  const sentences = own.split(SENTENCE_END);
  for (const word of edgeSentenceWords(sentences, 'first')) features.add(`f=${word}`);
  for (const word of edgeSentenceWords(sentences, 'last')) features.add(`l=${word}`);
  features.add(`len=${Math.round(Math.log2(own.length + 1))}`);
  return [...features];
}

/** The features of the cause a reply states: the claim reader's reading (or none) and the reply's own words. */
export function claimFeatures(own: string, claim: DiagnosisClaim | null): string[] {
  const features = new Set<string>([`side=${claim?.side ?? 'none'}`]);
  for (const mechanism of claim?.mechanisms ?? []) features.add(`mech=${mechanism}`);
  if (claim?.hedged) features.add('hedged');
  if (claim?.causal) features.add('causal');
  if (claim?.usedOwnData) features.add('own-data');
  if (claim?.participant) features.add(`whom=${claim.participant.startsWith('student') ? 'student' : claim.participant}`);
  for (const ruledOut of claim?.rulesOut ?? []) features.add(`out=${ruledOut}`);
  addWords(features, own);
  return [...features];
}

function addWords(features: Set<string>, own: string): void {
  const text = words(own);
  text.forEach((word, index) => {
    features.add(`w=${word}`);
    if (index + 1 < text.length) features.add(`b=${word}_${text[index + 1]}`);
  });
}

/** A feature as a reader would name it, for the reasons of a verdict. */
export function describeFeature(feature: string): string {
  const at = feature.indexOf('=');
  const [name, value] = at < 0 ? [feature, ''] : [feature.slice(0, at), feature.slice(at + 1)];
  switch (name) {
    case 'w':
      return `the word '${value}'`;
    case 'b':
      return `the words '${value.replace('_', /[\u4e00-\u9fff]/u.test(value) ? '' : ' ')}'`;
    case 's':
      return `'${value}' in the subject`;
    case 'f':
      return `'${value}' in the first sentence`;
    case 'l':
      return `'${value}' in the last sentence`;
    case 'rule':
      return `the rules' kind ${value}`;
    case 'why':
    case 'why0':
      return `the rules' reason '${value}'`;
    case 'role':
      return `author role ${value}`;
    case 'status':
      return `status change to ${value}`;
    case 'hdr':
      return `header ${value}`;
    case 'len':
      return `a length of about ${2 ** Number(value)} characters`;
    case 'relayed':
      return 'a relayed comment';
    case 'side':
      return `the claim reader's side ${value}`;
    case 'mech':
      return `the claim reader's mechanism ${value}`;
    case 'whom':
      return `the claim reader's participant ${value}`;
    case 'out':
      return `ruling out ${value}`;
    case 'hedged':
      return 'a hedge';
    case 'causal':
      return 'a stated cause';
    case 'own-data':
      return 'a look at their own data';
    default:
      return feature;
  }
}

/**
 * A reason without what it quotes or counts: "cites the ticket's time '14:03:12'" and "cites the
 * ticket's time '22:03'" are one shape, which is what the model can learn from.
 */
function reasonShape(reason: string): string {
  return reason
    .replace(/'[^']*'|‘[^’]*’|"[^"]*"|“[^”]*”|（[^）]*）|\([^)]*\)/gu, 'Q')
    .replace(/\d+/g, '0')
    .slice(0, 50);
}

const SENTENCE_END = /[.!?。！？;；\n]+/u;

/**
 * The words of the first (or last) sentence that has any: only those two are read for words again,
 * the rest of a long reply already was, once, by addWords.
 */
function edgeSentenceWords(sentences: string[], which: 'first' | 'last'): string[] {
  for (let i = 0; i < sentences.length; i++) {
    const found = words(sentences[which === 'first' ? i : sentences.length - 1 - i]!);
    if (found.length > 0) return found;
  }
  return [];
}

/** Lower-case Latin words, single Chinese characters and question marks, in order. */
function words(text: string): string[] {
  return text.toLowerCase().replace(/\d+/g, '0').match(/[a-z0']+|[\u4e00-\u9fff]|[?？]/gu) ?? [];
}
