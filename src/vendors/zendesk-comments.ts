/**
 * A request's activity: its public comments by the vendor — by an agent, or by a trigger, automation or
 * bot (marked automated even when an agent account wrote them) — and its `solved`/`closed` status, each
 * at the vendor's own timestamp. Our own comments are not activity.
 *
 * Comments are read incrementally: the cursor keeps Zendesk's position after the last page read
 * (`zendesk-cursor.ts`), and the next poll asks with `page[after]` for what came since. A desk that no
 * longer accepts that position (an expired or malformed cursor) gets one full read instead; the last
 * comment id, also in the cursor, keeps what was reported before from being reported again.
 *
 * `readAllComments` reads every page from the first, for what must see the whole conversation
 * (finding a message of ours again, `zendesk-reply.ts`).
 */
import type { ActivityPage, TicketHandle, VendorActivity } from './adapter.ts';
import type { ZendeskClient } from './zendesk-client.ts';
import { formatCursor, type CommentPosition } from './zendesk-cursor.ts';
import { fail } from './zendesk-errors.ts';
import { commentsPageSchema, type CommentsPage, type ZendeskComment, type ZendeskRequest, type ZendeskUser } from './zendesk-payloads.ts';

const PAGE_SIZE = 100;
/** Pages read in one poll; a request with more comments is read on over the next polls, from the cursor. */
const MAX_PAGES = 100;
/**
 * Pages read when every comment must be seen: 100,000 comments, far past any real request, so that
 * only a desk whose `next` links never end reaches it.
 */
const MAX_ALL_PAGES = 1000;
/** Zendesk numbers that mean "automatically generated" among a comment's `metadata.flags`. */
const AUTO_FLAGS = new Set<unknown>([4]);
const RESOLVED_STATUSES = new Set(['solved', 'closed']);
/** What Zendesk answers a `page[after]` it does not accept (`InvalidPaginationParameter`), and a request gone. */
const POSITION_REFUSED = [400, 404, 422] as const;

export interface CommentSource {
  client: ZendeskClient;
  /** The desk's base URL, for messages. */
  desk: string;
}

export interface CommentsRead {
  comments: ZendeskComment[];
  /** The comments' authors, sideloaded by the desk. */
  users: Map<number, ZendeskUser>;
  /** The page position to continue from next time. */
  after?: string;
  /** Whether the desk said there was more when the page limit was reached. */
  more?: boolean;
}

/** The request's activity after `position`, oldest first, with the cursor to continue from. */
export async function readActivity(source: CommentSource, request: ZendeskRequest, handle: TicketHandle, position: CommentPosition): Promise<ActivityPage> {
  const read = await readComments(source, request, handle, position);
  const activities = commentActivities(read, request, position.lastCommentId);
  const lastCommentId = read.comments.reduce((last, comment) => Math.max(last, comment.id), position.lastCommentId);
  const statuses = new Set(position.statuses);
  const status = request.status ?? undefined;
  if (status && RESOLVED_STATUSES.has(status) && !statuses.has(status)) {
    statuses.add(status);
    activities.push({ vendorActivityId: `status:${status}`, at: new Date(request.updated_at ?? request.created_at), statusChange: status });
  }
  activities.sort((a, b) => a.at.getTime() - b.at.getTime());
  const cursor = formatCursor({ lastCommentId, statuses: [...statuses], ...(read.after !== undefined ? { after: read.after } : {}) });
  return { activities, cursor, ...(status ? { status } : {}) };
}

/**
 * Every comment of the request, oldest first, with their authors. Refused rather than returned in part
 * when the pages do not end: what reads them must not take "not seen" for "not there".
 */
export async function readAllComments(source: CommentSource, request: ZendeskRequest, handle: TicketHandle): Promise<CommentsRead> {
  const all = await readPages(source, `/api/v2/requests/${request.id}/comments.json?page[size]=${PAGE_SIZE}`, undefined, [404], MAX_ALL_PAGES);
  if (!all) throw fail(`request ${request.id} (${handle.ref}) has no comments at ${source.desk}; was it deleted?`);
  if (all.more) throw fail(`request ${request.id} (${handle.ref}) at ${source.desk} still had more comments after ${MAX_ALL_PAGES} pages; not reading on, as its pages seem never to end`);
  return all;
}

async function readComments(source: CommentSource, request: ZendeskRequest, handle: TicketHandle, position: CommentPosition): Promise<CommentsRead> {
  const first = `/api/v2/requests/${request.id}/comments.json?page[size]=${PAGE_SIZE}`;
  if (position.after !== undefined) {
    // Cursors may hold `+` and `/`: sent unencoded, the desk reads another position or none.
    const since = await readPages(source, `${first}&page[after]=${encodeURIComponent(position.after)}`, position.after, POSITION_REFUSED);
    if (since) return since;
  }
  const all = await readPages(source, first, undefined, [404]);
  if (!all) throw fail(`request ${request.id} (${handle.ref}) has no comments at ${source.desk}; was it deleted?`);
  return all;
}

/** Pages from `url` on, following the desk's links; `null` when the desk answers the first with one of `missing`. */
async function readPages(
  { client, desk }: CommentSource,
  url: string,
  after: string | undefined,
  missing: readonly number[],
  maxPages = MAX_PAGES,
): Promise<CommentsRead | null> {
  const read: CommentsRead = { comments: [], users: new Map(), ...(after !== undefined ? { after } : {}) };
  let next: string | null = url;
  for (let pages = 0; next && pages < maxPages; pages++) {
    const page: CommentsPage | null = await client.call('GET', next, commentsPageSchema, pages === 0 ? { missing } : {});
    if (!page && pages === 0) return null;
    if (!page) throw fail(`a page of comments at ${desk} vanished while it was read (${new URL(next, desk).pathname}); was the request deleted?`);
    for (const user of page.users ?? []) read.users.set(user.id, user);
    read.comments.push(...page.comments);
    // An empty page has no cursor of its own: the position before it still holds.
    if (page.meta?.after_cursor) read.after = page.meta.after_cursor;
    next = page.meta ? (page.meta.has_more ? (page.links?.next ?? null) : null) : (page.next_page ?? null);
  }
  if (next) read.more = true;
  return read;
}

function commentActivities({ comments, users }: CommentsRead, request: ZendeskRequest, lastCommentId: number): VendorActivity[] {
  const activities: VendorActivity[] = [];
  for (const comment of comments) {
    if (comment.id <= lastCommentId || comment.public === false) continue;
    const author = users.get(comment.author_id);
    const automated = isAutomated(comment);
    // Our own comments (the description first of all) are what we said, not what the vendor did.
    if (!automated && (comment.author_id === request.requester_id || author?.agent !== true)) continue;
    activities.push({
      vendorActivityId: `comment:${comment.id}`,
      at: new Date(comment.created_at),
      ...(author?.name ? { authorName: author.name } : {}),
      authorRole: author?.agent ? 'agent' : author ? 'end-user' : 'unknown',
      text: comment.plain_body ?? comment.body ?? '',
      ...(automated ? { automated: true } : {}),
    });
  }
  return activities;
}

/** Written by a trigger, automation or bot rather than typed by a person, whoever the author is. */
function isAutomated(comment: ZendeskComment): boolean {
  const channel = comment.via?.channel ?? '';
  const rel = comment.via?.source?.rel ?? '';
  return (
    channel === 'rule' ||
    /bot/i.test(channel) ||
    rel === 'trigger' ||
    rel === 'automation' ||
    (comment.metadata?.flags ?? []).some((flag) => AUTO_FLAGS.has(flag))
  );
}
