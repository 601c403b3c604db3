import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { getVendor, loadConfig, type Config } from '../config.ts';
import { AdapterPool } from '../drill/execute.ts';
import { loadDrill } from '../drill/loader.ts';
import { formatMs } from '../core/duration.ts';
import { UserError } from '../core/errors.ts';
import { createLogger } from '../core/log.ts';
import { openStore, type Store, type TicketRow } from '../store/store.ts';
import { fileTicketOnce } from '../support/filing.ts';
import { renderTicket } from '../support/ticket-template.ts';
import { loadTicketReport, ticketReport } from '../support/ticket-report.ts';
import { runScorecardMailer } from '../report/notify.ts';
import { Watcher } from '../support/watcher.ts';
import { textTable } from '../core/text-table.ts';
import { activityLine, ticketSummary } from './ticket-output.ts';

export const TICKETS_USAGE = `Usage: supportdrill tickets [list] [--json] [--state STATE] [--vendor NAME]
       supportdrill tickets show <ref|id> [--json]
       supportdrill tickets watch [--until-idle] [--json]
       supportdrill tickets retry [<ref> …]
       supportdrill tickets resolve <ref|id> --at <time> --note <text> [--by NAME] [--json]

  list    tickets with their state and timings (the default)
  show    one ticket: its activity, timings and SLA verdict
  watch   run the watcher in the foreground: poll every open ticket at its vendor's interval,
          print each activity as it arrives; --until-idle stops when no ticket is open
  retry   file again the tickets whose filing failed (all of them, or the refs given); a ticket
          the vendor already has is found, not filed twice
  resolve record that the vendor resolved a ticket, for a vendor that says so in a way the
          watcher cannot see (an e-mail vendor that never sends a "solved" notice): --at is the
          time the vendor resolved it, ISO-8601 with its zone (2026-11-29T14:02:00+08:00) or 'now';
          --note says how you know. It is recorded as a resolution by the operator, not the vendor

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
      at: { type: 'string' },
      note: { type: 'string' },
      by: { type: 'string' },
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
      case 'resolve':
        if (rest.length !== 1) throw new UserError(`[supportdrill] tickets resolve takes one ticket.\n\n${TICKETS_USAGE}`);
        return resolveByOperator(context, rest[0]!, values);
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
      onSettled: runScorecardMailer({
        config,
        store,
        logger,
        onSent: (delivery, ticket) => {
          if (!values.json) print(delivery.path ? `${ticket.ref}: scorecard written to ${delivery.path}` : `${ticket.ref}: scorecard e-mailed to ${delivery.to.join(', ')}`);
        },
      }),
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

/** The `vendorActivityId` prefix of resolutions the operator records; no vendor uses it. */
export const OPERATOR_RESOLUTION_PREFIX = 'operator-resolution:';

/**
 * Records the operator's word that the vendor resolved a ticket: a `resolution` activity at the
 * vendor's time of resolving, by the operator (author role `end-user`, named `operator: …`), then
 * the ticket's timings, SLA verdict and state are recomputed as after a poll.
 */
export function recordOperatorResolution(
  { config, store }: Context,
  ticket: TicketRow,
  input: { at: Date; note: string; by: string; now?: Date },
): TicketRow {
  const now = input.now ?? new Date();
  if (!ticket.filedAt) throw new UserError(`[supportdrill] ${ticket.ref} was never filed (${ticket.state}); there is nothing to resolve.`);
  if (input.at.getTime() < Date.parse(ticket.filedAt)) {
    throw new UserError(`[supportdrill] --at ${input.at.toISOString()} is before ${ticket.ref} was filed (${ticket.filedAt}).`);
  }
  if (input.at.getTime() > now.getTime() + 60_000) throw new UserError(`[supportdrill] --at ${input.at.toISOString()} is in the future.`);
  store.recordActivity(ticket.id, {
    vendorActivityId: `${OPERATOR_RESOLUTION_PREFIX}${input.at.toISOString()}`,
    at: input.at,
    seenAt: now,
    kind: 'resolution',
    reasons: [`recorded by the operator (${input.by}) with \`tickets resolve\`: the vendor itself sent no resolution the watcher could see`],
    authorName: `operator: ${input.by}`,
    authorRole: 'end-user',
    text: input.note,
  });
  const watcher = new Watcher({
    store,
    config,
    now: () => now,
    adapterFor: () => {
      throw new Error('[supportdrill] recording a resolution does not call the vendor');
    },
  });
  return watcher.rescore(store.getTicket(ticket.id)!);
}

/** An instant the operator typed: ISO-8601 with a zone (or `Z`), or `now`. */
export function parseOperatorTime(text: string | undefined, now = new Date()): Date {
  if (text === undefined || text.trim() === '') {
    throw new UserError("[supportdrill] tickets resolve needs --at: when the vendor resolved it, e.g. --at 2026-11-29T14:02:00+08:00 or --at now");
  }
  if (text.trim() === 'now') return now;
  const zoned = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim());
  const at = new Date(text.trim().replace(' ', 'T'));
  if (!zoned || Number.isNaN(at.getTime())) {
    throw new UserError(`[supportdrill] --at '${text}' is not a time with its zone; write it like 2026-11-29T14:02:00+08:00, 2026-11-29T06:02:00Z or now.`);
  }
  return at;
}

function resolveByOperator(context: Context, key: string, values: { json: boolean; at?: string; note?: string; by?: string }): number {
  const ticket = findTicket(context.store, key);
  const at = parseOperatorTime(values.at);
  if (!values.note?.trim()) throw new UserError('[supportdrill] tickets resolve needs --note: how you know the vendor resolved it (their words, a call, …).');
  const by = values.by?.trim() || safeUserName();
  const updated = recordOperatorResolution(context, ticket, { at, note: values.note.trim(), by });
  const report = loadTicketReport(context.store, updated.id);
  if (values.json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(`${updated.ref}: resolution recorded at ${at.toISOString()} by the operator (${by}), ${formatMs(report.timings.resolutionMs)} after filing\n\n`);
  process.stdout.write(ticketSummary(report) + '\n');
  return 0;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'operator';
  }
}
