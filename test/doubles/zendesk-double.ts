/**
 * A test double of Zendesk: the end-user Requests API on 127.0.0.1 (node:http), answering with the
 * documented payloads — `request`/`requests`, comments with sideloaded `users` (the `agent` flag),
 * cursor pagination for comments (`meta.has_more`, `links.next`), offset pagination for search
 * (`next_page`), uploads with tokens, `{ error, description }` errors. Its clock is the test's, so
 * every timestamp it writes is known. It is a double, not a simulator: tests script what the vendor
 * does through its methods.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface DoubleUser {
  id: number;
  name: string;
  agent: boolean;
}

export interface DoubleComment {
  id: number;
  author_id: number;
  body: string;
  plain_body: string;
  html_body: string;
  public: boolean;
  attachments: unknown[];
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
  created_at: string;
  updated_at: string;
  uploads: string[];
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
  /** Requests visible to search only from this many calls after their creation (an index lag). */
  searchLag: boolean;
  setNow(at: Date): void;
  addComment(requestId: number, comment: { author: DoubleUser; body: string; at: Date; channel?: string; rel?: string | null; flags?: number[]; public?: boolean }): DoubleComment;
  setStatus(requestId: number, status: string, at: Date): void;
  /** The next call gets this answer instead (429s, 401s…). */
  failNext(status: number, headers?: Record<string, string>, body?: unknown): void;
  /** Every following answer carries these headers (rate-limit headers, say). */
  alwaysHeaders: Record<string, string>;
  stop(): Promise<void>;
}

const iso = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function startZendeskDouble(options: { commentsPageSize?: number; searchPageSize?: number } = {}): Promise<ZendeskDouble> {
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
  const failures: Array<{ status: number; headers: Record<string, string>; body: unknown }> = [];
  let now = new Date();
  let nextRequestId = 5521;
  let nextCommentId = 9001;
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
    searchLag: false,
    alwaysHeaders: {},
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
        attachments: [],
        created_at: iso(spec.at),
        via: { channel: spec.channel ?? 'web', source: { rel: spec.rel ?? null, from: {}, to: {} } },
        metadata: { ...(spec.flags ? { flags: spec.flags } : {}), system: {} },
      };
      comments.get(requestId)!.push(comment);
      const request = requests.get(requestId)!;
      request.updated_at = iso(spec.at);
      if (spec.author.agent && request.status === 'new') request.status = 'open';
      return comment;
    },
    setStatus(requestId, status, at) {
      const request = requests.get(requestId)!;
      request.status = status;
      request.updated_at = iso(at);
    },
    failNext(status, headers = {}, body = { error: 'Error' }) {
      failures.push({ status, headers, body });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...double.alwaysHeaders, ...headers });
    res.end(JSON.stringify(body));
  }

  async function read(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname.replace(/\.json$/, '');
    calls.push(`${req.method} ${url.pathname}${url.search}`);
    const body = await read(req);
    const failure = failures.shift();
    if (failure) return send(res, failure.status, failure.body, failure.headers);
    const expected = `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return send(res, 401, { error: "Couldn't authenticate you" });

    if (req.method === 'POST' && path === '/api/v2/uploads') {
      const tokenId = `upload-${uploads.size + 1}`;
      const filename = url.searchParams.get('filename') ?? 'file';
      uploads.set(tokenId, { filename, contentType: String(req.headers['content-type']), bytes: body.length });
      return send(res, 201, { upload: { token: tokenId, expires_at: iso(new Date(now.getTime() + 3 * 86_400_000)), attachment: { file_name: filename, size: body.length, content_type: req.headers['content-type'] } } });
    }
    if (req.method === 'POST' && path === '/api/v2/requests') {
      const input = JSON.parse(body.toString('utf8')) as { request: { subject: string; comment: { body: string; uploads?: string[] }; priority?: string } };
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
        created_at: iso(now),
        updated_at: iso(now),
        uploads: input.request.comment.uploads ?? [],
      };
      requests.set(id, request);
      comments.set(id, []);
      double.addComment(id, { author: customer, body: input.request.comment.body, at: now });
      return send(res, 201, { request: publicRequest(request) });
    }
    if (req.method === 'GET' && path === '/api/v2/requests') {
      const sorted = [...requests.values()].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
      return send(res, 200, { requests: sorted.slice(0, 100).map(publicRequest), next_page: null, previous_page: null, count: sorted.length });
    }
    if (req.method === 'GET' && path === '/api/v2/requests/search') {
      const query = (url.searchParams.get('query') ?? '').replace(/^"|"$/g, '').toLowerCase();
      const page = Number(url.searchParams.get('page') ?? '1');
      const matches = double.searchLag ? [] : [...requests.values()].filter((r) => r.subject.toLowerCase().includes(query) || r.description.toLowerCase().includes(query));
      const slice = matches.slice((page - 1) * searchPageSize, page * searchPageSize);
      const more = page * searchPageSize < matches.length;
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      return send(res, 200, { requests: slice.map(publicRequest), next_page: more ? next.toString() : null, previous_page: null, count: matches.length });
    }
    const one = /^\/api\/v2\/requests\/(\d+)(\/comments)?$/.exec(path);
    if (req.method === 'GET' && one) {
      const request = requests.get(Number(one[1]));
      if (!request) return send(res, 404, { error: 'RecordNotFound', description: 'Not found' });
      if (!one[2]) return send(res, 200, { request: publicRequest(request) });
      const all = (comments.get(request.id) ?? []).filter((c) => c.public);
      const size = Math.min(commentsPageSize, Number(url.searchParams.get('page[size]') ?? commentsPageSize));
      const after = url.searchParams.get('page[after]');
      const start = after ? all.findIndex((c) => String(c.id) === Buffer.from(after, 'base64url').toString()) + 1 : 0;
      const slice = all.slice(start, start + size);
      const hasMore = start + size < all.length;
      const afterCursor = slice.length ? Buffer.from(String(slice[slice.length - 1]!.id)).toString('base64url') : null;
      const next = new URL(url);
      if (afterCursor) next.searchParams.set('page[after]', afterCursor);
      const authors = [...new Set(slice.map((c) => c.author_id))].map((id) => users.get(id)!);
      return send(res, 200, {
        comments: slice,
        users: authors.map((u) => ({ id: u.id, name: u.name, agent: u.agent, photo: null, organization_id: null })),
        organizations: [],
        meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: null },
        links: { next: hasMore ? next.toString() : null, prev: null },
      });
    }
    return send(res, 404, { error: 'InvalidEndpoint', description: 'Not found' });
  });

  function publicRequest(request: DoubleRequest) {
    const { uploads: _uploads, ...rest } = request;
    return { ...rest, organization_id: null, via: { channel: 'api', source: { rel: null, from: {}, to: {} } }, custom_fields: [], can_be_solved_by_me: false, is_public: true, assignee_id: null, collaborator_ids: [], email_cc_ids: [], due_at: null, fields: [], followup_source_id: null, recipient: null, custom_status_id: null };
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error('no port'));
    });
  });
  base = `http://127.0.0.1:${port}`;
  double.url = base;
  return double;
}
