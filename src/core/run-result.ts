import type { AnswerKey } from './answer-key.ts';

/** Instants are ISO-8601 strings with milliseconds; durations are numbers of ms. */
export interface FaultResult {
  index: number;
  kind: string;
  target: string;
  startedAt: string;
  endedAt: string | null;
  /** Each change of the network profile in force on a participant (a `network` fault's profiles); absent for other kinds. */
  profiles?: { at: string; participant: string; profile: string; conditions: Record<string, unknown> }[];
}

/** Which of the independent signals confirmed a freeze (see `drill/signals.ts`). */
export interface FreezeSignals {
  /** The rendered-frame gap the student's page measured: always, it is what found the episode. */
  rendered: true;
  /** The receiver's getStats counters (freeze/pause counters rose, or framesDecoded stayed flat); `null` when no sample covered it. */
  stats: boolean | null;
  /** The provider's own events (Agora `video-state-changed` to frozen, a receive exception); `null` for a provider that reports none. */
  provider: boolean | null;
}

export interface FreezeResult {
  participant: string;
  startedAt: string;
  detectedAt: string;
  endedAt: string | null;
  durationMs: number;
  onsetDelayMs: number | null;
  detectionOverheadMs: number;
  recoveryMs: number | null;
  fault: number | null;
  /** Which signals agreed; absent on runs from before it was recorded. */
  signals?: FreezeSignals;
}

/** A blank or still picture, or an audio dropout, as a student saw it: scored like a freeze. */
export interface StateResult extends Omit<FreezeResult, 'signals'> {
  state: 'blank' | 'still' | 'audio-dropout';
}

/** What a student saw or heard in a state episode, in words: the CLI's and the evidence chart's. */
export const STATE_WORDS: Record<StateResult['state'], string> = { blank: 'blank picture', still: 'still picture', 'audio-dropout': 'no sound' };

/** A student's camera-to-screen delay over the class, from the teacher picture's stamp. */
export interface DelaySummary {
  participant: string;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Seconds with a stamp read. */
  samples: number;
}

/** How a class ran on the probe: evidence that grouped students or the SFU did not change what was measured. */
export interface RunHosting {
  /** `mesh`, `sfu (janus 1.1.2)`, or a vendor's cloud. */
  topology: string;
  /** The browser windows, each with the participants it hosted, the teacher's first. */
  windows: string[][];
  summary: string;
}

/**
 * How a run ended: the drill's failure `reproduced`, `not-reproduced`, or `unhealthy-baseline`: the
 * class was already unwell before the first fault, so no fault was injected and nothing is filed.
 */
export type RunOutcome = 'reproduced' | 'not-reproduced' | 'unhealthy-baseline';

/** The steady state checked over the last `classroom.baseline` before the first fault. */
export interface BaselineResult {
  healthy: boolean;
  from: string;
  to: string;
  /** Each names the student, the second and what was wrong; empty when healthy. */
  problems: string[];
}

/** One check of the drill's expectation over its window, as it came out. */
export interface CheckResult {
  name: string;
  /** `error` checks decide `reproduced`; `warning` ones are only reported. */
  level: 'error' | 'warning';
  passed: boolean;
  /** What was measured, per student: `student-1 19.6 fps, student-2 4.1 fps (mean)`. */
  observed: string;
  /** The window's ends as they fell in the run (ISO-8601); empty for an event that never happened. */
  window: { from: string; to: string };
}

/** A student that could not join the class: no video from the teacher within the join timeout. */
export interface JoinFailure {
  participant: string;
  /** What was seen, for the ticket: `no video from the teacher within 8.0 s; its page said: signaling connection failed`. */
  reason: string;
}

/** Which attempt of a drill a run was: a drill that did not reproduce is run again (`retries`). */
export interface RunAttempt {
  /** 1 for the first. */
  number: number;
  /** The run this one retried. */
  retryOf?: string;
}

/** The drill command's `--json` document (the ticket part is filled once filing exists). */
export interface RunResult {
  runId: string;
  drill: string;
  provider: string;
  reproduced: boolean;
  reason: string;
  /** Absent on runs from before it was recorded: read `reproduced` then. */
  outcome?: RunOutcome;
  /** Absent when the drill checked no baseline (`classroom.baseline: '0s'`, no faults, or runs from before it). */
  baseline?: BaselineResult;
  /** Absent on runs from before retries. */
  attempt?: RunAttempt;
  startedAt: string;
  inSessionAt: string;
  endedAt: string;
  /** From the start of the process to the class being in session. */
  classInSessionMs: number;
  evidenceDir: string;
  students: string[];
  versions: Record<string, string>;
  identifiers: Record<string, unknown>;
  /** How the class was connected and the students hosted; absent on runs from before it was recorded. */
  hosting?: RunHosting;
  faults: FaultResult[];
  freezes: FreezeResult[];
  falseFreezes: number;
  /** Blank and still pictures and audio dropouts; absent on runs from before they were detected. */
  states?: StateResult[];
  /** States no fault explains (false states). */
  falseStates?: number;
  /** Camera-to-screen delay per student; absent when the teacher's picture was not stamped. */
  delay?: DelaySummary[];
  /** Every check of the drill's expectation (`expect.checks`), errors and warnings; absent when it has none. */
  checks?: CheckResult[];
  /** Students that could not join, when the drill expects some to (`expect.join`); absent otherwise. */
  joinFailures?: JoinFailure[];
  /** What was really injected, for scoring the vendor's diagnosis; absent on runs from before answer keys. Never sent to the vendor. */
  answerKey?: AnswerKey;
  ticket: unknown;
}

export const iso = (epochMs: number) => new Date(Math.round(epochMs)).toISOString();
export const isoOrNull = (epochMs: number | null) => (epochMs === null ? null : iso(epochMs));
