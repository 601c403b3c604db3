import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillSchema, type DrillInput } from '../../src/drill/schema.ts';
import { runDrill } from '../../src/drill/runner.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'supportdrill-grouped-'));

async function run(input: Omit<DrillInput, 'name' | 'description'>) {
  const dataDir = scratch();
  const result = await runDrill(drillSchema.parse({ name: 'grouped', description: 'students sharing windows', ...input }), { dataDir, cwd: dataDir });
  const dir = join(dataDir, result.evidenceDir);
  const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));
  return { result, dir, timeline: read('timeline.json'), injected: read('injected.json') };
}

describe('students sharing one window (mesh)', () => {
  it('keeps each student its own connection, faults and monitor: a fault on student-2 freezes only student-2 of the four in its window', async () => {
    const { result, dir, timeline, injected } = await run({
      classroom: { provider: 'local', students: 4, studentsPerWindow: 4, duration: '12s', local: { topology: 'mesh' } },
      faults: [{ kind: 'video-freeze', target: 'student-2', at: '3s', for: '4s' }],
      expect: { freeze: { on: 'student-2', minDuration: '2s' } },
    });
    expect(result.hosting).toEqual({
      topology: 'mesh',
      windows: [['teacher'], ['student-1', 'student-2', 'student-3', 'student-4']],
      summary: '4 students in 1 window of up to 4; the teacher in a window of its own',
    });
    expect(timeline.hosting.windows).toEqual(result.hosting!.windows);
    expect(result.reproduced).toBe(true);
    expect(result.freezes.map((f) => f.participant)).toEqual(['student-2']);
    expect(result.freezes[0]!.fault).toBe(0);
    expect(result.falseFreezes).toBe(0);

    // Stats stay per student though they come from one page: every student rendered the teacher,
    // and student-2, frozen for 4 of the 12 s, fewer frames than any of the others.
    const frames = new Map<string, number>();
    for (const student of result.students) {
      const samples = timeline.stats.filter((s: { participant: string }) => s.participant === student);
      expect(samples.length, student).toBeGreaterThan(5);
      frames.set(student, samples.reduce((sum: number, s: { renderedFps: Record<string, number> }) => sum + (s.renderedFps.teacher ?? 0), 0));
    }
    const others = ['student-1', 'student-3', 'student-4'].map((s) => frames.get(s)!);
    for (const count of others) expect(count).toBeGreaterThan(100);
    expect(frames.get('student-2')!).toBeGreaterThan(30);
    expect(frames.get('student-2')!).toBeLessThan(Math.min(...others));
    // Only student-2's receiving side dropped frames.
    const lastDropped = (who: string) => injected.droppedByFault.filter((s: { participant: string }) => s.participant === who).at(-1)?.video ?? 0;
    expect(lastDropped('student-2')).toBeGreaterThan(20);
    for (const other of ['student-1', 'student-3', 'student-4']) expect(lastDropped(other), other).toBe(0);

    // One console log per window, with every hosted student's milestones in it.
    const console = readFileSync(join(dir, 'console-student-1+student-2+student-3+student-4.log'), 'utf8');
    for (const student of result.students) expect(console).toContain(`[classroom] ${student}: video track from teacher`);
    expect(existsSync(join(dir, 'console-student-1.log'))).toBe(false);
  }, 90_000);

  it('gives a student a network fault targets a window of its own, so the others keep their network', async () => {
    const { result } = await run({
      classroom: { provider: 'local', students: 3, studentsPerWindow: 4, duration: '12s', local: { topology: 'mesh' } },
      faults: [{ kind: 'network', target: 'student-3', at: '3s', for: '4s', offline: true }],
      expect: { freeze: { on: 'student-3', minDuration: '2s' } },
    });
    expect(result.hosting!.windows).toEqual([['teacher'], ['student-3'], ['student-1', 'student-2']]);
    expect(result.hosting!.summary).toContain('student-3 alone (a fault on its whole window targets it)');
    expect(result.reproduced).toBe(true);
    expect(new Set(result.freezes.map((f) => f.participant))).toEqual(new Set(['student-3']));
  }, 90_000);
});
