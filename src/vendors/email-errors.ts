/**
 * The `email` adapter's name and the two ways it fails: the vendor (or the mail server) refused,
 * which no retry mends, or it could not be reached, which a later attempt may. Kept apart from the
 * adapter so that each of its parts words its errors alike without importing the adapter itself.
 */
import { prefixed } from '../core/errors.ts';
import { VendorRejectedError, VendorUnavailableError } from './adapter.ts';

export const VENDOR_NAME = 'email';

/** A refusal: bad credentials, a folder that cannot be opened, a message the server will not take. */
export function fail(message: string, cause?: unknown): VendorRejectedError {
  return new VendorRejectedError(prefixed(VENDOR_NAME, message), cause === undefined ? undefined : { cause });
}

/** A server that cannot be reached or a connection that was lost: worth another attempt later. */
export function unavailable(message: string, cause?: unknown): VendorUnavailableError {
  return new VendorUnavailableError(prefixed(VENDOR_NAME, message), undefined, cause === undefined ? undefined : { cause });
}
