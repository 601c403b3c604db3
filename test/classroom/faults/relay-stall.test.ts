import { describe, expect, it } from 'vitest';
import type { FaultLevers } from '../../../src/classroom/faults/fault-kind.ts';
import { affectedStudents, applyFault, faultSchema, groundTruth, leverOf } from '../../../src/classroom/faults/registry.ts';

const students = ['student-1', 'student-2', 'student-3'];
const parse = (fault: object) => faultSchema.parse({ kind: 'relay-stall', at: '1s', for: '2s', ...fault });

describe('relay-stall', () => {
  it('stops the video by default, for one student or all, never the teacher', () => {
    expect(parse({ target: 'student-2' })).toEqual({ kind: 'relay-stall', target: 'student-2', at: 1000, for: 2000, media: 'video' });
    expect(parse({ target: 'students', media: 'audio' })).toMatchObject({ media: 'audio' });
    const teacher = faultSchema.safeParse({ kind: 'relay-stall', target: 'teacher', at: '1s', for: '2s' });
    expect(teacher.error?.issues[0]?.message).toMatch(/expected 'students' or 'student-N'/);
    expect(faultSchema.safeParse({ kind: 'relay-stall', target: 'students', at: '1s', for: '2s', media: 'both' }).success).toBe(false);
  });

  it('is the server side in its ground truth, and freezes only the pictures it stops', () => {
    const one = parse({ target: 'student-2' });
    expect(groundTruth(one)).toEqual({
      participant: 'student-2',
      side: 'server',
      media: ['video'],
      direction: 'receive',
      mechanisms: ['relay-stall'],
      mechanism: "the media server stopped forwarding the teacher's video to student-2, while the teacher kept sending and the connections stayed up",
    });
    expect(leverOf(one)).toBe('server');
    expect(affectedStudents(one, students)).toEqual(['student-2']);
    expect(affectedStudents(parse({ target: 'students' }), students)).toEqual(students);
    expect(affectedStudents(parse({ target: 'students', media: 'audio' }), students)).toEqual([]);
  });

  it("pulls the session's stopForwarding lever for its targets and clears with what it returns", async () => {
    const calls: string[] = [];
    const levers = {
      stopForwarding: async (who: readonly string[], media: string) => {
        calls.push(`stop ${media} ${who.join(',')}`);
        return async () => void calls.push('resume');
      },
    } as unknown as FaultLevers;
    const clear = await applyFault(levers, parse({ target: 'students' }), 'fault-0', students);
    await clear();
    expect(calls).toEqual(['stop video student-1,student-2,student-3', 'resume']);
  });
});
