import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/core/run-result.ts';
import { loadDrill } from '../../src/drill/loader.ts';
import { runDrill } from '../../src/drill/runner.ts';
import { findBrowser } from '../../src/rendering/browser.ts';
import { WarmBrowser } from '../../src/rendering/browser-source.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';

/**
 * Every shipped scene, as a user runs it (`npm run drill <name>`), on the local classroom in a real
 * Chromium: it reproduces what its description says, and its ticket opens with that impact without
 * naming what was injected. One browser serves them all, as in the service.
 */
const browsers = new WarmBrowser(findBrowser());
afterAll(() => browsers.close());

const INJECTED_WORDS = /lossy|\b4g\b|\bedge\b|black-screen|still-picture|audio-dropout|join-block|packet-loss|profile|inject/i;

async function scene(name: string): Promise<{ result: RunResult; body: string; timeline: Record<string, unknown> }> {
  const dataDir = mkdtempSync(join(tmpdir(), `supportdrill-${name}-`));
  const { drill } = await loadDrill(name, process.cwd());
  const result = await runDrill(drill, { dataDir, cwd: dataDir, browsers });
  const evidenceDir = join(dataDir, result.evidenceDir);
  const draft = renderTicket({ result, drill, vendorTimezone: 'Asia/Shanghai', evidenceDir });
  expect(draft.body).not.toMatch(INJECTED_WORDS);
  expect(draft.title).not.toMatch(INJECTED_WORDS);
  // The impact comes first: how many students, how long, what they saw.
  expect(draft.body.trimStart()).toMatch(/^Impact: /);
  return { result, body: draft.body, timeline: JSON.parse(readFileSync(join(evidenceDir, 'timeline.json'), 'utf8')) };
}

const impact = (body: string) => body.trimStart().split('\n')[0]!;

describe('the shipped drills, each reproducing its scene', () => {
  it('teacher-uplink-loss: 4G then 20 % loss on the teacher; every student loses packets and the picture stutters', async () => {
    const { result, body } = await scene('teacher-uplink-loss');
    expect(result.reproduced, result.reason).toBe(true);
    expect(result.faults[0]!.profiles!.map((p) => p.profile.split(' ')[0])).toEqual(['4g', 'lossy-20']);
    const errors = result.checks!.filter((c) => c.level === 'error');
    expect(errors.map((c) => c.passed)).toEqual([true, true]);
    expect(impact(body)).toMatch(/2 of 2 students|students/);
  }, 120_000);

  it('student-downlink-edge: only student-1 lags and stutters', async () => {
    const { result } = await scene('student-downlink-edge');
    expect(result.reproduced, result.reason).toBe(true);
    const delay = new Map(result.delay!.map((d) => [d.participant, d]));
    expect(delay.get('student-1')!.p95Ms).toBeGreaterThan(500);
    expect(delay.get('student-1')!.p95Ms).toBeGreaterThan(2 * delay.get('student-2')!.p95Ms);
    expect(result.hosting!.windows).toContainEqual(['student-1']);
  }, 120_000);

  it('black-screen: every student sees a blank picture for most of the 8 s, and says so first', async () => {
    const { result, body, timeline } = await scene('black-screen');
    expect(result.reproduced, result.reason).toBe(true);
    const blank = result.states!.filter((s) => s.state === 'blank' && s.fault === 0);
    expect(blank.map((s) => s.participant).sort()).toEqual(['student-1', 'student-2']);
    for (const s of blank) expect(s.durationMs).toBeGreaterThan(6000);
    expect(result.falseStates).toBe(0);
    expect(impact(body)).toMatch(/black|blank/i);
    expect(JSON.stringify(timeline.states)).toContain('"blank"');
  }, 120_000);

  it('picture-stands-still: a still picture, not a freeze — frames kept arriving', async () => {
    const { result, body } = await scene('picture-stands-still');
    expect(result.reproduced, result.reason).toBe(true);
    const still = result.states!.filter((s) => s.state === 'still' && s.fault === 0);
    expect(still.map((s) => s.participant).sort()).toEqual(['student-1', 'student-2']);
    expect(result.freezes.filter((f) => f.fault === 0)).toEqual([]);
    expect(impact(body)).toMatch(/still/i);
  }, 120_000);

  it('sound-drops-out: every student hears nothing for most of the 6 s while the picture carries on', async () => {
    const { result, body, timeline } = await scene('sound-drops-out');
    expect(result.reproduced, result.reason).toBe(true);
    const silent = result.states!.filter((s) => s.state === 'audio-dropout' && s.fault === 0);
    expect(silent.map((s) => s.participant).sort()).toEqual(['student-1', 'student-2']);
    for (const s of silent) expect(s.durationMs).toBeGreaterThan(4500);
    expect(result.freezes.filter((f) => f.fault === 0)).toEqual([]);
    expect(impact(body)).toMatch(/no sound|sound/i);
    // The vendor's evidence calls it what the students heard, not what was injected.
    expect(JSON.stringify(timeline.states)).toContain('"no-sound"');
  }, 120_000);

  it('student-cannot-join: student-2 never gets the teacher, student-1 does', async () => {
    const { result, body } = await scene('student-cannot-join');
    expect(result.reproduced, result.reason).toBe(true);
    expect(result.joinFailures!.map((j) => j.participant)).toEqual(['student-2']);
    expect(impact(body)).toMatch(/could not join/i);
  }, 120_000);
});
