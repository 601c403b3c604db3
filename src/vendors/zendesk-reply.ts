/**
 * Writing back on a request as its end user: a public comment through `PUT /api/v2/requests/{id}`
 * (`{"request": {"comment": {"body", "uploads"}}}`), the evidence uploaded first, and finding that
 * comment again by the message's key.
 *
 * The PUT answers with the request, not the comment, so the comment is found by reading the request's
 * comments back: ours (the requester's) whose text carries the key. The same reading tells a retry
 * whether a PUT whose answer was lost (a timeout, a proxy's 5xx, a garbled body) reached the desk, so
 * that a message is never posted twice. Zendesk's own rules stand: a comment on a solved request
 * reopens it, and a closed request takes no comments at all.
 */
import type { Logger } from '../core/log.ts';
import { VendorRejectedError, VendorUnavailableError, type OutgoingMessage, type SentMessage, type TicketHandle } from './adapter.ts';
import type { ZendeskClient } from './zendesk-client.ts';
import { readAllComments } from './zendesk-comments.ts';
import { fail, unavailable } from './zendesk-errors.ts';
import { updatedRequestSchema, type ZendeskComment, type ZendeskRequest, type ZendeskUser } from './zendesk-payloads.ts';
import { uploadEvidence } from './zendesk-uploads.ts';

/** What writing on a request needs of the adapter. */
export interface RequestDesk {
  client: ZendeskClient;
  /** The desk's base URL, for messages. */
  desk: string;
  /** The request behind the handle, refused clearly when the id is not one or the desk does not have it. */
  getRequest(handle: TicketHandle): Promise<ZendeskRequest>;
  maxAttachmentBytes: number;
  vendorName: string;
  logger?: Logger;
}

/** Posts the message as a public comment of ours, once; see the module comment. */
export async function sendReply(desk: RequestDesk, handle: TicketHandle, message: OutgoingMessage): Promise<SentMessage> {
  const request = await desk.getRequest(handle);
  // Checked before anything is uploaded: the desk would refuse the comment anyway.
  if (request.status === 'closed') throw closed(desk, request, handle);
  const { tokens, note } = await uploadEvidence(desk.client, message.attachments, desk.maxAttachmentBytes);
  const comment = { body: withNote(message.body, note), ...(tokens.length > 0 ? { uploads: tokens } : {}) };
  try {
    const updated = await desk.client.call('PUT', `/api/v2/requests/${request.id}.json`, updatedRequestSchema, { body: { json: { request: { comment } } } });
    if (!updated) throw fail(`request ${request.id} (${handle.ref}) is gone from ${desk.desk}; our comment was not posted`);
  } catch (error) {
    if (error instanceof VendorRejectedError) throw await explainRefusal(desk, handle, error);
    if (!(error instanceof VendorUnavailableError)) throw error;
    // The desk may have taken the comment before its answer was lost; if it shows, the message is sent.
    const arrived = await findOnRequest(desk, request, handle, message.key).catch(() => null);
    if (!arrived) throw error;
    desk.logger?.info({ vendor: desk.vendorName, ref: handle.ref, key: message.key, comment: arrived.vendorMessageId }, 'zendesk comment arrived although its answer was lost');
    return arrived;
  }
  let posted: SentMessage | null;
  try {
    posted = await findOnRequest(desk, request, handle, message.key);
  } catch (error) {
    if (!(error instanceof VendorUnavailableError)) throw error;
    throw unavailable(
      `${desk.desk} took our comment on request ${request.id} (${handle.ref}), but reading it back failed: ${unprefixed(error.message)}. ` +
        `Ask findReply for ${message.key} before sending it again.`,
      error.retryAfterMs,
      error,
    );
  }
  if (!posted) {
    // Sending again could post it twice: whatever changed the text (or hides the comment) needs a person.
    throw fail(
      `${desk.desk} took our comment on request ${request.id} (${handle.ref}), but none of our comments there carries its key ${message.key}; ` +
        'not sending it again. Check the request at the desk.',
    );
  }
  desk.logger?.info({ vendor: desk.vendorName, ref: handle.ref, key: message.key, comment: posted.vendorMessageId }, 'zendesk comment posted');
  return posted;
}

/** Our oldest comment on the request whose text carries `key`, reading every page, or `null`. */
export async function findReply(desk: RequestDesk, handle: TicketHandle, key: string): Promise<SentMessage | null> {
  return findOnRequest(desk, await desk.getRequest(handle), handle, key);
}

async function findOnRequest(desk: RequestDesk, request: ZendeskRequest, handle: TicketHandle, key: string): Promise<SentMessage | null> {
  const { comments, users } = await readAllComments(desk, request, handle);
  const carries = keyMatcher(key);
  const ours = comments
    .filter((comment) => isOurs(comment, request, users) && (carries(comment.plain_body) || carries(comment.body)))
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
  const first = ours[0];
  return first ? { vendorMessageId: `comment:${first.id}`, at: new Date(first.created_at) } : null;
}

/** A message of ours without its `[supportdrill] [zendesk] ` prefix, to be quoted inside another. */
const unprefixed = (message: string) => message.replace(/^(\[[^\]]*\] )+/, '');

/**
 * Whether a text carries `key` whole: `DRILL-1a2b3c/1` is not found in `(DRILL-1a2b3c/10)`, or a
 * retry of message 1 would take message 10 for it.
 */
function keyMatcher(key: string): (text: string | null | undefined) => boolean {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?<![\\w/-])${escaped}(?![\\w/])`);
  return (text) => typeof text === 'string' && pattern.test(text);
}

/**
 * Written by our end user: the request's requester. A desk that leaves `requester_id` out still
 * sideloads the author, and an author who is not an agent is the customer side.
 */
function isOurs(comment: ZendeskComment, request: ZendeskRequest, users: Map<number, ZendeskUser>): boolean {
  if (request.requester_id !== undefined && request.requester_id !== null) return comment.author_id === request.requester_id;
  return users.get(comment.author_id)?.agent === false;
}

/**
 * A refused PUT on a request closed since we looked says so (Zendesk's 422 names the status only
 * among its details); any other refusal stands as the desk gave it.
 */
async function explainRefusal(desk: RequestDesk, handle: TicketHandle, error: VendorRejectedError): Promise<VendorRejectedError> {
  const now = await desk.getRequest(handle).catch(() => null);
  return now?.status === 'closed' ? closed(desk, now, handle, error) : error;
}

function closed(desk: RequestDesk, request: ZendeskRequest, handle: TicketHandle, cause?: unknown): VendorRejectedError {
  return fail(
    `request ${request.id} (${handle.ref}) is closed at ${desk.desk}, and Zendesk takes no comments on a closed request; nothing was sent. ` +
      'To go on, file a follow-up request.',
    cause,
  );
}

/**
 * The body with the files left out listed above its last line: that line carries the message's
 * reference and key, and stays last.
 */
function withNote(body: string, note: string): string {
  if (note === '') return body;
  const text = body.trimEnd();
  const cut = text.lastIndexOf('\n');
  if (cut < 0) return `${note.trimStart()}\n\n${text}`;
  return `${text.slice(0, cut).trimEnd()}${note}\n\n${text.slice(cut + 1)}`;
}
