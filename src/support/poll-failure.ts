import { StoreFaultError } from '../store/store-fault.ts';
import { VendorRejectedError, VendorUnavailableError } from '../vendors/adapter.ts';

/** Longest wait between polls of a ticket whose vendor (or our own disk) keeps failing. */
export const MAX_BACKOFF_MS = 10 * 60_000;

/** The shortest wait after a failed poll, whatever a vendor says. */
const MIN_RETRY_MS = 1000;

/** What a failed poll means for the ticket. */
export type PollFailure =
  /** The vendor refused us (credentials, access): retrying will not help; the operator resumes it. */
  | { action: 'stop'; source: 'vendor' }
  /** Try again after `waitMs`: the vendor was unavailable, or something failed on our side. */
  | { action: 'retry'; source: 'vendor' | 'local'; waitMs: number };

/**
 * Tells a vendor's refusal (stop) from a vendor being unavailable or our own side failing (retry
 * with backoff, doubling per consecutive failure). A delay a vendor asks for is honoured but never
 * past {@link MAX_BACKOFF_MS}, and a nonsensical one (NaN, an absurd header) falls back to the
 * backoff: a vendor's header must never park a ticket for ever or make an invalid date.
 */
export function pollFailure(error: unknown, consecutiveFailures: number, intervalMs: number): PollFailure {
  if (error instanceof VendorRejectedError) return { action: 'stop', source: 'vendor' };
  const backoff = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.min(consecutiveFailures, 30));
  const asked = error instanceof VendorUnavailableError ? error.retryAfterMs : undefined;
  const waitMs = asked !== undefined && Number.isFinite(asked) ? Math.min(MAX_BACKOFF_MS, Math.max(asked, MIN_RETRY_MS)) : Math.max(backoff, MIN_RETRY_MS);
  return { action: 'retry', source: error instanceof VendorUnavailableError || error instanceof VendorRejectedError ? 'vendor' : 'local', waitMs };
}

/** Whether an error is our store's own trouble (its disk, its file), so no store write can record it. */
export function isStoreFault(error: unknown): error is StoreFaultError {
  return error instanceof StoreFaultError;
}
