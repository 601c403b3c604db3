/**
 * Faults that keep students out of the class (`lever: 'join'`): applied to a student's window
 * after it is instrumented and before it loads the class, in force for the whole class, and judged
 * at the join timeout: a student the drill expects to stay out must still have no video then.
 */
import { affectedStudents, applyFault, leverOf, studentsWhoseAudioItDisturbs } from '../classroom/faults/registry.ts';
import type { AppliedFault, ClearFault, FaultLevers } from '../classroom/faults/fault-kind.ts';
import { resolveTarget } from '../classroom/participants.ts';
import { formatMs } from '../core/duration.ts';
import type { JoinFailure } from '../core/run-result.ts';
import type { PageEventLog } from './page-events.ts';
import type { ProgressListener } from './progress.ts';
import type { Drill } from './schema.ts';

/** The students a drill expects not to join (`expect.join.fails`). */
export function expectedJoinFailures(drill: Pick<Drill, 'expect'>, students: readonly string[]): string[] {
  const fails = drill.expect?.join?.fails;
  return fails ? resolveTarget(fails, [...students]) : [];
}

export interface JoinFaultsInput {
  drill: Drill;
  students: string[];
  emit: ProgressListener;
  /** Filled as join faults are applied, like the fault timeline's. */
  applied: AppliedFault[];
  rollbacks: ClearFault[];
}

/**
 * What the session calls before each window loads the class: every join fault whose targets the
 * window hosts is applied to them there. A fault on several students is one record, on from the
 * first window it reached and off when the rollback clears it.
 */
export function joinFaults(input: JoinFaultsInput): (hosted: readonly string[], levers: FaultLevers) => Promise<void> {
  const { drill, students, emit, applied, rollbacks } = input;
  const records = new Map<number, AppliedFault>();
  return async (hosted, levers) => {
    for (const [index, fault] of drill.faults.entries()) {
      if (leverOf(fault) !== 'join') continue;
      const here = resolveTarget(fault.target, students).filter((s) => hosted.includes(s));
      if (here.length === 0) continue;
      const clear = await applyFault(levers, fault, `fault-${index}`, here);
      let record = records.get(index);
      if (!record) {
        record = { index, kind: fault.kind, target: fault.target, affects: affectedStudents(fault, students), affectsAudio: studentsWhoseAudioItDisturbs(fault, students), plannedAt: fault.at, plannedFor: fault.for, startedAt: Date.now(), endedAt: null };
        records.set(index, record);
        applied.push(record);
        emit({ phase: 'fault-on', index, kind: fault.kind, target: fault.target, at: record.startedAt });
      }
      const on = record;
      rollbacks.push(async () => {
        await clear();
        on.endedAt ??= Date.now();
      });
    }
  };
}

/**
 * The students expected to stay out that did: no video from the teacher by the join deadline.
 * Each reason says what was seen, in words for the ticket (never what was injected).
 */
export function joinFailuresOf(input: { expected: readonly string[]; events: PageEventLog; joinStartedAt: number; joinTimeoutMs: number }): JoinFailure[] {
  const { events, joinStartedAt, joinTimeoutMs } = input;
  const deadline = joinStartedAt + joinTimeoutMs;
  const joinedRoom = new Set(events.joined());
  return input.expected.flatMap((participant) => {
    const first = events.firstFrames.get(participant);
    if (first !== undefined && first <= deadline) return [];
    const seen =
      first === undefined
        ? `no video from the teacher within ${formatMs(joinTimeoutMs)} of the class opening`
        : `video from the teacher only ${formatMs(first - joinStartedAt)} after the class opened, past the ${formatMs(joinTimeoutMs)} join timeout`;
    const room = joinedRoom.has(participant) ? '; it had joined the room' : '';
    const said = [...new Set(events.events.flatMap((e) => (e.type === 'error' && e.participant === participant ? [e.message] : [])))];
    return [{ participant, reason: `${seen}${room}${said.length ? `; its page said: ${said.join('; ')}` : ''}` }];
  });
}
