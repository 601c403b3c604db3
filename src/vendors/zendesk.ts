/**
 * The `zendesk` vendor: files into the vendor's Zendesk as its customer. A customer is an end user
 * there, so this uses the Requests API (`/api/v2/requests…`): tickets, audits and metrics are for
 * agents only.
 *
 * Activity is the request's public comments by the vendor — by an agent, or by a trigger,
 * automation or bot (those are marked automated even when an agent account wrote them) — and its
 * `solved`/`closed` status, each at the vendor's own timestamp. Our own comments are not activity.
 */
import { byteSizeSchema, fitAttachments } from './attachments.ts';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { resolveSecret, secretSchema, type Secret } from '../core/secrets.ts';
import { prefixed } from '../core/errors.ts';
import {
  defineVendorAdapter,
  parseVendorOptions,
  VendorRejectedError,
  VendorUnavailableError,
  type ActivityPage,
  type FiledTicket,
  type Severity,
  type TicketHandle,
  type VendorActivity,
  type VendorAdapter,
  type VendorFactory,
} from './adapter.ts';

export const VENDOR_NAME = 'zendesk';

/** Options of the `zendesk` vendor, as written in the config. */
export interface ZendeskOptions {
  /** The vendor's help desk, e.g. `'https://acme.zendesk.com'` (any base URL: a brand's host name, a test server). */
  url: string;
  /** The e-mail address of our end-user account at the vendor's Zendesk. */
  email: string;
  /** An API token (`env('ZENDESK_TOKEN')`), sent as HTTP Basic `email/token:…`. Give this or `password`. */
  token?: Secret;
  /** The account's password, where the desk allows password access to the API. Give this or `token`. */
  password?: Secret;
  /**
   * The most evidence uploaded with one ticket, in bytes or as `'50MB'`. Files are attached in the
   * ticket's order while they fit; the rest are listed in the ticket body as left out.
   * @defaultValue `'50MB'` (Zendesk's own limit per file)
   */
  maxAttachmentBytes?: number | string;
}

const byteSize = byteSizeSchema('50MB');

/** Validates {@link ZendeskOptions}: strict, exactly one of `token` and `password`, the URL without a trailing slash. */
export const zendeskOptionsSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: "expected the help desk's base URL, e.g. 'https://acme.zendesk.com'" })
      .transform((url) => url.replace(/\/+$/, '')),
    email: z.email({ error: 'expected the e-mail address of our end-user account at the desk' }),
    token: secretSchema.optional(),
    password: secretSchema.optional(),
    maxAttachmentBytes: byteSize.default(50 * 1000 ** 2),
  })
  .superRefine((options, ctx) => {
    if ((options.token === undefined) === (options.password === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [options.token === undefined ? 'token' : 'password'],
        message:
          options.token === undefined
            ? "give an API token, token: env('ZENDESK_TOKEN'), or a password"
            : 'give a token or a password, not both',
      });
    }
  });

const DEFAULT_POLL_MS = 60_000;
const PAGE_SIZE = 100;
/** Zendesk numbers that mean "automatically generated" among a comment's `metadata.flags`. */
const AUTO_FLAGS = new Set([4]);
const PRIORITY: Record<Severity, string> = { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent' };
const RESOLVED_STATUSES = new Set(['solved', 'closed']);

interface ZendeskRequest {
  id: number;
  subject?: string | null;
  status?: string;
  created_at: string;
  updated_at?: string;
  requester_id?: number;
}

interface ZendeskUser {
  id: number;
  name?: string;
  agent?: boolean;
}

interface ZendeskComment {
  id: number;
  author_id: number;
  body?: string;
  plain_body?: string;
  html_body?: string;
  public?: boolean;
  created_at: string;
  via?: { channel?: string; source?: { rel?: string | null } };
  metadata?: { flags?: number[] };
}

interface CommentsPage {
  comments?: ZendeskComment[];
  users?: ZendeskUser[];
  meta?: { has_more?: boolean; after_cursor?: string | null };
  links?: { next?: string | null };
  next_page?: string | null;
}

/** The `zendesk` vendor as a {@link VendorFactory}; see the module comment. */
const zendesk: VendorFactory<ZendeskOptions> = (rawOptions, context) => {
  const options = parseVendorOptions(zendeskOptionsSchema, rawOptions, { kind: VENDOR_NAME, vendorName: context.vendorName });
  const where = `vendors.${context.vendorName}`;
  const secretOption = options.token !== undefined ? 'token' : 'password';
  const fail = (message: string, cause?: unknown) => new VendorRejectedError(prefixed(VENDOR_NAME, message), cause === undefined ? undefined : { cause });
  const unavailable = (message: string, retryAfterMs?: number, cause?: unknown) =>
    new VendorUnavailableError(prefixed(VENDOR_NAME, message), retryAfterMs, cause === undefined ? undefined : { cause });
  /** Set from 429s and exhausted rate-limit headers: no request is sent before it. */
  let blockedUntil = 0;
  let authorization: string | undefined;

  function auth(): string {
    if (authorization) return authorization;
    const secret = resolveSecret(options.token ?? options.password, `${where}.${secretOption}`);
    const user = options.token !== undefined ? `${options.email}/token` : options.email;
    authorization = `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
    return authorization;
  }

  /** One API call. Returns `null` for 404, so the caller can say what was not found. */
  async function call<T>(method: 'GET' | 'POST', pathOrUrl: string, body?: { json?: unknown; binary?: Buffer; contentType?: string }): Promise<T | null> {
    const wait = blockedUntil - Date.now();
    if (wait > 0) throw unavailable(`rate limit reached at ${options.url}; not calling again for ${Math.ceil(wait / 1000)} s`, wait);
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${options.url}${pathOrUrl}`;
    // Pagination links come from the server: never send our credentials to another host.
    if (!url.startsWith(`${options.url}/`)) throw fail(`the desk sent a link outside ${options.url} (${url}); refusing to follow it`);
    const headers: Record<string, string> = { authorization: auth(), accept: 'application/json' };
    let payload: string | Uint8Array<ArrayBuffer> | undefined;
    if (body?.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body?.binary) {
      headers['content-type'] = body.contentType ?? 'application/octet-stream';
      payload = new Uint8Array(body.binary);
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      throw unavailable(`cannot reach ${options.url}: ${cause?.code ?? (error as Error).message}`, undefined, error);
    }
    noteRateLimit(response);
    const path = new URL(url).pathname;
    if (response.ok) return (await response.json()) as T;
    const text = await response.text().catch(() => '');
    const detail = errorDetail(text);
    if (response.status === 404) return null;
    if (response.status === 401 || response.status === 403) {
      throw fail(
        `${options.url} refused ${options.email} (${response.status}${detail ? `: ${detail}` : ''}) on ${method} ${path}. ` +
          (response.status === 401
            ? `Check ${where}.email and ${where}.${secretOption}${options.token !== undefined ? ' (an API token of the desk, with token access enabled)' : ''}.`
            : `The account may lack access, or its e-mail address may be unverified at the desk; sign in once at ${options.url} to check.`) +
          ' Watching this vendor stops until that is fixed.',
      );
    }
    if (response.status === 429) {
      const retry = retryAfterMs(response) ?? 60_000;
      blockedUntil = Math.max(blockedUntil, Date.now() + retry);
      throw unavailable(`rate limited by ${options.url} (429); retry after ${Math.ceil(retry / 1000)} s`, retry);
    }
    if (response.status >= 500) throw unavailable(`${options.url} failed (${response.status}${detail ? `: ${detail}` : ''}) on ${method} ${path}`, retryAfterMs(response));
    throw fail(`${options.url} rejected ${method} ${path} (${response.status}${detail ? `: ${detail}` : ''})`);
  }

  function noteRateLimit(response: Response): void {
    const remaining = Number(response.headers.get('ratelimit-remaining') ?? response.headers.get('x-rate-limit-remaining') ?? NaN);
    if (remaining !== 0) return;
    // `ratelimit-reset` counts seconds until the window resets; without it, the window is a minute.
    const reset = Number(response.headers.get('ratelimit-reset') ?? NaN);
    const wait = retryAfterMs(response) ?? (Number.isFinite(reset) ? reset * 1000 : 60_000);
    blockedUntil = Math.max(blockedUntil, Date.now() + wait);
    context.logger?.warn({ vendor: context.vendorName }, `rate limit of ${options.url} used up; pausing ${Math.ceil(wait / 1000)} s`);
  }

  async function getRequest(id: string, ref: string): Promise<ZendeskRequest> {
    if (!/^\d+$/.test(id)) throw fail(`'${id}' is not a Zendesk request id (expected a number, e.g. 5521)`);
    const found = await call<{ request: ZendeskRequest }>('GET', `/api/v2/requests/${id}.json`);
    if (!found) throw fail(`request ${id} (${ref}) does not exist at ${options.url}, or our account ${options.email} cannot see it`);
    return found.request;
  }

  const filed = (request: ZendeskRequest, reused: boolean): FiledTicket => ({
    vendorTicketId: String(request.id),
    url: `${options.url}/hc/requests/${request.id}`,
    filedAt: new Date(request.created_at),
    reused,
  });

  const carriesTag = (request: ZendeskRequest, ref: string) => (request.subject ?? '').includes(`[${ref}]`);

  async function upload(file: { filename: string; path: string; contentType: string }): Promise<string> {
    const data = readFileSync(file.path);
    const result = await call<{ upload: { token: string } }>('POST', `/api/v2/uploads.json?filename=${encodeURIComponent(file.filename)}`, {
      binary: data,
      contentType: file.contentType,
    });
    if (!result?.upload?.token) throw fail(`uploading '${file.filename}' gave no upload token`);
    return result.upload.token;
  }

  const adapter: VendorAdapter = {
    kind: VENDOR_NAME,
    defaultPollIntervalMs: DEFAULT_POLL_MS,

    async findTicket({ ref }) {
      // The search index lags a request by up to a few minutes, so the newest of our own requests
      // are looked at first: a retry right after a crash must see the request it just filed.
      const recent = await call<{ requests?: ZendeskRequest[] }>('GET', `/api/v2/requests.json?sort_by=created_at&sort_order=desc&per_page=${PAGE_SIZE}`);
      const candidates = (recent?.requests ?? []).filter((r) => carriesTag(r, ref));
      if (candidates.length === 0) {
        let next: string | null = `/api/v2/requests/search.json?query=${encodeURIComponent(`"${ref}"`)}&per_page=${PAGE_SIZE}`;
        for (let page = 0; next && page < 10; page++) {
          const result: { requests?: ZendeskRequest[]; next_page?: string | null } | null = await call('GET', next);
          candidates.push(...(result?.requests ?? []).filter((r) => carriesTag(r, ref)));
          next = result?.next_page ?? null;
        }
      }
      if (candidates.length === 0) return null;
      const first = candidates.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id)[0]!;
      return filed(first, true);
    },

    async fileTicket(draft) {
      if (!draft.title.includes(`[${draft.ref}]`)) {
        throw fail(`the ticket subject must carry its reference tag [${draft.ref}], or a retry cannot find it; got '${draft.title}'`);
      }
      const { included, note } = fitAttachments(draft.attachments, options.maxAttachmentBytes, 'the');
      const tokens: string[] = [];
      for (const file of included) tokens.push(await upload(file));
      const created = await call<{ request: ZendeskRequest }>('POST', '/api/v2/requests.json', {
        json: {
          request: {
            subject: draft.title,
            comment: { body: draft.body + note, ...(tokens.length ? { uploads: tokens } : {}) },
            priority: PRIORITY[draft.severity],
          },
        },
      });
      if (!created?.request) throw fail(`${options.url} did not answer POST /api/v2/requests with the request it created`);
      context.logger?.info({ vendor: context.vendorName, ref: draft.ref, request: created.request.id }, 'zendesk request filed');
      return filed(created.request, false);
    },

    async fetchActivity(handle: TicketHandle, cursor?: string): Promise<ActivityPage> {
      const position = parseCursor(cursor);
      const request = await getRequest(handle.vendorTicketId, handle.ref);
      const users = new Map<number, ZendeskUser>();
      const comments: ZendeskComment[] = [];
      let next: string | null = `/api/v2/requests/${request.id}/comments.json?page[size]=${PAGE_SIZE}`;
      for (let pages = 0; next && pages < 100; pages++) {
        const page: CommentsPage | null = await call<CommentsPage>('GET', next);
        if (!page) throw fail(`request ${request.id} (${handle.ref}) has no comments at ${options.url}; was it deleted?`);
        for (const user of page.users ?? []) users.set(user.id, user);
        comments.push(...(page.comments ?? []));
        next = page.meta ? (page.meta.has_more ? (page.links?.next ?? null) : null) : (page.next_page ?? null);
      }
      const activities: VendorActivity[] = [];
      let lastId = position.lastCommentId;
      for (const comment of comments) {
        lastId = Math.max(lastId, comment.id);
        if (comment.id <= position.lastCommentId || comment.public === false) continue;
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
      const seen = new Set(position.statuses);
      const status = request.status;
      if (status && RESOLVED_STATUSES.has(status) && !seen.has(status)) {
        seen.add(status);
        activities.push({
          vendorActivityId: `status:${status}`,
          at: new Date(request.updated_at ?? request.created_at),
          statusChange: status,
        });
      }
      activities.sort((a, b) => a.at.getTime() - b.at.getTime());
      return { activities, cursor: `${lastId}:${[...seen].sort().join(',')}`, ...(status ? { status } : {}) };
    },
  };

  function parseCursor(cursor: string | undefined): { lastCommentId: number; statuses: string[] } {
    if (cursor === undefined) return { lastCommentId: 0, statuses: [] };
    const m = /^(\d+):([a-z_,]*)$/.exec(cursor);
    if (!m) throw fail(`cursor '${cursor}' was not given out by the zendesk adapter (its cursors are <last comment id>:<statuses seen>)`);
    return { lastCommentId: Number(m[1]), statuses: m[2] ? m[2].split(',') : [] };
  }

  return adapter;
};

export default zendesk;

/** The `zendesk` adapter's registry entry. */
export const zendeskAdapter = defineVendorAdapter({ kind: VENDOR_NAME, factory: zendesk, optionsSchema: zendeskOptionsSchema });

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

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function errorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: string | { title?: string; message?: string }; description?: string; details?: unknown };
    const error = typeof body.error === 'string' ? body.error : (body.error?.title ?? body.error?.message);
    return [error, body.description].filter(Boolean).join(' — ');
  } catch {
    return text.slice(0, 200);
  }
}

