/**
 * The Requests API's answers, as far as the `zendesk` adapter reads them. Every body is checked against
 * these before it is used: a proxy's HTML page, a half-written reply or a changed API then becomes a
 * clear "unexpected answer" instead of a TypeError deep in the comment reader, or an Invalid Date in
 * the store. Objects are loose (Zendesk adds fields all the time); only what the adapter reads is
 * checked, and absent optional fields stay absent.
 */
import { z } from 'zod';

const id = z.int();
/** Zendesk's ISO 8601 timestamps; checked so that a timing is never computed from an Invalid Date. */
const timestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), { error: 'expected a timestamp' });

export const requestSchema = z.looseObject({
  id,
  subject: z.string().nullish(),
  status: z.string().nullish(),
  created_at: timestamp,
  updated_at: timestamp.nullish(),
  requester_id: id.nullish(),
  /** Whether our end user may mark it solved now (Zendesk: once an agent is assigned, and not yet solved). */
  can_be_solved_by_me: z.boolean().nullish(),
});
export type ZendeskRequest = z.output<typeof requestSchema>;

export const oneRequestSchema = z.looseObject({ request: requestSchema });

/** `GET /api/v2/requests` and `requests/search` (offset pagination). */
export const requestListSchema = z.looseObject({ requests: z.array(requestSchema), next_page: z.string().nullish() });
export type RequestList = z.output<typeof requestListSchema>;

/** `POST /api/v2/requests`: the request it created, whose absence the adapter reports itself. */
export const createdRequestSchema = z.looseObject({ request: requestSchema.nullish() });

/**
 * `PUT /api/v2/requests/{id}`: the request as updated. Only its shape is checked (a garbage answer
 * leaves it open whether the update was taken); what the update did is read back from the request.
 */
export const updatedRequestSchema = z.looseObject({ request: requestSchema.nullish() });

/** `POST /api/v2/uploads`: the token, whose absence the adapter reports itself. */
export const uploadSchema = z.looseObject({ upload: z.looseObject({ token: z.string().nullish() }).nullish() });

const userSchema = z.looseObject({ id, name: z.string().nullish(), agent: z.boolean().nullish() });
export type ZendeskUser = z.output<typeof userSchema>;

const commentSchema = z.looseObject({
  id,
  author_id: id,
  body: z.string().nullish(),
  plain_body: z.string().nullish(),
  public: z.boolean().nullish(),
  created_at: timestamp,
  via: z.looseObject({ channel: z.string().nullish(), source: z.looseObject({ rel: z.string().nullish() }).nullish() }).nullish(),
  metadata: z.looseObject({ flags: z.array(z.unknown()).nullish() }).nullish(),
});
export type ZendeskComment = z.output<typeof commentSchema>;

/** `GET /api/v2/requests/{id}/comments`: cursor pagination (`meta`, `links`), or offset (`next_page`). */
export const commentsPageSchema = z.looseObject({
  comments: z.array(commentSchema),
  users: z.array(userSchema).nullish(),
  meta: z.looseObject({ has_more: z.boolean().nullish(), after_cursor: z.string().nullish() }).nullish(),
  links: z.looseObject({ next: z.string().nullish() }).nullish(),
  next_page: z.string().nullish(),
});
export type CommentsPage = z.output<typeof commentsPageSchema>;
