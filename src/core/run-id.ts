import { randomBytes } from 'node:crypto';

/** A run id: sortable by time, unique, and safe in a file name and an e-mail subject. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `run_${stamp}_${randomBytes(3).toString('hex')}`;
}

/** The short form used in ticket reference tags: `DRILL-7f3a9c`. */
export function shortRunId(runId: string): string {
  return runId.slice(-6);
}

/**
 * A run's ticket reference without brackets, `DRILL-7f3a9c`: the ticket's title carries it as
 * `[DRILL-7f3a9c]`, replies are matched to the run by it, and filing is made idempotent by it.
 */
export function ticketRef(runId: string): string {
  return `DRILL-${shortRunId(runId)}`;
}
