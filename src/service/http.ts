import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpConfig } from '../config/http.ts';
import { UserError, prefixed } from '../core/errors.ts';
import { renderScorecard } from '../report/format.ts';
import { buildRunScorecard } from '../report/run-scorecard.ts';
import { RUN_STATUSES, TICKET_STATES, type RunRow, type RunStatus, type TicketState } from '../store/rows.ts';
import { loadTicketReport } from '../support/ticket-report.ts';
import type { ServiceState } from './service-state.ts';
import { authorized, httpToken } from './http-auth.ts';
import { health, liveness } from './health.ts';
import { STATUS_PAGE_SCRIPT_SOURCE, statusPage } from './status-page.ts';

function send(res: ServerResponse, status: number, body: string, type: string, script?: string): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // Pages show vendors' words: no script but the status page's own clock, no framing, nothing remote.
    'content-security-policy': `default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src ${script ?? "'none'"}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
}

/** A client's mistake (a bad escape, a limit out of range): a 400 saying what was wrong. */
class BadRequest extends Error {}

/** A path segment as sent (`%2F` decoded); a malformed escape is the client's mistake, not ours. */
function segment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new BadRequest(`'${raw}' is not a valid URL path segment (a malformed % escape)`);
  }
}

/** `?limit=`: a whole number from 1 to `max`; absent, `fallback`. */
function limitOf(url: URL, fallback: number, max: number): number {
  const text = url.searchParams.get('limit');
  if (text === null) return fallback;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new BadRequest(`limit must be a whole number from 1 to ${max}, got '${text}'`);
  return limit;
}

const json = (res: ServerResponse, status: number, value: unknown) => send(res, status, JSON.stringify(value, null, 2) + '\n', 'application/json; charset=utf-8');

/** A run for the API: the result document is only in `/api/runs/<id>`, lists stay small. */
function runSummary(run: RunRow) {
  const { result, ...rest } = run;
  return { ...rest, freezes: result?.freezes.length ?? null };
}

async function route(service: ServiceState, req: IncomingMessage, res: ServerResponse, token: string | null): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'GET only\n', 'text/plain; charset=utf-8');
  if (path === '/livez') return json(res, 200, liveness(service));
  if (path === '/healthz') {
    const body = await health(service, { detailed: token === null || authorized(req, token) });
    return json(res, body.status === 'ok' ? 200 : 503, body);
  }
  if (token !== null && !authorized(req, token)) {
    res.setHeader('www-authenticate', 'Basic realm="supportdrill", charset="UTF-8"');
    return send(res, 401, 'Unauthorized: send Authorization: Bearer <http.token>\n', 'text/plain; charset=utf-8');
  }
  const store = service.store;
  if (path === '/metrics') {
    const registry = service.metrics.registry;
    return send(res, 200, await registry.metrics(), registry.contentType);
  }
  if (path === '/') return send(res, 200, await statusPage(service), 'text/html; charset=utf-8', STATUS_PAGE_SCRIPT_SOURCE);
  if (path === '/api/runs') {
    const status = url.searchParams.getAll('status').filter((s): s is RunStatus => (RUN_STATUSES as readonly string[]).includes(s));
    const limit = limitOf(url, 50, 1000);
    const runs = await store.listRuns({
      status: status.length ? status : undefined,
      vendor: url.searchParams.get('vendor') ?? undefined,
      drill: url.searchParams.get('drill') || undefined,
      limit,
    });
    return json(res, 200, runs.map(runSummary));
  }
  const runMatch = /^\/api\/runs\/([^/]+)$/.exec(path);
  if (runMatch) {
    const run = await store.getRun(segment(runMatch[1]!));
    if (!run) return json(res, 404, { error: `no run ${runMatch[1]}` });
    const ticket = await store.getTicketByRun(run.id);
    return json(res, 200, { ...run, ticket: ticket ? await loadTicketReport(store, ticket.id) : null });
  }
  const scorecardMatch = /^\/runs\/([^/]+)\/scorecard$/.exec(path);
  if (scorecardMatch) {
    const id = segment(scorecardMatch[1]!);
    if (!await store.getRun(id)) return send(res, 404, 'no such run\n', 'text/plain; charset=utf-8');
    return send(res, 200, renderScorecard(await buildRunScorecard(store, id, { cwd: service.cwd, config: service.config }), 'html'), 'text/html; charset=utf-8');
  }
  if (path === '/api/tickets') {
    const state = url.searchParams.getAll('state').filter((s): s is TicketState => (TICKET_STATES as readonly string[]).includes(s));
    const tickets = await store.listTickets({ state: state.length ? state : undefined, vendor: url.searchParams.get('vendor') ?? undefined, limit: limitOf(url, 500, 1000) });
    return json(res, 200, await Promise.all(tickets.map((t) => loadTicketReport(store, t.id))));
  }
  const ticketMatch = /^\/api\/tickets\/([^/]+)$/.exec(path);
  if (ticketMatch) {
    const key = segment(ticketMatch[1]!);
    const ticket = await store.getTicketByRef(key) ?? (/^\d+$/.test(key) ? await store.getTicket(Number(key)) : null);
    if (!ticket) return json(res, 404, { error: `no ticket ${key}` });
    return json(res, 200, await loadTicketReport(store, ticket.id));
  }
  return json(res, 404, { error: `no route ${path}`, routes: ['/', '/healthz', '/livez', '/metrics', '/api/runs', '/api/runs/<id>', '/api/tickets', '/api/tickets/<ref>', '/runs/<id>/scorecard'] });
}

export async function startHttp(service: ServiceState, http: HttpConfig): Promise<{ server: Server; url: string }> {
  const token = httpToken(http);
  const server = createServer((req, res) => {
    route(service, req, res, token).catch((err: unknown) => {
      if (err instanceof BadRequest) return json(res, 400, { error: err.message });
      service.log.error({ path: req.url }, `HTTP ${req.method} failed: ${(err as Error).message}`);
      if (!res.headersSent) json(res, 500, { error: (err as Error).message });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL'
          ? new UserError(prefixed('serve', `cannot listen on ${http.host}:${http.port} (${err.code}); set http.port / --port to a free port or fix http.host`), { cause: err })
          : err,
      ),
    );
    server.listen(http.port, http.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = http.host.includes(':') ? `[${http.host}]` : http.host;
  return { server, url: `http://${host}:${port}` };
}
