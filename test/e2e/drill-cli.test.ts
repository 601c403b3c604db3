import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/core/run-result.ts';
import { ROOT, runCli } from '../helpers/cli.ts';

// End to end through the real CLI, a real headless Chromium and real WebRTC between its pages.

function parse(stdout: string): RunResult {
  return JSON.parse(stdout) as RunResult;
}

const ms = (iso: string) => Date.parse(iso);
const scratch = () => mkdtempSync(join(tmpdir(), 'supportdrill-e2e-'));

describe('supportdrill drill (end to end)', () => {
  it('reproduces freeze-midclass: one episode per student inside the fault window, no false freeze', async () => {
    const { code, stdout, stderr } = await runCli(['drill', 'freeze-midclass', '--json', '--no-ticket', '--data-dir', scratch()]);
    expect(stderr).not.toMatch(/unexpected error/);
    const result = parse(stdout);
    expect(code).toBe(0);
    expect(result).toMatchObject({ drill: 'freeze-midclass', provider: 'local', reproduced: true, falseFreezes: 0, ticket: null });
    expect(result.runId).toMatch(/^run_\d{8}T\d{6}Z_[0-9a-f]{6}$/);
    expect(result.faults).toHaveLength(1);
    const fault = result.faults[0]!;
    expect(ms(fault.endedAt!) - ms(fault.startedAt)).toBeGreaterThanOrEqual(9_900);

    for (const student of ['student-1', 'student-2']) {
      const episodes = result.freezes.filter((f) => f.participant === student);
      expect(episodes, student).toHaveLength(1);
      const [episode] = episodes;
      expect(episode!.fault).toBe(0);
      // The freeze starts once the fault is on (the last frame may be in flight), and ends after it is off.
      expect(ms(episode!.startedAt)).toBeGreaterThanOrEqual(ms(fault.startedAt) - 100);
      expect(ms(episode!.startedAt)).toBeLessThan(ms(fault.startedAt) + 1000);
      expect(ms(episode!.endedAt!)).toBeGreaterThan(ms(fault.endedAt!));
      expect(episode!.durationMs).toBeGreaterThanOrEqual(9_500);
      expect(ms(episode!.detectedAt) - ms(episode!.startedAt)).toBeGreaterThanOrEqual(500);
    }

    const dir = join(ROOT, result.evidenceDir);
    for (const file of ['timeline.json', 'chart.png', 'screenshot-before.png', 'screenshot-during.png', 'screenshot-after.png', 'console-teacher.log', 'console-student-1+student-2.log']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const timeline = JSON.parse(readFileSync(join(dir, 'timeline.json'), 'utf8'));
    expect(timeline.versions.browser).toMatch(/Chrome\/\d+/);
    expect(timeline.stats.length).toBeGreaterThan(20);
    expect(readFileSync(join(dir, 'chart.png')).subarray(1, 4).toString()).toBe('PNG');
  }, 120_000);

  it('sees no freeze in clean-class, the control drill', async () => {
    const { code, stdout } = await runCli(['drill', 'clean-class', '--json', '--data-dir', scratch()]);
    const result = parse(stdout);
    expect(result.freezes).toEqual([]);
    expect(result).toMatchObject({ reproduced: true, falseFreezes: 0, faults: [], ticket: null });
    expect(code).toBe(0);
  }, 120_000);

  it('applies each fault to its own target: audio drops freeze nothing, frame loss and network loss freeze only their student', async () => {
    const { code, stdout } = await runCli(['drill', 'test/fixtures/drills/mixed-faults.ts', '--json', '--no-ticket', '--data-dir', scratch()]);
    const result = parse(stdout);
    expect(code).toBe(0);
    expect(result.faults.map((f) => f.kind)).toEqual(['audio-dropout', 'packet-loss', 'network']);
    const of = (student: string) => result.freezes.filter((f) => f.participant === student);
    expect(of('student-2').length).toBeGreaterThanOrEqual(1);
    expect(of('student-2').every((f) => f.fault === 1)).toBe(true);
    expect(of('student-1').length).toBeGreaterThanOrEqual(1);
    expect(of('student-1').every((f) => f.fault === 2)).toBe(true);

    // What was injected is kept for us in injected.json; the vendor's timeline.json does not say it.
    const injected = JSON.parse(readFileSync(join(ROOT, result.evidenceDir, 'injected.json'), 'utf8'));
    const last = (participant: string) => injected.droppedByFault.filter((s: { participant: string }) => s.participant === participant).at(-1);
    expect(last('teacher').audio).toBeGreaterThan(50);
    expect(last('teacher').video).toBe(0);
    // Frame loss on a student acts on what it receives: dropped there, not at the teacher.
    expect(last('student-2').video).toBeGreaterThan(10);
    expect(last('student-1').video).toBe(0);
    expect(injected.answerKey.faults.map((f: { kind: string }) => f.kind)).toEqual(['audio-dropout', 'packet-loss', 'network']);
    const timeline = readFileSync(join(ROOT, result.evidenceDir, 'timeline.json'), 'utf8');
    for (const secret of ['droppedByFault', 'audio-dropout', 'packet-loss', '"faults"', 'onsetDelayMs']) expect(timeline).not.toContain(secret);
  }, 120_000);

  it('rejects a bad drill file before anything starts, naming the field (exit 2)', async () => {
    const { code, stdout, stderr } = await runCli(['drill', 'test/fixtures/drills/typo-drill.ts']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/test\/fixtures\/drills\/typo-drill\.ts › faults\[0\]\.fro › unknown key \(did you mean 'for'\?\)/);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('stops with exit 2 and names the setup command when the browser is missing', async () => {
    const { code, stdout, stderr } = await runCli(['drill', 'freeze-midclass', '--json'], { env: { SUPPORTDRILL_CHROME: '/nonexistent/chromium' } });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/SUPPORTDRILL_CHROME names the browser '\/nonexistent\/chromium'.*npm run setup/s);
  });

  it('refuses an unknown drill with the list of drills there are (exit 2)', async () => {
    const { code, stderr } = await runCli(['drill', 'no-such-drill']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/No drill 'no-such-drill'.*Drills in drills\/: .*clean-class.*freeze-midclass/s);
  });
});
