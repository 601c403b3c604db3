import type { Logger } from '../core/log.ts';
import type { TicketRow } from '../store/rows.ts';
import { FilingInProgressError } from '../support/filing.ts';
import type { RenderTicketInput } from '../support/ticket-template.ts';
import { fileRunTicket } from './file-run-ticket.ts';
import type { Workspace } from './workspace.ts';

export interface RefileOptions {
  log: Logger;
  /** The drill of a run by its name, when the caller has it loaded (else it is loaded from `drills/`). */
  drillFor?(name: string): (RenderTicketInput['drill'] & { watchTimeout?: number }) | undefined;
  now?: () => Date;
}

/** What one pass did, for the log and the tests. */
export interface RefileOutcome {
  filed: string[];
  failed: string[];
}

/**
 * Completes the filings the store owes a vendor: every ticket left `filing` (its filer was killed;
 * one still alive holds the filing lease and is left alone) and every `filing-failed` one whose
 * retry time has come (the vendor was unavailable). Each is filed through {@link fileRunTicket},
 * which asks the vendor for the reference first, so a filing that did reach the vendor is found
 * rather than made twice. One ticket's failure never stops the others.
 */
export async function refileDue(workspace: Workspace, options: RefileOptions): Promise<RefileOutcome> {
  const { store } = workspace;
  const { log } = options;
  const now = (options.now ?? (() => new Date()))().getTime();
  const due = (t: TicketRow) => t.state === 'filing' || (t.refileAt !== null && Date.parse(t.refileAt) <= now);
  const tickets = (await store.listTickets({ state: ['filing', 'filing-failed'] })).filter(due);
  const outcome: RefileOutcome = { filed: [], failed: [] };
  for (const ticket of tickets) {
    try {
      const run = await store.getRun(ticket.runId);
      if (!run) throw new Error(`run ${ticket.runId} is not in the store`);
      const { ticket: filed, reused } = await fileRunTicket(workspace, run, { vendor: ticket.vendor, drill: options.drillFor?.(run.drill) });
      outcome.filed.push(ticket.ref);
      log.info(
        { ref: filed.ref, vendor: filed.vendor, vendorTicketId: filed.vendorTicketId, attempts: ticket.filingAttempts + 1 },
        reused ? 'an unfinished filing was found at the vendor' : 'an unfinished filing was completed',
      );
    } catch (err) {
      if (err instanceof FilingInProgressError) continue;
      outcome.failed.push(ticket.ref);
      const after = await store.getTicket(ticket.id).catch(() => null);
      const next = after?.refileAt
        ? `tried again at ${after.refileAt}`
        : `\`npx supportdrill tickets retry ${ticket.ref}\` tries again once that is fixed`;
      log.error({ ref: ticket.ref, vendor: ticket.vendor, attempts: after?.filingAttempts }, `filing ${ticket.ref} failed: ${(err as Error).message}; ${next}`);
    }
  }
  return outcome;
}
