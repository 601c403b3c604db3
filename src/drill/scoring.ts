import { iso, isoOrNull, type FreezeResult } from '../core/run-result.ts';
import type { AppliedFault } from '../classroom/faults/fault-kind.ts';
import type { Drill, Expectation } from './schema.ts';

export type { AppliedFault };

/** A freeze episode as the student page reported it (epoch ms). */
export interface Episode {
  participant: string;
  source: string;
  startedAt: number;
  detectedAt: number;
  endedAt: number | null;
}

export interface ScoredEpisode extends Episode {
  durationMs: number;
  /** Episode start − fault start: how long the fault took to show. */
  onsetDelayMs: number | null;
  /** detectedAt − startedAt − threshold: what the detector added on top of the definition. */
  detectionOverheadMs: number;
  /** Episode end − fault end: how long the picture took to come back. */
  recoveryMs: number | null;
  /** Index of the fault the episode belongs to, or null (a false freeze). */
  fault: number | null;
}

/**
 * After a fault is cleared, the receiver recovers at the next keyframe (1–2 s); a freeze that
 * starts in that window is still the fault's doing, not a false freeze.
 */
export const RECOVERY_GRACE_MS = 3000;

/**
 * The fault an episode belongs to: one that was on when the picture stopped, else one recorded as
 * starting within a freeze threshold after it (a lever acts before its call returns: a media
 * server stops forwarding before it confirms), else one whose recovery window it started in, else
 * one it overlaps at all (it started just before the fault).
 */
function owningFault(episode: Episode, faults: AppliedFault[], thresholdMs: number, observedUntil: number): AppliedFault | undefined {
  const candidates = faults.filter((f) => f.affects.includes(episode.participant));
  const end = (f: AppliedFault) => f.endedAt ?? observedUntil;
  const episodeEnd = episode.endedAt ?? observedUntil;
  return (
    candidates.find((f) => episode.startedAt >= f.startedAt && episode.startedAt <= end(f)) ??
    candidates.find((f) => episode.startedAt < f.startedAt && f.startedAt - episode.startedAt <= thresholdMs && episodeEnd >= f.startedAt) ??
    candidates.find((f) => episode.startedAt > end(f) && episode.startedAt <= end(f) + RECOVERY_GRACE_MS) ??
    candidates.find((f) => episode.startedAt < f.startedAt && episodeEnd >= f.startedAt)
  );
}

/** Scores every episode against the faults that were injected: ground truth is known. */
export function scoreEpisodes(episodes: Episode[], faults: AppliedFault[], thresholdMs: number, observedUntil: number): ScoredEpisode[] {
  return episodes
    .slice()
    .sort((a, b) => a.startedAt - b.startedAt || a.participant.localeCompare(b.participant))
    .map((episode) => {
      const fault = owningFault(episode, faults, thresholdMs, observedUntil);
      const end = episode.endedAt ?? observedUntil;
      return {
        ...episode,
        durationMs: Math.round(end - episode.startedAt),
        onsetDelayMs: fault ? Math.round(episode.startedAt - fault.startedAt) : null,
        detectionOverheadMs: Math.round(episode.detectedAt - episode.startedAt - thresholdMs),
        recoveryMs: fault && episode.endedAt !== null && fault.endedAt !== null ? Math.round(episode.endedAt - fault.endedAt) : null,
        fault: fault ? fault.index : null,
      };
    });
}

/** The expectation a drill states, or the default: a freeze on every student when it injects faults, none otherwise. */
export function effectiveExpectation(drill: Pick<Drill, 'expect' | 'faults'>): Expectation {
  if (drill.expect) return drill.expect;
  return drill.faults.length > 0 ? { freeze: { on: 'students', minDuration: 1000 } } : { freeze: 'none' };
}

export interface Verdict {
  reproduced: boolean;
  reason: string;
}

/** Whether the drill's expectation held: the students saw what the faults were meant to cause. */
export function verdict(expectation: Expectation, episodes: ScoredEpisode[], students: string[]): Verdict {
  if (expectation.freeze === 'none') {
    return episodes.length === 0
      ? { reproduced: true, reason: 'no freeze, as expected' }
      : { reproduced: false, reason: `${episodes.length} freeze episode(s) where none was expected` };
  }
  const { on, minDuration } = expectation.freeze;
  const who = on === 'students' ? students : on === 'teacher' ? ['teacher'] : [on];
  const missing = who.filter((p) => !episodes.some((e) => e.participant === p && e.durationMs >= minDuration));
  if (missing.length === 0) return { reproduced: true, reason: `${who.join(', ')} saw a freeze of at least ${minDuration / 1000} s` };
  return { reproduced: false, reason: `no freeze of at least ${minDuration / 1000} s seen by ${missing.join(', ')}` };
}

/** An episode as the run result and the store keep it: instants as ISO-8601 strings. */
export function toFreezeResult(e: ScoredEpisode): FreezeResult {
  return {
    participant: e.participant,
    startedAt: iso(e.startedAt),
    detectedAt: iso(e.detectedAt),
    endedAt: isoOrNull(e.endedAt),
    durationMs: e.durationMs,
    onsetDelayMs: e.onsetDelayMs,
    detectionOverheadMs: e.detectionOverheadMs,
    recoveryMs: e.recoveryMs,
    fault: e.fault,
  };
}
