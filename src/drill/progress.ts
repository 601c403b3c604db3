/** What the runner tells whoever watches it (the CLI prints one line per event). */
export type Progress =
  | { phase: 'run-created'; runId: string; at: number }
  | { phase: 'browser-up'; version: string; at: number }
  | { phase: 'sdk-loaded'; participant: string; version: string; at: number }
  | { phase: 'in-session'; students: string[]; at: number; sinceStartMs: number; topology: string; hosting: string }
  | { phase: 'baseline'; healthy: boolean; fromMs: number; toMs: number; problems: string[]; at: number }
  | { phase: 'fault-on'; index: number; kind: string; target: string; at: number }
  | { phase: 'freeze-seen'; participant: string; startedAt: number; detectedAt: number; at: number }
  | { phase: 'state-seen'; participant: string; state: 'blank' | 'still' | 'audio-dropout'; startedAt: number; at: number }
  | { phase: 'recovered'; participant: string; durationMs: number; at: number }
  | { phase: 'fault-off'; index: number; kind: string; target: string; at: number }
  | { phase: 'class-over'; at: number }
  | { phase: 'evidence-saved'; dir: string; at: number };

export type ProgressListener = (event: Progress) => void;
