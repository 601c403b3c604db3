import { iso, isoOrNull, type FreezeResult, type StateResult } from '../core/run-result.ts';
import type { AppliedFault } from '../classroom/faults/fault-kind.ts';

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

/** A blank or still picture, or an audio dropout, as the student page reported it (epoch ms). */
export interface StateEpisode extends Episode {
  state: 'blank' | 'still' | 'audio-dropout';
}

export interface ScoredStateEpisode extends StateEpisode, Omit<ScoredEpisode, keyof Episode> {}

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
function owningFault(episode: Episode, faults: AppliedFault[], thresholdMs: number, observedUntil: number, affects: (f: AppliedFault) => readonly string[]): AppliedFault | undefined {
  const candidates = faults.filter((f) => affects(f).includes(episode.participant));
  const end = (f: AppliedFault) => f.endedAt ?? observedUntil;
  const episodeEnd = episode.endedAt ?? observedUntil;
  return (
    candidates.find((f) => episode.startedAt >= f.startedAt && episode.startedAt <= end(f)) ??
    candidates.find((f) => episode.startedAt < f.startedAt && f.startedAt - episode.startedAt <= thresholdMs && episodeEnd >= f.startedAt) ??
    candidates.find((f) => episode.startedAt > end(f) && episode.startedAt <= end(f) + RECOVERY_GRACE_MS) ??
    candidates.find((f) => episode.startedAt < f.startedAt && episodeEnd >= f.startedAt)
  );
}

/** Scores every freeze episode against the faults that were injected: ground truth is known. */
export function scoreEpisodes(episodes: Episode[], faults: AppliedFault[], thresholdMs: number, observedUntil: number): ScoredEpisode[] {
  return scoreAgainst(episodes, faults, thresholdMs, observedUntil, (f) => f.affects);
}

/**
 * Scores blank and still pictures and audio dropouts the same way: a picture's state belongs to a
 * fault that disturbs that student's video, a dropout to one that disturbs its sound.
 */
export function scoreStates(episodes: StateEpisode[], faults: AppliedFault[], thresholdMs: number, observedUntil: number): ScoredStateEpisode[] {
  const video = scoreAgainst(episodes.filter((e) => e.state !== 'audio-dropout'), faults, thresholdMs, observedUntil, (f) => f.affects);
  const audio = scoreAgainst(episodes.filter((e) => e.state === 'audio-dropout'), faults, thresholdMs, observedUntil, (f) => f.affectsAudio ?? []);
  return [...video, ...audio].sort((a, b) => a.startedAt - b.startedAt || a.participant.localeCompare(b.participant));
}

function scoreAgainst<E extends Episode>(episodes: E[], faults: AppliedFault[], thresholdMs: number, observedUntil: number, affects: (f: AppliedFault) => readonly string[]): (E & Omit<ScoredEpisode, keyof Episode>)[] {
  return episodes
    .slice()
    .sort((a, b) => a.startedAt - b.startedAt || a.participant.localeCompare(b.participant))
    .map((episode) => {
      const fault = owningFault(episode, faults, thresholdMs, observedUntil, affects);
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

/** A state episode as the run result keeps it. */
export function toStateResult(e: ScoredStateEpisode): StateResult {
  return { ...toFreezeResult(e), state: e.state };
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
