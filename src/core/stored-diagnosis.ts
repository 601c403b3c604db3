/**
 * A ticket's diagnosis verdict as the store keeps it beside its timings, so that a trial scorecard
 * over thousands of tickets reads verdicts instead of reading every reply again (reading a reply's
 * cause takes about a millisecond). The full diagnosis, with its claims and reasons, is worked out
 * again from the activities wherever one ticket is shown.
 */
import { z } from 'zod';
import { parseStoredJson } from './stored-timings.ts';

/** The verdicts of `support/diagnosis.ts`, as stored; a verdict added there fails to compile where it is stored (`support/ticket-diagnosis.ts`). */
export type StoredDiagnosisVerdict = 'correct' | 'partial' | 'wrong' | 'none';

export interface StoredDiagnosis {
  verdict: StoredDiagnosisVerdict;
  /** When a person first stated the correct cause, ISO-8601, or `null`. */
  firstCorrectAt: string | null;
  /** From filing to that, in calendar ms. */
  firstCorrectMs: number | null;
  /** A person's reply said it looked at the vendor's own data. */
  usedOwnData: boolean;
}

const diagnosisSchema = z.object({
  verdict: z.enum(['correct', 'partial', 'wrong', 'none']),
  firstCorrectAt: z.string().nullable().catch(null).default(null),
  firstCorrectMs: z.number().refine(Number.isFinite).nullable().catch(null).default(null),
  usedOwnData: z.boolean().catch(false).default(false),
});

/** A stored diagnosis column; `null` when there is none or its verdict cannot be read (a verdict is never guessed). */
export function decodeDiagnosis(json: string | null): StoredDiagnosis | null {
  const parsed = diagnosisSchema.safeParse(parseStoredJson(json));
  return parsed.success ? parsed.data : null;
}
