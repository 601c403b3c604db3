import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import { renderHtml, renderJson, renderMarkdown, renderText } from '../../src/report/format.ts';
import { buildRunScorecard, hasSlaMiss } from '../../src/report/run-scorecard.ts';
import { buildTrialScorecard } from '../../src/report/trial-scorecard.ts';
import type { Store } from '../../src/store/store.ts';
import { fixtureRun, RESPONSIVE } from '../helpers/scorecards.ts';
import { openStore, ticketProject } from '../helpers/ticketing.ts';

const RUN = 'run_20261123T100000Z_a1b2c3';
const HOSTILE = 'Fixed? <script>alert("x")</script> <img src="https://tracker.example/p.gif">';
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** A PNG signature is enough for a file the scorecard only reads and embeds. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describe('run scorecard', () => {
  let store: Store;
  let config: Config;
  let dir: string;

  beforeEach(async () => {
    ({ config, dir } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive' } }));
    store = await openStore(config.dataDir);
    await fixtureRun(store, config, {
      runId: RUN,
      vendor: 'sandbox',
      startedAt: '2026-11-23T10:00:00Z',
      activities: [...RESPONSIVE.slice(0, 3), { after: 15_000, kind: 'human', author: 'Eve <b>', text: HOSTILE }, RESPONSIVE[3]!],
    });
  });
  afterEach(async () => await store.close());

  it('shows in text what was injected, what the students saw, the timeline and the timings against the SLA', async () => {
    const text = renderText(await buildRunScorecard(store, RUN, { cwd: dir, config }));
    const line = (start: string) => text.split('\n').find((l) => l.startsWith(start))?.replace(/\s+/g, ' ').trim();
    expect(text.split('\n')[0]).toBe('RUN SCORECARD — FREEZE-MIDCLASS → SANDBOX');
    expect(line('0 ')).toBe('0 video-freeze teacher 10:00:14.004 10:00:24.005 10.0 s');
    expect(line('student-1')).toBe('student-1 10:00:14.041 12.2 s 37 ms 2.2 s #0');
    expect(line('student-2')).toBe('student-2 10:00:14.074 12.2 s 70 ms 2.3 s #0');
    expect(line('Ticket')).toBe('Ticket T-a1b2c3 at sandbox [DRILL-a1b2c3] — resolved');
    expect(line('filed')).toBe('filed 2026-11-23 10:00:44 UTC (no business hours configured for the vendor)');
    expect(line('2.0 s')).toBe('2.0 s 10:00:46.000 vendor auto Desk (system) Your request has been received.');
    expect(line('6.0 s')).toBe('6.0 s 10:00:50.000 vendor canned Agent (agent) Please check your network and restart. [asked for what the ticket gave: browser version]');
    expect(line('20.0 s')).toBe('20.0 s 10:01:04.000 vendor resolution Agent (agent) Root cause: a keyframe request was dropped.');
    expect(line('first response')).toBe('first response 2.0 s 2.0 s — — — —');
    expect(line('first human response')).toBe('first human response 6.0 s 6.0 s — 30 min 00 s met 2026-11-23 10:30:44 UTC');
    expect(line('first substantive response')).toBe('first substantive response 12.0 s 12.0 s — — — —');
    expect(line('resolution')).toBe('resolution 20.0 s 20.0 s — 1 d 0 h met 2026-11-24 10:00:44 UTC');
    expect(line('customer wait')).toBe('customer wait (the vendor waiting on us): 0 ms in 0 span(s)');
    expect(line('no escalation')).toBe('no escalation seen');
    expect(line('replies before')).toBe('replies before the first substantive one: 2');
    expect(line('requests for information')).toBe('requests for information already given: 1 (browser version)');
    expect(line('false freezes')).toBe('false freezes: 0');
  });

  it('carries every figure in JSON', async () => {
    const card = JSON.parse(renderJson(await buildRunScorecard(store, RUN, { cwd: dir, config })));
    expect(card.kind).toBe('run');
    expect(card.run).toMatchObject({ id: RUN, drill: 'freeze-midclass', vendor: 'sandbox', status: 'resolved', reproduced: true, falseFreezes: 0 });
    expect(card.faults).toEqual([{ index: 0, kind: 'video-freeze', target: 'teacher', startedAt: '2026-11-23T10:00:14.004Z', endedAt: '2026-11-23T10:00:24.005Z', durationMs: 10_001 }]);
    expect(card.episodes.map((e: { participant: string; durationMs: number }) => [e.participant, e.durationMs])).toEqual([['student-1', 12_166], ['student-2', 12_216]]);
    expect(card.ticket.activities.map((a: { kind: string }) => a.kind)).toEqual(['auto', 'canned', 'human', 'human', 'resolution']);
    expect(card.ticket.activities[3]).toMatchObject({ elapsedMs: 15_000, author: 'Eve <b>', excerpt: HOSTILE });
    expect(card.ticket.timings).toEqual([
      { name: 'firstResponse', label: 'first response', at: '2026-11-23T10:00:46.000Z', calendarMs: 2000, businessMs: null, netMs: 2000, netBusinessMs: null, targetMs: null, outcome: null, dueAt: null },
      { name: 'firstHumanResponse', label: 'first human response', at: '2026-11-23T10:00:50.000Z', calendarMs: 6000, businessMs: null, netMs: 6000, netBusinessMs: null, targetMs: 1_800_000, outcome: 'met', dueAt: '2026-11-23T10:30:44.000Z' },
      { name: 'firstSubstantiveResponse', label: 'first substantive response', at: '2026-11-23T10:00:56.000Z', calendarMs: 12_000, businessMs: null, netMs: 12_000, netBusinessMs: null, targetMs: null, outcome: null, dueAt: null },
      { name: 'resolution', label: 'resolution', at: '2026-11-23T10:01:04.000Z', calendarMs: 20_000, businessMs: null, netMs: 20_000, netBusinessMs: null, targetMs: 86_400_000, outcome: 'met', dueAt: '2026-11-24T10:00:44.000Z' },
    ]);
    expect(card.ticket).toMatchObject({ repliesBeforeSubstantive: 2, redundantInfoRequests: 1, redundantInfoRequested: ['browser version'], resolvedBy: 'reply', filedOutsideBusinessHours: null });
    expect(card.ticket.sla).toMatchObject({ tier: 'mature', clock: 'calendar', overall: 'met' });
  });

  it('escapes vendor text in HTML and loads nothing from outside the message', async () => {
    mkdirSync(join(dir, 'var/runs', RUN), { recursive: true });
    writeFileSync(join(dir, 'var/runs', RUN, 'chart.png'), PNG);
    const card = await buildRunScorecard(store, RUN, { cwd: dir, config });
    expect(card.chartPng).toBe(join(dir, 'var/runs', RUN, 'chart.png'));
    const html = renderHtml(card, { fps: 'cid:fps-chart@supportdrill' });
    expect(html).toContain('Fixed? &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;img src=&quot;https://tracker.example/p.gif&quot;&gt;');
    expect(html).toContain('Eve &lt;b&gt; (agent)');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link|<style|@import|url\(/i);
    expect([...html.matchAll(/<img src="([^"]*)"/g)].map((m) => m[1])).toEqual(['cid:fps-chart@supportdrill']);
    for (const figure of ['6.0 s', '30 min 00 s', '20.0 s', '1 d 0 h', '12.2 s', 'video-freeze']) expect(html).toContain(figure);
  });

  it('escapes vendor text in Markdown, which would otherwise render it as HTML', async () => {
    const md = renderMarkdown(await buildRunScorecard(store, RUN, { cwd: dir, config }));
    expect(md).not.toContain('<script');
    expect(md).toContain('&lt;script&gt;');
    expect(md).toContain('| 6.0 s | 10:00:50.000 | vendor | canned | Agent (agent) |');
  });

  it('flags a run whose ticket missed a target for the sla-misses e-mail policy', async () => {
    expect(hasSlaMiss(await buildRunScorecard(store, RUN, { config }))).toBe(false);
    await fixtureRun(store, config, { runId: 'run_20261123T110000Z_d4e5f6', vendor: 'sandbox', startedAt: '2026-11-23T11:00:00Z', activities: [{ after: 1000, kind: 'auto' }], state: 'timed-out' });
    const missed = await buildRunScorecard(store, 'run_20261123T110000Z_d4e5f6', { config });
    expect(missed.ticket!.timings.find((t) => t.name === 'firstHumanResponse')!.outcome).toBe('missed');
    expect(hasSlaMiss(missed)).toBe(true);
  });

  it('refuses a run id the store does not know, naming it', async () => {
    await expect(buildRunScorecard(store, 'run_nope')).rejects.toThrow(/No run 'run_nope'/);
  });
});

describe('run scorecard: confirming signals and camera-to-screen delay', () => {
  let store: Store;
  let config: Config;
  let dir: string;
  const DELAY = [
    { participant: 'student-1', p50Ms: 182, p95Ms: 245, maxMs: 1310, samples: 29 },
    { participant: 'student-2', p50Ms: 190, p95Ms: 260, maxMs: 400, samples: 28 },
  ];

  beforeEach(async () => {
    ({ config, dir } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive' } }));
    store = await openStore(config.dataDir);
    await fixtureRun(store, config, {
      runId: RUN,
      vendor: 'sandbox',
      startedAt: '2026-11-23T10:00:00Z',
      activities: RESPONSIVE,
      amend: (result) => ({
        ...result,
        provider: 'agora',
        delay: DELAY,
        freezes: result.freezes.map((f, i) => ({ ...f, signals: { rendered: true, stats: i === 0 ? true : null, provider: i === 0 } })),
      }),
    });
  });
  afterEach(async () => await store.close());

  it('says in text which signals confirmed each freeze and each student’s delay', async () => {
    const text = renderText(await buildRunScorecard(store, RUN, { cwd: dir, config }));
    const line = (start: string) => text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).find((l) => l.startsWith(start));
    expect(line('student ')).toBe('student froze at (UTC) duration onset recovery fault confirmed by');
    expect(line('student-1 10:00')).toBe('student-1 10:00:14.041 12.2 s 37 ms 2.2 s #0 frames, Chrome stats, Agora events');
    expect(line('student-2 10:00')).toBe('student-2 10:00:14.074 12.2 s 70 ms 2.3 s #0 frames only (Chrome stats: no sample; Agora events: no)');
    expect(text).toContain('Camera-to-screen delay (from the stamp on the teacher’s picture)');
    expect(line('student-1 182')).toBe('student-1 182 ms 245 ms 1.3 s 29');
    expect(line('student-2 190')).toBe('student-2 190 ms 260 ms 400 ms 28');
  });

  it('carries the signals and the delay in JSON, and shows them in Markdown and HTML', async () => {
    const card = await buildRunScorecard(store, RUN, { cwd: dir, config });
    const json = JSON.parse(renderJson(card));
    expect(json.delay).toEqual(DELAY);
    expect(json.episodes.map((e: { signals: unknown }) => e.signals)).toEqual([
      { rendered: true, stats: true, provider: true },
      { rendered: true, stats: null, provider: false },
    ]);
    const md = renderMarkdown(card);
    expect(md).toContain('| student-1 | 10:00:14.041 | 12.2 s | 37 ms | 2.2 s | #0 | frames, Chrome stats, Agora events |');
    expect(md).toContain('| student-1 | 182 ms | 245 ms | 1.3 s | 29 |');
    const html = renderHtml(card);
    expect(html).toContain('frames, Chrome stats, Agora events');
    expect(html).toContain('Camera-to-screen delay');
  });

  it('shows neither for a run from before they were recorded', async () => {
    await fixtureRun(store, config, { runId: 'run_20261123T110000Z_d4e5f6', vendor: 'sandbox', startedAt: '2026-11-23T11:00:00Z', activities: RESPONSIVE });
    const card = await buildRunScorecard(store, 'run_20261123T110000Z_d4e5f6', { cwd: dir, config });
    expect(card.delay).toBeNull();
    expect(card.episodes.every((e) => e.signals === null)).toBe(true);
    const text = renderText(card);
    expect(text).not.toContain('confirmed by');
    expect(text).not.toContain('Camera-to-screen');
  });
});

describe('trial scorecard', () => {
  let store: Store;
  let config: Config;
  const period = { from: new Date('2026-11-16T00:00:00Z'), to: new Date('2026-11-29T00:00:00Z') };

  beforeEach(async () => {
    ({ config } = ticketProject({
      sandbox: { adapter: 'sandbox', persona: 'responsive' },
      acme: { adapter: 'sandbox', persona: 'slow', sla: 'growth', businessHours: { days: WEEKDAYS, start: '09:00', end: '18:00' } },
    }));
    store = await openStore(config.dataDir);
  });
  afterEach(async () => await store.close());

  /** Seven sandbox runs a few seconds apart; seven acme runs, four at 10:00 (open) and three at 22:00 (closed). */
  async function seed(): Promise<void> {
    for (let i = 0; i < 7; i++) {
      await fixtureRun(store, config, {
        runId: `run_2026112${3 + (i % 5)}T100000Z_s0000${i}`,
        vendor: 'sandbox',
        startedAt: `2026-11-2${3 + (i % 5)}T10:0${i}:00Z`,
        activities: [
          { after: 2000, kind: 'auto' },
          { after: 5000 + i * 1000, kind: i < 2 ? 'canned' : 'human' },
          { after: 20_000 + i * 1000, kind: 'resolution' },
        ],
      });
    }
    for (let i = 0; i < 7; i++) {
      const outside = i >= 4;
      await fixtureRun(store, config, {
        runId: `run_2026112${3 + i % 4}T${outside ? 22 : 10}0000Z_a0000${i}`,
        vendor: 'acme',
        startedAt: `2026-11-2${3 + (i % 4)}T${outside ? 22 : 10}:00:00Z`,
        // i = 3 never gets a human: the watch ends with an acknowledgement only.
        activities:
          i === 3
            ? [{ after: 60_000, kind: 'auto' }]
            : [{ after: 60_000, kind: 'auto' }, { after: 3 * 3_600_000 + i * 60_000, kind: i === 0 ? 'canned' : 'human' }, { after: 30 * 3_600_000, kind: 'resolution' }],
        state: i === 3 ? 'timed-out' : undefined,
      });
    }
    // Out of the period, and a run that filed nothing: neither may count for a vendor.
    await fixtureRun(store, config, { runId: 'run_20261101T100000Z_old000', vendor: 'sandbox', startedAt: '2026-11-01T10:00:00Z', activities: RESPONSIVE });
    await store.createRun({ id: 'run_20261124T120000Z_none00', drill: 'freeze-midclass', provider: 'local', vendor: null, startedAt: '2026-11-24T12:00:00Z' });
    await store.updateRun('run_20261124T120000Z_none00', { status: 'not-reproduced', reproduced: false });
  }

  it('puts each vendor’s drills, timings, SLA hit rates and worst case side by side in JSON', async () => {
    await seed();
    const card = JSON.parse(renderJson(await buildTrialScorecard(store, config, period)));
    expect(card.runs).toEqual({ total: 15, completed: 15, reproduced: 14, notReproduced: 1, withoutVendor: 1, failed: 0, inProgress: 0, unhealthyBaseline: [], retried: [] });
    expect(card.vendors.map((v: { vendor: string }) => v.vendor)).toEqual(['acme', 'sandbox']);
    const [acme, sandbox] = card.vendors;

    expect(sandbox).toMatchObject({ drills: 7, reproduced: 7, tickets: { filed: 7, resolved: 7, timedOut: 0, open: 0 }, hasBusinessHours: false, byBusinessHours: null, businessTimings: null });
    expect(sandbox.timings.firstHumanResponse).toEqual({
      n: 7, never: 0, pending: 0, median: 8000, p90: 10_400, min: 5000, max: 11_000,
      medianInterval: { low: 5000, high: 11_000, confidence: expect.closeTo(0.984, 3) },
    });
    expect(sandbox.slaHitRate.firstHumanResponse).toMatchObject({ successes: 7, trials: 7, rate: 1, pending: 0 });
    expect(sandbox.slaHitRate.firstResponse).toBeNull();
    expect(sandbox.firstHumanCanned).toMatchObject({ successes: 2, trials: 7 });
    expect(sandbox.resolvedWithinWatch).toMatchObject({ successes: 7, trials: 7 });
    expect(sandbox.worst).toMatchObject({ runId: 'run_20261124T100000Z_s00006', firstHumanResponseMs: 11_000 });

    expect(acme).toMatchObject({ drills: 7, reproduced: 7, tickets: { filed: 7, resolved: 6, timedOut: 1 }, hasBusinessHours: true });
    expect(acme.sla).toEqual({ tier: 'growth', clock: 'business', targets: { firstResponse: null, firstHumanResponse: 7_200_000, firstSubstantiveResponse: null, resolution: 57_600_000 } });
    expect(acme.timings.firstHumanResponse).toMatchObject({ n: 7, never: 1, median: 3 * 3_600_000 + 4 * 60_000, p90: 'never', max: 'never' });
    expect(acme.firstHumanCanned).toMatchObject({ successes: 1, trials: 6 });
    expect(acme.resolvedWithinWatch).toMatchObject({ successes: 6, trials: 7 });
    expect(acme.worst).toMatchObject({ runId: 'run_20261126T100000Z_a00003', state: 'timed-out', firstHumanResponseMs: 'never', resolutionMs: 'never' });
    // Filed at 10:00, a reply 3 h later is 3 business hours: over the 2 h target. Filed at 22:00, the
    // reply comes before the desk opens, so no business time has passed: met.
    expect(acme.byBusinessHours.inside).toMatchObject({ drills: 4, slaHitRate: { firstHumanResponse: { successes: 0, trials: 4 } } });
    expect(acme.byBusinessHours.outside).toMatchObject({ drills: 3, slaHitRate: { firstHumanResponse: { successes: 3, trials: 3 } } });
  });

  it('ranks vendors on a measure where every interval is apart, and refuses where they overlap', async () => {
    await seed();
    const ranking = (await buildTrialScorecard(store, config, period)).ranking;
    expect(ranking.find((r) => r.measure === 'firstHumanResponse')).toMatchObject({ order: ['sandbox', 'acme'], separated: [['sandbox', 'acme']] });
    const resolved = ranking.find((r) => r.measure === 'resolvedWithinWatch')!;
    expect(resolved.order).toBeNull();
    expect(resolved.reason).toMatch(/^not ranked: sandbox 100 % .* and acme 86 % .* overlap$/);
  });

  it('does not rank vendors with too few runs for a 95 % interval, and says so', async () => {
    await fixtureRun(store, config, { runId: 'run_20261123T100000Z_x00001', vendor: 'sandbox', startedAt: '2026-11-23T10:00:00Z', activities: RESPONSIVE });
    await fixtureRun(store, config, { runId: 'run_20261123T100000Z_x00002', vendor: 'acme', startedAt: '2026-11-23T10:00:00Z', activities: [{ after: 9 * 3_600_000, kind: 'human' }] });
    const ranking = (await buildTrialScorecard(store, config, period)).ranking.find((r) => r.measure === 'firstHumanResponse')!;
    expect(ranking.order).toBeNull();
    expect(ranking.reason).toContain('sandbox has 1 ticket(s) judged on first human response, too few for a 95 % interval of the median');
  });

  it('shows in text the side-by-side rows, the business-hours split and the ranking', async () => {
    await seed();
    const text = renderText(await buildTrialScorecard(store, config, period));
    const line = (start: string) => text.split('\n').find((l) => l.startsWith(start))?.replace(/\s+/g, ' ').trim();
    expect(line('drills (reproduced)')).toBe('drills (reproduced) 7 (7) 7 (7)');
    expect(line('first human response ')).toBe('first human response 3 h 04 min (3 h 00 min–never, 98 %) · p90 never · n 7, 1 never 8.0 s (5.0 s–11.0 s, 98 %) · p90 10.4 s · n 7');
    expect(line('SLA met: first human response')).toBe('SLA met: first human response 43 % (3/7; 16 %–75 %) 100 % (7/7; 65 %–100 %)');
    expect(line('first human reply was canned')).toBe('first human reply was canned 17 % (1/6; 3 %–56 %) 29 % (2/7; 8 %–64 %)');
    expect(line('outside: drills')).toBe('outside: drills 3 no business hours');
    expect(line('median first human response:')).toBe('median first human response: best first sandbox, acme (every pair of 95 % intervals is apart)');
    expect(line('15 run(s)')).toBe('15 run(s) started in the period: 15 scored (14 reproduced, 1 not), 0 failed or interrupted, 0 in progress.');
  });

  it('leaves out of the SLA hit rate a target whose deadline the watch ended before, and says so', async () => {
    await fixtureRun(store, config, { runId: 'run_20261123T100000Z_u00001', vendor: 'sandbox', startedAt: '2026-11-23T10:00:00Z', activities: RESPONSIVE });
    await fixtureRun(store, config, { runId: 'run_20261123T110000Z_u00002', vendor: 'sandbox', startedAt: '2026-11-23T11:00:00Z', activities: [{ after: 1000, kind: 'auto' }], state: 'timed-out', watchMs: 60_000 });
    const card = await buildTrialScorecard(store, config, period);
    expect(card.vendors[0]!.slaHitRate.firstHumanResponse).toMatchObject({ successes: 1, trials: 1, pending: 0, unjudged: 1 });
    const text = renderText(card);
    expect(text).toContain('100 % (1/1; 21 %–100 %) +1 unjudged (watch ended before the deadline)');
    expect(text).toContain('Some watches ended before an SLA deadline');
  });

  it('shows a vendor asked for by name even with no runs in the period', async () => {
    await seed();
    const card = await buildTrialScorecard(store, config, { ...period, vendors: ['sandbox', 'acme'] });
    expect(card.vendors.map((v) => v.vendor)).toEqual(['sandbox', 'acme']);
    const empty = await buildTrialScorecard(store, config, { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-10-02T00:00:00Z'), vendors: ['acme'] });
    expect(empty.vendors[0]).toMatchObject({ vendor: 'acme', drills: 0, timings: { firstHumanResponse: { n: 0, median: null, medianInterval: null } }, worst: null });
    await expect(buildTrialScorecard(store, config, { ...period, vendors: ['zendsk'] })).rejects.toThrow(/no vendor 'zendsk'.*Vendors: sandbox, acme/);
  });
});
