import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { findBrowser, launchBrowser } from '../../src/rendering/browser.ts';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { runCli } from '../helpers/cli.ts';
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
import { openStore, savedRun } from '../helpers/ticketing.ts';

const OPEN_RUN = 'run_20261129T051246Z_5e1e47';

/** A project whose sandbox never answers, with one drill ticket already open at it. */
async function projectWithOpenTicket(extra: Record<string, unknown>) {
  const vendors = { sandbox: { adapter: 'sandbox', persona: 'silent', pollInterval: '500ms' } };
  const project = serviceProject({ vendors, ...extra });
  const config = parseConfig({ dataDir: 'var', vendors }, { baseDir: project.dir });
  const store = await openStore(config.dataDir);
  const pool = new AdapterPool(config);
  const result = await savedRun(store, OPEN_RUN);
  const draft = renderTicket({ result, drill: { name: result.drill, description: 'Teacher video freezes' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
  await fileTicketOnce({ store, adapter: pool.get('sandbox'), vendor: 'sandbox', draft, watchUntil: new Date(Date.now() + 3_600_000) });
  await pool.close();
  await store.close();
  return { ...project, ref: draft.ref };
}

describe('serve: pause, guardrails and the status page (no classroom runs)', () => {
  let service: ServiceProcess | undefined;
  afterEach(() => stopChild(service));

  it('fires nothing while paused, and after resume records a drill refused by maxOpenTickets with the reason', async () => {
    const { dir, configPath } = await projectWithOpenTicket({ guardrails: { maxOpenTickets: 1 } });
    expect((await runCli(['pause', '--config', configPath, '--reason', 'vendor maintenance'])).code).toBe(0);
    service = await startService(['--config', configPath, '--drills', SERVICE_DRILLS]);

    const firings = async (outcome: string) => metricValue(await (await fetch(`${service!.url}/metrics`)).text(), 'supportdrill_scheduled_firings_total', { drill: 'every-few-seconds', outcome }) ?? 0;
    await eventually('a firing skipped because paused', async () => (await firings('paused')) >= 1, 30_000);
    const db = await openStore(join(dir, 'var'));
    expect((await db.listRuns()).filter((r) => r.drill === 'every-few-seconds')).toEqual([]);
    expect((await getJson<{ scheduler: { paused: boolean } }>(`${service.url}/healthz`)).body.scheduler.paused).toBe(true);

    expect((await runCli(['resume', '--config', configPath])).code).toBe(0);
    const refused = await eventually('a refused run', async () => (await db.listRuns({ status: 'refused' }))[0], 30_000);
    expect(refused).toMatchObject({ drill: 'every-few-seconds', vendor: 'sandbox', status: 'refused' });
    expect(refused.reason).toContain('maxOpenTickets: 1');
    // Refused before the classroom: no evidence, no ticket.
    expect(refused.evidenceDir).toBeNull();
    expect(await db.listTickets()).toHaveLength(1);
    await db.close();

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  }, 90_000);

  it('shows an open ticket with a live "waiting for a human" clock on the status page in Chromium', async () => {
    const { configPath, ref, emptyDrills } = await projectWithOpenTicket({});
    service = await startService(['--config', configPath, '--drills', emptyDrills]);
    const browser = await launchBrowser(findBrowser());
    try {
      const page = await browser.newPage();
      await page.goto(service.url, { waitUntil: 'load' });
      const clock = () => page.$eval(`tr.ticket[data-ref="${ref}"] td.clock`, (el) => el.textContent ?? '');
      const first = await clock();
      expect(first).toMatch(/^waiting for a human for \d+ (s|min)/);
      // The script moves the clock without a reload.
      await eventually('the clock to tick', async () => (await clock()) !== first, 10_000);
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('refuses to listen beyond loopback without http.token, naming the field (exit 2)', async () => {
    const { configPath, emptyDrills } = serviceProject({ http: { host: '0.0.0.0', port: 0 } });
    const result = await runCli(['serve', '--config', configPath, '--drills', emptyDrills], { timeoutMs: 60_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('http.token');
    expect(result.stderr).toContain('0.0.0.0');
  }, 60_000);

  it('asks for the bearer token on everything but /healthz when http.token is set', async () => {
    const { configPath, emptyDrills } = serviceProject({ http: { port: 0, token: { env: 'TEST_HTTP_TOKEN' } } });
    service = await startService(['--config', configPath, '--drills', emptyDrills], { env: { TEST_HTTP_TOKEN: 's3cret-token' } });
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${service.url}/api/runs`)).status).toBe(401);
    expect((await fetch(`${service.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await getJson(`${service.url}/api/runs`, { authorization: 'Bearer s3cret-token' })).status).toBe(200);
    expect(service.stderr()).not.toContain('s3cret-token');
  }, 60_000);
});
