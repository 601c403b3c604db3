import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { getVendor, loadConfig, type Config } from '../config.ts';
import { AdapterPool } from '../drill/execute.ts';
import { loadDrill } from '../drill/loader.ts';
import { formatMs } from '../drill/duration.ts';
import { UserError } from '../errors.ts';
import { createLogger } from '../log.ts';
import { openStore, type Store, type TicketRow } from '../store/store.ts';
import { fileTicketOnce } from '../support/filing.ts';
import { renderTicket } from '../support/ticket-template.ts';
import { loadTicketReport, ticketReport } from '../support/ticket-report.ts';
import { Watcher } from '../support/watcher.ts';
import { textTable } from './table.ts';
import { activityLine, ticketSummary } from './ticket-output.ts';

export const TICKETS_USAGE = `Usage: supportdrill tickets [list] [--json] [--state STATE] [--vendor NAME]
       supportdrill tickets show <ref|id> [--json]
       supportdrill tickets watch [--until-idle] [--json]
       supportdrill tickets retry [<ref> …]

  list    tickets with their state and timings (the default)
  show    one ticket: its activity, timings and SLA verdict
  watch   run the watcher in the foreground: poll every open ticket at its vendor's interval,
          print each activity as it arrives; --until-idle stops when no ticket is open
  retry   file again the tickets whose filing failed (all of them, or the refs given); a ticket
          the vendor already has is found, not filed twice

Common options: --config PATH, --data-dir DIR`;

interface Context {
  config: Config;
  store: Store;
}

async function open(values: { config?: string; 'data-dir'?: string }): Promise<Context> {
  const { config } = await loadConfig({ configPath: values.config });
  if (values['data-dir']) config.dataDir = resolve(values['data-dir']);
  return { config, store: openStore(config.dataDir) };
}

function findTicket(store: Store, key: string): TicketRow {
  const ticket = store.getTicketByRef(key) ?? store.getTicketByRef(`DRILL-${key}`) ?? (/^\d+$/.test(key) ? store.getTicket(Number(key)) : null) ?? store.getTicketByRun(key);
  if (!ticket) throw new UserError(`[supportdrill] No ticket '${key}'. Give its reference (DRILL-…), its number or its run id; \`npx supportdrill tickets\` lists them.`);
  return ticket;
}

export async function ticketsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      state: { type: 'string' },
      vendor: { type: 'string' },
      'until-idle': { type: 'boolean', default: false },
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
  const context = await open(values);
  try {
    switch (sub) {
      case 'list':
        return list(context, values);
      case 'show':
        if (rest.length !== 1) throw new UserError(`[supportdrill] tickets show takes one ticket.\n\n${TICKETS_USAGE}`);
        return show(context, rest[0]!, values.json);
      case 'watch':
        return await watch(context, values);
      case 'retry':
        return await retry(context, rest);
      default:
        throw new UserError(`[supportdrill] Unknown tickets command '${sub}'.\n\n${TICKETS_USAGE}`);
    }
  } finally {
    context.store.close();
  }
}

function list({ store }: Context, values: { json: boolean; state?: string; vendor?: string }): number {
  const tickets = store.listTickets({ state: values.state as never, vendor: values.vendor });
  if (values.json) {
    process.stdout.write(JSON.stringify(tickets.map((t) => ticketReport(t, store.activities(t.id))), null, 2) + '\n');
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

function show({ store }: Context, key: string, json: boolean): number {
  const ticket = findTicket(store, key);
  const report = loadTicketReport(store, ticket.id);
  if (json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return 0;
  }
  for (const activity of store.activities(ticket.id)) process.stdout.write(activityLine(ticket, activity) + '\n');
  process.stdout.write('\n' + ticketSummary(report) + '\n');
  return 0;
}

async function watch({ config, store }: Context, values: { json: boolean; 'until-idle': boolean }): Promise<number> {
  const logger = createLogger({ level: 'info' });
  const adapters = new AdapterPool(config, logger);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const print = (line: string) => process.stdout.write(line + '\n');
  try {
    const open = store.openTickets();
    if (!values.json) print(`watching ${open.length} open ticket(s)${values['until-idle'] ? ' until none is open' : ' (Ctrl-C stops)'}`);
    const watcher = new Watcher({
      store,
      config,
      logger,
      adapterFor: (name) => adapters.get(name),
      onActivity: (ticket, activity) =>
        print(values.json ? JSON.stringify({ ref: ticket.ref, id: activity.vendorActivityId, at: activity.at, kind: activity.kind, status: activity.statusChange }) : `${ticket.ref} ${activityLine(ticket, activity)}`),
      onTicket: (ticket) => {
        if (!values.json && ticket.state !== 'open') print(`${ticket.ref}: ${ticket.state}${ticket.error ? ` — ${ticket.error}` : ''}`);
      },
    });
    await watcher.run({ signal: controller.signal, untilIdle: values['until-idle'] });
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await adapters.close();
  }
}

async function retry({ config, store }: Context, refs: string[]): Promise<number> {
  const failed = refs.length ? refs.map((ref) => findTicket(store, ref)) : store.listTickets({ state: 'filing-failed' });
  if (failed.length === 0) {
    process.stdout.write('No ticket whose filing failed.\n');
    return 0;
  }
  const adapters = new AdapterPool(config);
  let code = 0;
  try {
    for (const ticket of failed) {
      if (ticket.state !== 'filing-failed' && ticket.state !== 'filing') {
        process.stdout.write(`${ticket.ref}: already filed as ${ticket.vendorTicketId} (${ticket.state})\n`);
        continue;
      }
      const run = store.getRun(ticket.runId);
      if (!run?.result) throw new UserError(`[supportdrill] Run ${ticket.runId} has no saved result to file from.`);
      const { drill } = await loadDrill(run.drill);
      const draft = renderTicket({
        result: run.result,
        drill,
        vendorTimezone: getVendor(config, ticket.vendor).timezone,
        disclosure: config.disclosure,
        evidenceDir: resolve(run.result.evidenceDir),
      });
      try {
        const { ticket: filed, reused } = await fileTicketOnce({ store, adapter: adapters.get(ticket.vendor), vendor: ticket.vendor, draft, watchUntil: new Date(ticket.watchUntil ?? Date.now() + config.watch.timeout) });
        process.stdout.write(`${ticket.ref}: ${reused ? 'found at the vendor' : 'filed'} as ${filed.vendorTicketId}${filed.url ? ` ${filed.url}` : ''}\n`);
      } catch (err) {
        process.stdout.write(`${ticket.ref}: filing with ${ticket.vendor} failed again: ${(err as Error).message}\n`);
        code = 3;
      }
    }
  } finally {
    await adapters.close();
  }
  return code;
}
