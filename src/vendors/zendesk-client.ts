/**
 * The `zendesk` adapter's HTTP side: one call to the desk with our end user's credentials, and every
 * way it can go wrong turned into a `VendorRejectedError` (retrying will not help) or a
 * `VendorUnavailableError` (retry later, after the delay the desk asked for). The desk is a server we
 * do not control, so nothing it sends is taken on trust:
 *
 * - **Credentials go to the configured base URL only.** Pagination links are checked before they are
 *   followed. Redirects are not followed by `fetch`: one to another host (or scheme, or outside the
 *   base path) is refused, naming both; one within the desk is followed once, for a GET only, so that
 *   a desk that moved a path keeps working while a filing or a comment (POST, PUT) is sent exactly
 *   once, where the config says.
 *   A second redirect in a row is refused rather than chased.
 * - **Bodies are read up to a cap** ({@link MAX_JSON_BYTES}), streamed, and the download is abandoned
 *   beyond it; what is read must be JSON of the expected shape (`zendesk-payloads.ts`).
 * - **Every call ends within {@link REQUEST_TIMEOUT_MS}**, its body and any redirect included.
 * - **`Retry-After` and rate-limit headers are read strictly and capped** (`core/retry-after.ts`), and
 *   no call is sent while the desk's rate limit is known to be used up.
 */
import type { z } from 'zod';
import { formatMs } from '../core/duration.ts';
import type { Logger } from '../core/log.ts';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../core/retry-after.ts';
import { resolveSecret, type Secret } from '../core/secrets.ts';
import { fail, unavailable } from './zendesk-errors.ts';

const TRANSIENT_4XX = new Set([408, 409, 425]);

/** How long one call may take, body and redirect included, before the desk counts as unavailable. */
export const REQUEST_TIMEOUT_MS = 60_000;
/**
 * The most of a JSON answer that is read. A page of 100 comments is well under 1 MB even with long
 * e-mails pasted into them; 8 MiB leaves room for that without letting a broken proxy fill memory.
 */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;
/** An error answer is read only for the message in it. */
const MAX_ERROR_BYTES = 64 * 1024;
/** Zendesk's rate-limit window: the wait when a 429 or used-up rate-limit headers do not say. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** What bounds a call. The product always uses {@link ZENDESK_LIMITS}; tests shorten them. */
export interface ZendeskLimits {
  timeoutMs: number;
  maxJsonBytes: number;
}
export const ZENDESK_LIMITS: Readonly<ZendeskLimits> = { timeoutMs: REQUEST_TIMEOUT_MS, maxJsonBytes: MAX_JSON_BYTES };

export interface ZendeskClientSettings {
  /** The desk's base URL, without a trailing slash. */
  url: string;
  email: string;
  token?: Secret;
  password?: Secret;
  /** The vendor entry, for messages: `vendors.<name>`. */
  where: string;
  vendorName: string;
  logger?: Logger;
  limits: ZendeskLimits;
}

/** The methods the Requests API takes from an end user: reads, filings and uploads, a request's update. */
export type Method = 'GET' | 'POST' | 'PUT';

export type RequestBody = { json: unknown } | { binary: Buffer; contentType: string };

export interface CallOptions {
  body?: RequestBody;
  /** Statuses that mean "not there" to the caller and come back as `null`. @defaultValue `[404]` */
  missing?: readonly number[];
}

/** One call as sent, for messages: the method and the path without its query (which may carry cursors). */
interface Sent {
  method: Method;
  path: string;
  init: RequestInit;
}

/** The desk's API as our end user; see the module comment for what it refuses and why. */
export class ZendeskClient {
  readonly #settings: ZendeskClientSettings;
  readonly #desk: string;
  readonly #base: URL;
  /** Set from 429s and used-up rate-limit headers: no call is sent before it. */
  #blockedUntil = 0;
  #authorization: string | undefined;

  constructor(settings: ZendeskClientSettings) {
    this.#settings = settings;
    this.#desk = settings.url;
    this.#base = new URL(settings.url);
  }

  /** One API call, its answer checked against `schema`; `null` for the `missing` statuses, so the caller can say what was not found. */
  async call<S extends z.ZodType>(method: Method, pathOrUrl: string, schema: S, options: CallOptions = {}): Promise<z.output<S> | null> {
    const desk = this.#desk;
    // Capped here too: a clock set back must not turn a ten-minute hold into a longer one.
    const wait = Math.min(this.#blockedUntil - Date.now(), MAX_RETRY_AFTER_MS);
    if (wait > 0) throw unavailable(`rate limit reached at ${desk}; not calling again for ${Math.ceil(wait / 1000)} s`, wait);
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${desk}${pathOrUrl}`;
    if (!this.#onDesk(url)) throw fail(`the desk sent a link outside ${desk} (${url}); refusing to follow it`);
    const init: RequestInit = { method, headers: this.#headers(options.body), body: payload(options.body), redirect: 'manual', signal: AbortSignal.timeout(this.#settings.limits.timeoutMs) };
    const sent: Sent = { method, path: new URL(url).pathname, init };
    const response = await this.#send(url, sent);
    this.#noteRateLimit(response);
    if (response.ok) return this.#decode(await this.#readJson(response, sent), schema, sent);
    if ((options.missing ?? [404]).includes(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      return null;
    }
    throw await this.#refusal(response, sent);
  }

  get #secretOption(): 'token' | 'password' {
    return this.#settings.token !== undefined ? 'token' : 'password';
  }

  /** Resolves the account's secret now: an unset variable fails here, before anything is sent. */
  checkCredentials(): void {
    this.#auth();
  }

  #auth(): string {
    if (this.#authorization) return this.#authorization;
    const { token, password, email, where } = this.#settings;
    const secret = resolveSecret(token ?? password, `${where}.${this.#secretOption}`);
    const user = token !== undefined ? `${email}/token` : email;
    this.#authorization = `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
    return this.#authorization;
  }

  #headers(body: RequestBody | undefined): Record<string, string> {
    const headers: Record<string, string> = { authorization: this.#auth(), accept: 'application/json' };
    if (body && 'json' in body) headers['content-type'] = 'application/json';
    else if (body) headers['content-type'] = body.contentType;
    return headers;
  }

  /**
   * Whether a URL — ours, a pagination link, a redirect — stays on the desk, where our credentials may
   * go: the same origin, under the base path. Compared parsed, so that case, default ports and dot
   * segments cannot make another place look like the desk or the desk look like another place.
   */
  #onDesk(url: string): boolean {
    if (!URL.canParse(url)) return false;
    const target = new URL(url);
    const root = this.#base.pathname.replace(/\/+$/, '');
    return target.origin === this.#base.origin && target.username === '' && target.password === '' && target.pathname.startsWith(`${root}/`);
  }

  #holdFor(waitMs: number): void {
    const now = Date.now();
    this.#blockedUntil = Math.min(Math.max(this.#blockedUntil, now + waitMs), now + MAX_RETRY_AFTER_MS);
  }

  /** Sends the call, following one redirect that stays on the desk; see the module comment. */
  async #send(url: string, sent: Sent): Promise<Response> {
    const first = await this.#fetchOnce(url, sent);
    if (!REDIRECTS.has(first.status)) return first;
    const target = this.#redirectTarget(first, url, sent);
    await first.body?.cancel().catch(() => undefined);
    const second = await this.#fetchOnce(target, sent);
    if (!REDIRECTS.has(second.status)) return second;
    await second.body?.cancel().catch(() => undefined);
    throw fail(
      `${this.#desk} redirected ${sent.method} ${sent.path} again (to ${shown(second.headers.get('location'), target)}); refusing to follow redirects around. Check ${this.#settings.where}.url.`,
    );
  }

  #redirectTarget(response: Response, url: string, sent: Sent): string {
    const { where } = this.#settings;
    const desk = this.#desk;
    const location = response.headers.get('location');
    if (!location) throw fail(`${desk} answered ${sent.method} ${sent.path} with a redirect (${response.status}) to nowhere`);
    const target = URL.canParse(location, url) ? new URL(location, url).toString() : undefined;
    if (target === undefined) throw fail(`${desk} redirected ${sent.method} ${sent.path} to ${JSON.stringify(location.slice(0, 200))}, which is not a URL`);
    if (!this.#onDesk(target)) {
      throw fail(
        `${desk} redirected ${sent.method} ${sent.path} to ${shown(location, url)}, outside ${desk}; refusing to follow it: our credentials and tickets go to ${desk} only. Check ${where}.url.`,
      );
    }
    if (sent.method !== 'GET') throw fail(`${desk} redirected ${sent.method} ${sent.path} to ${shown(location, url)}; a ${sent.method} is sent once, where the config says. Check ${where}.url.`);
    return target;
  }

  async #fetchOnce(url: string, sent: Sent): Promise<Response> {
    try {
      return await fetch(url, sent.init);
    } catch (error) {
      throw this.#transportError(error, sent);
    }
  }

  #transportError(error: unknown, sent: Sent): Error {
    if ((error as Error).name === 'TimeoutError') {
      return unavailable(`${this.#desk} did not answer ${sent.method} ${sent.path} within ${formatMs(this.#settings.limits.timeoutMs)}`, undefined, error);
    }
    const cause = (error as { cause?: { code?: string } }).cause;
    return unavailable(`cannot reach ${this.#desk}: ${cause?.code ?? (error as Error).message}`, undefined, error);
  }

  async #readJson(response: Response, sent: Sent): Promise<Buffer> {
    const limit = this.#settings.limits.maxJsonBytes;
    let body: { bytes: Buffer; complete: boolean };
    try {
      body = await readCapped(response, limit);
    } catch (error) {
      // The call's timeout also ends a body that stops coming after its headers.
      throw this.#transportError(error, sent);
    }
    if (body.complete) return body.bytes;
    throw unavailable(`${this.#desk} answered ${sent.method} ${sent.path} with more than ${formatBytes(limit)}; a Requests API answer is never that large, so it was cut off unread`);
  }

  #decode<S extends z.ZodType>(bytes: Buffer, schema: S, sent: Sent): z.output<S> {
    let data: unknown;
    try {
      data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      throw unavailable(`${this.#desk} answered ${sent.method} ${sent.path} with a body that is not JSON (${glimpse(bytes)})`);
    }
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    throw unavailable(`${this.#desk} answered ${sent.method} ${sent.path} with JSON that is not the Requests API's (${issue.path.join('.') || 'the body'}: ${issue.message})`);
  }

  async #refusal(response: Response, sent: Sent): Promise<Error> {
    const { status } = response;
    const { email, where, token } = this.#settings;
    const desk = this.#desk;
    const text = (await readCapped(response, MAX_ERROR_BYTES).catch(() => ({ bytes: Buffer.alloc(0) }))).bytes.toString('utf8');
    const detail = errorDetail(text);
    const said = `${status}${detail ? `: ${detail}` : ''}`;
    if (status === 401 || status === 403) {
      return fail(
        `${desk} refused ${email} (${said}) on ${sent.method} ${sent.path}. ` +
          (status === 401
            ? `Check ${where}.email and ${where}.${this.#secretOption}${token !== undefined ? ' (an API token of the desk, with token access enabled)' : ''}.`
            : `The account may lack access, or its e-mail address may be unverified at the desk; sign in once at ${desk} to check.`) +
          ' Watching this vendor stops until that is fixed.',
      );
    }
    if (status === 429) {
      const retry = parseRetryAfter(response.headers.get('retry-after'), Date.now()) ?? DEFAULT_RATE_LIMIT_WAIT_MS;
      this.#holdFor(retry);
      return unavailable(`rate limited by ${desk} (429); retry after ${Math.ceil(retry / 1000)} s`, retry);
    }
    // 408 (timed out), 409 (a conflicting update) and 425 (too early) pass: like a 5xx, they are the desk's moment, not our request.
    if (status >= 500 || TRANSIENT_4XX.has(status)) {
      return unavailable(`${desk} failed (${said}) on ${sent.method} ${sent.path}`, parseRetryAfter(response.headers.get('retry-after'), Date.now()));
    }
    return fail(`${desk} rejected ${sent.method} ${sent.path} (${said})`);
  }

  #noteRateLimit(response: Response): void {
    const remaining = Number(response.headers.get('ratelimit-remaining') ?? response.headers.get('x-rate-limit-remaining') ?? NaN);
    if (remaining !== 0) return;
    // `ratelimit-reset` counts seconds until the window resets, like a delta-seconds Retry-After.
    const now = Date.now();
    const wait = parseRetryAfter(response.headers.get('retry-after'), now) ?? parseRetryAfter(response.headers.get('ratelimit-reset'), now) ?? DEFAULT_RATE_LIMIT_WAIT_MS;
    this.#holdFor(wait);
    this.#settings.logger?.warn({ vendor: this.#settings.vendorName }, `rate limit of ${this.#desk} used up; pausing ${Math.ceil(wait / 1000)} s`);
  }
}

function payload(body: RequestBody | undefined): string | Uint8Array<ArrayBuffer> | undefined {
  if (body === undefined) return undefined;
  return 'json' in body ? JSON.stringify(body.json) : new Uint8Array(body.binary);
}

/**
 * At most `limit` bytes of the body, read as they arrive; `complete: false` when there was more, whose
 * download is then abandoned. A declared length over the limit is not even started.
 */
async function readCapped(response: Response, limit: number): Promise<{ bytes: Buffer; complete: boolean }> {
  if (!response.body) return { bytes: Buffer.alloc(0), complete: true };
  if (Number(response.headers.get('content-length')) > limit) {
    await response.body.cancel().catch(() => undefined);
    return { bytes: Buffer.alloc(0), complete: false };
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) return { bytes: Buffer.concat(chunks), complete: true };
    if (size + next.value.byteLength > limit) {
      chunks.push(next.value.subarray(0, limit - size));
      await reader.cancel().catch(() => undefined);
      return { bytes: Buffer.concat(chunks), complete: false };
    }
    size += next.value.byteLength;
    chunks.push(next.value);
  }
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
}

/** The start of a body that is not JSON, for the operator to recognise (a proxy's page, a login form…). */
function glimpse(bytes: Buffer): string {
  if (bytes.length === 0) return 'an empty body';
  const text = bytes.subarray(0, 80).toString('utf8');
  return `it starts ${JSON.stringify(text)}${bytes.length > 80 ? '…' : ''}`;
}

/** Where a redirect points, without its query, which may carry tokens of the other host. */
function shown(location: string | null, base: string): string {
  try {
    const url = new URL(location ?? '', base);
    return `${url.origin}${url.pathname}`;
  } catch {
    return JSON.stringify(location);
  }
}

/**
 * What an error answer says: Zendesk's `error` and `description`, and the `details` of a validation
 * error, which carry the reason itself ("Status: closed prevents ticket update").
 */
function errorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: string | { title?: string; message?: string }; description?: string; details?: unknown } | null;
    const error = typeof body?.error === 'string' ? body.error : (body?.error?.title ?? body?.error?.message);
    return [error, body?.description, ...detailDescriptions(body?.details)].filter((part) => typeof part === 'string' && part !== '').join(' — ');
  } catch {
    return text.slice(0, 200);
  }
}

/** `details: { field: [{ description }] }`, at most a few of them, each cut short. */
function detailDescriptions(details: unknown): string[] {
  if (typeof details !== 'object' || details === null) return [];
  return Object.values(details)
    .flatMap((entries: unknown) => (Array.isArray(entries) ? entries : []))
    .map((entry: unknown) => (entry as { description?: unknown } | null)?.description)
    .filter((description): description is string => typeof description === 'string')
    .slice(0, 3)
    .map((description) => description.slice(0, 200));
}
