import { describe, expect, it } from 'vitest';
import { classShape, IGNORE_CAPACITY_ENV, refuseOverCapacity, studentCapacity, STUDENTS_HELD_ON_2_CORES } from '../../src/classroom/capacity.ts';

describe('the probe capacity', () => {
  it('tells the class shapes apart by topology and hosting', () => {
    expect(classShape('sfu (janus 1.1.2)', 4, 16)).toBe('sfu');
    expect(classShape('mesh', 2, 8)).toBe('mesh');
    expect(classShape('sfu (janus 1.1.2)', 16, 16)).toBe('one-window-each');
    // A vendor SDK's class: one window per student.
    expect(classShape('agora', 3, 3)).toBe('one-window-each');
    expect(classShape('mesh', 1, 1)).toBe('mesh');
  });

  it('scales the 2-core measurement with the cores', () => {
    expect(studentCapacity('sfu', 2)).toBe(STUDENTS_HELD_ON_2_CORES.sfu);
    expect(studentCapacity('mesh', 8)).toBe(STUDENTS_HELD_ON_2_CORES.mesh * 4);
    expect(studentCapacity('one-window-each', 1)).toBe(Math.floor(STUDENTS_HELD_ON_2_CORES['one-window-each'] / 2));
  });

  it('lets a class the probe holds start', () => {
    expect(() => refuseOverCapacity({ students: STUDENTS_HELD_ON_2_CORES.sfu, shape: 'sfu', cores: 2, env: {} })).not.toThrow();
  });

  it('refuses a larger one before it starts, with the measured limit and what to do', () => {
    const students = STUDENTS_HELD_ON_2_CORES.mesh + 4;
    expect(() => refuseOverCapacity({ students, shape: 'mesh', cores: 2, env: {} })).toThrow(
      new RegExp(
        `^\\[supportdrill\\] \\[classroom\\] The drill asks for ${students} students, and this probe \\(2 cores\\) holds at most ${STUDENTS_HELD_ON_2_CORES.mesh} as a mesh .*` +
          `Through the local SFU .* it holds ${STUDENTS_HELD_ON_2_CORES.sfu}\\. Use at most ${STUDENTS_HELD_ON_2_CORES.mesh} students, or a probe with about ${Math.ceil((students * 2) / STUDENTS_HELD_ON_2_CORES.mesh)} cores\\. Nothing was started\\.`,
      ),
    );
  });

  it('runs it anyway when told to (the benchmark measures where it breaks)', () => {
    expect(() => refuseOverCapacity({ students: 32, shape: 'one-window-each', cores: 2, env: { [IGNORE_CAPACITY_ENV]: '1' } })).not.toThrow();
  });
});
