import { resolve } from 'node:path';
import { prefixed } from '../core/errors.ts';
import { loadDrill } from '../drill/loader.ts';
import type { RunRow, TicketRow } from '../store/rows.ts';
import { fileTicketOnce } from '../support/filing.ts';
import { renderTicket, type RenderTicketInput } from '../support/ticket-template.ts';
import type { Workspace } from './workspace.ts';

export interface FileRunTicketOptions {
  /** The vendor to file with, by its config name. @defaultValue the run's vendor */
  vendor?: string;
  /** The drill as it ran; loaded by the run's drill name when absent. */
  drill?: RenderTicketInput['drill'] & { watchTimeout?: number };
  /** When watching gives up. @defaultValue the ticket's own deadline, else now + the drill's `watchTimeout` or the config's `watch.timeout` */
  watchUntil?: Date;
}

/**
 * Files a scored run's ticket exactly once (see {@link fileTicketOnce}): renders it from the run's
 * saved result and its drill's template in the vendor's timezone, then files it. The one path every
 * filing takes — a drill that just ran, `tickets retry`, and the service completing a filing a
 * restart interrupted. Throws when the vendor refuses or cannot be reached; the ticket is then
 * `filing-failed` and this can be called again.
 */
export async function fileRunTicket(workspace: Workspace, run: RunRow, options: FileRunTicketOptions = {}): Promise<{ ticket: TicketRow; reused: boolean }> {
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
  const watchUntil =
    options.watchUntil ?? (existing?.watchUntil ? new Date(existing.watchUntil) : new Date(Date.now() + (drill.watchTimeout ?? config.watch.timeout)));
  return fileTicketOnce({ store, adapter: vendor.adapter, vendor: name, draft, watchUntil });
}
