/**
 * Every fault kind, in one explicit list. Adding a kind is its own file in this folder plus one
 * entry here; the drill schema's fault union, its error messages and the docs' list come from it.
 */
import { z } from 'zod';
import type { FaultGroundTruth } from '../../core/ground-truth.ts';
import { resolveTarget } from '../participants.ts';
import { audioDropout } from './audio-dropout.ts';
import { blackScreen } from './black-screen.ts';
import { cpuThrottle } from './cpu-throttle.ts';
import { studentsItDisturbs, studentsWhoseVideoItDisturbs, type ClearFault, type FaultContext, type FaultKind, type FaultLever, type FaultLevers, type FaultTiming } from './fault-kind.ts';
import { joinBlock } from './join-block.ts';
import { network } from './network.ts';
import { packetLoss } from './packet-loss.ts';
import { relayStall } from './relay-stall.ts';
import { stillPicture } from './still-picture.ts';
import { videoFreeze } from './video-freeze.ts';

/** A registry whose every key is its kind's `kind`, so an entry filed under the wrong name fails to compile. */
export function faultKindRegistry<const R extends { [K in keyof R]: FaultKind<K & string, z.ZodType<FaultTiming & { kind: K }>> }>(kinds: R): R {
  return kinds;
}

export const FAULT_KINDS = faultKindRegistry({
  'video-freeze': videoFreeze,
  'audio-dropout': audioDropout,
  'packet-loss': packetLoss,
  network,
  'cpu-throttle': cpuThrottle,
  'relay-stall': relayStall,
  'join-block': joinBlock,
  'black-screen': blackScreen,
  'still-picture': stillPicture,
});

export type FaultKindName = keyof typeof FAULT_KINDS;

/** The fault kinds this build knows, in registry order. */
export const FAULT_KIND_NAMES = Object.keys(FAULT_KINDS) as FaultKindName[];

type FaultSchema = (typeof FAULT_KINDS)[FaultKindName]['schema'];

/** A fault in a drill file: one of the registered kinds, told apart by `kind`. */
export const faultSchema = z.discriminatedUnion('kind', Object.values(FAULT_KINDS).map((k) => k.schema) as unknown as [FaultSchema, ...FaultSchema[]], {
  error: (issue) =>
    issue.code === 'invalid_union' ? `unknown fault kind; expected one of ${FAULT_KIND_NAMES.map((k) => `'${k}'`).join(', ')}` : undefined,
});

/** A validated fault: durations in milliseconds, defaults applied. */
export type Fault = z.output<typeof faultSchema>;

function kindOf(fault: Fault): FaultKind<string, z.ZodType<Fault>> {
  return FAULT_KINDS[fault.kind] as unknown as FaultKind<string, z.ZodType<Fault>>;
}

/** Where a fault's trouble really is (see {@link FaultGroundTruth}). */
export function groundTruth(fault: Fault): FaultGroundTruth {
  return kindOf(fault).groundTruth(fault);
}

/** The students whose view of the teacher's video a fault should disturb. */
export function affectedStudents(fault: Fault, students: string[]): string[] {
  return studentsWhoseVideoItDisturbs(groundTruth(fault), students);
}

/** The students whose sound of the teacher a fault should disturb. */
export function studentsWhoseAudioItDisturbs(fault: Fault, students: string[]): string[] {
  return studentsItDisturbs(groundTruth(fault), 'audio', students);
}

/** What a fault acts on (see {@link FaultLever}). */
export function leverOf(fault: Fault): FaultLever {
  return kindOf(fault).lever ?? 'page';
}

/** The faults that start during the class: a join block is on from before it, so the time before the others is still a baseline. */
export function timedFaults(faults: readonly Fault[]): Fault[] {
  return faults.filter((f) => leverOf(f) !== 'join');
}

/** Students a window-wide lever (network conditions, CPU, a join block) targets: each must have a window of its own. */
export function studentsNeedingOwnWindow(faults: readonly Fault[], students: string[]): Set<string> {
  return new Set(faults.filter((f) => (leverOf(f) === 'window' || leverOf(f) === 'join') && f.target !== 'teacher').flatMap((f) => resolveTarget(f.target, students)));
}

/**
 * Applies one fault to the participants it targets and returns how to clear it. Clearing is
 * idempotent, so the rollback at the end of a run can call it again whatever happened.
 */
export function applyFault(levers: FaultLevers, fault: Fault, id: string, students: string[], note?: FaultContext['note']): Promise<ClearFault> {
  return kindOf(fault).apply(fault, { id, targets: resolveTarget(fault.target, students), levers, ...(note ? { note } : {}) });
}
