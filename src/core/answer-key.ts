import type { FaultGroundTruth } from './ground-truth.ts';

/**
 * What a run really injected, fault by fault: where (side), what (mechanism), who was affected (the
 * students who saw it) and when. Built from the fault kinds' ground truth and the measured episodes
 * when the run ends, stored with the run, shown in `--json` and the scorecards — never in anything
 * that reaches the vendor: the vendor's diagnosis is scored against it.
 */
export interface AnswerKey {
  faults: AnswerKeyFault[];
}

export interface AnswerKeyFault extends FaultGroundTruth {
  index: number;
  kind: string;
  /** The students whose freeze episodes were attributed to this fault, in class order. */
  affected: string[];
  /** When the runner applied and cleared it, ISO-8601 UTC (`endedAt` null if it never cleared). */
  startedAt: string;
  endedAt: string | null;
}

/** A stored answer key, if it has the right shape; a run from before answer keys has none. */
export function decodeAnswerKey(value: unknown): AnswerKey | null {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as AnswerKey).faults)) return null;
  const faults = (value as AnswerKey).faults.filter(
    (f): f is AnswerKeyFault =>
      typeof f === 'object' && f !== null && typeof f.side === 'string' && Array.isArray(f.mechanisms) && typeof f.startedAt === 'string' && typeof f.participant === 'string',
  );
  return { faults: faults.map((f) => ({ ...f, affected: Array.isArray(f.affected) ? f.affected.filter((s) => typeof s === 'string') : [] })) };
}
