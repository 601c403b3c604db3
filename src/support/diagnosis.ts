/**
 * Scores what a vendor says the cause is against what the run really injected (its answer key):
 * `correct` when the side and the mechanism match, `partial` when the side is right but the
 * mechanism vague or wrong (or it names the wrong participant), `wrong` when it blames a side that
 * was not at fault, `none` when it states no cause. Per ticket, the verdict is the cause the vendor
 * settled on — its last stated before the resolution or the watch's end — with the time to its
 * first correct one.
 */
import type { AnswerKey, AnswerKeyFault } from '../core/answer-key.ts';
import type { ActivityKind } from '../core/reply.ts';
import type { ClaimSide, DiagnosisClaim, ParticipantIds } from './claims.ts';
import { weighClaim } from './weighed-claim.ts';

export type DiagnosisVerdict = 'correct' | 'partial' | 'wrong' | 'none';
export const DIAGNOSIS_VERDICTS: readonly DiagnosisVerdict[] = ['correct', 'partial', 'wrong', 'none'];

/** One claim scored against the key. */
export interface ScoredClaim {
  verdict: DiagnosisVerdict;
  /** The key's fault it was scored against (the one it matches best), or null for `none`. */
  fault: number | null;
  /** Why, the decisive reason first. */
  reasons: string[];
}

/** Scores one claim; a key with several faults credits the claim with the one it matches best. */
export function scoreClaim(claim: DiagnosisClaim | null, key: AnswerKey): ScoredClaim {
  if (claim === null || (claim.side === null && claim.mechanisms.length === 0)) return { verdict: 'none', fault: null, reasons: ['states no cause'] };
  if (key.faults.length === 0) return { verdict: 'wrong', fault: null, reasons: ['states a cause, but nothing was injected', ...claim.phrases] };
  const scored = key.faults.map((fault) => scoreAgainst(claim, fault));
  const best = scored.sort((a, b) => RANK[a.verdict] - RANK[b.verdict])[0]!;
  return { ...best, reasons: [...best.reasons, ...claim.phrases] };
}

/** Reads and scores one reply's text; `ids` maps the run's uids to participants. */
export function diagnoseReply(text: string, key: AnswerKey, ids: ParticipantIds = {}): { claim: DiagnosisClaim | null } & ScoredClaim {
  const claim = weighClaim(text, ids);
  return { claim, ...scoreClaim(claim, key) };
}

const RANK: Record<DiagnosisVerdict, number> = { correct: 0, partial: 1, wrong: 2, none: 3 };

function scoreAgainst(claim: DiagnosisClaim, fault: AnswerKeyFault): ScoredClaim {
  const truth = `${fault.side} (${fault.mechanism})`;
  const side = claim.side ?? impliedSide(claim);
  if (side === null) return { verdict: 'partial', fault: fault.index, reasons: [`names a mechanism (${claim.mechanisms.join(', ')}) but no side; injected: ${truth}`] };
  if (!sideMatches(side, fault)) return { verdict: 'wrong', fault: fault.index, reasons: [`blames ${side}, but the fault was on the ${truth}`] };
  const mechanism = claim.mechanisms.find((m) => fault.mechanisms.includes(m));
  const whom = participantMatches(claim.participant, fault);
  if (!whom) return { verdict: 'partial', fault: fault.index, reasons: [`right side (${fault.side}) but names ${claim.participant}; the fault was on ${fault.participant}`] };
  if (mechanism === undefined) {
    const said = claim.mechanisms.length > 0 ? `names ${claim.mechanisms.join(', ')}` : 'names no mechanism';
    return { verdict: 'partial', fault: fault.index, reasons: [`right side (${fault.side}) but ${said}; injected: ${fault.mechanisms.join(' or ')}`] };
  }
  return { verdict: 'correct', fault: fault.index, reasons: [`side ${fault.side} and mechanism ${mechanism} match what was injected`] };
}

function impliedSide(claim: DiagnosisClaim): ClaimSide | null {
  return claim.participant === 'teacher' ? 'publisher' : claim.participant ? 'subscriber' : null;
}

function sideMatches(side: ClaimSide, fault: AnswerKeyFault): boolean {
  if (side === fault.side) return true;
  // "Your client" without saying whose is right for either client side.
  return side === 'client' && (fault.side === 'publisher' || fault.side === 'subscriber');
}

/** A claim naming nobody, or the fault's participant (a fault on `students` covers each student). */
function participantMatches(participant: string | null, fault: AnswerKeyFault): boolean {
  if (participant === null || participant === fault.participant) return true;
  return fault.participant === 'students' && participant.startsWith('student');
}

/** One vendor activity as the ticket's diagnosis reads it. */
export interface DiagnosedActivity {
  at: string;
  kind: ActivityKind | null;
  text: string | null;
}

/** A ticket's diagnosis: the cause the vendor settled on, scored, and when it first got it right. */
export interface TicketDiagnosis {
  verdict: DiagnosisVerdict;
  reasons: string[];
  /** The claim the verdict is on (the last one stated before the resolution), null for `none`. */
  claim: DiagnosisClaim | null;
  /** When a person first stated the correct cause, or null. */
  firstCorrectAt: string | null;
  /** From filing to that, in calendar ms. */
  firstCorrectMs: number | null;
  /** A person's reply said it looked at the vendor's own data. */
  usedOwnData: boolean;
  /** Each person's reply that stated a cause, in order. */
  claims: { at: string; kind: ActivityKind; claim: DiagnosisClaim; verdict: DiagnosisVerdict }[];
}

/**
 * The ticket's verdict from its activities: only what a person wrote counts (an `auto` reply's
 * cause is a machine's guess), up to and including the resolution.
 */
export function diagnoseTicket(input: { filedAt: string; activities: DiagnosedActivity[]; key: AnswerKey; ids?: ParticipantIds }): TicketDiagnosis {
  const ordered = [...input.activities].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const claims: TicketDiagnosis['claims'] = [];
  let usedOwnData = false;
  for (const activity of ordered) {
    if (activity.kind === null || activity.kind === 'auto' || activity.kind === 'customer' || !activity.text) continue;
    const claim = weighClaim(activity.text, input.ids);
    if (claim === null) continue;
    usedOwnData ||= claim.usedOwnData;
    claims.push({ at: activity.at, kind: activity.kind, claim, verdict: scoreClaim(claim, input.key).verdict });
    if (activity.kind === 'resolution') break;
  }
  const stated = claims.filter((c) => c.verdict !== 'none');
  const settled = stated.at(-1);
  const firstCorrect = stated.find((c) => c.verdict === 'correct');
  const scored = settled ? scoreClaim(settled.claim, input.key) : { verdict: 'none' as const, reasons: ['no person stated a cause before the resolution or the watch ended'] };
  return {
    verdict: scored.verdict,
    reasons: scored.reasons,
    claim: settled?.claim ?? null,
    firstCorrectAt: firstCorrect?.at ?? null,
    firstCorrectMs: firstCorrect ? Date.parse(firstCorrect.at) - Date.parse(input.filedAt) : null,
    usedOwnData,
    claims,
  };
}

/** The run's uids as participants: `{ uids: { teacher: 1001 } }` → `{ '1001': 'teacher' }`. */
export function participantIds(identifiers: Record<string, unknown> | undefined): ParticipantIds {
  const uids = identifiers?.uids;
  if (typeof uids !== 'object' || uids === null) return {};
  const out: Record<string, string> = {};
  for (const [participant, uid] of Object.entries(uids)) if (typeof uid === 'string' || typeof uid === 'number') out[String(uid)] = participant;
  return out;
}
