import type { Workspace } from '../../pipeline/workspace.ts';
import { findTicket } from './find-ticket.ts';

/**
 * `tickets resume [<ref> …]`: watch again the tickets whose watching stopped (the vendor refused us:
 * credentials, access), once the cause is fixed; all stopped tickets when none is named.
 */
export async function resumeWatching(workspace: Workspace, refs: string[]): Promise<number> {
  const { store } = workspace;
  const tickets = refs.length ? await Promise.all(refs.map((ref) => findTicket(store, ref))) : await store.listTickets({ state: 'stopped' });
  if (tickets.length === 0) {
    process.stdout.write('No ticket whose watching stopped.\n');
    return 0;
  }
  for (const ticket of tickets) {
    if (ticket.state !== 'stopped') {
      process.stdout.write(`${ticket.ref}: not stopped (${ticket.state}); nothing to resume\n`);
      continue;
    }
    await store.updateTicket(ticket.id, { state: 'open', error: null, pollErrors: 0, nextPollAt: null });
    process.stdout.write(`${ticket.ref}: watched again (it had stopped: ${ticket.error ?? 'no reason recorded'}); \`npx supportdrill tickets watch\` or the service polls it\n`);
  }
  return 0;
}
