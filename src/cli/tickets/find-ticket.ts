import { UserError, prefixed } from '../../core/errors.ts';
import type { TicketRow } from '../../store/rows.ts';
import type { Store } from '../../store/store.ts';

/** A ticket by its reference (`DRILL-…`, or the part after `DRILL-`), its number or its run id. */
export async function findTicket(store: Store, key: string): Promise<TicketRow> {
  const ticket =
    (await store.getTicketByRef(key)) ??
    (await store.getTicketByRef(`DRILL-${key}`)) ??
    (/^\d+$/.test(key) ? await store.getTicket(Number(key)) : null) ??
    (await store.getTicketByRun(key));
  if (!ticket) throw new UserError(prefixed(undefined, `No ticket '${key}'. Give its reference (DRILL-…), its number or its run id; \`npx supportdrill tickets\` lists them.`));
  return ticket;
}
