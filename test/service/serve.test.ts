import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SERVICE_DRILLS,
  eventually,
  getJson,
  metricValue,
  serviceProject,
  startService,
  stopChild,
  type ServiceProcess,
} from '../helpers/service.ts';
import { openStore } from '../helpers/ticketing.ts';

interface ApiRun {
  id: string;
  drill: string;
  status: string;
  vendor: string | null;
}

// One service process for the whole file: each classroom run costs a browser on a 2-core machine.
describe('serve: scheduled drills on the sandbox (real service process)', () => {
  let service: ServiceProcess;
  let dir: string;

  beforeAll(async () => {
    const project = serviceProject({
      vendors: {
        sandbox: { adapter: 'sandbox', persona: 'responsive', pollInterval: '300ms', timings: { ack: '1s', canned: '2s', human: '3s', resolution: '4s', solved: '5s' } },
      },
    });
    dir = project.dir;
    service = await startService(['--config', project.configPath, '--drills', SERVICE_DRILLS, '--grace', '20s']);
  });
  afterAll(() => stopChild(service));

  it('fires the scheduled drill, files its ticket and watches it to resolution', async () => {
    const run = await eventually(
      'a scheduled run whose ticket resolved',
      async () => (await getJson<ApiRun[]>(`${service.url}/api/runs?drill=every-few-seconds`)).body.find((r) => r.status === 'resolved'),
      120_000,
    );
    expect(run.vendor).toBe('sandbox');
    const detail = await getJson<{ ticket: { state: string; ref: string } }>(`${service.url}/api/runs/${run.id}`);
    expect(detail.body.ticket).toMatchObject({ state: 'resolved' });
    const tickets = await getJson<{ ref: string }[]>(`${service.url}/api/tickets`);
    expect(tickets.body.map((t) => t.ref)).toContain(detail.body.ticket.ref);
  }, 150_000);

  it('counts the runs, their freeze episodes and the settled ticket timings on /metrics', async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(metricValue(text, 'supportdrill_runs', { drill: 'every-few-seconds', status: 'resolved' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'supportdrill_freeze_episodes', { drill: 'every-few-seconds' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'supportdrill_ticket_timing_seconds_count', { vendor: 'sandbox', timing: 'first_human_response' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'supportdrill_scheduled_firings_total', { drill: 'every-few-seconds', outcome: 'ran' })).toBeGreaterThanOrEqual(1);
  });

  it('reports the database, scheduler and watcher healthy on /healthz', async () => {
    const { status, body } = await getJson<{ status: string; database: { ok: boolean }; scheduler: { running: boolean; next: { drill: string } | null }; watcher: { running: boolean } }>(`${service.url}/healthz`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', database: { ok: true }, scheduler: { running: true, next: { drill: 'every-few-seconds' } }, watcher: { running: true } });
  });

  it('exits 0 on SIGTERM and leaves no run marked as still in its class', async () => {
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const db = await openStore(join(dir, 'var'));
    expect(await db.listRuns({ status: ['created', 'running', 'in-session'] })).toEqual([]);
    await db.close();
  }, 60_000);
});
