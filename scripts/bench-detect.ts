/**
 * `npm run bench:detect` — how well and how fast the classroom detects freezes on this machine, and
 * how large a class it holds: real drills (local classroom, headless Chromium, mesh and Janus SFU,
 * students grouped per window or one window each), then the time from a command to "class in
 * session". A script, not a test: the numbers go into docs/BENCHMARKS.md. Run it with nothing else
 * on the machine: every figure is a 2-core figure.
 *
 *   npm run bench:detect                                   the whole matrix (about an hour)
 *   npm run bench:detect -- --only faulted,clean --students 16 --topology sfu --per-window 4
 *   npm run bench:detect -- --only equivalence             grouped vs one window each, 4 students
 *   npm run bench:detect -- --only launch                  command → class in session (CLI, npm, warm)
 *   npm run bench:detect -- --only scenes                  each scene's episodes: freeze, black, still, no sound, network
 *
 * Options: --students 2,4,… --topology mesh,sfu --per-window 1,4 (1 = one window per student)
 * --fault 3s --clean 60s --long-clean 5m --long-clean-at 16,32 --launches 5 --repeat 3 (equivalence, scenes)
 * --scene-students 4.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_STUDENTS_PER_WINDOW } from '../src/classroom/hosting.ts';
import { parseDuration } from '../src/core/duration.ts';
import type { RunResult } from '../src/core/run-result.ts';
import type { Progress } from '../src/drill/progress.ts';
import { runDrill } from '../src/drill/runner.ts';
import { drillSchema, type DrillInput } from '../src/drill/schema.ts';
import { executeRun } from '../src/pipeline/execute-run.ts';
import { openWorkspace } from '../src/pipeline/workspace.ts';
import { findBrowser } from '../src/rendering/browser.ts';
import { WarmBrowser } from '../src/rendering/browser-source.ts';

// The matrix goes past what the probe is known to hold, to show where it breaks.
process.env.SUPPORTDRILL_IGNORE_CAPACITY = '1';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'faulted,clean,equivalence,scenes,launch' },
    'scene-students': { type: 'string', default: '4' },
    students: { type: 'string', default: '2,4,8,16,24,32' },
    topology: { type: 'string', default: 'mesh,sfu' },
    'per-window': { type: 'string', default: `1,${DEFAULT_STUDENTS_PER_WINDOW}` },
    fault: { type: 'string', default: '3s' },
    clean: { type: 'string', default: '60s' },
    'long-clean': { type: 'string', default: '5m' },
    'long-clean-at': { type: 'string', default: '16,32' },
    launches: { type: 'string', default: '5' },
    repeat: { type: 'string', default: '3' },
    out: { type: 'string', default: '.bench/detect.md' },
  },
});
const only = new Set(values.only.split(','));
const list = (s: string) => s.split(',').filter(Boolean);
const STUDENTS = list(values.students).map(Number);
const TOPOLOGIES = list(values.topology) as ('mesh' | 'sfu')[];
const PER_WINDOW = list(values['per-window']).map(Number);
const LONG_CLEAN_AT = new Set(list(values['long-clean-at']).map(Number));

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
const pair = (s: { p50: number | null; p95: number | null }) => (s.p50 === null ? '–' : `${s.p50}/${s.p95}`);

/** Busy and total jiffies of all cores, from /proc/stat. */
function cpuTimes(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = fields.map(Number);
  const idle = n[3]! + n[4]!;
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Memory of a process and all its descendants (MiB), proportional set size: shared pages counted once. */
function treePssMiB(rootPid: number): number {
  const children = new Map<number, number[]>();
  const pss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      pss.set(Number(entry), Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8'))?.[1] ?? 0));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    if (pid !== rootPid) total += pss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total / 1024;
}

interface Outcome {
  result: RunResult;
  peakMiB: number;
  /** Both cores' busy share during the class, in % of one core (200 % = both saturated). */
  cpuPercent: number;
}

/** Runs one drill in this process; memory is everything this process started (Chromium, Janus). */
async function run(input: DrillInput): Promise<Outcome> {
  const drill = drillSchema.parse(input);
  let peakMiB = 0;
  let cpuAtSession: { busy: number; total: number } | undefined;
  let cpuPercent = 0;
  const timer = setInterval(() => (peakMiB = Math.max(peakMiB, treePssMiB(process.pid))), 1000);
  const onProgress = (event: Progress) => {
    if (event.phase === 'in-session') cpuAtSession = cpuTimes();
    if (event.phase === 'class-over' && cpuAtSession) {
      const now = cpuTimes();
      cpuPercent = Math.round((200 * (now.busy - cpuAtSession.busy)) / (now.total - cpuAtSession.total));
    }
  };
  try {
    const result = await runDrill(drill, { dataDir: '.bench/var', onProgress });
    return { result, peakMiB, cpuPercent };
  } finally {
    clearInterval(timer);
  }
}

const classroom = (students: number, topology: 'mesh' | 'sfu', perWindow: number, duration: string) => ({
  provider: 'local' as const,
  students,
  duration,
  studentsPerWindow: perWindow,
  local: { topology },
});

const out: string[] = [];
const raw: unknown[] = [];
const log = (s: string) => process.stderr.write(s + '\n');
const machine = `2 vCPUs, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
const firstLine = (err: Error) => err.message.split('\n')[0]!.replace(/\|/g, '/').slice(0, 160);
const windowsOf = (r: RunResult) => String((r.hosting?.windows.length ?? 1) - 1);

if (only.has('faulted')) {
  log(`## Faulted classes: video-freeze on the teacher 4 s in, for ${values.fault}`);
  out.push(`### Faulted classes (${values.fault} video-freeze on the teacher; ${machine})`, '');
  out.push('| students | topology | students/window | student windows | in session ms after run start | saw it | onset p50/p95 ms | detection overhead p50/p95 ms | recovery p50/p95 ms | false freezes | CPU % of one core | peak PSS MiB |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  const faultMs = parseDuration(values.fault);
  for (const topology of TOPOLOGIES)
    for (const perWindow of PER_WINDOW)
      for (const students of STUDENTS) {
        const label = `| ${students} | ${topology} | ${perWindow} |`;
        const outcome = await run({
          name: 'bench-freeze',
          description: `bench: ${values.fault} freeze, ${students} students`,
          // No steady-state gate: this measures detection, and a class loaded past its limit would
          // (rightly) be refused before the fault, leaving nothing to measure.
          classroom: { ...classroom(students, topology, perWindow, `${Math.ceil(faultMs / 1000) + 9}s`), baseline: '0s' },
          faults: [{ kind: 'video-freeze', target: 'teacher', at: '4s', for: values.fault }],
        }).catch((err: Error) => err);
        if (outcome instanceof Error) {
          out.push(`${label} | ${firstLine(outcome)} | | | | | | | | |`);
          log(`  ${label} FAILED ${outcome.message}`);
          continue;
        }
        const { result, peakMiB, cpuPercent } = outcome;
        raw.push({ kind: 'faulted', topology, perWindow, students, result });
        const owned = result.freezes.filter((f) => f.fault !== null);
        const row = `${label} ${windowsOf(result)} | ${Date.parse(result.inSessionAt) - Date.parse(result.startedAt)} | ${new Set(owned.map((f) => f.participant)).size}/${students} | ${pair(stats(owned.map((f) => f.onsetDelayMs)))} | ${pair(stats(result.freezes.map((f) => f.detectionOverheadMs)))} | ${pair(stats(owned.map((f) => f.recoveryMs)))} | ${result.falseFreezes} | ${cpuPercent} | ${Math.round(peakMiB)} |`;
        out.push(row);
        log('  ' + row);
      }
  out.push('');
}

if (only.has('clean')) {
  log('## Clean classes');
  out.push(`### Clean classes (no fault; ${machine})`, '');
  out.push('| students | topology | students/window | student windows | class | freeze episodes | false freezes per student-minute | false blank / still / no-sound per student-minute | detection overhead p95 ms | CPU % of one core | peak PSS MiB |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const topology of TOPOLOGIES)
    for (const perWindow of PER_WINDOW)
      for (const students of STUDENTS) {
        const duration = LONG_CLEAN_AT.has(students) && perWindow !== 1 ? values['long-clean'] : values.clean;
        const label = `| ${students} | ${topology} | ${perWindow} |`;
        const outcome = await run({ name: 'bench-clean', description: `bench: clean class, ${students} students`, classroom: classroom(students, topology, perWindow, duration) }).catch((err: Error) => err);
        if (outcome instanceof Error) {
          out.push(`${label} | ${firstLine(outcome)} | ${duration} | | | | | |`);
          log(`  ${label} FAILED ${outcome.message}`);
          continue;
        }
        const { result, peakMiB, cpuPercent } = outcome;
        raw.push({ kind: 'clean', topology, perWindow, students, duration, result });
        const minutes = (students * (Date.parse(result.endedAt) - Date.parse(result.inSessionAt))) / 60_000;
        const states = result.states ?? [];
        const perMinute = (n: number) => (n / minutes).toFixed(3);
        const row = `${label} ${windowsOf(result)} | ${duration} | ${result.freezes.length} | ${perMinute(result.freezes.length)} | ${(['blank', 'still', 'audio-dropout'] as const).map((k) => perMinute(states.filter((e) => e.state === k).length)).join(' / ')} | ${stats(result.freezes.map((f) => f.detectionOverheadMs)).p95 ?? '–'} | ${cpuPercent} | ${Math.round(peakMiB)} |`;
        out.push(row);
        log('  ' + row);
      }
  out.push('');
}

if (only.has('equivalence')) {
  const repeat = Number(values.repeat);
  log(`## Grouped vs one window each: 4 students, ${repeat} runs per fault length and hosting`);
  out.push(`### Grouped vs one window each (4 students, mesh, 1 s and 3 s freezes on the teacher, ${repeat} runs each; ${machine})`, '');
  out.push('| hosting | episodes | onset p50/p95 ms | detection overhead p50/p95 ms | recovery p50/p95 ms | false freezes |');
  out.push('|---|---|---|---|---|---|');
  for (const perWindow of [1, 4]) {
    const episodes: RunResult['freezes'] = [];
    let falseFreezes = 0;
    for (let i = 0; i < repeat; i++)
      for (const seconds of [1, 3]) {
        const { result } = await run({
          name: 'bench-equivalence',
          description: 'bench: grouping equivalence',
          classroom: classroom(4, 'mesh', perWindow, `${seconds + 9}s`),
          faults: [{ kind: 'video-freeze', target: 'teacher', at: '4s', for: `${seconds}s` }],
        });
        raw.push({ kind: 'equivalence', perWindow, seconds, result });
        episodes.push(...result.freezes.filter((f) => f.fault !== null));
        falseFreezes += result.falseFreezes;
      }
    const row = `| ${perWindow === 1 ? 'one window per student' : '4 students in one window'} | ${episodes.length} | ${pair(stats(episodes.map((f) => f.onsetDelayMs)))} | ${pair(stats(episodes.map((f) => f.detectionOverheadMs)))} | ${pair(stats(episodes.map((f) => f.recoveryMs)))} | ${falseFreezes} |`;
    out.push(row);
    log('  ' + row);
  }
  out.push('');
}

/**
 * The scenes the shipped drills stage, each on the episodes it should cause: a freeze, a black or
 * still picture, no sound, and the network profiles (their freezes). Onset is from the fault's
 * start to the episode's, recovery from its end to the episode's.
 */
const SCENES: { name: string; episode: 'freeze' | 'blank' | 'still' | 'audio-dropout'; fault: Record<string, unknown> }[] = [
  { name: 'video-freeze (teacher)', episode: 'freeze', fault: { kind: 'video-freeze', target: 'teacher' } },
  { name: 'black-screen', episode: 'blank', fault: { kind: 'black-screen', target: 'teacher' } },
  { name: 'still-picture', episode: 'still', fault: { kind: 'still-picture', target: 'teacher' } },
  { name: 'audio-dropout (teacher)', episode: 'audio-dropout', fault: { kind: 'audio-dropout', target: 'teacher' } },
  { name: 'network lossy-20 (teacher uplink)', episode: 'freeze', fault: { kind: 'network', target: 'teacher', profile: 'lossy-20' } },
  { name: 'network offline (student-1)', episode: 'freeze', fault: { kind: 'network', target: 'student-1', profile: 'offline' } },
];

if (only.has('scenes')) {
  const repeat = Number(values.repeat);
  const students = Number(values['scene-students']);
  log(`## Scenes: ${students} students, ${values.fault} faults 4 s in, ${repeat} runs each`);
  out.push(`### Scenes (${students} students, mesh, grouped; each fault ${values.fault} long, ${repeat} runs; ${machine})`, '');
  out.push('| scene | episode | students who saw it | onset p50/p95 ms | detection overhead p50/p95 ms | recovery p50/p95 ms | false episodes (any kind) |');
  out.push('|---|---|---|---|---|---|---|');
  for (const scene of SCENES) {
    const owned: { onsetDelayMs: number | null; detectionOverheadMs: number; recoveryMs: number | null; participant: string }[] = [];
    let saw = 0;
    let falseOnes = 0;
    let failed: Error | undefined;
    for (let i = 0; i < repeat && !failed; i++) {
      const outcome = await run({
        name: 'bench-scene',
        description: `bench: ${scene.name}`,
        classroom: classroom(students, 'mesh', DEFAULT_STUDENTS_PER_WINDOW, `${Math.ceil(parseDuration(values.fault) / 1000) + 9}s`),
        faults: [{ ...scene.fault, at: '4s', for: values.fault } as never],
        expect: { freeze: 'none' },
      }).catch((err: Error) => err);
      if (outcome instanceof Error) {
        failed = outcome;
        break;
      }
      const { result } = outcome;
      raw.push({ kind: 'scene', scene: scene.name, result });
      const episodes = scene.episode === 'freeze' ? result.freezes : (result.states ?? []).filter((e) => e.state === scene.episode);
      const mine = episodes.filter((e) => e.fault === 0);
      owned.push(...mine);
      saw += new Set(mine.map((e) => e.participant)).size;
      falseOnes += result.falseFreezes + (result.falseStates ?? 0);
    }
    const row = failed
      ? `| ${scene.name} | ${scene.episode} | ${firstLine(failed)} | | | | |`
      : `| ${scene.name} | ${scene.episode} | ${saw}/${(scene.fault.target === 'teacher' ? students : 1) * repeat} | ${pair(stats(owned.map((e) => e.onsetDelayMs)))} | ${pair(stats(owned.map((e) => e.detectionOverheadMs)))} | ${pair(stats(owned.map((e) => e.recoveryMs)))} | ${falseOnes} |`;
    out.push(row);
    log('  ' + row);
  }
  out.push('');
}

/** Wall time from spawning the real CLI to its "class in session" line; resolves once it has exited. */
function timeToSession(command: string, args: string[]): Promise<number> {
  let settled: () => void = () => undefined;
  const closed = new Promise<void>((r) => (settled = r));
  return new Promise<number>((resolve, reject) => {
    const started = performance.now();
    // Its own process group, so the interrupt reaches the drill under npm too.
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let text = '';
    let done = false;
    child.stdout.on('data', (d) => {
      text += d;
      if (!done && text.includes('class in session')) {
        done = true;
        resolve(Math.round(performance.now() - started));
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    child.on('close', () => {
      if (done) settled();
      else reject(new Error(`${command} ended before the class was in session:\n${text}`));
    });
  }).then(async (ms) => {
    await closed;
    return ms;
  });
}

if (only.has('launch')) {
  const launches = Number(values.launches);
  log('## Command start to class in session (clean-class: 2 students)');
  const cli: number[] = [];
  const npm: number[] = [];
  for (let i = 0; i < launches; i++) cli.push(await timeToSession(process.execPath, ['bin/supportdrill.mjs', 'drill', 'clean-class', '--no-ticket', '--data-dir', '.bench/var']));
  for (let i = 0; i < launches; i++) npm.push(await timeToSession('npm', ['run', '--silent', 'drill', 'clean-class', '--', '--no-ticket', '--data-dir', '.bench/var']));
  // The service's path for a scheduled drill: executeRun with the service's warm browser, the
  // drill already loaded at start-up, as Service.fire does it.
  const workspace = await openWorkspace({ dataDir: '.bench/var' });
  const warm = new WarmBrowser(findBrowser());
  const service: number[] = [];
  try {
    warm.warm();
    const loaded = { drill: drillSchema.parse({ name: 'bench-warm', description: 'bench: warm service', classroom: { provider: 'local', students: 2, duration: '2s' } }), file: 'bench' };
    for (let i = 0; i <= launches; i++) {
      const fired = Date.now();
      const { result } = await executeRun(workspace, { drill: loaded, ticket: false, browsers: warm });
      // The first run after start-up may still meet a browser coming up; it is not counted.
      if (i > 0) service.push(Date.parse(result.inSessionAt) - fired);
    }
  } finally {
    await warm.close();
    await workspace.close();
  }
  const c = stats(cli);
  const n = stats(npm);
  const w = stats(service);
  out.push(`### Command start → class in session (2 students; ${machine})`, '');
  out.push('| how started | runs | p50 ms | p95 ms |', '|---|---|---|---|');
  out.push(`| \`npx supportdrill drill clean-class\` (node bin/supportdrill.mjs) | ${c.n} | ${c.p50} | ${c.p95} |`);
  out.push(`| \`npm run drill clean-class\` (with the predrill set-up check) | ${n.n} | ${n.p50} | ${n.p95} |`);
  out.push(`| a scheduled drill in a warm service (executeRun with its WarmBrowser) | ${w.n} | ${w.p50} | ${w.p95} |`, '');
  log(out.slice(-6).join('\n'));
}

mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/detect.json', JSON.stringify(raw, null, 2));
writeFileSync(values.out, out.join('\n') + '\n');
process.stdout.write(out.join('\n') + '\n');
