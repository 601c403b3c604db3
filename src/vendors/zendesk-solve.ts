/**
 * Marking a request solved as its end user: `PUT /api/v2/requests/{id}` with
 * `{"request": {"solved": true}}`, sent only when the request says `can_be_solved_by_me` (Zendesk
 * allows it once an agent is assigned). Zendesk answers such a PUT with 200 even when it changes
 * nothing, so the outcome is the status read back afterwards, never the answer.
 */
import type { MarkSolvedOutcome, TicketHandle } from './adapter.ts';
import { VendorUnavailableError } from './adapter.ts';
import { fail } from './zendesk-errors.ts';
import { updatedRequestSchema, type ZendeskRequest } from './zendesk-payloads.ts';
import type { RequestDesk } from './zendesk-reply.ts';

const RESOLVED = new Set(['solved', 'closed']);
const resolved = (request: ZendeskRequest) => RESOLVED.has(request.status ?? '');

/** `solved` when the desk shows the request solved or closed afterwards (or already did), else `not-allowed`. */
export async function markSolved(desk: RequestDesk, handle: TicketHandle): Promise<MarkSolvedOutcome> {
  const request = await desk.getRequest(handle);
  if (resolved(request)) return 'solved';
  if (request.can_be_solved_by_me !== true) return 'not-allowed';
  try {
    const updated = await desk.client.call('PUT', `/api/v2/requests/${request.id}.json`, updatedRequestSchema, { body: { json: { request: { solved: true } } } });
    if (!updated) throw fail(`request ${request.id} (${handle.ref}) is gone from ${desk.desk}; it was not marked solved`);
  } catch (error) {
    if (!(error instanceof VendorUnavailableError)) throw error;
    // Solving twice is harmless, but a lost answer may hide that it is already done.
    const after = await desk.getRequest(handle).catch(() => null);
    if (after && resolved(after)) return outcome(desk, handle, 'solved');
    throw error;
  }
  return outcome(desk, handle, resolved(await desk.getRequest(handle)) ? 'solved' : 'not-allowed');
}

function outcome(desk: RequestDesk, handle: TicketHandle, result: MarkSolvedOutcome): MarkSolvedOutcome {
  desk.logger?.info({ vendor: desk.vendorName, ref: handle.ref, outcome: result }, 'zendesk mark solved');
  return result;
}
