import { describe, expect, it } from 'vitest';
import { studentsNeedingOwnWindow } from '../../src/classroom/faults/registry.ts';
import { planHosting, windowName } from '../../src/classroom/hosting.ts';
import { studentNames } from '../../src/classroom/participants.ts';

const timing = { at: 0, for: 1000 };

describe('planHosting', () => {
  it('puts the teacher alone and groups the students, the last group holding the rest', () => {
    const plan = planHosting({ students: studentNames(10), hostsSeveral: true, studentsPerWindow: 4, ownWindow: new Set() });
    expect(plan.windows).toEqual([
      ['teacher'],
      ['student-1', 'student-2', 'student-3', 'student-4'],
      ['student-5', 'student-6', 'student-7', 'student-8'],
      ['student-9', 'student-10'],
    ]);
    expect(plan.summary).toBe('10 students in 3 windows of up to 4; the teacher in a window of its own');
  });

  it('gives a student a window-wide lever targets a window of its own, and groups the others around it', () => {
    const plan = planHosting({ students: studentNames(5), hostsSeveral: true, studentsPerWindow: 4, ownWindow: new Set(['student-2']) });
    expect(plan.windows).toEqual([['teacher'], ['student-2'], ['student-1', 'student-3', 'student-4', 'student-5']]);
    expect(plan.summary).toContain('student-2 alone (a fault on its whole window targets it)');
  });

  it('says of several students alone that a fault on the whole window targets each, and of all that it targets every one', () => {
    const some = planHosting({ students: studentNames(5), hostsSeveral: true, studentsPerWindow: 4, ownWindow: new Set(['student-2', 'student-4']) });
    expect(some.summary).toBe('5 students in 3 windows of up to 3; student-2, student-4 alone (a fault on the whole window targets each); the teacher in a window of its own');
    const all = planHosting({ students: studentNames(2), hostsSeveral: true, studentsPerWindow: 4, ownWindow: new Set(studentNames(2)) });
    expect(all.summary).toBe('one window per participant (3 windows) (a fault on the whole window targets every student)');
  });

  it('opens one window per participant for a provider whose page hosts one', () => {
    const plan = planHosting({ students: studentNames(3), hostsSeveral: false, studentsPerWindow: 4, ownWindow: new Set() });
    expect(plan.windows).toEqual([['teacher'], ['student-1'], ['student-2'], ['student-3']]);
    expect(plan.summary).toBe("one window per participant (4 windows) (the provider's page hosts one participant)");
  });

  it('opens one window per participant when asked for one student per window', () => {
    const plan = planHosting({ students: studentNames(2), hostsSeveral: true, studentsPerWindow: 1, ownWindow: new Set() });
    expect(plan.windows).toEqual([['teacher'], ['student-1'], ['student-2']]);
  });

  it('names a window after what it hosts', () => {
    expect(windowName(['teacher'])).toBe('teacher');
    expect(windowName(['student-1', 'student-2'])).toBe('student-1+student-2');
  });
});

describe('studentsNeedingOwnWindow', () => {
  const students = studentNames(4);

  it('lists the students a network or CPU fault targets', () => {
    const own = studentsNeedingOwnWindow(
      [
        { kind: 'network', target: 'student-3', packetLoss: 10, ...timing },
        { kind: 'cpu-throttle', target: 'student-1', rate: 4, ...timing },
      ],
      students,
    );
    expect([...own].sort()).toEqual(['student-1', 'student-3']);
  });

  it('lists the students a join block keeps out: it is applied to the whole window before it loads the class', () => {
    const own = studentsNeedingOwnWindow([{ kind: 'join-block', target: 'student-2', block: 'signalling', at: 0, for: 0 }], students);
    expect(own).toEqual(new Set(['student-2']));
    const plan = planHosting({ students, hostsSeveral: true, studentsPerWindow: 4, ownWindow: own });
    expect(plan.summary).toContain('student-2 alone (a fault on its whole window targets it)');
  });

  it('gives every student its own window when such a fault targets them all (a shared cap would be split between them)', () => {
    expect(studentsNeedingOwnWindow([{ kind: 'network', target: 'students', latency: 200, ...timing }], students)).toEqual(new Set(students));
  });

  it('leaves frame faults and faults on the teacher to grouped windows', () => {
    const own = studentsNeedingOwnWindow(
      [
        { kind: 'video-freeze', target: 'student-2', ...timing },
        { kind: 'network', target: 'teacher', offline: true, ...timing },
      ],
      students,
    );
    expect(own.size).toBe(0);
  });
});
