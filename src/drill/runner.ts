import { mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser } from 'puppeteer';
import { bundlePageScript } from '../classroom/bundle.ts';
import { writeEvidence } from '../classroom/evidence.ts';
import type { AppliedFault, ClearFault } from '../classroom/faults/fault-kind.ts';
import { leverOf, studentsNeedingOwnWindow } from '../classroom/faults/registry.ts';
import { classShape, refuseOverCapacity } from '../classroom/capacity.ts';
import { planHosting } from '../classroom/hosting.ts';
import { checkClassroomServer, checkProbe } from '../classroom/probe-check.ts';
import { studentNames } from '../classroom/participants.ts';
import { topologyOf, type ClassroomProvider } from '../classroom/providers/provider.ts';
import { createProvider } from '../classroom/providers/registry.ts';
import { ClassroomSession } from '../classroom/session.ts';
import { UserError, prefixed } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { newRunId } from '../core/run-id.ts';
import { iso, isoOrNull, type BaselineResult, type RunHosting, type RunResult } from '../core/run-result.ts';
import { findBrowser, type BrowserLookup } from '../rendering/browser.ts';
import { OneRunBrowser, type BrowserSource } from '../rendering/browser-source.ts';
import { answerKeyOf } from './answer-key.ts';
import { faultTimeline } from './fault-timeline.ts';
import { PageEventLog } from './page-events.ts';
import type { ProgressListener } from './progress.ts';
import type { Drill } from './schema.ts';
import { baselinePlan, judgeSteadyState } from './steady-state.ts';
import { delaySummaries } from './delay.ts';
import { expectedJoinFailures, joinFailuresOf, joinFaults } from './join-faults.ts';
import { scoreEpisodes, scoreStates, toFreezeResult, toStateResult } from './scoring.ts';
import { effectiveExpectation, verdict } from './verdict.ts';
import { freezeSignals } from './signals.ts';

export type { StatsRecord } from './page-events.ts';

export interface RunOptions {
  runId?: string;
  /** Where `runs/<runId>/` evidence goes. @defaultValue `'var'` */
  dataDir?: string;
  /** Replaces the drill's `classroom.provider`: a provider name, or a provider itself (tests run a vendor SDK's double this way). */
  provider?: string | ClassroomProvider;
  browser?: BrowserLookup;
  /** Where the class's browser comes from (a warm one in the service); else one launched for this run from `browser`. */
  browsers?: BrowserSource;
  onProgress?: ProgressListener;
  /** Aborting interrupts the class: faults are rolled back and the run fails as interrupted. */
  signal?: AbortSignal;
  logger?: Logger;
  cwd?: string;
}

/** How long a class may take to be in session when neither the drill nor the provider says. */
export const DEFAULT_JOIN_TIMEOUT_MS = 30_000;

export class RunInterrupted extends Error {
  constructor(readonly runId: string) {
    super(`run ${runId} was interrupted`);
    this.name = 'RunInterrupted';
  }
}

function sleepUntil(epochMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(done, Math.max(0, epochMs - Date.now()));
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** What the class was like by the time it was in session. */
interface Joined {
  inSessionAt: number;
  sinceStartMs: number;
  /** When the windows began to open, and how long a student had from then to see video. */
  joinStartedAt: number;
  joinTimeoutMs: number;
}

/**
 * The steady state: every student's page open and showing the teacher's video within the join
 * timeout (counted from the first page opening: a vendor SDK joins as soon as its page loads),
 * but for the students the drill expects to stay out (`expect.join`), which are judged later.
 * A class that never gets there is a set-up failure: nothing is injected, nothing is filed.
 */
async function joinClass(session: ClassroomSession, provider: ClassroomProvider, drill: Drill, events: PageEventLog, staysOut: readonly string[], signal?: AbortSignal): Promise<Joined> {
  const joinTimeout = drill.classroom.joinTimeout ?? provider.defaultJoinTimeoutMs ?? DEFAULT_JOIN_TIMEOUT_MS;
  const joinStartedAt = Date.now();
  const mustJoin = studentNames(drill.classroom.students).filter((s) => !staysOut.includes(s));
  const timedOut = Symbol('timeout');
  const outcome = await Promise.race([session.open().then(() => events.present(mustJoin)), sleepUntil(joinStartedAt + joinTimeout, signal).then(() => timedOut)]);
  if (outcome === timedOut) {
    const waiting = events.waiting().filter((s) => mustJoin.includes(s));
    const errors = events.errors();
    const explanation =
      provider.explainNoSession?.(waiting, events.joined()) ??
      prefixed(provider.name, `The class was not in session after ${joinTimeout / 1000} s: no video reached ${waiting.join(', ')}.`) +
        `\nNothing was injected and nothing is filed. Check the browser (SUPPORTDRILL_CHROME) and the provider's settings.`;
    throw new UserError(explanation + (errors.length ? `\nPage errors: ${errors.join('; ')}` : ''));
  }
  return { inSessionAt: Date.now(), sinceStartMs: Math.round(performance.now()), joinStartedAt, joinTimeoutMs: joinTimeout };
}

/**
 * Executes one run of a drill: the probe check (network, the provider's gateway), steady state
 * (the class in session, then healthy over the baseline before the first fault: if not, the class
 * ends there, `unhealthy-baseline`), method (the fault timeline), rollback (every fault cleared,
 * whatever happened), then the verdict against what was injected and the evidence.
 */
export async function runDrill(drill: Drill, options: RunOptions = {}): Promise<RunResult> {
  const runId = options.runId ?? newRunId();
  const cwd = options.cwd ?? process.cwd();
  const evidenceDir = resolve(cwd, options.dataDir ?? 'var', 'runs', runId);
  const emit: ProgressListener = options.onProgress ?? (() => undefined);
  const log = options.logger;
  const students = studentNames(drill.classroom.students);
  const participants = ['teacher', ...students];
  const staysOut = expectedJoinFailures(drill, students);
  const startedAt = Date.now();
  emit({ phase: 'run-created', runId, at: startedAt });

  const browsers = options.browsers ?? new OneRunBrowser(findBrowser(options.browser));
  const provider: ClassroomProvider = typeof options.provider === 'object' ? options.provider : createProvider(options.provider ?? drill.classroom.provider, drill);
  refuseWhatTheClassroomCannotDo(drill, provider);
  const events = new PageEventLog(students, emit, log);
  const hosting = planHosting({
    students,
    hostsSeveral: provider.hostsSeveral ?? false,
    studentsPerWindow: drill.classroom.studentsPerWindow,
    ownWindow: studentsNeedingOwnWindow(drill.faults, students),
  });
  refuseOverCapacity({ students: students.length, shape: classShape(topologyOf(provider), hosting.windows.length - 1, students.length) });
  // A probe cut off from the network or the vendor's cloud would measure itself: it stops here.
  await checkProbe(provider, { when: 'before the class' });
  let browser: Browser | undefined;
  let session: ClassroomSession | undefined;
  const applied: AppliedFault[] = [];
  const rollbacks: ClearFault[] = [];
  const screenshots: { name: string; path: string }[] = [];
  const pendingShots: Promise<void>[] = [];
  const shoot = (name: string) => {
    const page = session?.pages.get(students[0]!);
    if (!page) return;
    const path = join(evidenceDir, `screenshot-${name}.png`);
    pendingShots.push(
      page.screenshot({ path: path as `${string}.png` }).then(
        () => void screenshots.push({ name, path }),
        (err) => log?.warn({ err: String(err) }, `screenshot ${name} failed`),
      ),
    );
  };
  let joined: Joined | undefined;
  let browserInfo: { browser: string; userAgent: string } | undefined;
  let classOverAt = 0;
  let baseline: BaselineResult | undefined;

  try {
    await mkdir(evidenceDir, { recursive: true });
    // The browser starts while the provider prepares and the page script is bundled.
    const contextReady = Promise.all([provider.start({ runId, participants, video: drill.classroom.video }), bundlePageScript('inject.ts')]);
    browser = await browsers.acquire();
    await contextReady;
    await checkClassroomServer(provider.url(['teacher']), 'before the class');
    // Asked once, now: a browser busy with a large class can be slow to answer later.
    const [browserVersion, userAgent] = await Promise.all([browser.version(), browser.userAgent()]);
    browserInfo = { browser: browserVersion, userAgent };
    emit({ phase: 'browser-up', version: browserVersion, at: Date.now() });

    session = new ClassroomSession({ browser, provider, windows: hosting.windows, freezeThresholdMs: drill.classroom.freezeThreshold, onEvent: events.onEvent, viewport: { width: 640, height: 360 }, stampedCamera: drill.classroom.video, beforeJoin: joinFaults({ drill, students, emit, applied, rollbacks }) });
    joined = await joinClass(session, provider, drill, events, staysOut, options.signal);
    emit({ phase: 'in-session', students, at: joined.inSessionAt, sinceStartMs: joined.sinceStartMs, topology: topologyOf(provider), hosting: hosting.summary });

    const steps = faultTimeline({ drill, students, inSessionAt: joined.inSessionAt, levers: session, events, emit, shoot, applied, rollbacks });
    const plan = baselinePlan(drill);
    for (const step of steps) {
      if (plan && !baseline && step.at >= joined.inSessionAt + plan.endsAt) {
        baseline = await checkBaseline(joined.inSessionAt, plan, students.filter((s) => !staysOut.includes(s)), events, emit, options.signal);
        if (!baseline.healthy) break;
      }
      await sleepUntil(step.at, options.signal);
      await step.run();
    }
    // An unhealthy class ends at once: no fault was injected, and no verdict could blame the vendor.
    if (!baseline || baseline.healthy) await sleepUntil(joined.inSessionAt + drill.classroom.duration, options.signal);
    // A student expected to stay out is judged at the join timeout: a short class waits for it.
    if (staysOut.length) await sleepUntil(joined.joinStartedAt + joined.joinTimeoutMs, options.signal);
    classOverAt = Date.now();
    emit({ phase: 'class-over', at: classOverAt });
  } catch (err) {
    if (options.signal?.aborted) throw new RunInterrupted(runId);
    throw err;
  } finally {
    // Rollback: whatever happened, no fault outlives the run.
    await Promise.all(rollbacks.map((clear) => clear().catch(() => undefined)));
    await Promise.all(pendingShots);
    if (!classOverAt) await closeClass(session, provider, browser, browsers, true);
  }

  const result = runResult({ drill, runId, cwd, evidenceDir, students, provider, events, applied, startedAt, joined: joined!, classOverAt, baseline, browserInfo: browserInfo!, hosting: { topology: topologyOf(provider), windows: hosting.windows, summary: hosting.summary } });
  try {
    await writeEvidence({ browser: browser!, dir: evidenceDir, drill, result, applied, stats: events.stats, providerEvents: events.providerEvents(), consoleLogs: session!.consoleLogs, inSessionAt: joined!.inSessionAt, screenshots });
    emit({ phase: 'evidence-saved', dir: result.evidenceDir, at: Date.now() });
  } catch (err) {
    await closeClass(session, provider, browser, browsers, true);
    throw err;
  }
  await closeClass(session, provider, browser, browsers, false);
  return result;
}

/** Faults the class's provider has no lever for are refused before anything starts. */
function refuseWhatTheClassroomCannotDo(drill: Drill, provider: ClassroomProvider): void {
  drill.faults.forEach((fault, index) => {
    if (leverOf(fault) === 'server' && typeof provider.stopForwarding !== 'function') {
      throw new UserError(
        prefixed(provider.name, `Fault ${index} (${fault.kind}) acts on the media server, and this classroom (${topologyOf(provider)}) has none. ` +
          `Run it on the local classroom's SFU: classroom: { provider: 'local', local: { topology: 'sfu' } } (needs Janus: \`npm run setup\` as root, or \`sudo apt-get install -y janus\`).`),
      );
    }
  });
}

async function closeClass(session: ClassroomSession | undefined, provider: ClassroomProvider, browser: Browser | undefined, browsers: BrowserSource, failed: boolean): Promise<void> {
  await session?.close().catch(() => undefined);
  await provider.stop().catch(() => undefined);
  if (browser) await browsers.release(browser, { failed }).catch(() => undefined);
}

/**
 * The steady-state gate: waits for the end of the baseline (the first fault's time) and judges
 * the class over it from the stats the pages reported.
 */
async function checkBaseline(
  inSessionAt: number,
  plan: { ms: number; endsAt: number },
  students: string[],
  events: PageEventLog,
  emit: ProgressListener,
  signal?: AbortSignal,
): Promise<BaselineResult> {
  const from = inSessionAt + plan.endsAt - plan.ms;
  const to = inSessionAt + plan.endsAt;
  await sleepUntil(to, signal);
  const { healthy, problems } = judgeSteadyState({ students, stats: events.stats, from, to, inSessionAt });
  emit({ phase: 'baseline', healthy, fromMs: from - inSessionAt, toMs: to - inSessionAt, problems, at: Date.now() });
  return { healthy, from: iso(from), to: iso(to), problems };
}

/** How many of an unhealthy baseline's problems the reason names; the rest are in `baseline.problems`. */
const PROBLEMS_IN_REASON = 3;

/** The run's outcome; an unhealthy baseline overrides the verdict, since no fault was injected. */
function outcomeOf({ reproduced, reason }: { reproduced: boolean; reason: string }, baseline: BaselineResult | undefined): Pick<RunResult, 'reproduced' | 'reason' | 'outcome' | 'baseline'> {
  if (baseline && !baseline.healthy) {
    const named = baseline.problems.slice(0, PROBLEMS_IN_REASON).join('; ');
    const more = baseline.problems.length > PROBLEMS_IN_REASON ? `; and ${baseline.problems.length - PROBLEMS_IN_REASON} more` : '';
    return {
      reproduced: false,
      reason: `the class was not healthy before the first fault, so none was injected: ${named}${more}`,
      outcome: 'unhealthy-baseline',
      baseline,
    };
  }
  return { reproduced, reason, outcome: reproduced ? 'reproduced' : 'not-reproduced', ...(baseline ? { baseline } : {}) };
}

/** The verdict against what was injected, and the run's `--json` document. */
function runResult(input: {
  drill: Drill;
  runId: string;
  cwd: string;
  evidenceDir: string;
  students: string[];
  provider: ClassroomProvider;
  events: PageEventLog;
  applied: AppliedFault[];
  startedAt: number;
  joined: Joined;
  classOverAt: number;
  /** The steady state before the first fault, when one was checked. */
  baseline?: BaselineResult;
  browserInfo: { browser: string; userAgent: string };
  hosting: RunHosting;
}): RunResult {
  const { drill, events, applied, students, provider } = input;
  // One last stats sample has usually arrived; the picture is complete.
  const scored = scoreEpisodes([...events.episodes.values()], applied, drill.classroom.freezeThreshold, input.classOverAt);
  const states = scoreStates([...events.states.values()], applied, drill.classroom.freezeThreshold, input.classOverAt);
  const staysOut = expectedJoinFailures(drill, students);
  const joinFailures = staysOut.length ? joinFailuresOf({ expected: staysOut, events, joinStartedAt: input.joined.joinStartedAt, joinTimeoutMs: input.joined.joinTimeoutMs }) : undefined;
  const judged = verdict(effectiveExpectation(drill), {
    students,
    clock: { classStart: input.joined.inSessionAt, classEnd: input.classOverAt, faults: applied },
    freezes: scored,
    states,
    stats: events.stats,
    ...(joinFailures ? { joinFailures } : {}),
  });
  const { reproduced, reason, outcome, baseline } = outcomeOf(judged, input.baseline);
  return {
    runId: input.runId,
    drill: drill.name,
    provider: provider.name,
    reproduced,
    reason,
    outcome,
    ...(baseline ? { baseline } : {}),
    startedAt: iso(input.startedAt),
    inSessionAt: iso(input.joined.inSessionAt),
    endedAt: iso(input.classOverAt),
    classInSessionMs: input.joined.sinceStartMs,
    evidenceDir: relative(input.cwd, input.evidenceDir) || input.evidenceDir,
    students,
    versions: { ...provider.versions(), ...(events.sdkVersion ? { sdkLoaded: events.sdkVersion } : {}), ...input.browserInfo, node: process.version },
    identifiers: provider.identifiers(),
    hosting: input.hosting,
    faults: applied.map((f) => ({
      index: f.index,
      kind: f.kind,
      target: f.target,
      startedAt: iso(f.startedAt),
      endedAt: isoOrNull(f.endedAt),
      ...(f.profiles ? { profiles: f.profiles.map((p) => ({ ...p, at: iso(p.at) })) } : {}),
    })),
    freezes: scored.map((e) => ({ ...toFreezeResult(e), signals: freezeSignals(e, events) })),
    falseFreezes: scored.filter((e) => e.fault === null).length,
    states: states.map(toStateResult),
    falseStates: states.filter((e) => e.fault === null).length,
    delay: delaySummaries(events.stats, students, input.joined.inSessionAt, input.classOverAt),
    ...(judged.checks ? { checks: judged.checks } : {}),
    ...(joinFailures ? { joinFailures } : {}),
    answerKey: answerKeyOf(drill, applied, scored, students, joinFailures),
    ticket: null,
  };
}
