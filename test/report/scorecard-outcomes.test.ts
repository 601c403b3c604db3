import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import type { RunResult } from '../../src/core/run-result.ts';
import { renderHtml, renderJson, renderMarkdown, renderText } from '../../src/report/format.ts';
import { buildRunScorecard } from '../../src/report/run-scorecard.ts';
import { runSubject } from '../../src/report/sections.ts';
import { buildTrialScorecard } from '../../src/report/trial-scorecard.ts';
import type { Store } from '../../src/store/store.ts';
import { fixtureRun, RESPONSIVE, unfiledFixtureRun } from '../helpers/scorecards.ts';
import { openStore, ticketProject } from '../helpers/ticketing.ts';

const RUN = 'run_20261123T100000Z_b1c2d3';
const FIRST = 'run_20261123T095500Z_a0a0a0';
const UNHEALTHY = 'run_20261123T110000Z_e5f6a7';

/** The fixture run (in session 10:00:03.999, the fault on 10:00:14.004–10:00:24.005) with what newer runs carry. */
const withEverything = (result: RunResult): RunResult => ({
  ...result,
  outcome: 'reproduced',
  attempt: { number: 2, retryOf: FIRST },
  baseline: { healthy: true, from: '2026-11-23T10:00:11.004Z', to: '2026-11-23T10:00:14.004Z', problems: [] },
  states: [
    { participant: 'student-1', state: 'blank', startedAt: '2026-11-23T10:00:14.300Z', detectedAt: '2026-11-23T10:00:14.800Z', endedAt: '2026-11-23T10:00:25.100Z', durationMs: 10_800, onsetDelayMs: 296, detectionOverheadMs: 500, recoveryMs: 1095, fault: 0 },
    { participant: 'student-2', state: 'audio-dropout', startedAt: '2026-11-23T10:00:30.000Z', detectedAt: '2026-11-23T10:00:30.400Z', endedAt: '2026-11-23T10:00:31.200Z', durationMs: 1200, onsetDelayMs: null, detectionOverheadMs: 400, recoveryMs: null, fault: null },
  ],
  falseStates: 1,
  joinFailures: [{ participant: 'student-3', reason: 'no video from the teacher within 8.0 s; its page said: signaling connection failed' }],
  checks: [
    { name: 'video blank on students ≥ 3s', level: 'error', passed: true, observed: 'student-1 10.8 s, student-2 0 ms (longest)', window: { from: '2026-11-23T10:00:14.004Z', to: '2026-11-23T10:00:29.005Z' } },
    { name: 'fps ≥ 15 before the fault', level: 'warning', passed: false, observed: 'student-1 19.6 fps, student-2 4.1 fps (mean)', window: { from: '2026-11-23T10:00:03.999Z', to: '2026-11-23T10:00:14.004Z' } },
    { name: 'delay ≤ 400 ms after fault 1 off', level: 'warning', passed: false, observed: 'no samples', window: { from: '', to: '' } },
  ],
});

/** A class unwell before the first fault: nothing injected, nothing seen that a fault caused. */
const unhealthyBaseline = (result: RunResult): RunResult => ({
  ...result,
  reproduced: false,
  outcome: 'unhealthy-baseline',
  reason: "the class was not healthy before the first fault, so none was injected: student-2 from +7.0 s (11:00:11 UTC) to +10.0 s (11:00:14 UTC): the teacher's video frozen",
  baseline: {
    healthy: false,
    from: '2026-11-23T11:00:11.004Z',
    to: '2026-11-23T11:00:14.004Z',
    problems: ["student-2 from +7.0 s (11:00:11 UTC) to +10.0 s (11:00:14 UTC): the teacher's video frozen"],
  },
  faults: [],
  freezes: [],
  falseFreezes: 0,
  states: [],
  falseStates: 0,
});

const lines = (text: string) => text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());

describe('run scorecard: states, join failures, checks, baseline and attempt', () => {
  let store: Store;
  let config: Config;
  let dir: string;

  beforeEach(async () => {
    ({ config, dir } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive' } }));
    store = await openStore(config.dataDir);
  });
  afterEach(async () => await store.close());

  it('shows in text each state scored like a freeze, who could not join, every check and the healthy baseline', async () => {
    await fixtureRun(store, config, { runId: RUN, vendor: 'sandbox', startedAt: '2026-11-23T10:00:00Z', activities: RESPONSIVE, amend: withEverything });
    const text = renderText(await buildRunScorecard(store, RUN, { cwd: dir, config }));
    const all = lines(text);
    const line = (start: string) => all.find((l) => l.startsWith(start));
    expect(text.split('\n')[1]).toMatch(new RegExp(`^${RUN} · attempt 2 \\(retry of ${FIRST}\\) · started 2026-11-23 10:00:00 UTC · REPRODUCED: `));

    expect(line('Steady state before the first fault')).toBeDefined();
    expect(line('healthy over')).toBe("healthy over 10:00:11.004–10:00:14.004 UTC: every student's video moving, audio without dropouts, no rise in packet loss");

    expect(line('Students that could not join')).toBeDefined();
    expect(line('student-3')).toBe('student-3 no video from the teacher within 8.0 s; its page said: signaling connection failed');

    expect(line('Blank and still pictures, audio dropouts')).toBeDefined();
    expect(line('student what from (UTC)')).toBe('student what from (UTC) duration onset recovery fault');
    expect(line('student-1 blank picture')).toBe('student-1 blank picture 10:00:14.300 10.8 s 296 ms 1.1 s #0');
    expect(line('student-2 audio dropout')).toBe('student-2 audio dropout 10:00:30.000 1.2 s — — FALSE');
    expect(line('false states')).toBe('false states: 1');

    expect(line('The expectation, check by check')).toBeDefined();
    expect(line('video blank on students')).toBe('video blank on students ≥ 3s error passed student-1 10.8 s, student-2 0 ms (longest) 10:00:14.004–10:00:29.005');
    expect(line('fps ≥ 15')).toBe('fps ≥ 15 before the fault warning FAILED student-1 19.6 fps, student-2 4.1 fps (mean) 10:00:03.999–10:00:14.004');
    expect(line('delay ≤ 400 ms')).toBe('delay ≤ 400 ms after fault 1 off warning FAILED no samples never opened (its event did not happen)');

    // The baseline comes first, as in the run: steady state, then the method.
    const order = ['Steady state before the first fault', 'What was injected', 'Students that could not join', 'What the students saw', 'Blank and still pictures, audio dropouts', 'The expectation, check by check', 'Ticket T-'];
    const at = order.map((title) => all.findIndex((l) => l.startsWith(title)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('carries them in JSON, and shows them in Markdown and HTML', async () => {
    await fixtureRun(store, config, { runId: RUN, vendor: 'sandbox', startedAt: '2026-11-23T10:00:00Z', activities: RESPONSIVE, amend: withEverything });
    const card = await buildRunScorecard(store, RUN, { cwd: dir, config });
    const json = JSON.parse(renderJson(card));
    const expected = withEverything({} as RunResult);
    expect(json.run).toMatchObject({ outcome: 'reproduced', attempt: { number: 2, retryOf: FIRST }, falseStates: 1 });
    expect(json.baseline).toEqual(expected.baseline);
    expect(json.states).toEqual(expected.states!.map(({ detectedAt: _d, detectionOverheadMs: _o, ...rest }) => rest));
    expect(json.joinFailures).toEqual(expected.joinFailures);
    expect(json.checks).toEqual(expected.checks);

    const md = renderMarkdown(card);
    expect(md).toContain('| student-2 | audio dropout | 10:00:30.000 | 1.2 s | — | — | FALSE |');
    expect(md).toContain('| fps ≥ 15 before the fault | warning | FAILED | student-1 19.6 fps, student-2 4.1 fps (mean) | 10:00:03.999–10:00:14.004 |');
    expect(md).toContain('- false states: 1');
    const html = renderHtml(card);
    expect(html).toContain('<h2 style="font-size:16px;margin:20px 0 8px 0;border-bottom:2px solid #111827;padding-bottom:2px">Students that could not join</h2>');
    expect(html).toMatch(/<td style="[^"]*color:#991b1b;font-weight:bold">FALSE<\/td>/);
    expect(html).toContain('no video from the teacher within 8.0 s; its page said: signaling connection failed');
  });

  it('says of an unhealthy baseline that nothing was injected or filed, and why', async () => {
    await unfiledFixtureRun(store, { runId: UNHEALTHY, vendor: null, startedAt: '2026-11-23T11:00:00Z', reproduced: false, amend: unhealthyBaseline });
    const card = await buildRunScorecard(store, UNHEALTHY, { cwd: dir, config });
    expect(card.run).toMatchObject({ status: 'unhealthy-baseline', outcome: 'unhealthy-baseline' });
    expect(runSubject(card)).toBe(`[supportdrill] freeze-midclass → no vendor: unhealthy baseline, not filed (${UNHEALTHY})`);
    const text = renderText(card);
    const all = lines(text);
    expect(all[1]).toMatch(new RegExp(`^${UNHEALTHY} · UNHEALTHY BASELINE: the class was not healthy before the first fault`));
    expect(all).toContain('NOT HEALTHY over 11:00:11.004–11:00:14.004 UTC: no fault was injected and nothing was filed, since the vendor would have been blamed for what was already wrong');
    expect(all).toContain("student-2 from +7.0 s (11:00:11 UTC) to +10.0 s (11:00:14 UTC): the teacher's video frozen");
    expect(all).toContain('No fault was injected: the class was not healthy before the first fault.');
    expect(all).toContain('No blank or still picture and no audio dropout.');
    expect(all).toContain('Nothing was filed: the class was not healthy before the first fault, so a ticket would have blamed the vendor for what was wrong before the drill began.');
    expect(text).not.toMatch(/a control drill|the failure was not reproduced/);
  });

  it('shows none of them for a run from before they were recorded, nor the attempt of a first attempt', async () => {
    await fixtureRun(store, config, { runId: RUN, vendor: 'sandbox', startedAt: '2026-11-23T10:00:00Z', activities: RESPONSIVE, amend: (r) => ({ ...r, attempt: { number: 1 } }) });
    const card = await buildRunScorecard(store, RUN, { cwd: dir, config });
    expect(card).toMatchObject({ baseline: null, states: null, joinFailures: null, checks: null, run: { outcome: null, attempt: null, falseStates: null } });
    const text = renderText(card);
    for (const absent of ['attempt', 'Steady state', 'could not join', 'Blank and still', 'false states', 'check by check', 'UNHEALTHY']) expect(text).not.toContain(absent);
    expect(lines(text)[1]).toMatch(new RegExp(`^${RUN} · started 2026-11-23 10:00:00 UTC · REPRODUCED: `));
  });
});

describe('trial scorecard: runs with an unhealthy baseline', () => {
  let store: Store;
  let config: Config;
  const period = { from: new Date('2026-11-16T00:00:00Z'), to: new Date('2026-11-29T00:00:00Z') };

  beforeEach(async () => {
    ({ config } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive' } }));
    store = await openStore(config.dataDir);
  });
  afterEach(async () => await store.close());

  it('counts them for no vendor, neither as reproduced nor as not, and lists them as not counted', async () => {
    for (let i = 0; i < 3; i++) {
      await fixtureRun(store, config, { runId: `run_20261123T10${i}000Z_f0000${i}`, vendor: 'sandbox', startedAt: `2026-11-23T10:${i}0:00Z`, activities: RESPONSIVE });
    }
    // As the pipeline leaves one (its vendor let go), and as a run killed before it let go leaves one.
    await unfiledFixtureRun(store, { runId: 'run_20261124T100000Z_u00001', vendor: null, startedAt: '2026-11-24T10:00:00Z', reproduced: false, amend: unhealthyBaseline });
    await unfiledFixtureRun(store, { runId: 'run_20261124T110000Z_u00002', vendor: 'sandbox', startedAt: '2026-11-24T11:00:00Z', reproduced: false, amend: unhealthyBaseline });
    const card = await buildTrialScorecard(store, config, period);
    expect(card.runs).toEqual({
      total: 5,
      completed: 3,
      reproduced: 3,
      notReproduced: 0,
      withoutVendor: 0,
      failed: 0,
      inProgress: 0,
      unhealthyBaseline: ['run_20261124T100000Z_u00001', 'run_20261124T110000Z_u00002'],
      retried: [],
    });
    expect(card.vendors).toHaveLength(1);
    expect(card.vendors[0]).toMatchObject({ vendor: 'sandbox', drills: 3, reproduced: 3, tickets: { filed: 3 } });
    const text = lines(renderText(card));
    expect(text).toContain('5 run(s) started in the period: 3 scored (3 reproduced, 0 not), 0 failed or interrupted, 0 in progress.');
    expect(text).toContain(
      '2 run(s) not counted: unhealthy baseline (the class was not healthy before the first fault, so nothing was injected or filed and no vendor is to blame): run_20261124T100000Z_u00001, run_20261124T110000Z_u00002.',
    );
    expect(text.find((l) => l.startsWith('drills (reproduced)'))).toBe('drills (reproduced) 3 (3)');
  });

  it('says so when they are all the period had', async () => {
    for (let i = 0; i < 7; i++) {
      await unfiledFixtureRun(store, { runId: `run_20261124T1${i}0000Z_u0000${i}`, vendor: null, startedAt: `2026-11-24T1${i}:00:00Z`, reproduced: false, amend: unhealthyBaseline });
    }
    await store.createRun({ id: 'run_20261125T100000Z_none00', drill: 'freeze-midclass', provider: 'local', vendor: null, startedAt: '2026-11-25T10:00:00Z' });
    await store.updateRun('run_20261125T100000Z_none00', { status: 'not-reproduced', reproduced: false });
    const card = await buildTrialScorecard(store, config, period);
    expect(card.vendors).toEqual([]);
    const summary = lines(renderText(card));
    expect(summary).toContain('1 scored run(s) filed nothing (not reproduced, a control drill, or --no-ticket) and count for no vendor.');
    expect(summary).toContain(
      '7 run(s) not counted: unhealthy baseline (the class was not healthy before the first fault, so nothing was injected or filed and no vendor is to blame): ' +
        'run_20261124T100000Z_u00000, run_20261124T110000Z_u00001, run_20261124T120000Z_u00002, run_20261124T130000Z_u00003, run_20261124T140000Z_u00004 and 2 more.',
    );
    expect(summary).toContain('No vendor had a run in the period.');
  });
});

describe('trial scorecard: retried runs', () => {
  let store: Store;
  let config: Config;
  const period = { from: new Date('2026-11-16T00:00:00Z'), to: new Date('2026-11-29T00:00:00Z') };
  const attempt = (number: number, retryOf?: string) => (result: RunResult): RunResult => ({ ...result, attempt: { number, ...(retryOf ? { retryOf } : {}) } });
  const notReproduced = (number: number, retryOf?: string) => (result: RunResult): RunResult => ({
    ...attempt(number, retryOf)(result),
    reproduced: false,
    outcome: 'not-reproduced',
    reason: 'no student saw a freeze of at least 3 s',
    freezes: [],
  });

  beforeEach(async () => {
    ({ config } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive' } }));
    store = await openStore(config.dataDir);
  });
  afterEach(async () => await store.close());

  it('counts an attempt its retry superseded for no vendor, neither as reproduced nor as not, and names the retry', async () => {
    // Two drills: one reproduced on its second attempt, one on its third; a third did not reproduce and was not retried.
    // The first keeps its vendor, as a run killed before it let go of it would.
    await unfiledFixtureRun(store, { runId: 'run_20261123T100000Z_a00001', vendor: 'sandbox', startedAt: '2026-11-23T10:00:00Z', reproduced: false, amend: notReproduced(1) });
    await fixtureRun(store, config, { runId: 'run_20261123T100100Z_a00002', vendor: 'sandbox', startedAt: '2026-11-23T10:01:00Z', activities: RESPONSIVE, amend: attempt(2, 'run_20261123T100000Z_a00001') });
    await unfiledFixtureRun(store, { runId: 'run_20261123T110000Z_b00001', vendor: null, startedAt: '2026-11-23T11:00:00Z', reproduced: false, amend: notReproduced(1) });
    await unfiledFixtureRun(store, { runId: 'run_20261123T110100Z_b00002', vendor: null, startedAt: '2026-11-23T11:01:00Z', reproduced: false, amend: notReproduced(2, 'run_20261123T110000Z_b00001') });
    await fixtureRun(store, config, { runId: 'run_20261123T110200Z_b00003', vendor: 'sandbox', startedAt: '2026-11-23T11:02:00Z', activities: RESPONSIVE, amend: attempt(3, 'run_20261123T110100Z_b00002') });
    await unfiledFixtureRun(store, { runId: 'run_20261123T120000Z_c00001', vendor: null, startedAt: '2026-11-23T12:00:00Z', reproduced: false, amend: notReproduced(1) });

    const card = await buildTrialScorecard(store, config, period);
    expect(card.runs).toEqual({
      total: 6,
      completed: 3,
      reproduced: 2,
      notReproduced: 1,
      withoutVendor: 1,
      failed: 0,
      inProgress: 0,
      unhealthyBaseline: [],
      retried: [
        { runId: 'run_20261123T100000Z_a00001', retriedAs: 'run_20261123T100100Z_a00002' },
        { runId: 'run_20261123T110000Z_b00001', retriedAs: 'run_20261123T110100Z_b00002' },
        { runId: 'run_20261123T110100Z_b00002', retriedAs: 'run_20261123T110200Z_b00003' },
      ],
    });
    expect(card.vendors).toHaveLength(1);
    expect(card.vendors[0]).toMatchObject({ vendor: 'sandbox', drills: 2, reproduced: 2, tickets: { filed: 2 } });
    const text = lines(renderText(card));
    expect(text).toContain('6 run(s) started in the period: 3 scored (2 reproduced, 1 not), 0 failed or interrupted, 0 in progress.');
    expect(text).toContain(
      "3 run(s) not counted: retried (the drill's outcome is its retry's, which counts instead): " +
        'run_20261123T100000Z_a00001 retried as run_20261123T100100Z_a00002, run_20261123T110000Z_b00001 retried as run_20261123T110100Z_b00002, ' +
        'run_20261123T110100Z_b00002 retried as run_20261123T110200Z_b00003.',
    );
    expect(text.find((l) => l.startsWith('drills (reproduced)'))).toBe('drills (reproduced) 2 (2)');
    expect(JSON.parse(renderJson(card)).runs.retried).toEqual(card.runs.retried);
  });

  it('counts a first attempt whose retry started after the period as it was', async () => {
    await unfiledFixtureRun(store, { runId: 'run_20261128T235900Z_d00001', vendor: null, startedAt: '2026-11-28T23:59:00Z', reproduced: false, amend: notReproduced(1) });
    await fixtureRun(store, config, { runId: 'run_20261129T000100Z_d00002', vendor: 'sandbox', startedAt: '2026-11-29T00:01:00Z', activities: RESPONSIVE, amend: attempt(2, 'run_20261128T235900Z_d00001') });
    const card = await buildTrialScorecard(store, config, period);
    expect(card.runs).toMatchObject({ total: 1, completed: 1, notReproduced: 1, retried: [] });
  });
});
