import { describe, expect, it } from 'vitest';
import { affectedStudents, resolveTarget } from '../../src/classroom/faults.ts';

const students = ['student-1', 'student-2', 'student-3'];
const timing = { at: 0, for: 1000 };

describe('resolveTarget', () => {
  it('expands students to every student and keeps a single participant as it is', () => {
    expect(resolveTarget('students', students)).toEqual(students);
    expect(resolveTarget('teacher', students)).toEqual(['teacher']);
    expect(resolveTarget('student-2', students)).toEqual(['student-2']);
  });
});

describe('affectedStudents', () => {
  it('lets a video fault on the teacher reach every student', () => {
    expect(affectedStudents({ kind: 'video-freeze', target: 'teacher', ...timing }, students)).toEqual(students);
  });

  it('limits a fault on one student to that student', () => {
    expect(affectedStudents({ kind: 'network', target: 'student-3', ...timing }, students)).toEqual(['student-3']);
  });

  it('puts no picture freeze down to an audio-only fault', () => {
    expect(affectedStudents({ kind: 'audio-dropout', target: 'teacher', ...timing }, students)).toEqual([]);
    expect(affectedStudents({ kind: 'packet-loss', target: 'teacher', rate: 0.5, media: 'audio', ...timing }, students)).toEqual([]);
    expect(affectedStudents({ kind: 'packet-loss', target: 'teacher', rate: 0.5, media: 'both', ...timing }, students)).toEqual(students);
  });
});
