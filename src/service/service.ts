import { resolve } from 'node:path';
import { schedule, type ScheduledTask, type Logger as CronLogger } from 'node-cron';
import type { Config } from '../config/config.ts';
import { newRunId } from '../core/run-id.ts';
import type { Logger } from '../core/log.ts';
import { RunInterrupted } from '../drill/runner.ts';
import { executeRun, rerunFor } from '../pipeline/execute-run.ts';
import { findBrowser } from '../rendering/browser.ts';
import { WarmBrowser } from '../rendering/browser-source.ts';
import { refileDue } from '../pipeline/refile-due.ts';
import { ticketWatcher, type TicketWatch } from '../pipeline/ticket-watcher.ts';
import { openWorkspace, type Workspace } from '../pipeline/workspace.ts';
import { scorecardCharts } from '../report/charts.ts';
import { emailScorecard } from '../report/mailer.ts';
import { buildTrialScorecard } from '../report/trial-scorecard.ts';
import type { Store } from '../store/store.ts';
import { pauseState } from '../pipeline/pause.ts';
import { guardrailRefusal } from './guardrails.ts';
import { httpToken } from './http-auth.ts';
import { createMetrics, type ServiceMetrics } from './metrics.ts';
import { drillLookup, recover } from './recovery.ts';
import { loadScheduledDrills, type ScheduledDrill } from './scheduled-drills.ts';
import type { CurrentRun, NextRun, ServiceState, ServiceWatcherHealth } from './service-state.ts';

/** The period a scheduled trial scorecard covers, ending when it is sent. */
const TRIAL_PERIOD_MS = 14 * 24 * 3600_000;
/** How long a run in progress may take to finish after SIGTERM before it is interrupted. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;
/** After the interrupt, how long the runner gets to roll faults back and close its browser. */
const INTERRUPT_GRACE_MS = 20_000;
/** How often the service looks for filings it owes a vendor (a retry time come, a filer killed). */
const REFILE_EVERY_MS = 15_000;

export interface ServiceOptions {
  configPath?: string;
  /** The project root: evidence paths and the default `drills/` are relative to it. */
  cwd: string;
  /** Where the scheduled drills are. @defaultValue `<cwd>/drills` */
  drillsDir?: string;
  dataDir?: string;
  /** Overrides the config's `dryRun`. */
  dryRun?: boolean;
  /** Overrides the config's `http.port` (0 picks a free one). */
  port?: number;
  logger: Logger;
  shutdownGraceMs?: number;
}

/** A scheduled drill and its cron task. */
interface Scheduled extends ScheduledDrill {
  task: ScheduledTask | null;
}

/**
 * The long-running service: scheduled drills (one at a time: two classrooms on one machine would
 * cause each other's freezes), the watcher over every open ticket, the trial scorecard schedule.
 * Everything it knows is in the store, so a restart picks up where a kill left off.
 */
export class Service implements ServiceState {
  readonly options: ServiceOptions;
  readonly metrics: ServiceMetrics;
  readonly startedAt = new Date();
  dryRun = false;
  current: CurrentRun | null = null;
  #workspace: Workspace | null = null;
  #drills: Scheduled[] = [];
  #trialTask: ScheduledTask | null = null;
  #stopping = false;
  #watcherAbort = new AbortController();
  #watcherLoop: Promise<void> | null = null;
  #watcherRunning = false;
  #watch: TicketWatch | null = null;
  #watcherRestarts = 0;
  #watcherLastRestartAt: Date | null = null;
  #watcherLastError: string | null = null;
  #drillAbort: AbortController | null = null;
  #currentPromise: Promise<void> | null = null;
  #queue: Promise<void> = Promise.resolve();
  #refileTimer: NodeJS.Timeout | null = null;
  #refiling: Promise<void> | null = null;
  /** The classes' browser, kept warm between drills; null when none was found (each run then says so). */
  #browsers: WarmBrowser | null = null;

  constructor(options: ServiceOptions) {
    this.options = options;
    this.metrics = createMetrics(() => this.#workspace?.store ?? null);
  }

  get #ws(): Workspace {
    if (!this.#workspace) throw new Error('the service is not started');
    return this.#workspace;
  }

  get config(): Config {
    return this.#ws.config;
  }

  get store(): Store {
    return this.#ws.store;
  }

  get cwd(): string {
    return this.options.cwd;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  get watcherRunning(): boolean {
    return this.#watcherRunning;
  }

  watcherHealth(): ServiceWatcherHealth {
    const health = this.#watch?.health() ?? { lastPassAt: null, vendors: {} };
    return { ...health, running: this.#watcherRunning, restarts: this.#watcherRestarts, lastRestartAt: this.#watcherLastRestartAt, lastError: this.#watcherLastError };
  }

  get scheduledDrills(): number {
    return this.#drills.length;
  }

  get log(): Logger {
    return this.options.logger;
  }

  /** Loads everything first, so that a bad drill or config stops the start before anything fires. */
  async start(): Promise<void> {
    const { cwd } = this.options;
    const workspace = await openWorkspace({ configPath: this.options.configPath, cwd, dataDir: this.options.dataDir, logger: this.log });
    this.#workspace = workspace;
    const { config } = workspace;
    if (this.options.port !== undefined) config.http.port = this.options.port;
    try {
      this.#browsers = new WarmBrowser(findBrowser({ env: process.env.SUPPORTDRILL_CHROME, configured: config.chrome ?? undefined }));
    } catch {
      this.#browsers = null;
    }
    // A non-loopback address without a token is refused before anything is scheduled.
    httpToken(config.http);
    this.dryRun = this.options.dryRun ?? config.dryRun;
    const drills = await loadScheduledDrills({
      dir: resolve(cwd, this.options.drillsDir ?? 'drills'),
      explicit: this.options.drillsDir !== undefined,
      cwd,
      config,
      dryRun: this.dryRun,
      log: this.log,
    });

    await recover(workspace, drills, this.log);
    this.#startWatcher();
    this.#refileTimer = setInterval(() => this.#refile(drills), REFILE_EVERY_MS);
    this.#drills = drills.map((entry) => ({ ...entry, task: this.#schedule(entry) }));
    // Up before the first drill fires, so no scheduled class waits for a browser to launch.
    if (this.#drills.length) this.#browsers?.warm();
    this.#trialTask = this.#scheduleTrialScorecard();
    const paused = await pauseState(this.store);
    this.log.info(
      { drills: this.#drills.map((d) => d.drill.name), dryRun: this.dryRun, paused: paused.paused, dataDir: config.dataDir },
      `scheduled ${this.#drills.length} drill(s)${this.dryRun ? ' (dry run: nothing is filed)' : ''}${paused.paused ? '; paused: nothing fires until `supportdrill resume`' : ''}`,
    );
  }

  #startWatcher(): void {
    const watcher = ticketWatcher(this.#ws, {
      onActivity: (ticket, activity) => this.log.info({ ref: ticket.ref, vendor: ticket.vendor, kind: activity.kind, at: activity.at }, 'vendor activity'),
      onPollError: (ticket) => this.metrics.watcherError(ticket.vendor),
      onSettled: (ticket) => {
        this.metrics.observeSettled(ticket);
        this.log.info({ ref: ticket.ref, vendor: ticket.vendor, state: ticket.state }, 'ticket settled');
      },
      conversation: {
        // A dry run files nothing, so it has no conversation to hold either.
        dryRun: this.dryRun,
        // One classroom at a time: a run the vendor asked for waits its turn behind the scheduled drills.
        rerun: (run) => {
          const turn = this.#queue.then(() => rerunFor(this.#ws, this.#watcherAbort.signal)(run));
          this.#queue = turn.then(
            () => undefined,
            () => undefined,
          );
          return turn;
        },
      },
    });
    this.#watch = watcher;
    const signal = this.#watcherAbort.signal;
    this.#watcherLoop = (async () => {
      this.#watcherRunning = true;
      // The watcher re-reads the open tickets on every pass, so tickets filed by drills are picked up without telling it.
      while (!signal.aborted) {
        try {
          await watcher.run({ signal });
        } catch (err) {
          // The watcher isolates each ticket; reaching here is a bug, and /healthz says so for a minute.
          this.metrics.watcherError('*');
          this.#watcherRestarts++;
          this.#watcherLastRestartAt = new Date();
          this.#watcherLastError = (err as Error).message;
          this.log.error(`the watcher stopped on an error and restarts in 5 s: ${(err as Error).stack ?? String(err)}`);
          await new Promise((r) => setTimeout(r, 5000));
        }
      }
      this.#watcherRunning = false;
    })();
  }

  /** One pass over the filings owed, never two at once; a failing store is logged and tried next time. */
  #refile(drills: readonly ScheduledDrill[]): void {
    if (this.#refiling || this.#stopping) return;
    this.#refiling = refileDue(this.#ws, { log: this.log, drillFor: drillLookup(drills) })
      .then(() => undefined)
      .catch((err: Error) => this.log.error(`looking for filings to retry failed: ${err.message}`))
      .finally(() => (this.#refiling = null));
  }

  #cronLogger(): CronLogger {
    return {
      info: (m) => this.log.debug(`node-cron: ${m}`),
      // Overlap prevention is the point of noOverlap, not a problem.
      warn: (m) => (/overlap/i.test(m) ? this.log.info(`node-cron: ${m}`) : this.log.warn(`node-cron: ${m}`)),
      error: (m) => this.log.error(`node-cron: ${String(m)}`),
      debug: (m) => this.log.debug(`node-cron: ${String(m)}`),
    };
  }

  #schedule(entry: ScheduledDrill): ScheduledTask {
    const { cron, timezone, maxRandomDelay } = entry.drill.schedule!;
    return schedule(cron, () => this.fire(entry), {
      name: entry.drill.name,
      timezone,
      noOverlap: true,
      maxRandomDelay: maxRandomDelay ?? 0,
      logger: this.#cronLogger(),
    });
  }

  /** One firing of a scheduled drill: one run per vendor, each through the guardrails. */
  async fire(entry: ScheduledDrill): Promise<void> {
    for (const vendor of entry.vendors) {
      if (this.#stopping) return;
      // Queued behind another drill: one classroom at a time.
      const turn = this.#queue.then(() => this.#runOne(entry, vendor));
      this.#queue = turn.catch(() => undefined);
      await turn;
    }
  }

  async #runOne(entry: ScheduledDrill, vendor: string | null): Promise<void> {
    const { drill, file } = entry;
    if (this.#stopping) return;
    const paused = await pauseState(this.store);
    if (paused.paused) {
      this.metrics.scheduledFiring(drill.name, 'paused');
      this.log.info({ drill: drill.name, vendor }, 'paused: the drill does not fire');
      return;
    }
    const refusal = await guardrailRefusal(this.store, this.config, vendor);
    if (refusal) {
      const id = newRunId();
      await this.store.createRun({ id, drill: drill.name, provider: drill.classroom.provider, vendor, status: 'refused', phase: 'refused by a guardrail' });
      await this.store.updateRun(id, { reason: refusal, error: `refused: ${refusal}`, endedAt: new Date() });
      this.metrics.scheduledFiring(drill.name, 'refused');
      this.log.warn({ drill: drill.name, vendor, runId: id }, `refused: ${refusal}`);
      return;
    }
    const controller = new AbortController();
    this.#drillAbort = controller;
    this.current = { drill: drill.name, vendor, runId: null, startedAt: new Date(), phase: 'starting' };
    const run = (async () => {
      try {
        const { result, exitCode } = await executeRun(this.#ws, {
          drill: { drill, file },
          vendor: vendor ?? undefined,
          ticket: vendor !== null,
          // The service's own watcher follows the ticket; the drill queue must not wait for the vendor.
          wait: false,
          browsers: this.#browsers ?? undefined,
          signal: controller.signal,
          onProgress: (event) => {
            if (!this.current) return;
            if (event.phase === 'run-created') this.current.runId = event.runId;
            this.current.phase = event.phase;
          },
          onFiled: (ticket, reused) => this.log.info({ drill: drill.name, ref: ticket.ref, vendor: ticket.vendor, vendorTicketId: ticket.vendorTicketId, reused }, 'ticket filed'),
          onNotFiled: (reason) => this.log.info({ drill: drill.name, vendor }, reason),
          onRetry: (previous, next) => this.log.info({ drill: drill.name, vendor, runId: previous.runId, retry: next.runId, outcome: previous.outcome }, `run not counted (${previous.reason}); running it again as ${next.runId}`),
        });
        this.metrics.scheduledFiring(drill.name, 'ran');
        const fields = { drill: drill.name, vendor, runId: result.runId, reproduced: result.reproduced, outcome: result.outcome, exitCode };
        // The probe's class was unwell before any fault: filed nothing, and says nothing about the vendor.
        if (result.outcome === 'unhealthy-baseline') this.log.warn(fields, `run not counted, nothing filed: ${result.reason}`);
        else this.log.info(fields, `run ${result.reproduced ? 'reproduced' : 'not reproduced'}: ${result.reason}`);
      } catch (err) {
        this.metrics.scheduledFiring(drill.name, 'failed');
        if (err instanceof RunInterrupted) this.log.warn({ drill: drill.name, vendor }, `run interrupted: ${err.message}`);
        else this.log.error({ drill: drill.name, vendor }, `run failed: ${(err as Error).message}`);
      } finally {
        this.current = null;
        this.#drillAbort = null;
      }
    })();
    this.#currentPromise = run;
    await run;
    this.#currentPromise = null;
  }

  #scheduleTrialScorecard(): ScheduledTask | null {
    const when = this.config.scorecards.schedule;
    if (!when) return null;
    return schedule(when.cron, () => this.sendTrialScorecard(), { name: 'trial-scorecard', timezone: when.timezone, noOverlap: true, logger: this.#cronLogger() });
  }

  async sendTrialScorecard(now = new Date()): Promise<void> {
    try {
      const card = await buildTrialScorecard(this.store, this.config, { from: new Date(now.getTime() - TRIAL_PERIOD_MS), to: now, now });
      if (card.runs.total === 0) {
        this.log.info('trial scorecard: no runs in the last 14 days, nothing sent');
        return;
      }
      const delivery = await emailScorecard(card, await scorecardCharts(card, this.config), this.config, now);
      this.log.info({ via: delivery.via, path: delivery.path, to: delivery.to }, 'trial scorecard sent');
    } catch (err) {
      this.log.error(`the trial scorecard was not sent: ${(err as Error).message}`);
    }
  }

  /** The next firings, soonest first. */
  nextRuns(): NextRun[] {
    return this.#drills
      .map((d) => ({
        drill: d.drill.name,
        vendors: d.vendors,
        cron: d.drill.schedule!.cron,
        timezone: d.drill.schedule!.timezone,
        next: this.#stopping ? null : (d.task?.getNextRun()?.toISOString() ?? null),
      }))
      .sort((a, b) => (a.next ?? '~').localeCompare(b.next ?? '~'));
  }

  /**
   * Stops scheduling, lets a run in progress finish within the grace period (then interrupts it:
   * the runner rolls its faults back, closes its browser and marks the run `interrupted`), and stops
   * the watcher between polls. `now` skips the grace period.
   */
  async stop(options: { now?: boolean } = {}): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = true;
      for (const entry of this.#drills) await entry.task?.stop();
      await this.#trialTask?.stop();
      if (this.#refileTimer) clearInterval(this.#refileTimer);
      this.#watcherAbort.abort();
    }
    const running = this.#currentPromise;
    if (running) {
      const grace = options.now ? 0 : (this.options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
      this.log.info({ drill: this.current?.drill, graceMs: grace }, 'waiting for the run in progress');
      if (!(await settlesWithin(running, grace))) {
        this.log.warn({ drill: this.current?.drill }, 'interrupting the run in progress');
        this.#drillAbort?.abort(new Error('the service is stopping'));
        if (!(await settlesWithin(running, INTERRUPT_GRACE_MS))) this.log.error('the run did not stop in time; its row stays as it is and the next start marks it interrupted');
      }
    }
    await settlesWithin(Promise.all([this.#watcherLoop, this.#refiling]), 10_000);
  }

  /** After {@link stop}: the last to go, since the HTTP server reads the store until then. */
  async close(): Promise<void> {
    await this.#browsers?.close();
    this.#browsers = null;
    await this.#workspace?.close();
    this.#workspace = null;
  }

  /** Interrupt the run in progress at once (a second SIGTERM). */
  interruptNow(): void {
    this.#drillAbort?.abort(new Error('the service is stopping'));
  }
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}
