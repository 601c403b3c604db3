import { randomBytes } from 'node:crypto';

/**
 * A name for this process in claims and leases: its pid (for the operator reading the store) and a
 * random part, since a pid comes back after a restart and a restarted process must not inherit the
 * dead one's claims.
 */
export function newHolder(): string {
  return `${process.pid}-${randomBytes(3).toString('hex')}`;
}
