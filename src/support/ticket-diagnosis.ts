/**
 * A stored ticket's diagnosis: the run's answer key from its result, the ticket's activities as the
 * store keeps them, scored by diagnosis.ts. The watcher, the ticket report and the scorecards all
 * go through here, so that they count the same replies.
 */
import { decodeAnswerKey, type AnswerKey } from '../core/answer-key.ts';
import type { RunResult } from '../core/run-result.ts';
import type { StoredDiagnosis } from '../core/stored-diagnosis.ts';
import type { ActivityRow, TicketRow } from '../store/rows.ts';
import type { ParticipantIds } from './claims.ts';
import { diagnoseTicket, participantIds, type TicketDiagnosis } from './diagnosis.ts';

/** What a ticket's replies are scored against: the run's answer key, and its uids as participants. */
export interface DiagnosisKey {
  key: AnswerKey;
  ids: ParticipantIds;
}

/** The run's answer key, or `null` for a run from before answer keys (or with no result yet). */
export function diagnosisKey(result: Pick<RunResult, 'answerKey' | 'identifiers'> | null | undefined): DiagnosisKey | null {
  const key = decodeAnswerKey(result?.answerKey);
  return key ? { key, ids: participantIds(result?.identifiers) } : null;
}

type ScoredActivity = Pick<ActivityRow, 'at' | 'kind' | 'text' | 'excerpt' | 'unverified' | 'authorRole'>;

/**
 * The ticket's diagnosis from its stored activities. Only the vendor's own words count: a reply from
 * a sender not shown to be the vendor is left out as it is from every timing, and so is anything
 * written on our side (`end-user`: our messages, the operator's note with `tickets resolve`), since
 * the operator has seen the answer key.
 */
export function ticketDiagnosis(ticket: Pick<TicketRow, 'filedAt' | 'createdAt'>, activities: readonly ScoredActivity[], key: DiagnosisKey): TicketDiagnosis {
  return diagnoseTicket({
    filedAt: ticket.filedAt ?? ticket.createdAt,
    activities: activities
      .filter((a) => !a.unverified && a.authorRole !== 'end-user')
      .map((a) => ({ at: a.at, kind: a.kind, text: a.text ?? a.excerpt })),
    key: key.key,
    ids: key.ids,
  });
}

/** What the store keeps of a diagnosis (the verdict and its times), for the trial scorecard. */
export function storedDiagnosis(diagnosis: TicketDiagnosis): StoredDiagnosis {
  return { verdict: diagnosis.verdict, firstCorrectAt: diagnosis.firstCorrectAt, firstCorrectMs: diagnosis.firstCorrectMs, usedOwnData: diagnosis.usedOwnData };
}
