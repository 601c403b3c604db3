import { ticketRef } from '../core/run-id.ts';
import type { Logger } from '../core/log.ts';
import { refileDue, type RefileOptions } from '../pipeline/refile-due.ts';
import type { Workspace } from '../pipeline/workspace.ts';
import type { ScheduledDrill } from './scheduled-drills.ts';

/** Run statuses that mean "the class was still going": such a run cannot be resumed, only marked. */
const CUT_OFF = ['created', 'running', 'in-session'] as const;

/**
 * What a start does before anything fires: a run cut off in its class is marked `interrupted`,
 * never re-run or filed (the freeze it measured is gone); a run scored but stopped before its ticket
 * row was written is filed now; and every ticket left `filing` is completed — the vendor is asked
 * for it first, so one that reached the vendor is found, not filed twice (see {@link refileDue}).
 */
export async function recover(workspace: Workspace, drills: readonly ScheduledDrill[], log: Logger): Promise<void> {
  const { store, config } = workspace;
  const now = new Date();
  for (const run of await store.listRuns({ status: CUT_OFF })) {
    await store.updateRun(run.id, {
      status: 'interrupted',
      phase: `interrupted (was: ${run.phase ?? run.status})`,
      error: 'the service stopped during the run; the class cannot be resumed, so nothing was filed',
      endedAt: now,
    });
    log.warn({ runId: run.id, drill: run.drill }, 'a run cut off by the last stop is marked interrupted');
  }
  for (const run of await store.listRuns({ status: 'scored' })) {
    if (!run.reproduced || !run.vendor || (await store.getTicketByRun(run.id))) continue;
    await store.beginFiling(run.id, { vendor: run.vendor, ref: ticketRef(run.id), watchUntil: new Date(now.getTime() + config.watch.timeout) });
    log.warn({ runId: run.id, drill: run.drill, vendor: run.vendor }, 'a run scored but not filed before the last stop is filed now');
  }
  await refileDue(workspace, { log, drillFor: drillLookup(drills) });
}

/** The scheduled drills by name, for rendering a ticket of one of their runs. */
export function drillLookup(drills: readonly ScheduledDrill[]): NonNullable<RefileOptions['drillFor']> {
  return (name) => drills.find((d) => d.drill.name === name)?.drill;
}
