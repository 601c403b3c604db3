import { isAbsolute, resolve } from 'node:path';
import type { Question } from '../core/question.ts';
import type { RunResult } from '../core/run-result.ts';
import type { TicketFacts } from '../core/ticket-facts.ts';
import { composeAnswer, type ComposedAnswer } from '../support/answer.ts';
import type { Language } from '../support/conversation-texts.ts';
import { evidenceFiles } from '../support/ticket-evidence.ts';

export interface RunAnswerInput {
  questions: Question[];
  /** The run the ticket is about (or its new run, when the vendor asked us to reproduce it). */
  result: RunResult;
  facts: TicketFacts | null;
  ref: string;
  timezone: string;
  language: Language;
  /** The directory drills ran in: the run's evidence directory is relative to it. */
  cwd: string;
  /** `result` is a run made again for the vendor. */
  rerun: boolean;
}

/** The answer to a vendor's questions from a run's evidence on disk (see {@link composeAnswer}). */
export async function composeRunAnswer(input: RunAnswerInput): Promise<ComposedAnswer> {
  const dir = isAbsolute(input.result.evidenceDir) ? input.result.evidenceDir : resolve(input.cwd, input.result.evidenceDir);
  return composeAnswer({
    questions: input.questions,
    result: input.result,
    ticket: { ref: input.ref, facts: input.facts },
    vendorTimezone: input.timezone,
    language: input.language,
    evidence: evidenceFiles(dir).map(({ filename, path, contentType }) => ({ filename, path, contentType })),
    rerun: input.rerun,
  });
}
