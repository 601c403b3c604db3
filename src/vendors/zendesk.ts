/**
 * The `zendesk` vendor: files into the vendor's Zendesk as its customer. A customer is an end user
 * there, so this uses the Requests API (`/api/v2/requests…`): tickets, audits and metrics are for
 * agents only.
 *
 * Activity is the request's public comments by the vendor and its `solved`/`closed` status
 * (`zendesk-comments.ts`); we write back as the end user with comments and mark the request solved
 * where Zendesk lets us (`zendesk-reply.ts`, `zendesk-solve.ts`), evidence going up through
 * `zendesk-uploads.ts`. Every call goes through `zendesk-client.ts`, which keeps credentials on the
 * desk and turns whatever the desk answers into a result or a clear error.
 */
import { byteSizeSchema } from './attachments.ts';
import { z } from 'zod';
import { secretSchema, type Secret } from '../core/secrets.ts';
import { defineVendorAdapter, parseVendorOptions, type FiledTicket, type Severity, type VendorAdapter, type VendorContext, type VendorFactory } from './adapter.ts';
import { ZendeskClient, ZENDESK_LIMITS, type ZendeskLimits } from './zendesk-client.ts';
import { readActivity } from './zendesk-comments.ts';
import { parseCursor } from './zendesk-cursor.ts';
import { fail, unavailable, VENDOR_NAME } from './zendesk-errors.ts';
import { createdRequestSchema, oneRequestSchema, requestListSchema, type RequestList, type ZendeskRequest } from './zendesk-payloads.ts';
import { findReply, sendReply, type RequestDesk } from './zendesk-reply.ts';
import { markSolved } from './zendesk-solve.ts';
import { uploadEvidence } from './zendesk-uploads.ts';

export { VENDOR_NAME };

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
   * The most evidence uploaded with one ticket or one comment, in bytes or as `'50MB'`. Files are
   * attached in order while they fit; the rest are listed in the text as left out.
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
const PRIORITY: Record<Severity, string> = { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent' };

/**
 * The `zendesk` factory with other limits than the product's ({@link ZENDESK_LIMITS}: a 60 s timeout,
 * an 8 MiB answer). For tests of what the limits do, which cannot wait a minute for a hung desk; the
 * config has no such option.
 */
export function zendeskWith(limits: Partial<ZendeskLimits>): VendorFactory<ZendeskOptions> {
  return (rawOptions, context) => {
    const options = parseVendorOptions(zendeskOptionsSchema, rawOptions, { kind: VENDOR_NAME, vendorName: context.vendorName });
    const client = new ZendeskClient({
      url: options.url,
      email: options.email,
      token: options.token,
      password: options.password,
      where: `vendors.${context.vendorName}`,
      vendorName: context.vendorName,
      logger: context.logger,
      limits: { ...ZENDESK_LIMITS, ...limits },
    });
    return zendeskAdapterFor(options, client, context);
  };
}

/** The `zendesk` vendor as a {@link VendorFactory}; see the module comment. */
const zendesk: VendorFactory<ZendeskOptions> = zendeskWith({});

export default zendesk;

/** The `zendesk` adapter's registry entry. */
export const zendeskAdapter = defineVendorAdapter({ kind: VENDOR_NAME, factory: zendesk, optionsSchema: zendeskOptionsSchema });

function zendeskAdapterFor(options: z.output<typeof zendeskOptionsSchema>, client: ZendeskClient, context: VendorContext): VendorAdapter {
  const desk = options.url;

  async function getRequest(id: string, ref: string): Promise<ZendeskRequest> {
    if (!/^\d+$/.test(id)) throw fail(`'${id}' is not a Zendesk request id (expected a number, e.g. 5521)`);
    const found = await client.call('GET', `/api/v2/requests/${id}.json`, oneRequestSchema);
    if (!found) throw fail(`request ${id} (${ref}) does not exist at ${desk}, or our account ${options.email} cannot see it`);
    return found.request;
  }

  const filed = (request: ZendeskRequest, reused: boolean): FiledTicket => ({
    vendorTicketId: String(request.id),
    url: `${desk}/hc/requests/${request.id}`,
    filedAt: new Date(request.created_at),
    reused,
  });

  const carriesTag = (request: ZendeskRequest, ref: string) => (request.subject ?? '').includes(`[${ref}]`);

  const requestDesk: RequestDesk = {
    client,
    desk,
    getRequest: (handle) => getRequest(handle.vendorTicketId, handle.ref),
    maxAttachmentBytes: options.maxAttachmentBytes,
    vendorName: context.vendorName,
    ...(context.logger ? { logger: context.logger } : {}),
  };

  return {
    kind: VENDOR_NAME,
    defaultPollIntervalMs: DEFAULT_POLL_MS,

    async preflight() {
      client.checkCredentials();
    },

    async findTicket({ ref }) {
      // The search index lags a request by up to a few minutes, so the newest of our own requests
      // are looked at first: a retry right after a crash must see the request it just filed.
      const recent = await client.call('GET', `/api/v2/requests.json?sort_by=created_at&sort_order=desc&per_page=${PAGE_SIZE}`, requestListSchema);
      const candidates = (recent?.requests ?? []).filter((r) => carriesTag(r, ref));
      if (candidates.length === 0) {
        let next: string | null = `/api/v2/requests/search.json?query=${encodeURIComponent(`"${ref}"`)}&per_page=${PAGE_SIZE}`;
        for (let page = 0; next && page < 10; page++) {
          const result: RequestList | null = await client.call('GET', next, requestListSchema);
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
      const { tokens, note } = await uploadEvidence(client, draft.attachments, options.maxAttachmentBytes);
      const request = { subject: draft.title, comment: { body: draft.body + note, ...(tokens.length ? { uploads: tokens } : {}) }, priority: PRIORITY[draft.severity] };
      const created = await client.call('POST', '/api/v2/requests.json', createdRequestSchema, { body: { json: { request } } });
      // The request may exist all the same: the retry looks it up by its reference before filing again.
      if (!created?.request) throw unavailable(`${desk} did not answer POST /api/v2/requests with the request it created`);
      context.logger?.info({ vendor: context.vendorName, ref: draft.ref, request: created.request.id }, 'zendesk request filed');
      return filed(created.request, false);
    },

    async fetchActivity(handle, cursor) {
      // Read first, so that a cursor of another adapter fails before anything is sent.
      const position = parseCursor(cursor);
      const request = await getRequest(handle.vendorTicketId, handle.ref);
      return readActivity({ client, desk }, request, handle, position);
    },

    reply: (handle, message) => sendReply(requestDesk, handle, message),
    findReply: (handle, key) => findReply(requestDesk, handle, key),
    markSolved: (handle) => markSolved(requestDesk, handle),
  };
}
