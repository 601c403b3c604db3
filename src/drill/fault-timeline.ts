import { affectedStudents, applyFault, leverOf, studentsWhoseAudioItDisturbs } from '../classroom/faults/registry.ts';
import type { AppliedFault, ClearFault, FaultLevers } from '../classroom/faults/fault-kind.ts';
import type { PageEventLog } from './page-events.ts';
import type { ProgressListener } from './progress.ts';
import type { Drill } from './schema.ts';

/** One thing the runner does at an instant (epoch ms) of the class. */
export interface TimelineStep {
  at: number;
  run: () => Promise<void>;
}

export interface FaultTimelineInput {
  drill: Drill;
  students: string[];
  /** When the class was in session: fault times count from here. */
  inSessionAt: number;
  levers: FaultLevers;
  events: PageEventLog;
  emit: ProgressListener;
  /** Takes a screenshot of a student's screen, named `before`, `during` or `after`. */
  shoot(name: string): void;
  /** Filled as faults are applied: what really happened, for scoring. */
  applied: AppliedFault[];
  /** Filled as faults are applied: how to clear each, for the rollback. */
  rollbacks: ClearFault[];
}

/**
 * The method of the drill: each fault on at its time and off after its length, relative to the
 * class being in session, plus the screenshots before, during and after the first fault. Sorted by
 * time; the runner runs them in order.
 */
export function faultTimeline(input: FaultTimelineInput): TimelineStep[] {
  const { drill, students, inSessionAt, levers, events, emit, applied, rollbacks } = input;
  const steps: TimelineStep[] = [];
  drill.faults.forEach((fault, index) => {
    // A join fault is in force before the class is in session (see join-faults.ts).
    if (leverOf(fault) === 'join') return;
    const id = `fault-${index}`;
    const record: AppliedFault = {
      index,
      kind: fault.kind,
      target: fault.target,
      affects: affectedStudents(fault, students),
      affectsAudio: studentsWhoseAudioItDisturbs(fault, students),
      plannedAt: fault.at,
      plannedFor: fault.for,
      startedAt: 0,
      endedAt: null,
    };
    let clear: ClearFault | undefined;
    steps.push({
      at: inSessionAt + fault.at,
      run: async () => {
        const cleared = await applyFault(levers, fault, id, students, (change) => (record.profiles ??= []).push(change));
        clear = cleared;
        rollbacks.push(cleared);
        record.startedAt = events.faultTime(id, 'applied') ?? Date.now();
        applied.push(record);
        emit({ phase: 'fault-on', index, kind: fault.kind, target: fault.target, at: record.startedAt });
      },
    });
    steps.push({
      at: inSessionAt + fault.at + fault.for,
      run: async () => {
        await clear?.();
        record.endedAt = events.faultTime(id, 'cleared') ?? Date.now();
        emit({ phase: 'fault-off', index, kind: fault.kind, target: fault.target, at: record.endedAt });
      },
    });
  });
  const duration = drill.classroom.duration;
  const threshold = drill.classroom.freezeThreshold;
  const timed = drill.faults.filter((f) => leverOf(f) !== 'join');
  const first = timed.length ? Math.min(...timed.map((f) => f.at)) : duration / 4;
  const firstFault = timed.find((f) => f.at === first);
  const during = firstFault ? first + Math.min(firstFault.for / 2, Math.max(2000, threshold * 3)) : duration / 2;
  steps.push({ at: inSessionAt + Math.max(0, first - 1000), run: async () => input.shoot('before') });
  steps.push({ at: inSessionAt + during, run: async () => input.shoot('during') });
  steps.push({ at: inSessionAt + duration - 500, run: async () => input.shoot('after') });
  return steps.sort((a, b) => a.at - b.at);
}
