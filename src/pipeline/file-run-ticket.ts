import { resolve } from 'node:path';
import type { VendorConfig } from '../config/vendor-entry.ts';
import { formatMs } from '../core/duration.ts';
import { prefixed } from '../core/errors.ts';
import { latestSlaDeadline, SLA_WATCH_MARGIN_MS } from '../core/sla.ts';
import { loadDrill } from '../drill/loader.ts';
import type { RunRow, TicketRow } from '../store/rows.ts';
import { fileTicketOnce } from '../support/filing.ts';
import { renderTicket, type RenderTicketInput } from '../support/ticket-template.ts';
import type { PoolVendor } from './adapter-pool.ts';
import type { Workspace } from './workspace.ts';

export interface FileRunTicketOptions {
  /** The vendor to file with, by its config name. @defaultValue the run's vendor */
  vendor?: string;
  /** The drill as it ran; loaded by the run's drill name when absent. */
  drill?: RenderTicketInput['drill'] & { watchTimeout?: number };
  /**
   * When watching may give up; the vendor's SLA can make the watch longer (see {@link watchEnd}).
   * @defaultValue the ticket's own deadline, else now + the drill's `watchTimeout` or the config's `watch.timeout`
   */
  watchUntil?: Date;
}

/** When a ticket's watch ends, and why. */
export interface WatchLength {
  until: Date;
  /** The last deadline of the vendor's SLA from the filing, or `null` when the SLA sets no target. */
  slaDeadline: Date | null;
  /** Whether the SLA made the watch longer than the configured one. */
  lengthenedBySla: boolean;
}



/**
 * When the watch of a ticket filed at `filedAt` ends: the configured end, or — when the vendor's SLA
 * has a deadline after it — that deadline plus a margin ({@link SLA_WATCH_MARGIN_MS}, or two poll
 * intervals if longer). A watch that ends before a deadline leaves that target unjudged: a ticket
 * unresolved at its deadline has missed it, but only a watch that lasts past the deadline sees that.
 */
export function watchEnd(configuredUntil: Date, filedAt: Date, vendor: Pick<VendorConfig, 'sla' | 'businessHours'>, pollIntervalMs: number): WatchLength {
  const slaDeadline = latestSlaDeadline(filedAt, vendor.sla, vendor.businessHours);
  const floor = slaDeadline ? slaDeadline.getTime() + Math.max(SLA_WATCH_MARGIN_MS, 2 * pollIntervalMs) : -Infinity;
  const lengthenedBySla = floor > configuredUntil.getTime();
  return { until: lengthenedBySla ? new Date(floor) : configuredUntil, slaDeadline, lengthenedBySla };
}

/**
 * Files a scored run's ticket exactly once (see {@link fileTicketOnce}): renders it from the run's
 * saved result and its drill's template in the vendor's timezone, then files it. The one path every
 * filing takes — a drill that just ran, `tickets retry`, and the service completing a filing a
 * restart interrupted. The ticket is watched at least until every deadline of the vendor's SLA has
 * passed ({@link watchEnd}). Throws when the vendor refuses or cannot be reached; the ticket is then
 * `filing-failed` and this can be called again.
 */
export async function fileRunTicket(
  workspace: Workspace,
  run: RunRow,
  options: FileRunTicketOptions = {},
): Promise<{ ticket: TicketRow; reused: boolean; watch: WatchLength | null }> {
  const { config, store, cwd } = workspace;
  const name = options.vendor ?? run.vendor;
  if (!name) throw new Error(prefixed('pipeline', `run ${run.id} names no vendor to file with`));
  const vendor = workspace.adapters.vendor(name);
  if (!run.result) throw new Error(prefixed('pipeline', `run ${run.id} has no saved result to file from`));
  const drill = options.drill ?? (await loadDrill(run.drill, cwd)).drill;
  const existing = await store.getTicketByRun(run.id);
  const draft = renderTicket({
    result: run.result,
    drill,
    vendorTimezone: vendor.config.timezone,
    disclosure: config.disclosure,
    evidenceDir: resolve(cwd, run.result.evidenceDir),
  });
  const configured =
    options.watchUntil ?? (existing?.watchUntil ? new Date(existing.watchUntil) : new Date(Date.now() + (drill.watchTimeout ?? config.watch.timeout)));
  const pollMs = vendor.config.pollInterval ?? vendor.adapter.defaultPollIntervalMs;
  // The vendor's filing time is known only once it has the ticket; until then now stands in for it,
  // which bounds the retries of a filing the vendor could not take.
  const planned = watchEnd(configured, new Date(), vendor.config, pollMs);
  const filed = await fileTicketOnce({ store, adapter: vendor.adapter, vendor: name, draft, watchUntil: planned.until });
  return { ...filed, ...(await holdWatchToSla(workspace, filed.ticket, vendor, configured, pollMs)) };
}

/**
 * Lengthens an open ticket's watch to its SLA's last deadline counted from the vendor's own filing
 * time (a filing retried hours later, or a row written before this rule, would otherwise end early).
 * Never shortens a watch, and leaves a settled ticket as it is.
 */
async function holdWatchToSla(
  workspace: Workspace,
  ticket: TicketRow,
  vendor: PoolVendor,
  configured: Date,
  pollMs: number,
): Promise<{ ticket: TicketRow; watch: WatchLength | null }> {
  if (ticket.state !== 'open' || !ticket.filedAt || ticket.watchUntil === null) return { ticket, watch: null };
  const watch = watchEnd(configured, new Date(ticket.filedAt), vendor.config, pollMs);
  const row = Date.parse(ticket.watchUntil) < watch.until.getTime() ? await workspace.store.updateTicket(ticket.id, { watchUntil: watch.until }) : ticket;
  if (watch.lengthenedBySla) {
    const sla = vendor.config.sla.tier ?? 'explicit targets';
    workspace.logger?.info(
      { vendor: vendor.name, ref: ticket.ref, watchUntil: row.watchUntil, slaDeadline: watch.slaDeadline?.toISOString() },
      `watching ${ticket.ref} until ${row.watchUntil}: ${vendor.name}'s SLA (${sla}) has its last deadline at ${watch.slaDeadline?.toISOString()}, ` +
        `after the configured watch (${formatMs(configured.getTime() - Date.parse(ticket.filedAt))} from filing)`,
    );
  }
  return { ticket: row, watch: { ...watch, until: new Date(row.watchUntil!) } };
}
