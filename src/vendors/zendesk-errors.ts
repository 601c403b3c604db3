/**
 * The `zendesk` adapter's two ways to fail, shared by its parts (the HTTP client, the comment reader,
 * the factory). The vendor's name lives here rather than in `zendesk.ts` so that those parts can
 * prefix their messages without importing the file that imports them.
 */
import { prefixed } from '../core/errors.ts';
import { VendorRejectedError, VendorUnavailableError } from './adapter.ts';

export const VENDOR_NAME = 'zendesk';

/** Retrying will not fix it: the watcher stops watching the vendor's tickets with this message. */
export const fail = (message: string, cause?: unknown) => new VendorRejectedError(prefixed(VENDOR_NAME, message), cause === undefined ? undefined : { cause });

/** Retry later — after `retryAfterMs` when the desk said how long. */
export const unavailable = (message: string, retryAfterMs?: number, cause?: unknown) =>
  new VendorUnavailableError(prefixed(VENDOR_NAME, message), retryAfterMs, cause === undefined ? undefined : { cause });
