import { parseArgs } from 'node:util';
import { UserError, prefixed } from '../core/errors.ts';
import { createLogger } from '../core/log.ts';
import { openWorkspace } from '../pipeline/workspace.ts';
import { listTickets } from './tickets/list.ts';
import { replyByOperator } from './tickets/reply.ts';
import { resolveByOperator } from './tickets/resolve.ts';
import { resumeWatching } from './tickets/resume.ts';
import { retryFiling } from './tickets/retry.ts';
import { showTicket } from './tickets/show.ts';
import { watchTickets } from './tickets/watch.ts';

export { OPERATOR_RESOLUTION_PREFIX, parseOperatorTime, recordOperatorResolution } from './tickets/resolve.ts';

export const TICKETS_USAGE = `Usage: supportdrill tickets [list] [--json] [--state STATE] [--vendor NAME]
       supportdrill tickets show <ref|id> [--json]
       supportdrill tickets watch [--until-idle] [--json]
       supportdrill tickets retry [<ref> …]
       supportdrill tickets resume [<ref> …]
       supportdrill tickets resolve <ref|id> --at <time> --note <text> [--by NAME] [--json]
       supportdrill tickets reply <ref|id> --message <text> [--attach FILE …] [--by NAME] [--json]

  list    tickets with their state and timings (the default)
  show    one ticket: its activity, timings and SLA verdict
  watch   run the watcher in the foreground: poll every open ticket at its vendor's interval,
          print each activity as it arrives; --until-idle stops when no ticket is open
  retry   file again the tickets whose filing failed (all of them, or the refs given); a ticket
          the vendor already has is found, not filed twice
  resume  watch again the tickets whose watching stopped (the vendor refused us: credentials,
          access), once that is fixed; all of them, or the refs given
  resolve record that the vendor resolved a ticket, for a vendor that says so in a way the
          watcher cannot see (an e-mail vendor that never sends a "solved" notice): --at is the
          time the vendor resolved it, ISO-8601 with its zone (2026-11-29T14:02:00+08:00) or 'now';
          --note says how you know. It is recorded as a resolution by the operator, not the vendor
  reply   answer the vendor yourself, through the ticket's own channel (the vendor asked something
          only a person can answer, or you want to add something): --message (or --message-file)
          and --attach, repeated; sent once and shown as the operator's in the conversation

Common options: --config PATH, --data-dir DIR`;

export async function ticketsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      state: { type: 'string' },
      vendor: { type: 'string' },
      'until-idle': { type: 'boolean', default: false },
      at: { type: 'string' },
      note: { type: 'string' },
      by: { type: 'string' },
      message: { type: 'string' },
      'message-file': { type: 'string' },
      attach: { type: 'string', multiple: true },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(TICKETS_USAGE + '\n');
    return 0;
  }
  const [sub = 'list', ...rest] = positionals;
  const logger = sub === 'watch' ? createLogger({ level: process.env.SUPPORTDRILL_LOG_LEVEL ?? 'info' }) : undefined;
  const workspace = await openWorkspace({ configPath: values.config, dataDir: values['data-dir'], logger });
  try {
    switch (sub) {
      case 'list':
        return await listTickets(workspace, values);
      case 'show':
        if (rest.length !== 1) throw new UserError(prefixed(undefined, `tickets show takes one ticket.\n\n${TICKETS_USAGE}`));
        return await showTicket(workspace, rest[0]!, values.json);
      case 'watch':
        return await watchTickets(workspace, values);
      case 'retry':
        return await retryFiling(workspace, rest);
      case 'resume':
        return await resumeWatching(workspace, rest);
      case 'resolve':
        if (rest.length !== 1) throw new UserError(prefixed(undefined, `tickets resolve takes one ticket.\n\n${TICKETS_USAGE}`));
        return await resolveByOperator(workspace, rest[0]!, values);
      case 'reply':
        if (rest.length !== 1) throw new UserError(prefixed(undefined, `tickets reply takes one ticket.\n\n${TICKETS_USAGE}`));
        return await replyByOperator(workspace, rest[0]!, values);
      default:
        throw new UserError(prefixed(undefined, `Unknown tickets command '${sub}'.\n\n${TICKETS_USAGE}`));
    }
  } finally {
    await workspace.close();
  }
}
