/**
 * `npm run bench:detect` — how well and how fast the freeze detector works on this machine.
 *
 * Runs real drills (local classroom, headless Chromium) over fault lengths and class sizes and
 * prints p50/p95 of onset delay, detection overhead and recovery, false freezes per
 * student-minute in clean classes, time from command start to "class in session", and the
 * browser's peak memory. A script, not a test: the numbers go into docs/BENCHMARKS.md.
 *
 *   npm run bench:detect                 full matrix (about 10 minutes)
 *   npm run bench:detect -- --quick      2 and 4 students, 1 s and 3 s faults only
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { drillSchema, type DrillInput } from '../src/drill/schema.ts';
import { runDrill } from '../src/drill/runner.ts';
import type { Progress } from '../src/drill/progress.ts';
import type { RunResult } from '../src/core/run-result.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'clean-duration': { type: 'string', default: '60s' },
    students: { type: 'string' },
    'launch-only': { type: 'boolean', default: false },
  },
});
const STUDENTS = values.students ? values.students.split(',').map(Number) : values.quick ? [2, 4] : [2, 4, 8, 16];
const FAULT_SECONDS = values.quick ? [1, 3] : [1, 3, 10];
const LAUNCHES = values.quick ? 2 : 5;

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return Math.round(sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo));
}
const stats = (xs: (number | null)[]) => {
  const s = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1) ?? null };
};

/**
 * Memory of a process and all its descendants (MiB), from /proc: proportional set size, so pages
 * the Chromium processes share are counted once rather than once per process.
 */
function treePssMiB(rootPid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      const kb = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      rss.set(Number(entry), kb);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total / 1024;
}

async function run(input: DrillInput): Promise<{ result: RunResult; peakMiB: number }> {
  const drill = drillSchema.parse(input);
  let peakMiB = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const onProgress = (event: Progress) => {
    if (event.phase === 'browser-up') {
      // The browser is the only chromium child of this process.
      timer = setInterval(() => {
        const kids = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
          try {
            return Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1]) === process.pid && readFileSync(`/proc/${p}/comm`, 'utf8').includes('chrom');
          } catch {
            return false;
          }
        });
        const total = kids.reduce((sum, pid) => sum + treePssMiB(Number(pid)), 0);
        if (total > peakMiB) peakMiB = total;
      }, 500);
    }
  };
  try {
    const result = await runDrill(drill, { dataDir: '.bench/var', onProgress });
    return { result, peakMiB };
  } finally {
    clearInterval(timer);
  }
}

/** Wall time from spawning the real CLI to its "class in session" line; resolves once it has exited. */
function timeToSession(command: string, args: string[]): Promise<number> {
  let settled: () => void = () => undefined;
  const closed = new Promise<void>((r) => (settled = r));
  return new Promise<number>((resolve, reject) => {
    const started = performance.now();
    // Its own process group, so the interrupt reaches the drill under npm too, not only npm: a drill
    // left running would load the machine for the next measurement.
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let out = '';
    let done = false;
    child.stdout.on('data', (d) => {
      out += d;
      if (!done && out.includes('class in session')) {
        done = true;
        resolve(Math.round(performance.now() - started));
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    child.on('close', () => {
      if (done) settled();
      else reject(new Error(`${command} ended before the class was in session:\n${out}`));
    });
  }).then(async (ms) => {
    await closed;
    return ms;
  });
}

const rows: string[] = [];
const raw: unknown[] = [];
const log = (s: string) => process.stderr.write(s + '\n');

if (values['launch-only']) {
  STUDENTS.length = 0;
}
log('## Faulted classes');
const faultRows: string[][] = [];
for (const students of STUDENTS) {
  for (const seconds of FAULT_SECONDS) {
    const outcome = await run({
      name: 'bench-freeze',
      description: `bench: ${seconds} s freeze, ${students} students`,
      classroom: { provider: 'local', students, duration: `${seconds + 9}s` },
      faults: [{ kind: 'video-freeze', target: 'teacher', at: '4s', for: `${seconds}s` }],
    }).catch((err: Error) => err);
    if (outcome instanceof Error) {
      faultRows.push([String(students), `${seconds} s`, `run failed: ${outcome.message.split('\n')[0]}`, '', '', '', '', '', '']);
      log(`  ${students} students, ${seconds} s fault: FAILED ${outcome.message}`);
      continue;
    }
    const { result, peakMiB } = outcome;
    const owned = result.freezes.filter((f) => f.fault !== null);
    const onset = stats(owned.map((f) => f.onsetDelayMs));
    const overhead = stats(result.freezes.map((f) => f.detectionOverheadMs));
    const recovery = stats(owned.map((f) => f.recoveryMs));
    const seen = new Set(owned.map((f) => f.participant)).size;
    raw.push({ students, seconds, result });
    faultRows.push([String(students), `${seconds} s`, `${seen}/${students}`, `${onset.p50}/${onset.p95}`, `${overhead.p50}/${overhead.p95}`, `${recovery.p50}/${recovery.p95}`, String(result.falseFreezes), String(Date.parse(result.inSessionAt) - Date.parse(result.startedAt)), String(Math.round(peakMiB))]);
    log(`  ${students} students, ${seconds} s fault: ${faultRows.at(-1)!.join(' | ')}`);
  }
}
if (faultRows.length) {
  rows.push('| students | fault | students who saw it | onset p50/p95 ms | detection overhead p50/p95 ms | recovery p50/p95 ms | false freezes | in session (ms after run start) | browser peak PSS MiB |');
  rows.push('|---|---|---|---|---|---|---|---|---|');
  for (const r of faultRows) rows.push(`| ${r.join(' | ')} |`);
  rows.push('');
}

log('## Clean classes');
if (STUDENTS.length) {
  rows.push(`| students | clean class | episodes | false freezes per student-minute | browser peak PSS MiB |`);
  rows.push('|---|---|---|---|---|');
}
const allOverheads: number[] = [];
for (const r of raw as { result: RunResult }[]) allOverheads.push(...r.result.freezes.map((f) => f.detectionOverheadMs));
for (const students of STUDENTS) {
  const outcome = await run({
    name: 'bench-clean',
    description: `bench: clean class, ${students} students`,
    classroom: { provider: 'local', students, duration: values['clean-duration'] },
  }).catch((err: Error) => err);
  if (outcome instanceof Error) {
    rows.push(`| ${students} | ${values['clean-duration']} | run failed: ${outcome.message.split('\n')[0]} | | |`);
    continue;
  }
  const { result, peakMiB } = outcome;
  const minutes = (students * (Date.parse(result.endedAt) - Date.parse(result.inSessionAt))) / 60_000;
  raw.push({ students, clean: true, result });
  rows.push(`| ${students} | ${values['clean-duration']} | ${result.freezes.length} | ${(result.freezes.length / minutes).toFixed(3)} | ${Math.round(peakMiB)} |`);
  log(`  ${students} students clean: ${result.freezes.length} episodes`);
}

log('## Command start to class in session');
const cli = [] as number[];
const npm = [] as number[];
for (let i = 0; i < LAUNCHES; i++) cli.push(await timeToSession(process.execPath, ['bin/supportdrill.mjs', 'drill', 'clean-class']));
for (let i = 0; i < LAUNCHES; i++) npm.push(await timeToSession('npm', ['run', '--silent', 'drill', 'clean-class']));
const c = stats(cli);
const n = stats(npm);
const o = stats(allOverheads);
rows.push('');
rows.push('| how started | runs | class in session p50 ms | p95 ms |');
rows.push('|---|---|---|---|');
rows.push(`| \`npx supportdrill drill clean-class\` (node bin/supportdrill.mjs) | ${c.n} | ${c.p50} | ${c.p95} |`);
rows.push(`| \`npm run drill clean-class\` (with the predrill set-up check) | ${n.n} | ${n.p50} | ${n.p95} |`);
rows.push('');
rows.push(`Detection overhead over every episode of the faulted classes: n=${o.n}, p50 ${o.p50} ms, p95 ${o.p95} ms, max ${o.max} ms.`);

mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/detect.json', JSON.stringify(raw, null, 2));
process.stdout.write(rows.join('\n') + '\n');
