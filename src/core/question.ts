import type { InfoKind } from './ticket-facts.ts';

/**
 * What a vendor's question asks for. An {@link InfoKind} is something the run's evidence can answer
 * (its identifiers, times, versions, logs, screenshots, steps); `reproduce` asks us to run it again
 * (with debug logging, the latest SDK); `other` is anything only a person can answer ("can we
 * schedule a call?", "please try setting parameter X") and goes to the operator.
 */
export type QuestionTopic = InfoKind | 'reproduce' | 'other';

/** One question found in a vendor reply. */
export interface Question {
  topic: QuestionTopic;
  /** The sentence that asks it, as the vendor wrote it (trimmed, at most 300 characters). */
  text: string;
  /** The ticket already gave this (per its facts' `providedInfo`): the answer points to where. */
  alreadyGiven: boolean;
}
