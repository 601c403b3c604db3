import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { schedule, type ScheduledTask, type Logger as CronLogger } from 'node-cron';
import { getVendor, loadConfig, type Config } from '../config.ts';
import { AdapterPool, executeDrill } from '../drill/execute.ts';
import { loadDrill } from '../drill/loader.ts';
import { newRunId, shortRunId } from '../core/run-id.ts';
import { RunInterrupted } from '../drill/runner.ts';
import type { Drill } from '../drill/schema.ts';
import { UserError, prefixed } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { scorecardCharts } from '../report/charts.ts';
import { emailScorecard } from '../report/mailer.ts';
import { runScorecardMailer } from '../report/notify.ts';
import { buildTrialScorecard } from '../report/trial-scorecard.ts';
import { openStore, type Store } from '../store/store.ts';
import { fileTicketOnce } from '../support/filing.ts';
import { renderTicket } from '../support/ticket-template.ts';
import { Watcher } from '../support/watcher.ts';
import type { VendorAdapter } from '../vendors/adapter.ts';
import { guardrailRefusal, pauseState } from './guardrails.ts';
import { httpToken } from './http.ts';
import { createMetrics, type ServiceMetrics } from './metrics.ts';

/** The period a scheduled trial scorecard covers, ending when it is sent. */
const TRIAL_PERIOD_MS = 14 * 24 * 3600_000;
/** How long a run in progress may take to finish after SIGTERM before it is interrupted. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;
/** After the interrupt, how long the runner gets to roll faults back and close its browser. */
const INTERRUPT_GRACE_MS = 20_000;
const DRILL_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];
/** Run statuses that mean "the class was still going": such a run cannot be resumed, only marked. */
const CUT_OFF = ['created', 'running', 'in-session'] as const;

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

export interface ScheduledDrill {
  drill: Drill;
  file: string;
  /** `null` in a dry run: nothing is filed. */
  vendors: (string | null)[];
  task: ScheduledTask | null;
}

export interface CurrentRun {
  drill: string;
  vendor: string | null;
  runId: string | null;
  startedAt: Date;
  phase: string;
}

/**
 * The long-running service: scheduled drills (one at a time: two classrooms on one machine would
 * cause each other's freezes), the watcher over every open ticket, the trial scorecard schedule.
 * Everything it knows is in the store, so a restart picks up where a kill left off.
 */
export class Service {
  readonly options: ServiceOptions;
  readonly metrics: ServiceMetrics;
  readonly startedAt = new Date();
  config!: Config;
  dryRun = false;
  drills: ScheduledDrill[] = [];
  trialTask: ScheduledTask | null = null;
  current: CurrentRun | null = null;
  #store: Store | null = null;
  #pool: AdapterPool | null = null;
  #stopping = false;
  #watcherAbort = new AbortController();
  #watcherLoop: Promise<void> | null = null;
  #watcherRunning = false;
  #drillAbort: AbortController | null = null;
  #currentPromise: Promise<void> | null = null;
  #queue: Promise<void> = Promise.resolve();
  #wrapped = new Map<string, VendorAdapter>();

  constructor(options: ServiceOptions) {
    this.options = options;
    this.metrics = createMetrics(() => this.#store);
  }

  get store(): Store {
    if (!this.#store) throw new Error('the service is not started');
    return this.#store;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  get watcherRunning(): boolean {
    return this.#watcherRunning;
  }

  get log(): Logger {
    return this.options.logger;
  }

  /** Loads everything first, so that a bad drill or config stops the start before anything fires. */
  async start(): Promise<void> {
    const { cwd } = this.options;
    const { config } = await loadConfig({ configPath: this.options.configPath, cwd });
    if (this.options.dataDir) config.dataDir = resolve(cwd, this.options.dataDir);
    if (this.options.port !== undefined) config.http.port = this.options.port;
    // A non-loopback address without a token is refused before anything is scheduled.
    httpToken(config.http);
    this.config = config;
    this.dryRun = this.options.dryRun ?? config.dryRun;
    const drills = await this.#loadScheduledDrills();
    this.#store = openStore(config.dataDir);
    this.#pool = new AdapterPool(config, this.log);

    this.#recover();
    await this.#refileInterrupted(drills);
    this.#startWatcher();
    this.drills = drills.map((entry) => ({ ...entry, task: this.#schedule(entry) }));
    this.trialTask = this.#scheduleTrialScorecard();
    const paused = pauseState(this.store);
    this.log.info(
      { drills: this.drills.map((d) => d.drill.name), dryRun: this.dryRun, paused: paused.paused, dataDir: config.dataDir },
      `scheduled ${this.drills.length} drill(s)${this.dryRun ? ' (dry run: nothing is filed)' : ''}${paused.paused ? '; paused: nothing fires until `supportdrill resume`' : ''}`,
    );
  }

  get drillsDir(): string {
    return resolve(this.options.cwd, this.options.drillsDir ?? 'drills');
  }

  async #loadScheduledDrills(): Promise<Omit<ScheduledDrill, 'task'>[]> {
    const dir = this.drillsDir;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      if (this.options.drillsDir !== undefined) throw new UserError(prefixed('serve', `--drills ${dir} is not a directory`));
      this.log.warn(`no drills directory at ${dir}: nothing is scheduled, tickets are still watched`);
      return [];
    }
    const files = readdirSync(dir)
      .filter((f) => DRILL_EXTENSIONS.includes(extname(f)))
      .sort()
      .map((f) => join(dir, f));
    const loaded: Omit<ScheduledDrill, 'task'>[] = [];
    for (const file of files) {
      const { drill } = await loadDrill(file, this.options.cwd);
      if (!drill.schedule) continue;
      const vendors = this.dryRun ? [null] : (drill.vendors ?? [this.config.defaultVendor]);
      for (const vendor of vendors) {
        if (vendor === null) continue;
        try {
          getVendor(this.config, vendor);
        } catch (err) {
          throw new UserError(prefixed('serve', `${file} › vendors: ${(err as Error).message.replace(/^\[supportdrill\] /, '')}`));
        }
      }
      loaded.push({ drill, file, vendors });
    }
    return loaded;
  }

  /** Runs cut off in their class are marked, never re-run or filed: the freeze they measured is gone. */
  #recover(): void {
    const now = new Date();
    for (const run of this.store.listRuns({ status: CUT_OFF })) {
      this.store.updateRun(run.id, {
        status: 'interrupted',
        phase: `interrupted (was: ${run.phase ?? run.status})`,
        error: 'the service stopped during the run; the class cannot be resumed, so nothing was filed',
        endedAt: now,
      });
      this.log.warn({ runId: run.id, drill: run.drill }, 'a run cut off by the last stop is marked interrupted');
    }
    // Scored and reproduced, but stopped before its ticket row was written: the failure was measured,
    // so it is filed now — through a `filing` row, which the next step completes like any other.
    for (const run of this.store.listRuns({ status: 'scored' })) {
      if (!run.reproduced || !run.vendor || this.store.getTicketByRun(run.id)) continue;
      this.store.beginFiling(run.id, { vendor: run.vendor, ref: `DRILL-${shortRunId(run.id)}`, watchUntil: new Date(now.getTime() + this.config.watch.timeout) });
      this.log.warn({ runId: run.id, drill: run.drill, vendor: run.vendor }, 'a run scored but not filed before the last stop is filed now');
    }
  }

  /** A ticket left in `filing` may or may not have reached the vendor: fileTicketOnce asks the vendor first. */
  async #refileInterrupted(drills: Omit<ScheduledDrill, 'task'>[]): Promise<void> {
    for (const ticket of this.store.listTickets({ state: 'filing' })) {
      const run = this.store.getRun(ticket.runId);
      try {
        if (!run?.result) throw new Error(`run ${ticket.runId} has no saved result to file from`);
        const drill = drills.find((d) => d.drill.name === run.drill)?.drill ?? (await loadDrill(run.drill, this.options.cwd)).drill;
        const draft = renderTicket({
          result: run.result,
          drill,
          vendorTimezone: getVendor(this.config, ticket.vendor).timezone,
          disclosure: this.config.disclosure,
          evidenceDir: resolve(this.options.cwd, run.result.evidenceDir),
        });
        const watchUntil = new Date(ticket.watchUntil ?? Date.now() + this.config.watch.timeout);
        const { ticket: filed, reused } = await fileTicketOnce({ store: this.store, adapter: this.#pool!.get(ticket.vendor), vendor: ticket.vendor, draft, watchUntil });
        this.log.info({ ref: filed.ref, vendor: filed.vendor, vendorTicketId: filed.vendorTicketId }, reused ? 'an interrupted filing was found at the vendor' : 'an interrupted filing was completed');
      } catch (err) {
        this.log.error({ ref: ticket.ref, vendor: ticket.vendor }, `an interrupted filing could not be completed: ${(err as Error).message}; \`npx supportdrill tickets retry ${ticket.ref}\` tries again`);
      }
    }
  }

  /** Failed polls are counted for /metrics without the watcher knowing about metrics. */
  #adapterFor(name: string): VendorAdapter {
    let wrapped = this.#wrapped.get(name);
    if (!wrapped) {
      const adapter = this.#pool!.get(name);
      const metrics = this.metrics;
      wrapped = new Proxy(adapter, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if (prop !== 'fetchActivity' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            } catch (err) {
              metrics.watcherError(name);
              throw err;
            }
          };
        },
      });
      this.#wrapped.set(name, wrapped);
    }
    return wrapped;
  }

  #startWatcher(): void {
    const mail = runScorecardMailer({ config: this.config, store: this.store, cwd: this.options.cwd, logger: this.log });
    const watcher = new Watcher({
      store: this.store,
      config: this.config,
      adapterFor: (name) => this.#adapterFor(name),
      logger: this.log,
      onActivity: (ticket, activity) => this.log.info({ ref: ticket.ref, vendor: ticket.vendor, kind: activity.kind, at: activity.at }, 'vendor activity'),
      onSettled: async (ticket) => {
        this.metrics.observeSettled(ticket);
        this.log.info({ ref: ticket.ref, vendor: ticket.vendor, state: ticket.state }, 'ticket settled');
        await mail(ticket);
      },
    });
    const signal = this.#watcherAbort.signal;
    this.#watcherLoop = (async () => {
      this.#watcherRunning = true;
      // The watcher re-reads the open tickets on every pass, so tickets filed by drills (through their
      // own store connection) are picked up without telling it.
      while (!signal.aborted) {
        try {
          await watcher.run({ signal });
        } catch (err) {
          this.metrics.watcherError('*');
          this.log.error(`the watcher stopped on an error and restarts in 5 s: ${(err as Error).stack ?? String(err)}`);
          await new Promise((r) => setTimeout(r, 5000));
        }
      }
      this.#watcherRunning = false;
    })();
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

  #schedule(entry: Omit<ScheduledDrill, 'task'>): ScheduledTask {
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
  async fire(entry: Omit<ScheduledDrill, 'task'>): Promise<void> {
    for (const vendor of entry.vendors) {
      if (this.#stopping) return;
      // Queued behind another drill: one classroom at a time.
      const turn = this.#queue.then(() => this.#runOne(entry, vendor));
      this.#queue = turn.catch(() => undefined);
      await turn;
    }
  }

  async #runOne(entry: Omit<ScheduledDrill, 'task'>, vendor: string | null): Promise<void> {
    const { drill, file } = entry;
    if (this.#stopping) return;
    const paused = pauseState(this.store);
    if (paused.paused) {
      this.metrics.scheduledFiring(drill.name, 'paused');
      this.log.info({ drill: drill.name, vendor }, 'paused: the drill does not fire');
      return;
    }
    const refusal = guardrailRefusal(this.store, this.config, vendor);
    if (refusal) {
      const id = newRunId();
      this.store.createRun({ id, drill: drill.name, provider: drill.classroom.provider, vendor, status: 'refused', phase: 'refused by a guardrail' });
      this.store.updateRun(id, { reason: refusal, error: `refused: ${refusal}`, endedAt: new Date() });
      this.metrics.scheduledFiring(drill.name, 'refused');
      this.log.warn({ drill: drill.name, vendor, runId: id }, `refused: ${refusal}`);
      return;
    }
    const controller = new AbortController();
    this.#drillAbort = controller;
    this.current = { drill: drill.name, vendor, runId: null, startedAt: new Date(), phase: 'starting' };
    const run = (async () => {
      try {
        const { result, exitCode } = await executeDrill({
          drill: file,
          configPath: this.options.configPath,
          cwd: this.options.cwd,
          dataDir: this.options.dataDir,
          vendor: vendor ?? undefined,
          ticket: vendor !== null,
          // The service's own watcher follows the ticket; the drill queue must not wait for the vendor.
          wait: false,
          signal: controller.signal,
          logger: this.log,
          onProgress: (event) => {
            if (!this.current) return;
            if (event.phase === 'run-created') this.current.runId = event.runId;
            this.current.phase = event.phase;
          },
          onFiled: (ticket, reused) => this.log.info({ drill: drill.name, ref: ticket.ref, vendor: ticket.vendor, vendorTicketId: ticket.vendorTicketId, reused }, 'ticket filed'),
          onNotFiled: (reason) => this.log.info({ drill: drill.name, vendor }, reason),
        });
        this.metrics.scheduledFiring(drill.name, 'ran');
        this.log.info({ drill: drill.name, vendor, runId: result.runId, reproduced: result.reproduced, exitCode }, `run ${result.reproduced ? 'reproduced' : 'not reproduced'}: ${result.reason}`);
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
      const card = buildTrialScorecard(this.store, this.config, { from: new Date(now.getTime() - TRIAL_PERIOD_MS), to: now, now });
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
  nextRuns(): { drill: string; vendors: (string | null)[]; cron: string; timezone: string; next: string | null }[] {
    return this.drills
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
   * the runner rolls its faults back, closes its browser and marks the run `interrupted`), stops the
   * watcher between polls, and closes adapters and the database. `now` skips the grace period.
   */
  async stop(options: { now?: boolean } = {}): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = true;
      for (const entry of this.drills) await entry.task?.stop();
      await this.trialTask?.stop();
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
    await settlesWithin(this.#watcherLoop ?? Promise.resolve(), 10_000);
  }

  /** After {@link stop}: the last to go, since the HTTP server reads the store until then. */
  async close(): Promise<void> {
    await this.#pool?.close();
    this.#store?.close();
    this.#store = null;
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
