/**
 * `npm run bench:scorecard` — how long a trial scorecard takes over a big store.
 *
 * Writes 10,000 synthetic runs across 3 vendors (14 days, each with a filed ticket and its classified
 * replies, timed and judged as the watcher does) into a temporary SQLite store through the Store
 * API, then times building the trial scorecard and rendering it: JSON and text (target < 1 s), and
 * HTML with its charts rendered by the project's Chromium (target < 5 s). A script, not a test: the
 * numbers go into docs/BENCHMARKS.md.
 *
 *   npm run bench:scorecard                       10,000 runs, 3 timed repetitions
 *   npm run bench:scorecard -- --runs 2000 --keep keep the temp store and write the HTML there
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findBrowser, launchBrowser } from '../src/rendering/browser.ts';
import { parseConfig, type Config } from '../src/config/config.ts';
import type { RunResult } from '../src/core/run-result.ts';
import { renderCharts, trialChartSvgs } from '../src/report/charts.ts';
import { renderHtml, renderJson, renderText } from '../src/report/format.ts';
import { chartCid } from '../src/report/mailer.ts';
import { buildTrialScorecard, type TrialScorecard } from '../src/report/trial-scorecard.ts';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { slaVerdict, storedVerdict } from '../src/support/sla.ts';
import { computeTimings, storedTimings } from '../src/support/timings.ts';
import { type ReplyKind } from '../src/core/reply.ts';
import { seededRandom } from '../src/core/seeded-random.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, reps: { type: 'string', default: '3' }, keep: { type: 'boolean', default: false } } });
const RUNS = Number(values.runs);
const REPS = Number(values.reps);
const DAYS = 14;
const END = Date.parse('2026-11-29T00:00:00Z');
const START = END - DAYS * 86_400_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

const random = seededRandom(20261129);
/** Log-normal around `medianMs`: response times are skewed with a long tail. */
const lognormal = (medianMs: number, sigma: number) => medianMs * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));

/** Each vendor's behaviour: medians of its replies, and how often it never answers in the watch. */
const VENDORS = {
  alpha: { config: { adapter: 'sandbox', sla: 'mature' }, human: 10 * 60_000, substantive: 45 * 60_000, resolution: 8 * 3_600_000, canned: 0.2, silent: 0.02 },
  bravo: { config: { adapter: 'sandbox', sla: 'growth', timezone: 'Asia/Shanghai', businessHours: { days: WEEKDAYS, start: '09:00', end: '18:00' } }, human: 70 * 60_000, substantive: 3 * 3_600_000, resolution: 20 * 3_600_000, canned: 0.5, silent: 0.05 },
  charlie: { config: { adapter: 'sandbox', sla: 'starter', timezone: 'Europe/Berlin', businessHours: { days: WEEKDAYS, start: '08:00', end: '17:00' } }, human: 5 * 3_600_000, substantive: 9 * 3_600_000, resolution: 60 * 3_600_000, canned: 0.7, silent: 0.15 },
} as const;
type VendorName = keyof typeof VENDORS;

function template(runId: string, startedAt: number, reproduced: boolean): RunResult {
  const iso = (offset: number) => new Date(startedAt + offset).toISOString();
  return {
    runId, drill: 'freeze-midclass', provider: 'local', reproduced,
    reason: reproduced ? 'student-1, student-2 saw a freeze of at least 3 s' : 'no student saw a freeze',
    startedAt: iso(0), inSessionAt: iso(4000), endedAt: iso(34_000), classInSessionMs: 4000,
    evidenceDir: `var/runs/${runId}`, students: ['student-1', 'student-2'], versions: { browser: 'Chrome/156' }, identifiers: { room: runId },
    faults: [{ index: 0, kind: 'video-freeze', target: 'teacher', startedAt: iso(14_000), endedAt: iso(24_000) }],
    freezes: reproduced
      ? ['student-1', 'student-2'].map((participant) => ({ participant, startedAt: iso(14_040), detectedAt: iso(14_550), endedAt: iso(26_200), durationMs: 12_160, onsetDelayMs: 40, detectionOverheadMs: 10, recoveryMs: 2200, fault: 0 }))
      : [],
    falseFreezes: 0, ticket: null,
  };
}

async function seed(store: SqliteStore, config: Config): Promise<number> {
  const names = Object.keys(VENDORS) as VendorName[];
  let activities = 0;
  const BATCH = 500;
  for (let start = 0; start < RUNS; start += BATCH) {
    await store.batch(async () => {
      for (let i = start; i < Math.min(RUNS, start + BATCH); i++) {
        const vendor = names[i % names.length]!;
        const behaviour = VENDORS[vendor];
        const startedAt = START + Math.floor(random() * (DAYS * 86_400_000 - 86_400_000));
        const runId = `run_bench_${String(i).padStart(6, '0')}`;
        const reproduced = random() > 0.05;
        await store.createRun({ id: runId, drill: 'freeze-midclass', provider: 'local', vendor: reproduced ? vendor : null, startedAt: new Date(startedAt) });
        await store.saveRunResult(runId, template(runId, startedAt, reproduced));
        if (!reproduced) continue;
        const filedAt = new Date(startedAt + 40_000);
        const watchUntil = new Date(filedAt.getTime() + 3 * 86_400_000);
        const ticket = await store.beginFiling(runId, { vendor, ref: `DRILL-${String(i).padStart(6, '0')}`, watchUntil });
        await store.markFiled(ticket.id, { vendorTicketId: `${vendor.toUpperCase()}-${i}`, url: `https://${vendor}.example/tickets/${i}`, filedAt });
        const replies: { after: number; kind: ReplyKind }[] = [{ after: 30_000 + random() * 60_000, kind: 'auto' }];
        if (random() > behaviour.silent) {
          const human = lognormal(behaviour.human, 0.8);
          if (random() < behaviour.canned) replies.push({ after: human, kind: 'canned' });
          replies.push({ after: Math.max(human, lognormal(behaviour.substantive, 0.7)), kind: 'human' });
          const resolution = Math.max(human, lognormal(behaviour.resolution, 0.9));
          if (resolution < 3 * 86_400_000) replies.push({ after: resolution, kind: 'resolution' });
        }
        for (const [n, reply] of replies.entries()) {
          await store.recordActivity(ticket.id, { vendorActivityId: `a${n}`, at: new Date(filedAt.getTime() + reply.after), seenAt: new Date(filedAt.getTime() + reply.after + 20_000), kind: reply.kind, authorRole: reply.kind === 'auto' ? 'system' : 'agent', text: `${reply.kind} reply` });
        }
        activities += replies.length;
        const vendorConfig = config.vendors[vendor]!;
        const timings = computeTimings({
          filedAt,
          activities: replies.map((r) => ({ at: new Date(filedAt.getTime() + r.after), seenAt: new Date(filedAt.getTime() + r.after + 20_000), kind: r.kind })),
          business: vendorConfig.businessHours,
        });
        const resolved = timings.resolutionAt !== null;
        const judgedAt = resolved ? timings.resolutionAt! : watchUntil;
        await store.updateTicket(ticket.id, { timings: storedTimings(timings), sla: storedVerdict(slaVerdict(timings, vendorConfig.sla, judgedAt)), state: resolved ? 'resolved' : 'timed-out', resolutionAt: timings.resolutionAt });
        await store.updateRun(runId, { status: resolved ? 'resolved' : 'timed-out', endedAt: judgedAt });
      }
    });
  }
  return activities;
}

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'supportdrill-bench-scorecard-'));
const config = parseConfig({ dataDir: 'var', vendors: Object.fromEntries(Object.entries(VENDORS).map(([name, v]) => [name, v.config])) }, { baseDir: dir });
const store = openSqliteStore(config.dataDir);
try {
  const seeded = await time(() => seed(store, config));
  console.log(`seeded ${RUNS} runs, ${seeded.value} activities across ${Object.keys(VENDORS).length} vendors in ${(seeded.ms / 1000).toFixed(1)} s (${dir})`);
  const period = { from: new Date(START), to: new Date(END) };

  const rows: [string, number[]][] = [
    ['build (store → scorecard model)', []],
    ['JSON (build + render)', []],
    ['text (build + render)', []],
    ['HTML with charts (build + launch Chromium + 2 PNGs + render)', []],
    ['  of which: launch Chromium', []],
    ['  of which: render 2 charts to PNG', []],
  ];
  let card: TrialScorecard | undefined;
  let html = '';
  let pngs: { id: string; png: Buffer }[] = [];
  const executable = findBrowser({ env: process.env.SUPPORTDRILL_CHROME, configured: config.chrome ?? undefined });
  for (let rep = 0; rep <= REPS; rep++) {
    const build = await time(() => buildTrialScorecard(store, config, period));
    const json = await time(async () => renderJson(await buildTrialScorecard(store, config, period)));
    const text = await time(async () => renderText(await buildTrialScorecard(store, config, period)));
    let launchMs = 0;
    let chartsMs = 0;
    const withCharts = await time(async () => {
      const built = await buildTrialScorecard(store, config, period);
      const launched = await time(() => launchBrowser(executable));
      launchMs = launched.ms;
      try {
        const rendered = await time(() => renderCharts(launched.value, trialChartSvgs(built)));
        chartsMs = rendered.ms;
        pngs = rendered.value;
        return renderHtml(built, Object.fromEntries(rendered.value.map((c) => [c.id, `cid:${chartCid(c.id)}`])));
      } finally {
        await launched.value.close();
      }
    });
    card = build.value;
    html = withCharts.value;
    if (rep === 0) continue; // warm-up: module loading and the first SQLite page reads
    rows[0]![1].push(build.ms);
    rows[1]![1].push(json.ms);
    rows[2]![1].push(text.ms);
    rows[3]![1].push(withCharts.ms);
    rows[4]![1].push(launchMs);
    rows[5]![1].push(chartsMs);
  }

  console.log(`\ntrial scorecard over ${card!.runs.total} runs (${card!.vendors.map((v) => `${v.vendor} ${v.drills}`).join(', ')}), ${cpus().length} CPUs, median of ${REPS} after a warm-up\n`);
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`${'step'.padEnd(width)}  median      runs`);
  console.log(`${'─'.repeat(width)}  ──────────  ${'─'.repeat(8 * REPS)}`);
  for (const [label, ms] of rows) console.log(`${label.padEnd(width)}  ${`${median(ms).toFixed(0)} ms`.padEnd(10)}  ${ms.map((m) => m.toFixed(0)).join(' / ')}`);
  console.log(`\nHTML size ${(html.length / 1024).toFixed(0)} KiB; JSON size ${(renderJson(card!).length / 1024).toFixed(0)} KiB`);
  console.log(`ranking: ${card!.ranking.map((r) => `${r.measure}: ${r.order ? r.order.join(' > ') : 'not ranked'}`).join('; ')}`);
  if (values.keep) {
    writeFileSync(join(dir, 'trial.txt'), renderText(card!));
    for (const chart of pngs) writeFileSync(join(dir, `${chart.id}.png`), chart.png);
    console.log(`kept ${dir}`);
  }
} finally {
  await store.close();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
