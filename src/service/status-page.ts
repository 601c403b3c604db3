import { createHash } from 'node:crypto';
import { pauseState } from '../pipeline/pause.ts';
import type { ServiceState } from './service-state.ts';

const escape = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** "1 h 12 min", "3 min 05 s", "2 d 4 h": the same words the page's script writes each second. */
export function clockText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

// Kept in step with clockText above; the page has no other script (its CSP allows this one by hash).
const CLOCK_SCRIPT = `
function clockText(ms){var s=Math.max(0,Math.floor(ms/1000)),d=Math.floor(s/86400),h=Math.floor(s%86400/3600),m=Math.floor(s%3600/60);
if(d>0)return d+' d '+h+' h';if(h>0)return h+' h '+m+' min';if(m>0)return m+' min '+String(s%60).padStart(2,'0')+' s';return s+' s';}
function tick(){document.querySelectorAll('[data-since]').forEach(function(el){el.textContent=clockText(Date.now()-Date.parse(el.dataset.since));});}
tick();setInterval(tick,1000);`;

interface StoredTimings {
  firstHumanResponseMs?: number | null;
}

/** The CSP source that lets the page's one script run, and nothing else. */
export const STATUS_PAGE_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(CLOCK_SCRIPT).digest('base64')}'`;

/** What an open ticket is waiting for, and since when. */
function waitingFor(ticket: { filedAt: string | null; createdAt: string; timings: unknown }): { what: string; since: string } {
  const timings = (ticket.timings ?? {}) as StoredTimings;
  const since = ticket.filedAt ?? ticket.createdAt;
  return typeof timings.firstHumanResponseMs === 'number' ? { what: 'waiting for a resolution for', since } : { what: 'waiting for a human for', since };
}

/** The status page: server-rendered, one small script for the clocks, no remote resources. */
export async function statusPage(service: ServiceState, now = new Date()): Promise<string> {
  const store = service.store;
  const paused = await pauseState(store);
  const next = service.nextRuns();
  const current = service.current;
  const open = await store.openTickets();
  const runs = await store.listRuns({ limit: 20 });
  const tickets = new Map(await Promise.all(runs.map(async (r) => [r.id, await store.getTicketByRun(r.id)] as const)));

  const banner = [
    paused.paused ? `<p class="warn">Paused${paused.since ? ` since ${escape(paused.since)}` : ''}${paused.reason ? ` (${escape(paused.reason)})` : ''}: no drill fires; tickets are still watched. <code>npx supportdrill resume</code> resumes.</p>` : '',
    service.dryRun ? '<p class="warn">Dry run: drills run, nothing is filed.</p>' : '',
  ].join('');

  const nextRows = next.length
    ? next.map((n) => `<tr><td>${escape(n.drill)}</td><td>${escape(n.vendors.map((v) => v ?? '(dry run)').join(', '))}</td><td><code>${escape(n.cron)}</code> ${escape(n.timezone)}</td><td>${escape(n.next ?? '—')}</td></tr>`).join('')
    : '<tr><td colspan="4">No drill has a schedule.</td></tr>';

  const running = current
    ? `<p id="running">${escape(current.drill)} → ${escape(current.vendor ?? '(dry run)')}, run ${escape(current.runId ?? '…')}, ${escape(current.phase)}, for <span data-since="${escape(current.startedAt.toISOString())}">${clockText(now.getTime() - current.startedAt.getTime())}</span></p>`
    : '<p id="running">No drill is running.</p>';

  const openRows = open.length
    ? open
        .map((t) => {
          const wait = waitingFor(t);
          return `<tr class="ticket" data-ref="${escape(t.ref)}"><td>${escape(t.ref)}</td><td>${escape(t.vendor)} ${t.url ? `<a href="${escape(t.url)}">${escape(t.vendorTicketId)}</a>` : escape(t.vendorTicketId)}</td><td>${escape(t.vendorStatus ?? t.state)}</td><td class="clock">${wait.what} <span data-since="${escape(wait.since)}">${clockText(now.getTime() - Date.parse(wait.since))}</span></td></tr>`;
        })
        .join('')
    : '<tr><td colspan="4">No open tickets.</td></tr>';

  const runRows = runs.length
    ? runs
        .map((r) => {
          const t = tickets.get(r.id);
          const card = t ? `<a href="/runs/${encodeURIComponent(r.id)}/scorecard">scorecard</a>` : '';
          return `<tr><td>${escape(r.startedAt)}</td><td>${escape(r.drill)}</td><td>${escape(r.vendor ?? '—')}</td><td class="status-${escape(r.status)}">${escape(r.status)}</td><td>${escape(r.reason ?? r.error ?? r.phase ?? '')}</td><td>${t ? escape(t.ref) : ''}</td><td>${card}</td></tr>`;
        })
        .join('')
    : '<tr><td colspan="7">No runs yet.</td></tr>';

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>supportdrill</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin-bottom:1.5em}
td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}th{background:#f4f4f4}.warn{background:#fff3cd;padding:.5em 1em}
.clock{font-variant-numeric:tabular-nums}.status-refused,.status-interrupted,.status-failed{color:#a33}
</style></head><body>
<h1>supportdrill</h1>
${banner}
<h2>Running</h2>
${running}
<h2>Next scheduled drills</h2>
<table id="next"><tr><th>drill</th><th>vendors</th><th>schedule</th><th>next</th></tr>${nextRows}</table>
<h2>Open tickets</h2>
<table id="open-tickets"><tr><th>ref</th><th>vendor ticket</th><th>status</th><th>waiting</th></tr>${openRows}</table>
<h2>Recent runs</h2>
<table id="runs"><tr><th>started</th><th>drill</th><th>vendor</th><th>status</th><th>why</th><th>ticket</th><th></th></tr>${runRows}</table>
<p><a href="/api/runs">/api/runs</a> · <a href="/api/tickets">/api/tickets</a> · <a href="/metrics">/metrics</a> · <a href="/healthz">/healthz</a></p>
<script>${CLOCK_SCRIPT}</script>
</body></html>
`;
}
