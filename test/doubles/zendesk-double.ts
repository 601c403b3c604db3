/**
 * TEST DOUBLE of Zendesk: the end-user Requests API on 127.0.0.1 (node:http), answering with the
 * documented payloads — `request`/`requests`, comments with sideloaded `users` (the `agent` flag),
 * cursor pagination for comments (`meta.has_more`, `links.next`), offset pagination for search
 * (`next_page`), uploads with tokens, `{ error, description }` errors. Its clock is the test's, so
 * every timestamp it writes is known. It is a double, not a simulator: tests script what the vendor
 * does through its methods.
 *
 * The end user writes back with `PUT /api/v2/requests/{id}` as on a real desk: a comment (with upload
 * tokens) is a public comment by the requester, which reopens a pending, solved or on-hold request; a
 * closed request refuses it with Zendesk's 422; `solved: true` is honoured only while the request says
 * `can_be_solved_by_me`, which it does once an agent has commented (a real desk: once an agent is
 * assigned) and it is not solved yet, and is otherwise answered 200 with nothing changed.
 *
 * It can also be hostile, as the desk and whatever stands in front of it sometimes are: absurd
 * `Retry-After`s, 5xx pages, slow or hanging replies, huge bodies, redirects to another host, bodies
 * that are not the JSON they claim. `hostileNext` scripts one such answer; `hostileAfterNext` carries
 * the call out first and then answers it so (a comment taken, its answer lost); `chaos` draws them at
 * random from a seeded generator, so a soak run that found a problem can be replayed call for call.
 * It stands in for Zendesk in tests and soak scripts only; the product never talks to it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { seededRandom } from '../../src/core/seeded-random.ts';

export interface DoubleUser {
  id: number;
  name: string;
  agent: boolean;
}

/** A file on a comment, as Zendesk lists it. */
export interface DoubleAttachment {
  id: number;
  file_name: string;
  content_url: string;
  content_type: string;
  size: number;
}

export interface DoubleComment {
  id: number;
  author_id: number;
  body: string;
  plain_body: string;
  html_body: string;
  public: boolean;
  attachments: DoubleAttachment[];
  created_at: string;
  via: { channel: string; source: { rel: string | null; from: object; to: object } };
  metadata: { flags?: number[]; system: object };
}

export interface DoubleRequest {
  id: number;
  url: string;
  subject: string;
  description: string;
  status: string;
  priority: string | null;
  type: string | null;
  requester_id: number;
  /** The agent assigned: the first agent who commented (not a trigger or automation); `null` before. */
  assignee_id: number | null;
  created_at: string;
  updated_at: string;
  /** The upload tokens the request was filed with. */
  uploads: string[];
}

/** What a hostile desk does to a call instead of answering it properly. */
export type HostileMode =
  /** 429 with one of {@link ABSURD_RETRY_AFTER} (or none). */
  | 'rate-limit'
  /** One of {@link SERVER_ERRORS}: a 5xx, often an HTML page, sometimes an absurd `Retry-After`. */
  | 'server-error'
  /** The proper answer, its headers at once and its body dribbled out over `slowMs`. */
  | 'slow'
  /** Accepts the connection and never answers. */
  | 'hang'
  /** A 200 whose JSON body is `hugeBytes` long, its length declared or (variant 1) chunked. */
  | 'huge'
  /** A redirect to the same path on {@link ZendeskDouble.elsewhere}, another host. */
  | 'redirect-away'
  /** A 200 saying `application/json` whose body is one of {@link GARBAGE_BODIES}. */
  | 'garbage-json';

export const HOSTILE_MODES: readonly HostileMode[] = ['rate-limit', 'server-error', 'slow', 'hang', 'huge', 'redirect-away', 'garbage-json'];

/** `Retry-After` values seen in the wild or worse; `null` sends none. */
export const ABSURD_RETRY_AFTER: readonly (string | null)[] = [
  `1${'0'.repeat(20)}`,
  'Fri, 31 Dec 9999 23:59:59 GMT',
  '-30',
  'soon',
  '1e9',
  '',
  'Infinity',
  'NaN',
  '0x7fffffff',
  '9'.repeat(400),
  '3.5',
  'Thu, 01 Jan 1970 00:00:00 GMT',
  '  120  ',
  null,
];

export const SERVER_ERRORS: readonly { status: number; retryAfter: string | null; body: string; contentType: string }[] = [
  { status: 500, retryAfter: null, body: '{"error":"InternalError","description":"Something went wrong"}', contentType: 'application/json' },
  { status: 502, retryAfter: null, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' },
  { status: 503, retryAfter: `1${'0'.repeat(20)}`, body: '<html>Maintenance</html>', contentType: 'text/html' },
  { status: 503, retryAfter: 'Fri, 31 Dec 9999 23:59:59 GMT', body: '{"error":"Unavailable"}', contentType: 'application/json' },
  { status: 504, retryAfter: 'soon', body: '', contentType: 'text/plain' },
];

/** Bodies a proxy, a half-written reply or a changed API could hand back under a 200 `application/json`. */
export const GARBAGE_BODIES: readonly (string | Buffer)[] = [
  '{"request": {"id": 55',
  '<!DOCTYPE html><html><body>Checking your browser…</body></html>',
  'null',
  '[]',
  '',
  Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
  '{"request": null, "requests": 7, "comments": "none", "users": {}, "meta": 0, "upload": []}',
  '{"request": {"id": "5521", "created_at": "yesterday"}, "requests": [{"id": null}], "comments": [{"id": 1}]}',
  '{"request": {"id": 1e400, "created_at": "2026-11-29T06:00:00Z"}, "comments": [{"id": 1e400, "author_id": 1, "created_at": "x"}]}',
];

export interface ChaosOptions {
  /** Seeds the generator: the same seed and the same calls give the same hostile answers. */
  seed: number;
  /**
   * The share of calls that get a hostile answer, 0–1.
   * @defaultValue `0.3`
   */
  rate?: number;
  /**
   * The modes drawn from.
   * @defaultValue every mode but `hang` (a hung call costs the caller its whole timeout)
   */
  modes?: readonly HostileMode[];
  /**
   * The share of hostile answers to writes (POST, PUT) given after the write was carried out, as when
   * the desk took a comment and the answer was lost on the way back, 0–1.
   * @defaultValue `0` (and no extra draws, so older seeds replay as they did)
   */
  applied?: number;
}

export interface HostileOptions {
  /**
   * How long a `slow` reply takes to finish, ms.
   * @defaultValue `1500`
   */
  slowMs?: number;
  /**
   * The size of a `huge` reply, bytes: more than any cap a client should keep.
   * @defaultValue 12 MiB
   */
  hugeBytes?: number;
}

/** One hostile answer the double gave, for a test or a soak report to look at. */
export interface Injected {
  call: string;
  mode: HostileMode;
  variant: number;
  /** The call was carried out before the hostile answer. */
  applied?: true;
}

export interface ZendeskDouble {
  url: string;
  email: string;
  token: string;
  customer: DoubleUser;
  agent: DoubleUser;
  /** An agent account that the desk's triggers and automations write as. */
  automationAccount: DoubleUser;
  requests: Map<number, DoubleRequest>;
  comments: Map<number, DoubleComment[]>;
  uploads: Map<string, { filename: string; contentType: string; bytes: number }>;
  /** Every call, as `METHOD /path?query`. */
  calls: string[];
  /** Every JSON body sent to the desk (filings, updates), parsed, with its call: what a test checks the shape of. */
  writes: { call: string; body: unknown }[];
  /** How many comments the comment pages have carried, all calls together. */
  commentsServed: number;
  /** Requests visible to search only from this many calls after their creation (an index lag). */
  searchLag: boolean;
  setNow(at: Date): void;
  /**
   * Adds a comment as the desk would: an agent's (not a trigger's) assigns the request to that agent
   * and opens a new one; an end user's reopens a pending, solved or on-hold one. `uploads` are tokens
   * from `POST /api/v2/uploads`.
   */
  addComment(
    requestId: number,
    comment: { author: DoubleUser; body: string; at: Date; channel?: string; rel?: string | null; flags?: number[]; public?: boolean; uploads?: string[] },
  ): DoubleComment;
  setStatus(requestId: number, status: string, at: Date): void;
  /** The next call gets this answer instead (429s, 401s…). */
  failNext(status: number, headers?: Record<string, string>, body?: unknown): void;
  /** Every following answer carries these headers (rate-limit headers, say). */
  alwaysHeaders: Record<string, string>;
  /**
   * The next call — or, with `on`, the next whose `METHOD /path?query` contains it — is answered in this
   * hostile way; `variant` picks among the mode's variants (drawn when absent).
   */
  hostileNext(mode: HostileMode, variant?: number, on?: string): void;
  /**
   * Like {@link hostileNext}, but the call is carried out first and only its answer is hostile: the
   * desk took the comment or the filing and the caller never hears it (`hang`, `garbage-json`,
   * `server-error`, `huge`…).
   */
  hostileAfterNext(mode: HostileMode, variant?: number, on?: string): void;
  /** Random hostile answers from now on, or `null` for none; see {@link ChaosOptions}. */
  chaos: ChaosOptions | null;
  /** Every hostile answer given so far, scripted or drawn. */
  injected: Injected[];
  /** Another host, where `redirect-away` sends callers: it answers anything with a plausible request and notes who asked. */
  elsewhere: { url: string; calls: { call: string; authorization: string | undefined }[] };
  stop(): Promise<void>;
}

/** The double's answer to a call, before it is written out (plainly, slowly or not at all). */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const iso = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});
const notFound = (error = 'RecordNotFound') => json(404, { error, description: 'Not found' });


const VARIANTS: Record<HostileMode, number> = {
  'rate-limit': ABSURD_RETRY_AFTER.length,
  'server-error': SERVER_ERRORS.length,
  slow: 1,
  hang: 1,
  huge: 2,
  'redirect-away': 4,
  'garbage-json': GARBAGE_BODIES.length,
};

/** The double's hostile side: which calls get a hostile answer, and how each kind is written out. */
interface HostileFront {
  chaos: ChaosOptions | null;
  readonly injected: Injected[];
  hostileNext: ZendeskDouble['hostileNext'];
  hostileAfterNext: ZendeskDouble['hostileAfterNext'];
  /**
   * Answers the call in a hostile way when it is its turn (a scripted answer first, else a draw of
   * chaos) and says whether it did; `proper` is the double's own answer, which a slow reply dribbles
   * out and which carries the call out (so an applied hostile answer calls it first).
   */
  intercept(call: string, res: ServerResponse, proper: () => Answer, headers: Record<string, string>): boolean;
  stop(): void;
}

function hostileFront(options: HostileOptions, elsewhere: () => string): HostileFront {
  const slowMs = options.slowMs ?? 1500;
  const hugeBytes = options.hugeBytes ?? 12 * 1024 * 1024;
  const scripted: { mode: HostileMode; variant?: number; on?: string; applied?: true }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const injected: Injected[] = [];
  let random = seededRandom(0);
  let chaos: ChaosOptions | null = null;

  function choose(call: string): Injected | undefined {
    const index = scripted.findIndex((entry) => entry.on === undefined || call.includes(entry.on));
    const next = index < 0 ? undefined : scripted.splice(index, 1)[0];
    let pick: Injected | undefined;
    if (next) pick = { call, mode: next.mode, variant: next.variant ?? Math.floor(random() * VARIANTS[next.mode]), ...(next.applied ? { applied: next.applied } : {}) };
    else if (chaos && random() < (chaos.rate ?? 0.3)) {
      const modes = chaos.modes ?? HOSTILE_MODES.filter((mode) => mode !== 'hang');
      const mode = modes[Math.floor(random() * modes.length)]!;
      pick = { call, mode, variant: Math.floor(random() * VARIANTS[mode]) };
      const applied = chaos.applied ?? 0;
      if (applied > 0 && !call.startsWith('GET ') && random() < applied) pick.applied = true;
    }
    if (pick) injected.push(pick);
    return pick;
  }

  function later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  }

  return {
    get chaos() {
      return chaos;
    },
    set chaos(value) {
      chaos = value;
      random = seededRandom(value?.seed ?? 0);
    },
    injected,
    hostileNext(mode, variant, on) {
      scripted.push({ mode, variant, on });
    },
    hostileAfterNext(mode, variant, on) {
      scripted.push({ mode, variant, on, applied: true });
    },
    intercept(call, res, proper, headers) {
      const pick = choose(call);
      if (!pick) return false;
      const carriedOut = pick.applied ? proper() : undefined;
      if (pick.mode === 'hang') return true; // the connection stays open, unanswered, until the client gives up or the double stops
      if (pick.mode === 'huge') deliverHuge(res, hugeBytes, pick.variant % 2 === 0, headers);
      else if (pick.mode === 'slow') deliverSlowly(res, carriedOut ?? proper(), slowMs, later, headers);
      else deliver(res, hostileAnswer(pick.mode, pick.variant, call.slice(call.indexOf(' ') + 1), elsewhere()), headers);
      return true;
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

function hostileAnswer(mode: Exclude<HostileMode, 'hang' | 'huge' | 'slow'>, variant: number, path: string, elsewhere: string): Answer {
  const retryAfter = (value: string | null): Record<string, string> => (value === null ? {} : { 'retry-after': value });
  switch (mode) {
    case 'rate-limit':
      return json(429, { error: 'TooManyRequests' }, retryAfter(ABSURD_RETRY_AFTER[variant % ABSURD_RETRY_AFTER.length]!));
    case 'server-error': {
      const error = SERVER_ERRORS[variant % SERVER_ERRORS.length]!;
      return { status: error.status, headers: { 'content-type': error.contentType, ...retryAfter(error.retryAfter) }, body: error.body };
    }
    case 'redirect-away':
      return { status: [302, 301, 307, 308][variant % 4]!, headers: { location: `${elsewhere}${path}` }, body: '' };
    case 'garbage-json':
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: GARBAGE_BODIES[variant % GARBAGE_BODIES.length]! };
  }
}

function deliver(res: ServerResponse, answer: Answer, headers: Record<string, string>): void {
  res.writeHead(answer.status, { ...headers, ...answer.headers });
  res.end(answer.body);
}

/** Headers at once, then the body in ten pieces over `slowMs`: a desk (or a link) that is slow rather than down. */
function deliverSlowly(res: ServerResponse, answer: Answer, slowMs: number, later: (ms: number, fn: () => void) => void, headers: Record<string, string>): void {
  res.writeHead(answer.status, { ...headers, ...answer.headers });
  const body = Buffer.from(answer.body);
  const pieces = 10;
  for (let i = 1; i <= pieces; i++) {
    later((slowMs * i) / pieces, () => {
      if (res.destroyed) return;
      const piece = body.subarray((body.length * (i - 1)) / pieces, (body.length * i) / pieces);
      if (i < pieces) res.write(piece);
      else res.end(piece);
    });
  }
}

/** A valid JSON object of `hugeBytes`, written as the client reads it, so the double never holds it all. */
function deliverHuge(res: ServerResponse, hugeBytes: number, declared: boolean, headers: Record<string, string>): void {
  const head = Buffer.from('{"comments":[],"users":[],"meta":{"has_more":false},"padding":"');
  const tail = Buffer.from('"}');
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let left = Math.max(0, hugeBytes - head.length - tail.length);
  res.writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8', ...(declared ? { 'content-length': String(head.length + left + tail.length) } : {}) });
  res.write(head);
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const piece = chunk.subarray(0, Math.min(chunk.length, left));
      left -= piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end(tail);
  };
  pump();
}

async function read(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function listen(server: Server): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address === 'object' && address) resolve(`http://127.0.0.1:${address.port}`);
      else reject(new Error('no port'));
    });
  });
}

const RESOLVED = new Set(['solved', 'closed']);
/** End-user comments on these reopen the request (Zendesk's built-in rule). */
const REOPENED_BY_REQUESTER = new Set(['pending', 'solved', 'hold']);

/** Zendesk's rule: an end user may solve a request once an agent is assigned, while it is not solved yet. */
const canBeSolved = (request: DoubleRequest) => request.assignee_id !== null && !RESOLVED.has(request.status);

function publicRequest(request: DoubleRequest) {
  const { uploads: _uploads, ...rest } = request;
  return {
    organization_id: null,
    via: { channel: 'api', source: { rel: null, from: {}, to: {} } },
    custom_fields: [],
    is_public: true,
    collaborator_ids: [],
    email_cc_ids: [],
    due_at: null,
    fields: [],
    followup_source_id: null,
    recipient: null,
    custom_status_id: null,
    ...rest,
    can_be_solved_by_me: canBeSolved(request),
  };
}

export async function startZendeskDouble(options: { commentsPageSize?: number; searchPageSize?: number } & HostileOptions = {}): Promise<ZendeskDouble> {
  const email = 'trial@school.example';
  const token = 'zd-test-token-6f1c';
  const customer: DoubleUser = { id: 100, name: 'School RTC trial', agent: false };
  const agent: DoubleUser = { id: 200, name: 'Alex Chen', agent: true };
  const automationAccount: DoubleUser = { id: 201, name: 'Acme Support', agent: true };
  const users = new Map([customer, agent, automationAccount].map((u) => [u.id, u]));
  const requests = new Map<number, DoubleRequest>();
  const comments = new Map<number, DoubleComment[]>();
  const uploads = new Map<string, { filename: string; contentType: string; bytes: number }>();
  const calls: string[] = [];
  const writes: { call: string; body: unknown }[] = [];
  const failures: Answer[] = [];
  const hostile = hostileFront(options, () => double.elsewhere.url);
  let now = new Date();
  let nextRequestId = 5521;
  let nextCommentId = 9001;
  let nextAttachmentId = 7001;
  let base = '';
  const commentsPageSize = options.commentsPageSize ?? 2;
  const searchPageSize = options.searchPageSize ?? 2;

  const double: ZendeskDouble = {
    url: '',
    email,
    token,
    customer,
    agent,
    automationAccount,
    requests,
    comments,
    uploads,
    calls,
    writes,
    commentsServed: 0,
    searchLag: false,
    alwaysHeaders: {},
    injected: hostile.injected,
    hostileNext: hostile.hostileNext,
    hostileAfterNext: hostile.hostileAfterNext,
    elsewhere: { url: '', calls: [] },
    get chaos() {
      return hostile.chaos;
    },
    set chaos(value) {
      hostile.chaos = value;
    },
    setNow(at) {
      now = at;
    },
    addComment(requestId, spec) {
      const comment: DoubleComment = {
        id: nextCommentId++,
        author_id: spec.author.id,
        body: spec.body,
        plain_body: spec.body,
        html_body: `<div class="zd-comment"><p>${spec.body}</p></div>`,
        public: spec.public ?? true,
        attachments: (spec.uploads ?? []).flatMap((token) => {
          const file = uploads.get(token);
          if (!file) return [];
          const id = nextAttachmentId++;
          return [{ id, file_name: file.filename, content_url: `${base}/attachments/token/${token}/?name=${encodeURIComponent(file.filename)}`, content_type: file.contentType, size: file.bytes }];
        }),
        created_at: iso(spec.at),
        via: { channel: spec.channel ?? 'web', source: { rel: spec.rel ?? null, from: {}, to: {} } },
        metadata: { ...(spec.flags ? { flags: spec.flags } : {}), system: {} },
      };
      comments.get(requestId)!.push(comment);
      const request = requests.get(requestId)!;
      request.updated_at = iso(spec.at);
      const byRule = spec.channel === 'rule' || spec.rel === 'trigger' || spec.rel === 'automation';
      if (spec.author.agent && !byRule) request.assignee_id ??= spec.author.id;
      if (spec.author.agent && request.status === 'new') request.status = 'open';
      if (!spec.author.agent && REOPENED_BY_REQUESTER.has(request.status)) request.status = 'open';
      return comment;
    },
    setStatus(requestId, status, at) {
      const request = requests.get(requestId)!;
      request.status = status;
      request.updated_at = iso(at);
    },
    failNext(status, headers = {}, body = { error: 'Error' }) {
      failures.push(json(status, body, headers));
    },
    async stop() {
      hostile.stop();
      // A hanging or dribbling reply keeps its connection open; close() alone would wait for it forever.
      for (const server of [main, elsewhere]) server.closeAllConnections();
      await Promise.all([main, elsewhere].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };

  function route(req: IncomingMessage, url: URL, body: Buffer): Answer {
    const path = url.pathname.replace(/\.json$/, '');
    const expected = `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return json(401, { error: "Couldn't authenticate you" });
    if (req.method === 'POST' && path === '/api/v2/uploads') return upload(req, url, body);
    if (req.method === 'POST' && path === '/api/v2/requests') return createRequest(body);
    if (req.method === 'GET' && path === '/api/v2/requests') {
      const sorted = [...requests.values()].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
      return json(200, { requests: sorted.slice(0, 100).map(publicRequest), next_page: null, previous_page: null, count: sorted.length });
    }
    if (req.method === 'GET' && path === '/api/v2/requests/search') return search(url);
    const one = /^\/api\/v2\/requests\/(\d+)(\/comments)?$/.exec(path);
    if (req.method === 'GET' && one) {
      const request = requests.get(Number(one[1]));
      if (!request) return notFound();
      return one[2] ? commentsPage(request, url) : json(200, { request: publicRequest(request) });
    }
    if (req.method === 'PUT' && one && !one[2]) return updateRequest(Number(one[1]), body);
    return notFound('InvalidEndpoint');
  }

  function upload(req: IncomingMessage, url: URL, body: Buffer): Answer {
    const tokenId = `upload-${uploads.size + 1}`;
    const filename = url.searchParams.get('filename') ?? 'file';
    uploads.set(tokenId, { filename, contentType: String(req.headers['content-type']), bytes: body.length });
    return json(201, { upload: { token: tokenId, expires_at: iso(new Date(now.getTime() + 3 * 86_400_000)), attachment: { file_name: filename, size: body.length, content_type: req.headers['content-type'] } } });
  }

  function createRequest(body: Buffer): Answer {
    const input = JSON.parse(body.toString('utf8')) as { request: { subject: string; comment: { body: string; uploads?: string[] }; priority?: string } };
    writes.push({ call: 'POST /api/v2/requests', body: input });
    const id = nextRequestId++;
    const request: DoubleRequest = {
      id,
      url: `${base}/api/v2/requests/${id}.json`,
      subject: input.request.subject,
      description: input.request.comment.body,
      status: 'new',
      priority: input.request.priority ?? null,
      type: null,
      requester_id: customer.id,
      assignee_id: null,
      created_at: iso(now),
      updated_at: iso(now),
      uploads: input.request.comment.uploads ?? [],
    };
    requests.set(id, request);
    comments.set(id, []);
    double.addComment(id, { author: customer, body: input.request.comment.body, at: now, ...(input.request.comment.uploads ? { uploads: input.request.comment.uploads } : {}) });
    return json(201, { request: publicRequest(request) });
  }

  /** `PUT /api/v2/requests/{id}` as the requester: a comment, `solved: true`, or both (the comment first). */
  function updateRequest(id: number, body: Buffer): Answer {
    const request = requests.get(id);
    if (!request) return notFound();
    let input: { request?: { comment?: { body?: unknown; uploads?: unknown }; solved?: unknown } };
    try {
      input = JSON.parse(body.toString('utf8')) as typeof input;
    } catch {
      return json(400, { error: 'InvalidJSON', description: 'The request body is not valid JSON' });
    }
    writes.push({ call: `PUT /api/v2/requests/${id}`, body: input });
    const update = input.request;
    if (typeof update !== 'object' || update === null) return json(400, { error: 'ParameterMissing', description: 'Parameter request is required' });
    if (request.status === 'closed') {
      return json(422, { error: 'RecordInvalid', description: 'Record validation errors', details: { status: [{ description: 'Status: closed prevents ticket update' }] } });
    }
    const comment = update.comment;
    if (comment !== undefined) {
      if (typeof comment?.body !== 'string' || comment.body.trim() === '') {
        return json(422, { error: 'RecordInvalid', description: 'Record validation errors', details: { base: [{ description: 'Comment: body cannot be blank' }] } });
      }
      const tokens = Array.isArray(comment.uploads) ? comment.uploads.filter((t): t is string => typeof t === 'string') : [];
      double.addComment(id, { author: customer, body: comment.body, at: now, uploads: tokens });
    }
    if (update.solved === true && canBeSolved(request)) double.setStatus(id, 'solved', now);
    return json(200, { request: publicRequest(request) });
  }

  function search(url: URL): Answer {
    const query = (url.searchParams.get('query') ?? '').replace(/^"|"$/g, '').toLowerCase();
    const page = Number(url.searchParams.get('page') ?? '1');
    const matches = double.searchLag ? [] : [...requests.values()].filter((r) => r.subject.toLowerCase().includes(query) || r.description.toLowerCase().includes(query));
    const slice = matches.slice((page - 1) * searchPageSize, page * searchPageSize);
    const more = page * searchPageSize < matches.length;
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    return json(200, { requests: slice.map(publicRequest), next_page: more ? next.toString() : null, previous_page: null, count: matches.length });
  }

  /** Cursor pagination as Zendesk does it: the cursor names the last comment of a page, so it stays good as comments are added. */
  function commentsPage(request: DoubleRequest, url: URL): Answer {
    const all = (comments.get(request.id) ?? []).filter((c) => c.public);
    const size = Math.min(commentsPageSize, Number(url.searchParams.get('page[size]') ?? commentsPageSize));
    const after = url.searchParams.get('page[after]');
    let start = 0;
    if (after) {
      start = all.findIndex((c) => String(c.id) === Buffer.from(after, 'base64url').toString()) + 1;
      if (start === 0) return json(400, { error: 'InvalidPaginationParameter', description: 'cursor is invalid' });
    }
    const slice = all.slice(start, start + size);
    double.commentsServed += slice.length;
    const hasMore = start + size < all.length;
    const afterCursor = slice.length ? Buffer.from(String(slice[slice.length - 1]!.id)).toString('base64url') : null;
    const next = new URL(url);
    if (afterCursor) next.searchParams.set('page[after]', afterCursor);
    const authors = [...new Set(slice.map((c) => c.author_id))].map((id) => users.get(id)!);
    return json(200, {
      comments: slice,
      users: authors.map((u) => ({ id: u.id, name: u.name, agent: u.agent, photo: null, organization_id: null })),
      organizations: [],
      meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: null },
      links: { next: hasMore ? next.toString() : null, prev: null },
    });
  }

  const main = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const call = `${req.method} ${url.pathname}${url.search}`;
    calls.push(call);
    const body = await read(req);
    const failure = failures.shift();
    if (failure) return deliver(res, failure, double.alwaysHeaders);
    if (hostile.intercept(call, res, () => route(req, url, body), double.alwaysHeaders)) return;
    deliver(res, route(req, url, body), double.alwaysHeaders);
  });

  const elsewhere = createServer(async (req, res) => {
    double.elsewhere.calls.push({ call: `${req.method} ${req.url}`, authorization: req.headers.authorization });
    await read(req);
    const fake = { id: 666, subject: 'not the desk you configured', status: 'solved', created_at: iso(now), updated_at: iso(now), requester_id: customer.id };
    deliver(res, json(200, { request: fake, requests: [fake], comments: [], users: [], meta: { has_more: false }, upload: { token: 'elsewhere' } }), {});
  });

  base = await listen(main);
  double.url = base;
  double.elsewhere.url = await listen(elsewhere);
  return double;
}
