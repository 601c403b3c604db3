import { resolve } from 'node:path';
import { agoraProvider } from '../classroom/providers/agora.ts';
import { getVendor, loadConfig, vendorEntry, type Config } from '../config.ts';
import { resolveSecret } from '../core/secrets.ts';
import type { Logger } from '../core/log.ts';
import type { Delivery } from '../report/mailer.ts';
import { runScorecardMailer } from '../report/notify.ts';
import { openStore, type ActivityRow, type Store, type TicketRow } from '../store/store.ts';
import { fileTicketOnce } from '../support/filing.ts';
import { renderTicket } from '../support/ticket-template.ts';
import { loadTicketReport } from '../support/ticket-report.ts';
import { Watcher } from '../support/watcher.ts';
import { createVendorAdapter } from '../vendors/registry.ts';
import type { VendorAdapter } from '../vendors/adapter.ts';
import { loadDrill } from './loader.ts';
import type { Progress } from './progress.ts';
import type { RunResult } from '../core/run-result.ts';
import { newRunId } from '../core/run-id.ts';
import { RunInterrupted, runDrill } from './runner.ts';
import { effectiveExpectation } from './scoring.ts';

export interface ExecuteOptions {
  drill: string;
  configPath?: string;
  provider?: string;
  /** The vendor to file to; the config's `defaultVendor` when absent. */
  vendor?: string;
  /** `false`: run and score, file nothing. */
  ticket: boolean;
  /** Watch the ticket until it resolves or its watch ends. Default: only for the sandbox vendor. */
  wait?: boolean;
  dataDir?: string;
  cwd?: string;
  signal?: AbortSignal;
  logger?: Logger;
  onProgress?(event: Progress): void;
  onFiled?(ticket: TicketRow, reused: boolean): void;
  onNotFiled?(reason: string): void;
  onActivity?(ticket: TicketRow, activity: ActivityRow): void;
  /** The run scorecard was e-mailed (or written to the outbox) when the ticket settled. */
  onScorecard?(delivery: Delivery): void;
}

export interface ExecuteOutcome {
  result: RunResult;
  /** 0 reproduced, 1 not reproduced, 3 reproduced but the ticket could not be filed. */
  exitCode: number;
}

/** Vendor adapters by config name, created once and closed together. */
export class AdapterPool {
  readonly #adapters = new Map<string, VendorAdapter>();
  constructor(
    private readonly config: Config,
    private readonly logger?: Logger,
    /** The vendors' clock; only the sandbox desk, which runs here, reads it. */
    private readonly now?: () => Date,
  ) {}

  get(vendor: string): VendorAdapter {
    let adapter = this.#adapters.get(vendor);
    if (!adapter) {
      const entry = getVendor(this.config, vendor);
      adapter = createVendorAdapter(entry.adapter, vendorEntry(this.config, vendor), { dataDir: this.config.dataDir, vendorName: vendor, logger: this.logger, now: this.now });
      this.#adapters.set(vendor, adapter);
    }
    return adapter;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#adapters.values()].map((a) => a.close?.()));
    this.#adapters.clear();
  }
}

/**
 * One run end to end: the run is written before the browser starts and updated as it goes, then
 * scored, filed (once) and — for the sandbox, or when asked — watched until it resolves.
 */
export async function executeDrill(options: ExecuteOptions): Promise<ExecuteOutcome> {
  const cwd = options.cwd ?? process.cwd();
  const { config } = await loadConfig({ configPath: options.configPath, cwd });
  if (options.dataDir) config.dataDir = resolve(cwd, options.dataDir);
  const { drill } = await loadDrill(options.drill, cwd);
  const vendorName = options.ticket ? (options.vendor ?? config.defaultVendor) : null;
  const store = openStore(config.dataDir);
  const adapters = new AdapterPool(config, options.logger);
  try {
    // A vendor that is not configured, or configured wrongly, fails before the browser starts.
    const adapter = vendorName ? adapters.get(vendorName) : null;
    const runId = newRunId();
    const providerName = options.provider ?? drill.classroom.provider;
    // Agora's credentials may come from the config (secrets via env()); without it, the provider reads AGORA_* itself.
    const provider =
      providerName === 'agora' && config.agora
        ? agoraProvider(drill, {
            credentials: {
              appId: resolveSecret(config.agora.appId, 'agora.appId'),
              appCertificate: config.agora.appCertificate === undefined ? undefined : resolveSecret(config.agora.appCertificate, 'agora.appCertificate'),
              tokenServer: config.agora.tokenServer,
            },
          })
        : providerName;
    store.createRun({ id: runId, drill: drill.name, provider: providerName, vendor: vendorName, status: 'created', phase: 'loading' });

    let result: RunResult;
    try {
      result = await runDrill(drill, {
        runId,
        cwd,
        dataDir: config.dataDir,
        provider,
        browser: { env: process.env.SUPPORTDRILL_CHROME, configured: config.chrome ?? undefined },
        signal: options.signal,
        logger: options.logger,
        onProgress: (event) => {
          const phase = PHASES[event.phase];
          if (phase) store.updateRun(runId, phase);
          options.onProgress?.(event);
        },
      });
    } catch (err) {
      const interrupted = err instanceof RunInterrupted;
      store.updateRun(runId, { status: interrupted ? 'interrupted' : 'failed', error: (err as Error).message, endedAt: new Date() });
      throw err;
    }
    store.saveRunResult(runId, result);

    // Only an observed failure is worth a ticket: a control drill that held has nothing to report.
    const control = effectiveExpectation(drill).freeze === 'none';
    if (!result.reproduced || control || !vendorName || !adapter) {
      if (vendorName && !result.reproduced) options.onNotFiled?.(`not reproduced (${result.reason}): nothing filed`);
      else if (vendorName && control) options.onNotFiled?.('control drill (no failure expected): nothing filed');
      if (vendorName) store.updateRun(runId, { vendor: null });
      return { result, exitCode: result.reproduced ? 0 : 1 };
    }

    const vendor = getVendor(config, vendorName);
    const draft = renderTicket({
      result,
      drill,
      vendorTimezone: vendor.timezone,
      disclosure: config.disclosure,
      evidenceDir: resolve(cwd, result.evidenceDir),
    });
    const watchUntil = new Date(Date.now() + (drill.watchTimeout ?? config.watch.timeout));
    let ticket: TicketRow;
    try {
      const filed = await fileTicketOnce({ store, adapter, vendor: vendorName, draft, watchUntil });
      ticket = filed.ticket;
      options.onFiled?.(ticket, filed.reused);
    } catch (err) {
      options.onNotFiled?.(`filing with ${vendorName} failed: ${(err as Error).message}. The run is marked "filing failed"; \`npx supportdrill tickets retry\` files it later.`);
      result.ticket = loadTicketReport(store, store.getTicketByRun(runId)!.id);
      return { result, exitCode: 3 };
    }

    const wait = options.wait ?? entryAdapter(config, vendorName) === 'sandbox';
    if (wait) {
      const watcher = new Watcher({
        store,
        config,
        adapterFor: (name) => adapters.get(name),
        logger: options.logger,
        onActivity: options.onActivity,
        // Scorecards (issue 6): e-mail the run scorecard when the ticket resolves or its watch ends,
        // as config.scorecards.email says. `tickets watch` wires the same hook for tickets it settles.
        onSettled: runScorecardMailer({ config, store, cwd, logger: options.logger, onSent: (delivery) => options.onScorecard?.(delivery) }),
      });
      await watcher.run({ signal: options.signal, untilIdle: true, ticketIds: [ticket.id] });
    }
    result.ticket = loadTicketReport(store, ticket.id);
    return { result, exitCode: 0 };
  } finally {
    await adapters.close();
    store.close();
  }
}

function entryAdapter(config: Config, vendor: string): string {
  return getVendor(config, vendor).adapter;
}

/** The store's record of where a run is, per progress event (the rest leave it as it is). */
const PHASES: Partial<Record<Progress['phase'], Parameters<Store['updateRun']>[1]>> = {
  'run-created': { status: 'running', phase: 'launching browser' },
  'browser-up': { status: 'running', phase: 'opening classroom' },
  'in-session': { status: 'in-session', phase: 'class in session' },
  'fault-on': { phase: 'fault timeline' },
  'class-over': { phase: 'saving evidence' },
};

