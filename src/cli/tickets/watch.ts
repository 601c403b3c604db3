import { rerunFor } from '../../pipeline/execute-run.ts';
import { ticketWatcher } from '../../pipeline/ticket-watcher.ts';
import type { Workspace } from '../../pipeline/workspace.ts';
import { activityLine } from '../ticket-output.ts';

/** `tickets watch`: the watcher in the foreground, one line per activity as it arrives. */
export async function watchTickets(workspace: Workspace, values: { json: boolean; 'until-idle': boolean }): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const print = (line: string) => process.stdout.write(line + '\n');
  try {
    const open = await workspace.store.openTickets();
    if (!values.json) print(`watching ${open.length} open ticket(s)${values['until-idle'] ? ' until none is open' : ' (Ctrl-C stops)'}`);
    const watcher = ticketWatcher(workspace, {
      relayStoredActivity: true,
      onActivity: (ticket, activity) =>
        print(values.json ? JSON.stringify({ ref: ticket.ref, id: activity.vendorActivityId, at: activity.at, kind: activity.kind, status: activity.statusChange }) : `${ticket.ref} ${activityLine(ticket, activity)}`),
      onTicket: (ticket) => {
        if (!values.json && ticket.state !== 'open') print(`${ticket.ref}: ${ticket.state}${ticket.error ? ` — ${ticket.error}` : ''}`);
      },
      onScorecard: (delivery, ticket) => {
        if (!values.json) print(delivery.path ? `${ticket.ref}: scorecard written to ${delivery.path}` : `${ticket.ref}: scorecard e-mailed to ${delivery.to.join(', ')}`);
      },
      conversation: {
        rerun: rerunFor(workspace, controller.signal),
        onHandoff: (ticket, message) => {
          if (!values.json) print(`${ticket.ref}: waiting on a person (${message.questions.map((q) => `"${q.text}"`).join(' ')}) — npx supportdrill tickets reply ${ticket.ref} --message "…"`);
        },
      },
    });
    await watcher.run({ signal: controller.signal, untilIdle: values['until-idle'] });
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
