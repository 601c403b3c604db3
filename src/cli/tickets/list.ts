import { formatMs } from '../../core/duration.ts';
import { textTable } from '../../core/text-table.ts';
import type { Workspace } from '../../pipeline/workspace.ts';
import type { TicketState } from '../../store/rows.ts';
import { loadTicketReport, ticketReport } from '../../support/ticket-report.ts';

/** `tickets list`: tickets with their state and timings. */
export async function listTickets({ store }: Workspace, values: { json: boolean; state?: string; vendor?: string }): Promise<number> {
  const tickets = await store.listTickets({ state: values.state as TicketState | undefined, vendor: values.vendor });
  if (values.json) {
    const reports = await Promise.all(tickets.map((t) => loadTicketReport(store, t.id)));
    process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
    return 0;
  }
  if (tickets.length === 0) {
    process.stdout.write('No tickets yet. `npm run drill freeze-midclass` files one.\n');
    return 0;
  }
  const rows = tickets.map((t) => {
    const r = ticketReport(t, []);
    return [t.ref, t.vendor, t.vendorTicketId ?? '—', t.state, t.filedAt?.slice(0, 19).replace('T', ' ') ?? '—', formatMs(r.timings.firstHumanResponseMs), formatMs(r.timings.resolutionMs), r.sla?.overall ?? '—'];
  });
  process.stdout.write(textTable(['ref', 'vendor', 'vendor id', 'state', 'filed (UTC)', 'first human', 'resolution', 'SLA'], rows) + '\n');
  return 0;
}
