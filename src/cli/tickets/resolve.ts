import type { Config } from '../../config/config.ts';
import { formatMs } from '../../core/duration.ts';
import { UserError, prefixed } from '../../core/errors.ts';
import type { Workspace } from '../../pipeline/workspace.ts';
import type { TicketRow } from '../../store/rows.ts';
import type { Store } from '../../store/store.ts';
import { loadTicketReport } from '../../support/ticket-report.ts';
import { Watcher } from '../../support/watcher.ts';
import { ticketSummary } from '../ticket-output.ts';
import { operatorName } from '../operator-name.ts';
import { findTicket } from './find-ticket.ts';

/** The `vendorActivityId` prefix of resolutions the operator records; no vendor uses it. */
export const OPERATOR_RESOLUTION_PREFIX = 'operator-resolution:';

/**
 * Records the operator's word that the vendor resolved a ticket: a `resolution` activity at the
 * vendor's time of resolving, by the operator (author role `end-user`, named `operator: …`), then
 * the ticket's timings, SLA verdict and state are recomputed as after a poll.
 */
export async function recordOperatorResolution(
  { config, store }: { config: Config; store: Store },
  ticket: TicketRow,
  input: { at: Date; note: string; by: string; now?: Date },
): Promise<TicketRow> {
  const now = input.now ?? new Date();
  if (!ticket.filedAt) throw new UserError(prefixed(undefined, `${ticket.ref} was never filed (${ticket.state}); there is nothing to resolve.`));
  if (input.at.getTime() < Date.parse(ticket.filedAt)) {
    throw new UserError(prefixed(undefined, `--at ${input.at.toISOString()} is before ${ticket.ref} was filed (${ticket.filedAt}).`));
  }
  if (input.at.getTime() > now.getTime() + 60_000) throw new UserError(prefixed(undefined, `--at ${input.at.toISOString()} is in the future.`));
  await store.recordActivity(ticket.id, {
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
      throw new Error(prefixed(undefined, 'recording a resolution does not call the vendor'));
    },
  });
  return watcher.rescore((await store.getTicket(ticket.id))!);
}

/** An instant the operator typed: ISO-8601 with a zone (or `Z`), or `now`. */
export function parseOperatorTime(text: string | undefined, now = new Date()): Date {
  if (text === undefined || text.trim() === '') {
    throw new UserError(prefixed(undefined, 'tickets resolve needs --at: when the vendor resolved it, e.g. --at 2026-11-29T14:02:00+08:00 or --at now'));
  }
  if (text.trim() === 'now') return now;
  const zoned = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim());
  const at = new Date(text.trim().replace(' ', 'T'));
  if (!zoned || Number.isNaN(at.getTime())) {
    throw new UserError(prefixed(undefined, `--at '${text}' is not a time with its zone; write it like 2026-11-29T14:02:00+08:00, 2026-11-29T06:02:00Z or now.`));
  }
  return at;
}

/** `tickets resolve <ref> --at … --note …`. */
export async function resolveByOperator(workspace: Workspace, key: string, values: { json: boolean; at?: string; note?: string; by?: string }): Promise<number> {
  const ticket = await findTicket(workspace.store, key);
  const at = parseOperatorTime(values.at);
  if (!values.note?.trim()) throw new UserError(prefixed(undefined, 'tickets resolve needs --note: how you know the vendor resolved it (their words, a call, …).'));
  const by = operatorName(values.by);
  const updated = await recordOperatorResolution(workspace, ticket, { at, note: values.note.trim(), by });
  const report = await loadTicketReport(workspace.store, updated.id);
  if (values.json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(`${updated.ref}: resolution recorded at ${at.toISOString()} by the operator (${by}), ${formatMs(report.timings.resolutionMs)} after filing\n\n`);
  process.stdout.write(ticketSummary(report) + '\n');
  return 0;
}
