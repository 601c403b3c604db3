import type { AnswerKey } from './answer-key.ts';

/** Instants are ISO-8601 strings with milliseconds; durations are numbers of ms. */
export interface FaultResult {
  index: number;
  kind: string;
  target: string;
  startedAt: string;
  endedAt: string | null;
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
}

/** How a class ran on the probe: evidence that grouped students or the SFU did not change what was measured. */
export interface RunHosting {
  /** `mesh`, `sfu (janus 1.1.2)`, or a vendor's cloud. */
  topology: string;
  /** The browser windows, each with the participants it hosted, the teacher's first. */
  windows: string[][];
  summary: string;
}

/** The drill command's `--json` document (the ticket part is filled once filing exists). */
export interface RunResult {
  runId: string;
  drill: string;
  provider: string;
  reproduced: boolean;
  reason: string;
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
  /** What was really injected, for scoring the vendor's diagnosis; absent on runs from before answer keys. Never sent to the vendor. */
  answerKey?: AnswerKey;
  ticket: unknown;
}

export const iso = (epochMs: number) => new Date(Math.round(epochMs)).toISOString();
export const isoOrNull = (epochMs: number | null) => (epochMs === null ? null : iso(epochMs));
