import type { Workspace } from '../../pipeline/workspace.ts';
import { loadTicketReport } from '../../support/ticket-report.ts';
import { activityLine, ticketSummary } from '../ticket-output.ts';
import { findTicket } from './find-ticket.ts';

/** `tickets show <ref>`: one ticket's activity, timings and SLA verdict. */
export async function showTicket({ store }: Workspace, key: string, json: boolean): Promise<number> {
  const ticket = await findTicket(store, key);
  const report = await loadTicketReport(store, ticket.id);
  if (json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return 0;
  }
  for (const activity of await store.activities(ticket.id)) process.stdout.write(activityLine(ticket, activity) + '\n');
  process.stdout.write('\n' + ticketSummary(report) + '\n');
  return 0;
}
