import type { AppliedFault } from '../classroom/faults/fault-kind.ts';
import { groundTruth, leverOf } from '../classroom/faults/registry.ts';
import { resolveTarget } from '../classroom/participants.ts';
import type { AnswerKey } from '../core/answer-key.ts';
import { iso, isoOrNull, type JoinFailure } from '../core/run-result.ts';
import type { Drill } from './schema.ts';
import type { ScoredEpisode } from './scoring.ts';

/**
 * The run's answer key: each applied fault's ground truth with whom it really affected (the
 * students whose episodes were attributed to it, or for a join fault those it kept out, not the
 * ones it was meant to) and when.
 */
export function answerKeyOf(drill: Drill, applied: AppliedFault[], scored: ScoredEpisode[], students: string[], keptOut: readonly JoinFailure[] = []): AnswerKey {
  return {
    faults: applied.map((f) => {
      const fault = drill.faults[f.index]!;
      const seen = new Set(
        leverOf(fault) === 'join'
          ? keptOut.map((j) => j.participant).filter((p) => resolveTarget(fault.target, students).includes(p))
          : scored.filter((e) => e.fault === f.index).map((e) => e.participant),
      );
      return {
        index: f.index,
        kind: f.kind,
        ...groundTruth(fault),
        affected: students.filter((s) => seen.has(s)),
        startedAt: iso(f.startedAt),
        endedAt: isoOrNull(f.endedAt),
      };
    }),
  };
}
