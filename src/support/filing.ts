import type { Store } from '../store/store.ts';
import type { TicketRow } from '../store/rows.ts';
import type { TicketDraft, VendorAdapter } from '../vendors/adapter.ts';

export interface FileTicketInput {
  store: Store;
  adapter: VendorAdapter;
  /** The vendor's name in the config. */
  vendor: string;
  draft: TicketDraft;
  watchUntil: Date;
}

/**
 * Files a run's ticket exactly once. The ticket row is written (state `filing`) before the vendor
 * is called, and the vendor is asked for the run's reference before anything is filed: a process
 * killed between "sent" and "recorded" finds its ticket at the vendor next time instead of filing
 * a second one.
 */
export async function fileTicketOnce({ store, adapter, vendor, draft, watchUntil }: FileTicketInput): Promise<{ ticket: TicketRow; reused: boolean }> {
  const row = await store.beginFiling(draft.runId, { vendor, ref: draft.ref, watchUntil });
  if (row.state !== 'filing' && row.state !== 'filing-failed') return { ticket: row, reused: true };
  await store.updateTicket(row.id, { title: draft.title, facts: draft.facts });
  await store.updateRun(draft.runId, { status: 'filing', phase: `filing with ${vendor}`, error: null });
  try {
    const found = await adapter.findTicket({ runId: draft.runId, ref: draft.ref });
    const filed = found ?? (await adapter.fileTicket(draft));
    const ticket = await store.markFiled(row.id, { vendorTicketId: filed.vendorTicketId, url: filed.url, filedAt: filed.filedAt });
    await store.updateRun(draft.runId, { status: 'watching', phase: `watching ${vendor} ticket ${filed.vendorTicketId}` });
    return { ticket, reused: Boolean(found) || filed.reused };
  } catch (err) {
    await store.markFilingFailed(row.id, err);
    await store.updateRun(draft.runId, { status: 'filing-failed', phase: `filing with ${vendor}`, error: (err as Error).message });
    throw err;
  }
}
