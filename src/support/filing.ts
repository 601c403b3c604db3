import { prefixed } from '../core/errors.ts';
import { newHolder } from '../core/holder.ts';
import type { Store } from '../store/store.ts';
import type { TicketRow } from '../store/rows.ts';
import type { TicketDraft, VendorAdapter } from '../vendors/adapter.ts';
import { pollFailure } from './poll-failure.ts';

export interface FileTicketInput {
  store: Store;
  adapter: VendorAdapter;
  /** The vendor's name in the config. */
  vendor: string;
  draft: TicketDraft;
  watchUntil: Date;
  /** Who files, in the filing lease. @defaultValue this process */
  holder?: string;
  now?: () => Date;
}

/**
 * How long the filing lease lasts without renewal. A filing renews it while it runs, so this only
 * bounds how long a filer killed mid-filing keeps others from completing its ticket.
 */
export const FILING_LEASE_MS = 60_000;
/** The first wait before a filing the vendor could not take is tried again; it doubles per attempt (capped like a poll's backoff). */
const REFILE_BASE_MS = 60_000;

/** Another process is filing the run's ticket right now; it finishes or fails the filing itself. */
export class FilingInProgressError extends Error {
  constructor(ref: string) {
    super(prefixed('filing', `another supportdrill process is filing ${ref} right now; it records the ticket or the failure itself`));
    this.name = 'FilingInProgressError';
  }
}

/** The lease a run's filing holds: one filer at a time, across processes sharing the store. */
export const filingLease = (runId: string) => `file:run:${runId}`;

/**
 * Files a run's ticket exactly once. The ticket row is written (state `filing`) before the vendor
 * is called, and the vendor is asked for the run's reference before anything is filed: a process
 * killed between "sent" and "recorded" finds its ticket at the vendor next time instead of filing
 * a second one. Two processes never file at once (a lease each filing holds and renews), since both
 * could ask the vendor, both find nothing and both file.
 *
 * When the vendor cannot take the ticket now (down, rate-limiting, answering garbage), the failure
 * records when to try again — after a backoff, and only until the watch deadline; a refusal (bad
 * credentials, a redirect elsewhere) or a local failure waits for the operator.
 */
export async function fileTicketOnce(input: FileTicketInput): Promise<{ ticket: TicketRow; reused: boolean }> {
  const { store, draft } = input;
  const holder = input.holder ?? newHolder();
  const lease = filingLease(draft.runId);
  if (!(await store.acquireLease(lease, holder, FILING_LEASE_MS))) throw new FilingInProgressError(draft.ref);
  const renew = setInterval(() => void store.acquireLease(lease, holder, FILING_LEASE_MS).catch(() => undefined), FILING_LEASE_MS / 3);
  renew.unref();
  try {
    return await fileHoldingLease(input);
  } finally {
    clearInterval(renew);
    await store.releaseLease(lease, holder).catch(() => undefined);
  }
}

async function fileHoldingLease({ store, adapter, vendor, draft, watchUntil, now = () => new Date() }: FileTicketInput): Promise<{ ticket: TicketRow; reused: boolean }> {
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
    const refileAt = refileTime(err, row.filingAttempts + 1, now(), row.watchUntil ? new Date(row.watchUntil) : watchUntil);
    await store.markFilingFailed(row.id, err, { refileAt });
    await store.updateRun(draft.runId, { status: 'filing-failed', phase: `filing with ${vendor}`, error: (err as Error).message });
    throw err;
  }
}

/** When a failed filing is tried again: only when the vendor was unavailable, and not past the watch deadline. */
export function refileTime(error: unknown, attempts: number, now: Date, watchUntil: Date): Date | null {
  const failure = pollFailure(error, attempts - 1, REFILE_BASE_MS);
  if (failure.action !== 'retry' || failure.source !== 'vendor') return null;
  const at = new Date(now.getTime() + failure.waitMs);
  return at.getTime() < watchUntil.getTime() ? at : null;
}
