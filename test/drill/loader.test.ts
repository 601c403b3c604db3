import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDrill } from '../../src/drill/loader.ts';
import { ROOT } from '../helpers/cli.ts';
import { DEFAULT_STUDENTS_PER_WINDOW } from '../../src/classroom/hosting.ts';

async function loadError(name: string, cwd: string): Promise<Error> {
  try {
    await loadDrill(name, cwd);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`drill '${name}' loaded, but an error was expected`);
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-drills-'));
  mkdirSync(join(dir, 'drills'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'drills', name), text);
  return dir;
}

const drillFile = (body: string) => `export default ${body};\n`;
const base = (over: string) => drillFile(`{ name: 'x', description: 'd', classroom: { duration: '20s' }, ${over} }`);

describe('loadDrill', () => {
  it('loads the shipped freeze-midclass drill with durations in ms and defaults applied', async () => {
    const { drill } = await loadDrill('freeze-midclass', ROOT);
    expect(drill.classroom).toMatchObject({ provider: 'local', students: 2, duration: 30_000, freezeThreshold: 500 });
    expect(drill.faults).toEqual([{ kind: 'video-freeze', target: 'teacher', at: 10_000, for: 10_000 }]);
  });

  it('applies the classroom defaults a drill leaves out', async () => {
    const cwd = project({ 'x.ts': base('') });
    const { drill } = await loadDrill('x', cwd);
    expect(drill.classroom).toEqual({
      provider: 'local', students: 2, duration: 20_000, video: { width: 640, height: 360, fps: 20 }, freezeThreshold: 500, studentsPerWindow: DEFAULT_STUDENTS_PER_WINDOW,
    });
    expect(drill.faults).toEqual([]);
  });

  it('names a mistyped key and suggests the right one', async () => {
    const cwd = project({ 'x.ts': base(`fautls: []`) });
    await expect(loadDrill('x', cwd)).rejects.toThrow(/drills\/x\.ts › fautls › unknown key \(did you mean 'faults'\?\)/);
  });

  it('suggests keys from the right level for a typo inside classroom.agora', async () => {
    const cwd = project({ 'x.ts': drillFile(`{ name: 'x', description: 'd', classroom: { duration: '20s', agora: { codek: 'vp9' } } }`) });
    await expect(loadDrill('x', cwd)).rejects.toThrow(/classroom\.agora\.codek › unknown key \(did you mean 'codec'\?\)/);
  });

  it('names an unknown fault kind with the kinds it accepts', async () => {
    const cwd = project({ 'x.ts': base(`faults: [{ kind: 'video-freez', target: 'teacher', at: '1s', for: '1s' }]`) });
    await expect(loadDrill('x', cwd)).rejects.toThrow(/faults\[0\]\.kind › unknown fault kind; expected one of 'video-freeze'/);
  });

  it('refuses a fault that ends after the class', async () => {
    const cwd = project({ 'x.ts': base(`faults: [{ kind: 'video-freeze', target: 'teacher', at: '15s', for: '10s' }]`) });
    await expect(loadDrill('x', cwd)).rejects.toThrow(/faults\[0\]\.for › the fault ends 25 s into the class, after the class ends/);
  });

  it('refuses durations that make no sense for a class: zero, or longer than a day', async () => {
    const zero = project({ 'x.ts': drillFile(`{ name: 'x', description: 'd', classroom: { duration: '0s' } }`) });
    await expect(loadDrill('x', zero)).rejects.toThrow(/classroom\.duration › expected a duration longer than 0, got '0s'/);
    const month = project({ 'x.ts': drillFile(`{ name: 'x', description: 'd', classroom: { duration: '30d', freezeThreshold: '0ms' } }`) });
    const error = await loadError('x', month);
    expect(error.message).toMatch(/classroom\.duration › a class is at most 24h/);
    expect(error.message).toMatch(/classroom\.freezeThreshold › expected a duration longer than 0, got '0ms'/);
    const zeroFault = project({ 'x.ts': base(`faults: [{ kind: 'video-freeze', target: 'teacher', at: '0s', for: '0s' }]`) });
    await expect(loadDrill('x', zeroFault)).rejects.toThrow(/faults\[0\]\.for › expected a duration longer than 0, got '0s'/);
  });

  it('refuses a student the class does not have', async () => {
    const cwd = project({ 'x.ts': base(`faults: [{ kind: 'video-freeze', target: 'student-3', at: '1s', for: '1s' }]`) });
    await expect(loadDrill('x', cwd)).rejects.toThrow(/faults\[0\]\.target › 'student-3' does not exist: the class has 2 student/);
  });

  it('reports every problem of a file at once', async () => {
    const cwd = project({ 'x.ts': base(`faults: [{ kind: 'packet-loss', target: 'nobody', at: '2', for: '1s', rate: 3 }]`) });
    const error = await loadError('x', cwd);
    expect(error.message).toMatch(/3 problems/);
    expect(error.message).toMatch(/faults\[0\]\.target › expected 'teacher', 'students' or 'student-N'/);
    expect(error.message).toMatch(/faults\[0\]\.at › expected a duration like '500ms'.*got '2'/);
    expect(error.message).toMatch(/faults\[0\]\.rate › expected a rate of at most 1/);
  });

  it('requires the name to match the file name', async () => {
    const cwd = project({ 'y.ts': base('') });
    await expect(loadDrill('y', cwd)).rejects.toThrow(/name › 'x' does not match the file name; expected 'y'/);
  });

  it('lists the paths it tried and the drills there are when a drill is missing', async () => {
    const cwd = project({ 'x.ts': base('') });
    const error = await loadError('nope', cwd);
    expect(error.message).toMatch(/No drill 'nope'\. Looked for: drills\/nope\.ts/);
    expect(error.message).toMatch(/Drills in drills\/: x\./);
  });

  it('wraps a file that does not load with its path', async () => {
    const cwd = project({ 'x.ts': 'export default {{{' });
    await expect(loadDrill('x', cwd)).rejects.toThrow(/Error loading drill file 'drills\/x\.ts'/);
  });

  it('asks for a default export', async () => {
    const cwd = project({ 'x.ts': 'export const drill = 1;\n' });
    await expect(loadDrill('x', cwd)).rejects.toThrow(/has no default export/);
  });

  it('loads a drill by path', async () => {
    const cwd = project({ 'x.ts': base('') });
    const { drill, file } = await loadDrill('./drills/x.ts', cwd);
    expect(drill.name).toBe('x');
    expect(file).toBe(join(cwd, 'drills', 'x.ts'));
  });
});
