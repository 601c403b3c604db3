import { z } from 'zod';

const TARGET = /^(teacher|students|student-[1-9]\d*)$/;

/** Who a fault hits or an expectation is about: `teacher`, `students` (all of them) or `student-N`. */
export const targetSchema = z
  .string()
  .regex(TARGET, { message: "expected 'teacher', 'students' or 'student-N' (N from 1)" });

/** The students of a class of `count`: `student-1` … `student-N`. */
export function studentNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `student-${i + 1}`);
}

/** The participants a target names. */
export function resolveTarget(target: string, students: string[]): string[] {
  if (target === 'students') return students;
  return [target];
}

/** The student number of `student-N`, or 0 for `teacher` and `students`. */
export function studentNumber(target: string): number {
  return target.startsWith('student-') ? Number(target.slice('student-'.length)) : 0;
}
