import type { RunResult } from '../core/run-result.ts';
import { resolveSecret } from '../core/secrets.ts';
import { newRunId } from '../core/run-id.ts';
import { createProvider } from '../classroom/providers/registry.ts';
import { loadDrill, type LoadedDrill } from '../drill/loader.ts';
import type { Progress } from '../drill/progress.ts';
import { RunInterrupted, runDrill } from '../drill/runner.ts';
import { effectiveExpectation } from '../drill/scoring.ts';
import { findBrowser } from '../rendering/browser.ts';
import { OneRunBrowser, type BrowserSource } from '../rendering/browser-source.ts';
import type { Delivery } from '../report/mailer.ts';
import type { ActivityRow, MessageRow, RunPatch, RunRow, TicketRow } from '../store/rows.ts';
import { loadTicketReport } from '../support/ticket-report.ts';
import { waitsByDefault } from '../vendors/registry.ts';
import { fileRunTicket } from './file-run-ticket.ts';
import { ticketWatcher } from './ticket-watcher.ts';
import type { Workspace } from './workspace.ts';

export interface ExecuteRunOptions {
  /** A drill name (`drills/<name>.ts`), a path, or a drill already loaded. */
  drill: string | LoadedDrill;
  /** Runs the class on this provider instead of the drill's. */
  provider?: string;
  /** The vendor to file to; the config's `defaultVendor` when absent. */
  vendor?: string;
  /** `false`: run and score, file nothing. */
  ticket: boolean;
  /** Watch the ticket until it resolves or its watch ends. Default: as the vendor's adapter says (the sandbox: yes). */
  wait?: boolean;
  signal?: AbortSignal;
  onProgress?(event: Progress): void;
  onFiled?(ticket: TicketRow, reused: boolean): void;
  onNotFiled?(reason: string): void;
  onActivity?(ticket: TicketRow, activity: ActivityRow): void;
  /** The run scorecard was e-mailed (or written to the outbox) when the ticket settled. */
  onScorecard?(delivery: Delivery): void;
  /** A vendor question only a person can answer was handed to the operator (while waiting). */
  onHandoff?(ticket: TicketRow, message: MessageRow): void;
  /** The class's browser (the service's warm one); else one is launched for this run while the drill loads. */
  browsers?: BrowserSource;
}

export interface ExecuteOutcome {
  result: RunResult;
  /** 0 reproduced, 1 not reproduced, 3 reproduced but the ticket could not be filed. */
  exitCode: number;
}

/**
 * One run end to end — class, score, file, wait: the run is written before the browser starts and
 * updated as it goes, then scored, its ticket filed once, and watched until it settles when the
 * vendor's adapter (or `wait`) says so. A vendor that is not configured, or configured wrongly, and
 * a provider, vendor or mail server without its credentials fail before the browser starts. The vendor
 * is resolved once.
 */
export async function executeRun(workspace: Workspace, options: ExecuteRunOptions): Promise<ExecuteOutcome> {
  const prelaunched = options.browsers ? undefined : prelaunch(workspace.config);
  try {
    return await executeWith(workspace, options, options.browsers ?? prelaunched);
  } finally {
    await prelaunched?.discard();
  }
}

/**
 * The run's own browser, starting now: Chromium comes up while the drill file loads and the vendor
 * is checked (about half a second of the command's start-up). Without a browser to find, the run
 * reports that where it always did, after the drill and vendor checks.
 */
function prelaunch(config: Workspace['config']): OneRunBrowser | undefined {
  let browsers: OneRunBrowser;
  try {
    browsers = new OneRunBrowser(findBrowser({ env: process.env.SUPPORTDRILL_CHROME, configured: config.chrome ?? undefined }));
  } catch {
    return undefined;
  }
  browsers.prelaunch();
  return browsers;
}

async function executeWith(workspace: Workspace, options: ExecuteRunOptions, browsers: BrowserSource | undefined): Promise<ExecuteOutcome> {
  const { config, store, cwd, logger } = workspace;
  const { drill } = typeof options.drill === 'string' ? await loadDrill(options.drill, cwd) : options.drill;
  const vendorName = options.ticket ? (options.vendor ?? config.defaultVendor) : null;
  // A vendor that is not configured, or configured wrongly, fails here: before the browser starts.
  const vendor = vendorName ? workspace.adapters.vendor(vendorName) : null;
  await vendor?.adapter.preflight?.();
  // The run scorecard goes out when the ticket settles: its SMTP password must be there too.
  if (vendor && config.mail?.smtp?.auth && config.scorecards.email !== 'none') resolveSecret(config.mail.smtp.auth.pass, 'mail.smtp.auth.pass');
  const providerName = options.provider ?? drill.classroom.provider;
  const provider = createProvider(providerName, drill, config);
  const runId = newRunId();
  await store.createRun({ id: runId, drill: drill.name, provider: providerName, vendor: vendorName, status: 'created', phase: 'loading' });

  let result: RunResult;
  // Phase writes are chained so they land in order; the run's outcome is written after the last.
  let phases: Promise<unknown> = Promise.resolve();
  try {
    result = await runDrill(drill, {
      runId,
      cwd,
      dataDir: config.dataDir,
      provider,
      browser: { env: process.env.SUPPORTDRILL_CHROME, configured: config.chrome ?? undefined },
      browsers,
      signal: options.signal,
      logger,
      onProgress: (event) => {
        const phase = PHASES[event.phase];
        if (phase) phases = phases.then(() => store.updateRun(runId, phase)).catch((err: unknown) => logger?.warn({ runId }, `recording the run's phase failed: ${(err as Error).message}`));
        options.onProgress?.(event);
      },
    });
  } catch (err) {
    await phases;
    const interrupted = err instanceof RunInterrupted;
    await store.updateRun(runId, { status: interrupted ? 'interrupted' : 'failed', error: (err as Error).message, endedAt: new Date() });
    throw err;
  }
  await phases;
  const run = await store.saveRunResult(runId, result);

  // Only an observed failure is worth a ticket: a control drill that held has nothing to report.
  const control = effectiveExpectation(drill).freeze === 'none';
  if (!result.reproduced || control || !vendorName) {
    if (vendorName && !result.reproduced) options.onNotFiled?.(`not reproduced (${result.reason}): nothing filed`);
    else if (vendorName && control) options.onNotFiled?.('control drill (no failure expected): nothing filed');
    if (vendorName) await store.updateRun(runId, { vendor: null });
    return { result, exitCode: result.reproduced ? 0 : 1 };
  }

  let ticket: TicketRow;
  try {
    const filed = await fileRunTicket(workspace, run, { vendor: vendorName, drill });
    ticket = filed.ticket;
    options.onFiled?.(ticket, filed.reused);
  } catch (err) {
    const report = await loadTicketReport(store, (await store.getTicketByRun(runId))!.id);
    result.ticket = report;
    const again = report.filing.retryAt
      ? `a running \`supportdrill serve\` files it again at ${report.filing.retryAt}, or \`npx supportdrill tickets retry\` now`
      : `\`npx supportdrill tickets retry\` files it again once that is fixed`;
    options.onNotFiled?.(`filing with ${vendorName} failed: ${(err as Error).message}. The run is marked "filing failed"; ${again}.`);
    return { result, exitCode: 3 };
  }

  if (options.wait ?? waitsByDefault(vendor!.config.adapter)) {
    const watcher = ticketWatcher(workspace, {
      onActivity: options.onActivity,
      onScorecard: (delivery) => options.onScorecard?.(delivery),
      relayStoredActivity: true,
      conversation: { onHandoff: options.onHandoff, rerun: rerunFor(workspace) },
    });
    await watcher.run({ signal: options.signal, untilIdle: true, ticketIds: [ticket.id] });
  }
  result.ticket = await loadTicketReport(store, ticket.id);
  return { result, exitCode: 0 };
}

/** The store's record of where a run is, per progress event (the rest leave it as it is). */
const PHASES: Partial<Record<Progress['phase'], RunPatch>> = {
  'run-created': { status: 'running', phase: 'launching browser' },
  'browser-up': { status: 'running', phase: 'opening classroom' },
  'in-session': { status: 'in-session', phase: 'class in session' },
  'fault-on': { phase: 'fault timeline' },
  'class-over': { phase: 'saving evidence' },
};

/**
 * Runs a ticket's drill again, on the same provider, filing nothing: what the conversation does for a
 * vendor that asks us to reproduce it (when `conversation.rerun` allows), so that the answer carries
 * the new run's evidence. The new run is a run of its own in the store.
 */
export function rerunFor(workspace: Workspace, signal?: AbortSignal): (run: RunRow) => Promise<RunResult | null> {
  return async (run) => {
    const { result } = await executeRun(workspace, { drill: run.drill, provider: run.provider, ticket: false, signal });
    await workspace.store.updateRun(result.runId, { phase: `run again for the vendor on ${run.id}` });
    return result;
  };
}
