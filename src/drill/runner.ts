import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser } from 'puppeteer';
import { findBrowser, launchBrowser, type BrowserLookup } from '../rendering/browser.ts';
import { affectedStudents, applyFault } from '../classroom/faults.ts';
import type { PageEvent, StatsSample } from '../classroom/page/protocol.ts';
import type { ClassroomProvider } from '../classroom/provider.ts';
import { bundlePageScript } from '../classroom/bundle.ts';
import { createProvider } from '../classroom/providers/index.ts';
import { ClassroomSession } from '../classroom/session.ts';
import { writeEvidence } from '../classroom/evidence.ts';
import { UserError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { ProgressListener } from './progress.ts';
import { iso, isoOrNull, type RunResult } from '../core/run-result.ts';
import { toFreezeResult } from './scoring.ts';
import { newRunId } from '../core/run-id.ts';
import type { Drill } from './schema.ts';
import { effectiveExpectation, scoreEpisodes, verdict, type AppliedFault, type Episode } from './scoring.ts';

export interface RunOptions {
  runId?: string;
  /** Where `runs/<runId>/` evidence goes. @defaultValue `'var'` */
  dataDir?: string;
  /** Replaces the drill's `classroom.provider`: a provider name, or a provider itself (tests run a vendor SDK's double this way). */
  provider?: string | ClassroomProvider;
  browser?: BrowserLookup;
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

export interface StatsRecord {
  participant: string;
  sample: StatsSample;
}

function sleepUntil(epochMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, Math.max(0, epochMs - Date.now()));
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Executes one run of a drill: steady state (the class in session), method (the fault timeline),
 * rollback (every fault cleared, whatever happened), then the verdict against what was injected.
 */
export async function runDrill(drill: Drill, options: RunOptions = {}): Promise<RunResult> {
  const runId = options.runId ?? newRunId();
  const cwd = options.cwd ?? process.cwd();
  const evidenceDir = resolve(cwd, options.dataDir ?? 'var', 'runs', runId);
  const emit: ProgressListener = options.onProgress ?? (() => undefined);
  const log = options.logger;
  const students = Array.from({ length: drill.classroom.students }, (_, i) => `student-${i + 1}`);
  const participants = ['teacher', ...students];
  const startedAt = Date.now();
  emit({ phase: 'run-created', runId, at: startedAt });

  const executablePath = findBrowser(options.browser);
  const provider: ClassroomProvider =
    typeof options.provider === 'object' ? options.provider : createProvider(options.provider ?? drill.classroom.provider, drill);
  const threshold = drill.classroom.freezeThreshold;

  const episodes = new Map<string, Episode>();
  const stats: StatsRecord[] = [];
  const pageEvents: PageEvent[] = [];
  const firstFrames = new Map<string, number>();
  const providerStats: PageEvent[] = [];
  let sdkVersion: string | undefined;
  let inSession: (() => void) | undefined;
  const onEvent = (event: PageEvent) => {
    switch (event.type) {
      case 'stats':
        stats.push({ participant: event.participant, sample: event.sample });
        return;
      case 'first-frame':
        if (!firstFrames.has(event.participant)) firstFrames.set(event.participant, event.at);
        if (students.every((s) => firstFrames.has(s))) inSession?.();
        break;
      case 'freeze-start': {
        const key = `${event.participant}|${event.source}|${event.startedAt}`;
        if (!episodes.has(key)) {
          episodes.set(key, { participant: event.participant, source: event.source, startedAt: event.startedAt, detectedAt: event.detectedAt, endedAt: null });
          emit({ phase: 'freeze-seen', participant: event.participant, startedAt: event.startedAt, detectedAt: event.detectedAt, at: Date.now() });
        }
        break;
      }
      case 'freeze-end': {
        const key = `${event.participant}|${event.source}|${event.startedAt}`;
        const known = episodes.get(key);
        if (!known) emit({ phase: 'freeze-seen', participant: event.participant, startedAt: event.startedAt, detectedAt: event.detectedAt, at: Date.now() });
        episodes.set(key, { participant: event.participant, source: event.source, startedAt: event.startedAt, detectedAt: event.detectedAt, endedAt: event.endedAt });
        emit({ phase: 'recovered', participant: event.participant, durationMs: Math.round(event.endedAt - event.startedAt), at: Date.now() });
        break;
      }
      case 'error':
        log?.warn({ participant: event.participant, message: event.message }, 'page reported an error');
        break;
      case 'provider':
        if (event.name === 'sdk-loaded' && typeof event.data.version === 'string' && !sdkVersion) {
          sdkVersion = event.data.version;
          emit({ phase: 'sdk-loaded', participant: event.participant, version: sdkVersion, at: Date.now() });
        }
        if (event.name === 'stats') {
          providerStats.push(event);
          return;
        }
        break;
    }
    pageEvents.push(event);
  };

  let browser: Browser | undefined;
  let session: ClassroomSession | undefined;
  const applied: AppliedFault[] = [];
  const rollbacks: (() => Promise<void>)[] = [];
  const screenshots: { name: string; path: string }[] = [];
  let inSessionAt = 0;
  let browserInfo = { browser: '', userAgent: '' };
  let inSessionSinceStartMs = 0;
  let classOverAt = 0;
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

  try {
    await mkdir(evidenceDir, { recursive: true });
    // The browser starts while the provider prepares and the page script is bundled.
    const contextReady = Promise.all([provider.start({ runId, participants, video: drill.classroom.video }), bundlePageScript('inject.ts')]);
    browser = await launchBrowser(executablePath);
    await contextReady;
    // Asked once, now: a browser busy with a large class can be slow to answer later.
    const [browserVersion, userAgent] = await Promise.all([browser.version(), browser.userAgent()]);
    browserInfo = { browser: browserVersion, userAgent };
    emit({ phase: 'browser-up', version: browserVersion, at: Date.now() });

    session = new ClassroomSession({ browser, provider, participants, freezeThresholdMs: threshold, onEvent, viewport: { width: 640, height: 360 } });
    const sessionReady = new Promise<void>((resolve) => (inSession = resolve));
    // The join timeout counts from the first page opening: a vendor SDK joins as soon as its page loads.
    const joinTimeout = drill.classroom.joinTimeout ?? provider.defaultJoinTimeoutMs ?? DEFAULT_JOIN_TIMEOUT_MS;
    const timedOut = Symbol('timeout');
    const outcome = await Promise.race([
      session.open().then(() => sessionReady),
      sleepUntil(Date.now() + joinTimeout, options.signal).then(() => timedOut),
    ]);
    if (outcome === timedOut) {
      const waiting = students.filter((s) => !firstFrames.has(s));
      const joined = [...new Set(pageEvents.filter((e) => e.type === 'provider' && e.name === 'joined').map((e) => e.participant))];
      const errors = pageEvents.filter((e) => e.type === 'error').map((e) => `${e.participant}: ${(e as { message: string }).message}`);
      const explanation =
        provider.explainNoSession?.(waiting, joined) ??
        `[supportdrill] [${provider.name}] The class was not in session after ${joinTimeout / 1000} s: no video reached ${waiting.join(', ')}.` +
          `\nNothing was injected and nothing is filed. Check the browser (SUPPORTDRILL_CHROME) and the provider's settings.`;
      throw new UserError(explanation + (errors.length ? `\nPage errors: ${errors.join('; ')}` : ''));
    }
    inSessionAt = Date.now();
    inSessionSinceStartMs = Math.round(performance.now());
    emit({ phase: 'in-session', students, at: inSessionAt, sinceStartMs: inSessionSinceStartMs });

    // The fault timeline, relative to the moment the class is in session.
    const steps: { at: number; run: () => Promise<void> }[] = [];
    drill.faults.forEach((fault, index) => {
      const record: AppliedFault = {
        index,
        kind: fault.kind,
        target: fault.target,
        affects: affectedStudents(fault, students),
        plannedAt: fault.at,
        plannedFor: fault.for,
        startedAt: 0,
        endedAt: null,
      };
      let clear: (() => Promise<void>) | undefined;
      steps.push({
        at: inSessionAt + fault.at,
        run: async () => {
          clear = await applyFault(session!, fault, `fault-${index}`, students);
          rollbacks.push(clear);
          record.startedAt = appliedTime(pageEvents, `fault-${index}`, 'applied') ?? Date.now();
          applied.push(record);
          emit({ phase: 'fault-on', index, kind: fault.kind, target: fault.target, at: record.startedAt });
        },
      });
      steps.push({
        at: inSessionAt + fault.at + fault.for,
        run: async () => {
          await clear?.();
          record.endedAt = appliedTime(pageEvents, `fault-${index}`, 'cleared') ?? Date.now();
          emit({ phase: 'fault-off', index, kind: fault.kind, target: fault.target, at: record.endedAt });
        },
      });
    });
    const duration = drill.classroom.duration;
    const first = drill.faults.length ? Math.min(...drill.faults.map((f) => f.at)) : duration / 4;
    const firstFault = drill.faults.find((f) => f.at === first);
    const during = firstFault ? first + Math.min(firstFault.for / 2, Math.max(2000, threshold * 3)) : duration / 2;
    steps.push({ at: inSessionAt + Math.max(0, first - 1000), run: async () => shoot('before') });
    steps.push({ at: inSessionAt + during, run: async () => shoot('during') });
    steps.push({ at: inSessionAt + duration - 500, run: async () => shoot('after') });
    steps.sort((a, b) => a.at - b.at);
    for (const step of steps) {
      await sleepUntil(step.at, options.signal);
      await step.run();
    }
    await sleepUntil(inSessionAt + duration, options.signal);
    classOverAt = Date.now();
    emit({ phase: 'class-over', at: classOverAt });
  } catch (err) {
    if (options.signal?.aborted) throw new RunInterrupted(runId);
    throw err;
  } finally {
    // Rollback: whatever happened, no fault outlives the run.
    await Promise.all(rollbacks.map((clear) => clear().catch(() => undefined)));
    await Promise.all(pendingShots);
    if (!classOverAt) {
      await session?.close().catch(() => undefined);
      await provider.stop().catch(() => undefined);
      await browser?.close().catch(() => undefined);
    }
  }

  // One last stats sample has usually arrived; the picture is complete.
  const scored = scoreEpisodes([...episodes.values()], applied, threshold, classOverAt);
  const expectation = effectiveExpectation(drill);
  const { reproduced, reason } = verdict(expectation, scored, students);
  const versions = { ...provider.versions(), ...(sdkVersion ? { sdkLoaded: sdkVersion } : {}), ...browserInfo, node: process.version };

  const result: RunResult = {
    runId,
    drill: drill.name,
    provider: provider.name,
    reproduced,
    reason,
    startedAt: iso(startedAt),
    inSessionAt: iso(inSessionAt),
    endedAt: iso(classOverAt),
    classInSessionMs: inSessionSinceStartMs,
    evidenceDir: relative(cwd, evidenceDir) || evidenceDir,
    students,
    versions,
    identifiers: provider.identifiers(),
    faults: applied.map((f) => ({ index: f.index, kind: f.kind, target: f.target, startedAt: iso(f.startedAt), endedAt: isoOrNull(f.endedAt) })),
    freezes: scored.map(toFreezeResult),
    falseFreezes: scored.filter((e) => e.fault === null).length,
    ticket: null,
  };

  try {
    const providerEvents = [...pageEvents.filter((e) => e.type === 'provider'), ...providerStats];
    await writeEvidence({ browser: browser!, dir: evidenceDir, drill, result, applied, stats, providerEvents, consoleLogs: session!.consoleLogs, inSessionAt, screenshots });
    emit({ phase: 'evidence-saved', dir: result.evidenceDir, at: Date.now() });
  } finally {
    await session!.close().catch(() => undefined);
    await provider.stop().catch(() => undefined);
    await browser!.close().catch(() => undefined);
  }
  return result;
}

/** When the page itself applied or cleared a fault: the first drop, not when the CDP call returned. */
function appliedTime(events: PageEvent[], id: string, state: 'applied' | 'cleared'): number | undefined {
  const times = events
    .filter((e): e is Extract<PageEvent, { type: 'fault' }> => e.type === 'fault' && e.state === state && (e.id === id || e.id.startsWith(`${id}:`)))
    .map((e) => e.at);
  return times.length ? Math.min(...times) : undefined;
}
