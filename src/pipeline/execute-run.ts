import { UserError } from '../core/errors.ts';
import type { RunResult } from '../core/run-result.ts';
import { resolveSecret } from '../core/secrets.ts';
import { newRunId } from '../core/run-id.ts';
import { checkProbe } from '../classroom/probe-check.ts';
import type { ClassroomProvider } from '../classroom/providers/provider.ts';
import { createProvider } from '../classroom/providers/registry.ts';
import { loadDrill, type LoadedDrill } from '../drill/loader.ts';
import type { Drill } from '../drill/schema.ts';
import type { Progress } from '../drill/progress.ts';
import { RunInterrupted, runDrill } from '../drill/runner.ts';
import { effectiveExpectation, isControl } from '../drill/verdict.ts';
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
  /**
   * A run did not reproduce (or its class was unhealthy before the first fault) and is run again
   * as `next`: it is kept, but does not count.
   */
  onRetry?(previous: RunResult, next: { runId: string; attempt: number; of: number }): void;
  /** How many times a run that did not reproduce is run again; the drill's `retries` when absent. */
  retries?: number;
  onActivity?(ticket: TicketRow, activity: ActivityRow): void;
  /** The run scorecard was e-mailed (or written to the outbox) when the ticket settled. */
  onScorecard?(delivery: Delivery): void;
  /** A vendor question only a person can answer was handed to the operator (while waiting). */
  onHandoff?(ticket: TicketRow, message: MessageRow): void;
  /** The class's browser (the service's warm one); else one is launched for this run while the drill loads. */
  browsers?: BrowserSource;
}

export interface ExecuteOutcome {
  /** The last attempt's result (`attempt.retryOf` names the one before). */
  result: RunResult;
  /**
   * 0 reproduced, 1 not reproduced, 2 reproduced but the probe lost its network before filing
   * (a set-up failure: nothing filed), 3 reproduced but the ticket could not be filed, 4 the class
   * was unhealthy before the first fault (nothing injected, nothing filed).
   */
  exitCode: number;
}

/** The exit code of a run whose class was unhealthy before the first fault. */
export const UNHEALTHY_BASELINE_EXIT = 4;

/**
 * One run end to end — class, score, file, wait: the run is written before the browser starts and
 * updated as it goes, then scored, its ticket filed once, and watched until it settles when the
 * vendor's adapter (or `wait`) says so. A vendor that is not configured, or configured wrongly, and
 * a provider, vendor or mail server without its credentials fail before the browser starts. The vendor
 * is resolved once. A run that did not reproduce is run again up to the drill's `retries` (never a
 * control drill's): each attempt is a run of its own, and only the last can be filed.
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
  const { config, store, cwd } = workspace;
  const { drill } = typeof options.drill === 'string' ? await loadDrill(options.drill, cwd) : options.drill;
  const vendorName = options.ticket ? (options.vendor ?? config.defaultVendor) : null;
  // A vendor that is not configured, or configured wrongly, fails here: before the browser starts.
  const vendor = vendorName ? workspace.adapters.vendor(vendorName) : null;
  await vendor?.adapter.preflight?.();
  // The run scorecard goes out when the ticket settles: its SMTP password must be there too.
  if (vendor && config.mail?.smtp?.auth && config.scorecards.email !== 'none') resolveSecret(config.mail.smtp.auth.pass, 'mail.smtp.auth.pass');
  const providerName = options.provider ?? drill.classroom.provider;
  const firstProvider = createProvider(providerName, drill, config);
  // Only an observed failure is worth a ticket: a control drill that held has nothing to report.
  const control = isControl(effectiveExpectation(drill));
  const retries = control ? 0 : (options.retries ?? drill.retries);
  let runId = newRunId();
  let previous: RunResult | undefined;
  for (let number = 1; ; number++) {
    const provider = number === 1 ? firstProvider : createProvider(providerName, drill, config);
    // The first attempt's browser was launched while the drill loaded; a later one gets its own.
    const attempt = { number, ...(previous ? { retryOf: previous.runId } : {}) };
    const result = await runAttempt(workspace, options, { drill, runId, provider, providerName, vendorName, attempt, browsers: number === 1 ? browsers : options.browsers });
    if (result.reproduced || number > retries) return finish(workspace, options, { drill, result, provider, vendorName, control, vendor });
    const next = newRunId();
    // Kept for the record, not counted: the retry is what the drill's outcome is.
    await store.updateRun(runId, { vendor: null, phase: `${result.outcome ?? 'not-reproduced'}; run again as ${next}` });
    options.onRetry?.(result, { runId: next, attempt: number + 1, of: retries + 1 });
    previous = result;
    runId = next;
  }
}

interface Attempt {
  drill: Drill;
  runId: string;
  provider: ClassroomProvider;
  providerName: string;
  vendorName: string | null;
  attempt: { number: number; retryOf?: string };
  browsers: BrowserSource | undefined;
}

/** One attempt: the run's row, its class, its result saved. */
async function runAttempt(workspace: Workspace, options: ExecuteRunOptions, input: Attempt): Promise<RunResult> {
  const { config, store, cwd, logger } = workspace;
  const { drill, runId, provider, providerName, vendorName, attempt, browsers } = input;
  const retryOf = attempt.retryOf ? ` (retry of ${attempt.retryOf})` : '';
  await store.createRun({ id: runId, drill: drill.name, provider: providerName, vendor: vendorName, status: 'created', phase: `loading${retryOf}` });

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
  result.attempt = attempt;
  await store.saveRunResult(runId, result);
  return result;
}

/** After the last attempt: file its ticket when it reproduced and the probe is still fit to, and wait for the vendor. */
async function finish(
  workspace: Workspace,
  options: ExecuteRunOptions,
  input: { drill: Drill; result: RunResult; provider: ClassroomProvider; vendorName: string | null; control: boolean; vendor: ReturnType<Workspace['adapters']['vendor']> | null },
): Promise<ExecuteOutcome> {
  const { store } = workspace;
  const { drill, result, provider, vendorName, control, vendor } = input;
  const runId = result.runId;
  if (result.outcome === 'unhealthy-baseline') {
    if (vendorName) {
      options.onNotFiled?.(`the class was not healthy before the first fault, so no fault was injected and nothing is filed: a ticket would blame ${vendorName} for what was wrong before the drill began (${result.reason})`);
      await store.updateRun(runId, { vendor: null });
    }
    return { result, exitCode: UNHEALTHY_BASELINE_EXIT };
  }
  if (!result.reproduced || control || !vendorName) {
    if (vendorName && !result.reproduced) options.onNotFiled?.(`not reproduced (${result.reason}): nothing filed`);
    else if (vendorName && control) options.onNotFiled?.('control drill (no failure expected): nothing filed');
    if (vendorName) await store.updateRun(runId, { vendor: null });
    return { result, exitCode: result.reproduced ? 0 : 1 };
  }

  // Checked again now: a probe whose network died during the class measured itself, not the vendor.
  try {
    await checkProbe(provider, { when: 'before filing' });
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    await store.updateRun(runId, { status: 'failed', vendor: null, phase: 'probe check failed before filing', error: err.message, endedAt: new Date() });
    options.onNotFiled?.(`${err.message.replace(/^\[supportdrill\] /, '')} The run is marked failed.`);
    return { result, exitCode: 2 };
  }
  const run = (await store.getRun(runId))!;

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
