/**
 * Issue 12, item 8: "No verdict from a watch cut short". A 2,000-run trial store like the one a new
 * user tried (scripts/bench-scorecard.ts's vendors and seed): charlie, on the starter tier, resolves
 * 46 % of its tickets within the default 3-day watch, which ends before the tier's 40-business-hour
 * resolution deadline. The scorecard used to show it "SLA met: resolution 100 % (292/292) +338
 * unjudged" and draw it as the best bar of the SLA chart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config/config.ts';
import type { ReplyKind } from '../../src/core/reply.ts';
import type { RunResult } from '../../src/core/run-result.ts';
import { watchEnd } from '../../src/pipeline/file-run-ticket.ts';
import { slaChartSvg } from '../../src/report/charts.ts';
import { renderHtml, renderJson, renderMarkdown, renderText } from '../../src/report/format.ts';
import { buildTrialScorecard, type TrialScorecard } from '../../src/report/trial-scorecard.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { slaVerdict, storedVerdict } from '../../src/support/sla.ts';
import { computeTimings, storedTimings, type Timings } from '../../src/support/timings.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';

const RUNS = 2000;
const DAY = 86_400_000;
const WATCH_MS = 3 * DAY;
const END = Date.parse('2026-11-29T00:00:00Z');
const START = END - 14 * DAY;
const PERIOD = { from: new Date(START), to: new Date(END) };
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** The benchmark's three vendors: what they promise (config) and how they behave. */
const VENDORS = {
  alpha: { config: { adapter: 'sandbox', sla: 'mature' }, human: 10 * 60_000, substantive: 45 * 60_000, resolution: 8 * 3_600_000, canned: 0.2, silent: 0.02 },
  bravo: { config: { adapter: 'sandbox', sla: 'growth', timezone: 'Asia/Shanghai', businessHours: { days: WEEKDAYS, start: '09:00', end: '18:00' } }, human: 70 * 60_000, substantive: 3 * 3_600_000, resolution: 20 * 3_600_000, canned: 0.5, silent: 0.05 },
  charlie: { config: { adapter: 'sandbox', sla: 'starter', timezone: 'Europe/Berlin', businessHours: { days: WEEKDAYS, start: '08:00', end: '17:00' } }, human: 5 * 3_600_000, substantive: 9 * 3_600_000, resolution: 60 * 3_600_000, canned: 0.7, silent: 0.15 },
} as const;
type VendorName = keyof typeof VENDORS;

/** How a store's tickets were watched and judged. */
type Watching =
  /** The default 3-day watch, judged by the watcher when it ended: the store the issue found. */
  | 'three-days'
  /** Watched until the SLA's last deadline had passed (the rule fileRunTicket applies), judged at the end. */
  | 'past-the-deadline'
  /** Watched as long, but each verdict stored as judged on day 3, when it was still `pending`. */
  | 'past-the-deadline, verdict from day 3';


function result(runId: string, startedAt: number): RunResult {
  const iso = (offset: number) => new Date(startedAt + offset).toISOString();
  return {
    runId, drill: 'freeze-midclass', provider: 'local', reproduced: true, reason: 'student-1 saw a freeze of at least 3 s',
    startedAt: iso(0), inSessionAt: iso(4000), endedAt: iso(34_000), classInSessionMs: 4000,
    evidenceDir: `var/runs/${runId}`, students: ['student-1'], versions: { browser: 'Chrome/156' }, identifiers: { room: runId },
    faults: [{ index: 0, kind: 'video-freeze', target: 'teacher', startedAt: iso(14_000), endedAt: iso(24_000) }],
    freezes: [{ participant: 'student-1', startedAt: iso(14_040), detectedAt: iso(14_550), endedAt: iso(26_200), durationMs: 12_160, onsetDelayMs: 40, detectionOverheadMs: 10, recoveryMs: 2200, fault: 0 }],
    falseFreezes: 0, ticket: null,
  };
}

/**
 * Writes the 2,000 runs through the Store API, one transaction per store, into every store at once:
 * every reply time is drawn once, exactly as scripts/bench-scorecard.ts draws it, so that the stores
 * hold the same vendor behaviour and differ only in how long each ticket was watched and when its
 * verdict was stored. (Timings and verdicts computed once are reused: business-time arithmetic is
 * most of the cost.)
 */
async function seed(stores: ReadonlyMap<Watching, SqliteStore>, config: Config): Promise<void> {
  const random = seededRandom(20261129);
  const lognormal = (medianMs: number, sigma: number) => medianMs * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
  const names = Object.keys(VENDORS) as VendorName[];
  const write = async () => {
    for (let i = 0; i < RUNS; i++) {
      const vendor = names[i % names.length]!;
      const behaviour = VENDORS[vendor];
      const vendorConfig = config.vendors[vendor]!;
      const startedAt = START + Math.floor(random() * (14 * DAY - DAY));
      const runId = `run_trial_${String(i).padStart(6, '0')}`;
      const reproduced = random() > 0.05;
      const filedAt = new Date(startedAt + 40_000);
      const configured = new Date(filedAt.getTime() + WATCH_MS);
      const replies: { after: number; kind: ReplyKind }[] = [];
      if (reproduced) {
        replies.push({ after: 30_000 + random() * 60_000, kind: 'auto' });
        if (random() > behaviour.silent) {
          const human = lognormal(behaviour.human, 0.8);
          if (random() < behaviour.canned) replies.push({ after: human, kind: 'canned' });
          replies.push({ after: Math.max(human, lognormal(behaviour.substantive, 0.7)), kind: 'human' });
          replies.push({ after: Math.max(human, lognormal(behaviour.resolution, 0.9)), kind: 'resolution' });
        }
      }
      const longWatch = reproduced ? watchEnd(configured, filedAt, vendorConfig, 60_000).until : configured;
      const timingsFor = new Map<number, Timings>();
      const verdictFor = new Map<string, ReturnType<typeof storedVerdict>>();
      for (const [watching, store] of stores) {
        await store.createRun({ id: runId, drill: 'freeze-midclass', provider: 'local', vendor: reproduced ? vendor : null, startedAt: new Date(startedAt) });
        await store.saveRunResult(runId, { ...result(runId, startedAt), reproduced });
        if (!reproduced) continue;
        const watchUntil = watching === 'three-days' ? configured : longWatch;
        const ticket = await store.beginFiling(runId, { vendor, ref: `DRILL-${String(i).padStart(6, '0')}`, watchUntil });
        await store.markFiled(ticket.id, { vendorTicketId: `${vendor}-${i}`, url: null, filedAt });
        // Only what came while the ticket was watched is known.
        const seen = replies.filter((r) => r.kind !== 'resolution' || r.after < watchUntil.getTime() - filedAt.getTime());
        const activities = seen.map((r) => ({ at: new Date(filedAt.getTime() + r.after), seenAt: new Date(filedAt.getTime() + r.after + 20_000), kind: r.kind }));
        for (const [n, a] of activities.entries()) {
          await store.recordActivity(ticket.id, { vendorActivityId: `a${n}`, at: a.at, seenAt: a.seenAt, kind: a.kind, authorRole: a.kind === 'auto' ? 'system' : 'agent', text: `${a.kind} reply` });
        }
        const timings = timingsFor.get(seen.length) ?? computeTimings({ filedAt, activities, business: vendorConfig.businessHours });
        timingsFor.set(seen.length, timings);
        const resolved = timings.resolutionAt !== null;
        const settledAt = resolved ? timings.resolutionAt! : watchUntil;
        const judgedAt = watching === 'past-the-deadline, verdict from day 3' && !resolved ? configured : settledAt;
        const key = `${seen.length} ${judgedAt.getTime()}`;
        const sla = verdictFor.get(key) ?? storedVerdict(slaVerdict(timings, vendorConfig.sla, judgedAt));
        verdictFor.set(key, sla);
        await store.updateTicket(ticket.id, { timings: storedTimings(timings), sla, state: resolved ? 'resolved' : 'timed-out', resolutionAt: timings.resolutionAt });
        await store.updateRun(runId, { status: resolved ? 'resolved' : 'timed-out', endedAt: settledAt });
      }
    }
  };
  // One transaction per store, nested: each store is its own SQLite file and connection.
  const batched = [...stores.values()].reduce<() => Promise<void>>((inner, store) => () => store.batch(inner), write);
  await batched();
}

/** The cells of a text table row, split on the aligning runs of spaces. */
function row(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(label));
  expect(line, `a row starting "${label}"`).toBeDefined();
  return line!.slice(label.length).trim().split(/\s{2,}/);
}

interface Bar {
  segment: string;
  height: number;
  fill: string;
}

/** The stacked segments the SLA chart draws for one vendor and target, bottom up. */
function bar(svg: string, vendor: string, target: string): Bar[] {
  const rects = [...svg.matchAll(/<rect data-vendor="([^"]+)" data-target="([^"]+)" data-segment="([^"]+)"[^>]*\bheight="([\d.]+)" fill="([^"]+)"/g)];
  return rects.filter((m) => m[1] === vendor && m[2] === target).map((m) => ({ segment: m[3]!, height: Number(m[4]), fill: m[5]! }));
}

const height = (segments: Bar[], segment: string) => segments.find((s) => s.segment === segment)?.height ?? 0;
/** The chart's plot area is 180 px tall: a share of 1 is 180 px. */
const PLOT_H = 180;

describe('a trial whose watches ended before the SLA deadlines (2,000 runs)', () => {
  const cards = new Map<Watching, TrialScorecard>();
  const stores = new Map<Watching, SqliteStore>();
  const dirs: string[] = [];

  beforeAll(async () => {
    const config = parseConfig({ dataDir: 'var', vendors: Object.fromEntries(Object.entries(VENDORS).map(([name, v]) => [name, v.config])) }, { baseDir: tmpdir() });
    for (const watching of ['three-days', 'past-the-deadline', 'past-the-deadline, verdict from day 3'] as const) {
      dirs.push(mkdtempSync(join(tmpdir(), 'supportdrill-trial-watch-')));
      stores.set(watching, openSqliteStore(dirs.at(-1)!));
    }
    await seed(stores, config);
    for (const [watching, store] of stores) cards.set(watching, await buildTrialScorecard(store, config, { ...PERIOD, now: new Date(END + 30 * DAY) }));
  }, 120_000);
  afterAll(async () => {
    for (const store of stores.values()) await store.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('is the store the issue found: charlie resolved 46 % of its tickets within a 3-day watch', () => {
    const charlie = cards.get('three-days')!.vendors.find((v) => v.vendor === 'charlie')!;
    expect(cards.get('three-days')!.runs.total).toBe(RUNS);
    expect(charlie.sla?.tier).toBe('starter');
    expect(charlie.resolvedWithinWatch).toMatchObject({ successes: 292, trials: 630 });
    expect(Math.round(charlie.resolvedWithinWatch.rate! * 100)).toBe(46);
  });

  it('shows the 338 unjudged tickets beside charlie’s rate in text, Markdown, HTML and JSON, with the rate over all 630', () => {
    const card = cards.get('three-days')!;
    const cell = '100 % (292/292; 99 %–100 %) +338 unjudged (watch ended before the deadline): 46 %–100 % of all 630';
    const [, , charlie] = row(renderText(card), 'SLA met: resolution');
    expect(charlie).toBe(cell);
    expect(renderMarkdown(card)).toContain(`| ${cell} |`);
    expect(renderHtml(card)).toContain(`<td style="padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top">${cell}</td>`);
    const json = JSON.parse(renderJson(card)) as TrialScorecard;
    expect(json.vendors.find((v) => v.vendor === 'charlie')!.slaHitRate.resolution).toMatchObject({
      successes: 292,
      trials: 292,
      rate: 1,
      unjudged: 338,
      pending: 0,
      overAll: { tickets: 630, low: 292 / 630, high: 1 },
    });
    expect(renderText(card)).toContain('no vendor is ranked on a rate that leaves them out');
  });

  it('does not rank vendors on the resolution hit rate while charlie’s leaves out its unjudged tickets, and says why', () => {
    const card = cards.get('three-days')!;
    const ranking = card.ranking.find((r) => r.measure === 'sla.resolution')!;
    expect(ranking.order).toBeNull();
    expect(ranking.separated).toEqual([]);
    expect(ranking.reason).toContain("charlie's rate leaves out 338 unjudged (the watch ended before the deadline) of its 630 ticket(s): 46 % to 100 % of them met the target, too wide to rank on");
    const [line] = renderText(card).split('\n').filter((l) => l.startsWith('SLA met: resolution: not ranked'));
    expect(line).toContain("charlie's rate leaves out 338 unjudged");
  });

  it('draws charlie’s unjudged tickets as a grey segment, and its met share as the shortest bar, not the best', () => {
    const svg = slaChartSvg(cards.get('three-days')!);
    const charlie = bar(svg, 'charlie', 'resolution');
    expect(charlie.map((s) => s.segment)).toEqual(['met', 'unjudged']);
    expect(height(charlie, 'met')).toBeCloseTo((292 / 630) * PLOT_H, 0);
    expect(charlie.find((s) => s.segment === 'unjudged')).toMatchObject({ fill: '#9ca3af', height: expect.closeTo((338 / 630) * PLOT_H, 0) });
    for (const other of ['alpha', 'bravo']) {
      expect(height(bar(svg, other, 'resolution'), 'met')).toBeGreaterThan(height(charlie, 'met'));
    }
    // The 95 % interval of a rate that leaves tickets out is not drawn on charlie's bar.
    expect(svg).not.toMatch(/data-vendor="charlie" data-target="resolution" data-interval/);
  });

  it('shows charlie’s misses once its tickets are watched until the SLA’s last deadline has passed', () => {
    const card = cards.get('past-the-deadline')!;
    const charlie = card.vendors.find((v) => v.vendor === 'charlie')!;
    const rate = charlie.slaHitRate.resolution!;
    expect(rate.unjudged).toBe(0);
    expect(rate.pending).toBe(0);
    expect(rate.trials).toBe(630);
    expect(rate.trials - rate.successes).toBeGreaterThan(0);
    const [, , cell] = row(renderText(card), 'SLA met: resolution');
    expect(cell).toBe(`${Math.round(rate.rate! * 100)} % (${rate.successes}/630; ${Math.round(rate.low! * 100)} %–${Math.round(rate.high! * 100)} %)`);
    expect(renderText(card)).not.toContain('unjudged');

    const svg = slaChartSvg(card);
    const bars = bar(svg, 'charlie', 'resolution');
    expect(bars.map((s) => s.segment)).toEqual(['met', 'missed']);
    expect(bars.find((s) => s.segment === 'missed')).toMatchObject({ fill: '#dc2626', height: expect.closeTo(((630 - rate.successes) / 630) * PLOT_H, 0) });
    expect(height(bar(svg, 'alpha', 'resolution'), 'met')).toBeGreaterThan(height(bars, 'met'));
    expect(svg).toMatch(/data-vendor="charlie" data-target="resolution" data-interval="95"/);
    expect(card.ranking.find((r) => r.measure === 'sla.resolution')!.reason).not.toContain('unjudged');
  });

  it('counts a timed-out ticket whose deadline its watch saw pass as missed, even when its stored verdict says pending', () => {
    const stale = cards.get('past-the-deadline, verdict from day 3')!;
    const charlie = stale.vendors.find((v) => v.vendor === 'charlie')!;
    expect(charlie.slaHitRate.resolution).toEqual(cards.get('past-the-deadline')!.vendors.find((v) => v.vendor === 'charlie')!.slaHitRate.resolution);
    expect(charlie.slaHitRate.resolution!.unjudged).toBe(0);
    expect(renderText(stale)).not.toContain('unjudged');
  });
});
