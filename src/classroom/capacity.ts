import { availableParallelism } from 'node:os';
import { UserError, prefixed } from '../core/errors.ts';

/**
 * How large a class a probe holds: the largest class that met the detection targets (overhead p95
 * ≤ 50 ms, no false freeze in clean classes) in `npm run bench:detect` on a 2-core probe
 * (docs/BENCHMARKS.md), by how the class is connected and hosted. A bigger probe is assumed to
 * hold proportionally more: every student's decoding is its own work.
 */
export const MEASURED_ON_CORES = 2;

export type ClassShape = 'sfu' | 'mesh' | 'one-window-each';

export const STUDENTS_HELD_ON_2_CORES: Record<ClassShape, number> = {
  sfu: 16,
  mesh: 8,
  'one-window-each': 4,
};

/** Set to `1` to run a class larger than the probe is known to hold (the benchmark does, to measure where it breaks). */
export const IGNORE_CAPACITY_ENV = 'SUPPORTDRILL_IGNORE_CAPACITY';

export function classShape(topology: string, studentWindows: number, students: number): ClassShape {
  if (studentWindows >= students && students > 1) return 'one-window-each';
  return topology.startsWith('sfu') ? 'sfu' : topology === 'mesh' ? 'mesh' : 'one-window-each';
}

export function studentCapacity(shape: ClassShape, cores = availableParallelism()): number {
  return Math.max(1, Math.floor((STUDENTS_HELD_ON_2_CORES[shape] * cores) / MEASURED_ON_CORES));
}

const SHAPE_WORDS: Record<ClassShape, string> = {
  sfu: 'through the local SFU with students sharing windows',
  mesh: 'as a mesh (the teacher sends to every student) with students sharing windows',
  'one-window-each': 'with one browser window per student',
};

/**
 * Refuses, before anything starts, a class larger than this probe holds: past it the probe's own
 * overload shows as freezes that are not the vendor's, and the class may never be in session.
 */
export function refuseOverCapacity(input: { students: number; shape: ClassShape; cores?: number; env?: NodeJS.ProcessEnv }): void {
  const env = input.env ?? process.env;
  if (env[IGNORE_CAPACITY_ENV] === '1') return;
  const cores = input.cores ?? availableParallelism();
  const limit = studentCapacity(input.shape, cores);
  if (input.students <= limit) return;
  const better = input.shape === 'sfu' ? '' : ` Through the local SFU (classroom.local.topology 'sfu', students sharing windows) it holds ${studentCapacity('sfu', cores)}.`;
  const coresNeeded = Math.ceil((input.students * MEASURED_ON_CORES) / STUDENTS_HELD_ON_2_CORES[input.shape]);
  throw new UserError(
    prefixed(
      'classroom',
      `The drill asks for ${input.students} students, and this probe (${cores} cores) holds at most ${limit} ${SHAPE_WORDS[input.shape]} ` +
        `without its own overload freezing the pictures (measured: ${STUDENTS_HELD_ON_2_CORES[input.shape]} on 2 cores, docs/BENCHMARKS.md).${better} ` +
        `Use at most ${limit} students, or a probe with about ${coresNeeded} cores. Nothing was started. (${IGNORE_CAPACITY_ENV}=1 runs it anyway.)`,
    ),
  );
}
