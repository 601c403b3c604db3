import { fileRunTicket } from '../../pipeline/file-run-ticket.ts';
import type { Workspace } from '../../pipeline/workspace.ts';
import { findTicket } from './find-ticket.ts';

/** `tickets retry [<ref> …]`: file again the tickets whose filing failed; one run's failure does not stop the others. */
export async function retryFiling(workspace: Workspace, refs: string[]): Promise<number> {
  const { store } = workspace;
  const failed = refs.length ? await Promise.all(refs.map((ref) => findTicket(store, ref))) : await store.listTickets({ state: 'filing-failed' });
  if (failed.length === 0) {
    process.stdout.write('No ticket whose filing failed.\n');
    return 0;
  }
  let code = 0;
  for (const ticket of failed) {
    if (ticket.state !== 'filing-failed' && ticket.state !== 'filing') {
      process.stdout.write(`${ticket.ref}: already filed as ${ticket.vendorTicketId} (${ticket.state})\n`);
      continue;
    }
    try {
      const run = await store.getRun(ticket.runId);
      if (!run) throw new Error(`run ${ticket.runId} is not in the store`);
      const { ticket: filed, reused } = await fileRunTicket(workspace, run, { vendor: ticket.vendor });
      process.stdout.write(`${ticket.ref}: ${reused ? 'found at the vendor' : 'filed'} as ${filed.vendorTicketId}${filed.url ? ` ${filed.url}` : ''}\n`);
    } catch (err) {
      process.stdout.write(`${ticket.ref}: filing with ${ticket.vendor} failed again: ${(err as Error).message}\n`);
      code = 3;
    }
  }
  return code;
}
