import { describe, expect, it } from 'vitest';
import { drillSchema } from '../../src/drill/schema.ts';

/** The problems of a drill with a 30 s class of 2 students, as `path › message` (the drill as a file might give it, wrong or not). */
function problems(over: object): string[] {
  const parsed = drillSchema.safeParse({ name: 'x', description: 'a class', classroom: { duration: '30s', students: 2 }, ...over });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')} › ${i.message}`);
}

const freeze = { kind: 'video-freeze', target: 'teacher', at: '10s', for: '5s' } as const;

describe('the expectation language', () => {
  it('keeps the freeze expectation drills already have', () => {
    const drill = drillSchema.parse({ name: 'x', description: 'a class', classroom: { duration: '30s' }, faults: [freeze], expect: { freeze: { on: 'students', minDuration: '3s' } } });
    expect(drill.expect).toEqual({ freeze: { on: 'students', minDuration: 3000 } });
    expect(drillSchema.parse({ name: 'x', description: 'a class', classroom: { duration: '30s' }, expect: { freeze: 'none' } }).expect).toEqual({ freeze: 'none' });
  });

  it('reads picture states, audio dropouts, join failures and checks with their defaults', () => {
    const drill = drillSchema.parse({
      name: 'x',
      description: 'a class',
      classroom: { duration: '30s' },
      faults: [freeze],
      expect: {
        video: { state: 'blank', minDuration: '3s' },
        audio: { on: 'student-1', dropout: {} },
        checks: [{ metric: 'fps', from: 'class start', to: 'fault 0 on', min: 15 }, { metric: 'freeze', from: 'fault 0 off + 5s', max: '500ms', level: 'warning' }],
      },
    });
    expect(drill.expect!.video).toEqual({ on: 'students', state: 'blank', minDuration: 3000 });
    expect(drill.expect!.audio).toEqual({ on: 'student-1', dropout: { minDuration: 1000 } });
    expect(drill.expect!.checks!.map((c) => [c.name, c.level, c.of, c.min ?? c.max, c.from.text, c.to.text])).toEqual([
      ['fps mean ≥ 15 on students, class start → fault 0 on', 'error', 'mean', 15, 'class start', 'fault 0 on'],
      ['freeze max ≤ 500 ms on students, fault 0 off + 5s → class end', 'warning', 'max', 500, 'fault 0 off + 5s', 'class end'],
    ]);
  });

  it('refuses an expectation that decides nothing', () => {
    expect(problems({ expect: {} })).toEqual(["expect › expect decides nothing: give freeze, video, audio, join, or a check with level 'error' (warnings are only reported)"]);
    expect(problems({ expect: { checks: [{ metric: 'fps', min: 10, level: 'warning' }] } })).toHaveLength(1);
  });

  it('says what is wrong with a check, field by field', () => {
    expect(
      problems({
        expect: {
          checks: [
            { metric: 'fps', max: '5s' },
            { metric: 'delay', max: 400, of: 'total' },
            { metric: 'blank' },
            { metric: 'fps', min: 10, on: 'teacher' },
            { metric: 'packet-loss', max: 101 },
            { metric: 'fps', min: 20, max: 10 },
            { metric: 'freeze', max: '1s', media: 'audio' },
            { metric: 'loss', max: 1 },
          ],
        },
      }),
    ).toEqual([
      "expect.checks.0.max › fps is measured in frames per second: give a number, not '5s'",
      "expect.checks.1.of › 'total' does not apply to delay; expected one of 'p95', 'mean', 'min', 'max'",
      'expect.checks.2.max › give max, min or both: the bound blank must stay within',
      "expect.checks.3.on › the teacher receives nothing to measure: expected 'students' or 'student-N'",
      'expect.checks.4.max › packet-loss is a percentage: expected at most 100, got 101',
      'expect.checks.5.min › min (20) is above max (10): no value can pass',
      'expect.checks.6.media › media applies to packet-loss, jitter, bitrate; freeze says which media itself',
      "expect.checks.7.metric › expected a metric: 'freeze', 'blank', 'still', 'audio-dropout', 'fps', 'delay', 'packet-loss', 'jitter', 'bitrate'",
    ]);
  });

  it('checks windows against the faults and the class', () => {
    expect(problems({ faults: [freeze], expect: { checks: [{ metric: 'fps', from: 'fault 1 on', min: 5 }, { metric: 'fps', from: 'fault 0 off + 20s', min: 5 }] } })).toEqual([
      "expect.checks.0.from › 'fault 1 on' names fault 1, and the drill has only fault 0",
      "expect.checks.1.from › 'fault 0 off + 20s' falls 35.0 s into the class, after it ends (classroom.duration is 30.0 s); a window lies inside the class, up to 'class end' at the latest",
    ]);
  });

  it('refuses students the class does not have', () => {
    expect(problems({ expect: { video: { on: 'student-3', state: 'still' }, join: { fails: 'student-4' }, checks: [{ metric: 'fps', on: 'student-5', min: 1 }] } })).toEqual([
      "expect.video.on › 'student-3' does not exist: the class has 2 student(s)",
      "expect.join.fails › 'student-4' does not exist: the class has 2 student(s)",
      "expect.checks.0.on › 'student-5' does not exist: the class has 2 student(s)",
    ]);
  });
});

describe('join blocks in a drill', () => {
  const block = { kind: 'join-block', target: 'student-2', block: 'signalling' } as const;

  it('needs the drill to expect the student to stay out: else the class could never be in session', () => {
    expect(problems({ faults: [block], expect: { join: { fails: 'student-2' } } })).toEqual([]);
    expect(problems({ faults: [block] })).toEqual(["faults.0.target › this fault keeps student-2 out of the class, so it could never be in session; expect it: expect: { join: { fails: 'student-2' } }"]);
  });

  it('refuses a second block, or a network fault that would lift it, on the same student', () => {
    expect(
      problems({
        faults: [block, { ...block, block: 'media' }, { kind: 'network', target: 'students', at: '5s', for: '5s', offline: true }],
        expect: { join: { fails: 'student-2' } },
      }),
    ).toEqual([
      'faults.1.target › fault 0 keeps student-2 out already; one join block per student',
      "faults.2.target › student-2 cannot join (fault 0), and this fault's network or CPU conditions would replace the block on its window; target the other students by name",
    ]);
  });

  it('lets windows name a join block: on from before the class, off at its end', () => {
    expect(problems({ faults: [block], expect: { join: { fails: 'student-2' }, checks: [{ metric: 'fps', on: 'student-1', from: 'fault 0 on', to: 'fault 0 off', min: 15 }] } })).toEqual([]);
  });
});
