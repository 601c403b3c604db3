import type { AppliedFault } from '../classroom/faults/fault-kind.ts';
import { groundTruth } from '../classroom/faults/registry.ts';
import type { AnswerKey } from '../core/answer-key.ts';
import { iso, isoOrNull } from '../core/run-result.ts';
import type { Drill } from './schema.ts';
import type { ScoredEpisode } from './scoring.ts';

/**
 * The run's answer key: each applied fault's ground truth with whom it really affected (the
 * students whose episodes were attributed to it, not the ones it was meant to) and when.
 */
export function answerKeyOf(drill: Drill, applied: AppliedFault[], scored: ScoredEpisode[], students: string[]): AnswerKey {
  return {
    faults: applied.map((f) => {
      const seen = new Set(scored.filter((e) => e.fault === f.index).map((e) => e.participant));
      return {
        index: f.index,
        kind: f.kind,
        ...groundTruth(drill.faults[f.index]!),
        affected: students.filter((s) => seen.has(s)),
        startedAt: iso(f.startedAt),
        endedAt: isoOrNull(f.endedAt),
      };
    }),
  };
}
