/**
 * The shape every fault kind has: one file per kind under this folder, listed once in
 * `registry.ts`. A kind brings its drill-file schema (with the TSDoc users read in their editor),
 * its ground truth (where the trouble really is, for scoring a vendor's diagnosis), and how to
 * apply it to the class and clear it again.
 */
import type { CDPSession } from 'puppeteer';
import { z } from 'zod';
import { durationMs, positiveDurationMs } from '../../core/duration.ts';
import type { FaultGroundTruth } from '../../core/ground-truth.ts';
import type { PageFault } from '../page/protocol.ts';
import { targetSchema } from '../participants.ts';

/** The fields every fault has: whom it hits, when it starts, how long it lasts. */
export const faultTiming = {
  /** Whom the fault hits. Faults on the teacher act on what the teacher sends; on a student, on what it receives. */
  target: targetSchema,
  /** When the fault starts, counted from the moment the class is in session. */
  at: durationMs,
  /** How long it lasts. */
  for: positiveDurationMs,
};

/** A fault's timing after validation (milliseconds). */
export interface FaultTiming {
  target: string;
  at: number;
  for: number;
}

/** The levers a fault pulls on a running class; the classroom session provides them. */
export interface FaultLevers {
  /** Drops a share of the encoded frames the participant's page sends or receives. */
  setPageFault(participant: string, fault: PageFault): Promise<void>;
  clearPageFault(participant: string, id: string): Promise<void>;
  /** The participant's DevTools session (network conditions, CPU throttling), if its page is open. */
  cdp(participant: string): CDPSession | undefined;
  /** The media server stops forwarding the teacher's `media` to `students`; resolves to how to resume. */
  stopForwarding(students: readonly string[], media: 'audio' | 'video'): Promise<ClearFault>;
  /** URL patterns (URLPattern syntax) of the provider's signalling, which a window must reach to join (a `join` lever; optional for levers that pull no join faults). */
  signallingUrls?(): readonly string[];
  /** The participant's window loads the class with credentials the provider rejects; only before it loads (a `join` lever). */
  useWrongCredentials?(participant: string): void;
}

/**
 * What a fault kind acts on, which decides how the class is hosted: `page` (the encoded frames of
 * the target's own peer connections: students may share a window), `window` (the whole window's
 * DevTools levers, network or CPU: a targeted student gets a window of its own), `server` (the
 * media server: only providers with {@link FaultLevers.stopForwarding}), `join` (the target's
 * window before it loads the class, so the student never joins: a window of its own, applied by
 * the session instead of the fault timeline, in force for the whole class).
 */
export type FaultLever = 'page' | 'window' | 'server' | 'join';

/** What a fault is applied with. */
export interface FaultContext {
  /** Unique per fault of the run (`fault-0`); page faults report under it. */
  id: string;
  /** The participants the target names. */
  targets: string[];
  levers: FaultLevers;
  /** Told each time a kind changes what is in force on a participant (a network profile), for the record of the run. */
  note?(change: FaultChange): void;
}

/** What a fault put in force on one participant, and when (epoch ms): a network profile and the CDP parameters it became. */
export interface FaultChange {
  at: number;
  participant: string;
  /** What is in force, in words: `3g (768/1600 kbit/s up/down, 300 ms RTT)`. */
  profile: string;
  conditions: Record<string, unknown>;
}

/** Clears what a fault applied. Idempotent: the rollback at the end of a run calls it again. */
export type ClearFault = () => Promise<void>;

export interface FaultKind<K extends string = string, S extends z.ZodType = z.ZodType> {
  kind: K;
  /** One line: what the class suffers. */
  summary: string;
  /** The fault as a drill file writes it: strict, `kind` a literal, the {@link faultTiming} fields. */
  schema: S;
  /** What it acts on. @defaultValue `'page'` */
  lever?: FaultLever;
  /** Where the trouble really is: never shown to the vendor, used to score its diagnosis. */
  groundTruth(fault: z.output<S>): FaultGroundTruth;
  apply(fault: z.output<S>, context: FaultContext): Promise<ClearFault>;
}

/** Declares a fault kind; the types make its schema's `kind` literal and its functions agree. */
export function defineFaultKind<const K extends string, S extends z.ZodType<FaultTiming & { kind: K }>>(kind: FaultKind<K, S>): FaultKind<K, S> {
  return kind;
}

/** The side a target's fault acts on: what the teacher sends, or what a student receives. */
export function sideOf(target: string): { side: 'publisher' | 'subscriber'; direction: 'send' | 'receive' } {
  return target === 'teacher' ? { side: 'publisher', direction: 'send' } : { side: 'subscriber', direction: 'receive' };
}

/** A fault as it actually happened: when the runner applied and cleared it (epoch ms). */
export interface AppliedFault {
  index: number;
  kind: string;
  target: string;
  /** Participants whose view the fault should disturb (for a fault on the teacher: every student). */
  affects: string[];
  /** Participants whose sound it should disturb; absent on faults recorded before audio was watched. */
  affectsAudio?: string[];
  plannedAt: number;
  plannedFor: number;
  startedAt: number;
  endedAt: number | null;
  /** Each change of what was in force, for kinds that report them (network profiles). */
  profiles?: FaultChange[];
}

/**
 * Whose picture a fault can freeze, from its ground truth: a fault on the teacher reaches every
 * student; a fault that touches only audio freezes no picture, so no video freeze is put down to it.
 */
export function studentsWhoseVideoItDisturbs(truth: FaultGroundTruth, students: string[]): string[] {
  return studentsItDisturbs(truth, 'video', students);
}

/** Whose `media` a fault disturbs, from its ground truth: everyone's for a fault on the teacher or all students. */
export function studentsItDisturbs(truth: FaultGroundTruth, media: 'audio' | 'video', students: string[]): string[] {
  if (!truth.media.includes(media)) return [];
  return truth.participant === 'teacher' || truth.participant === 'students' ? students : [truth.participant];
}
