import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, serviceProject, startService, stopChild, type ServiceProcess } from '../helpers/service.ts';
import { openStore, savedRun } from '../helpers/ticketing.ts';

describe('the HTTP side at its edges (a real service)', () => {
  let service: ServiceProcess;
  let url: string;
  const token = { authorization: 'Bearer t0ken-for-tests' };

  beforeAll(async () => {
    const { dir, configPath, emptyDrills } = serviceProject({ http: { port: 0, token: { env: 'TEST_HTTP_TOKEN' } } });
    const store = await openStore(join(dir, 'var'));
    for (const id of ['run_20261201T090000Z_000001', 'run_20261201T090100Z_000002', 'run_20261201T090200Z_000003']) await savedRun(store, id);
    await store.createRun({ id: 'run_20261201T090300Z_000004', drill: 'clean-class', provider: 'local', vendor: null });
    await store.close();
    service = await startService(['--config', configPath, '--drills', emptyDrills], { env: { TEST_HTTP_TOKEN: 't0ken-for-tests' } });
    url = service.url;
  }, 90_000);
  afterAll(async () => {
    stopChild(service);
  });

  it('answers a malformed % escape with 400 and what was wrong, not 500', async () => {
    const res = await fetch(`${url}/api/runs/%E0%A4%A`, { headers: token });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "'%E0%A4%A' is not a valid URL path segment (a malformed % escape)" });
  });

  it('refuses a limit out of range instead of answering []', async () => {
    const bad = await getJson<{ error: string }>(`${url}/api/runs?limit=-5`, token);
    expect(bad).toEqual({ status: 400, body: { error: "limit must be a whole number from 1 to 1000, got '-5'" } });
    expect((await getJson<unknown[]>(`${url}/api/runs?limit=2`, token)).body).toHaveLength(2);
  });

  it('keeps the limit with a drill filter', async () => {
    const { body } = await getJson<{ drill: string }[]>(`${url}/api/runs?drill=freeze-midclass&limit=2`, token);
    expect(body).toHaveLength(2);
    expect(body.every((run) => run.drill === 'freeze-midclass')).toBe(true);
    expect((await getJson<unknown[]>(`${url}/api/runs?drill=clean-class`, token)).body).toHaveLength(1);
  });

  it('sends a content security policy and refuses framing on every page', async () => {
    for (const path of ['/', '/api/runs']) {
      const res = await fetch(`${url}${path}`, { headers: token });
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    }
    const page = await fetch(`${url}/`, { headers: token });
    // The status page's one clock script is allowed by its hash and nothing else.
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
  });

  it('shows no drill, vendor or run on /healthz without the token, and all of it with', async () => {
    const anonymous = await getJson<Record<string, unknown>>(`${url}/healthz`);
    expect(anonymous.status).toBe(200);
    expect(JSON.stringify(anonymous.body)).not.toMatch(/currentRun|next|vendors/);
    const authorised = await getJson<{ scheduler: Record<string, unknown>; watcher: Record<string, unknown> }>(`${url}/healthz`, token);
    expect(authorised.body.scheduler).toHaveProperty('currentRun');
    expect(authorised.body.watcher).toHaveProperty('lastPassAt');
    expect((await getJson(`${url}/livez`)).status).toBe(200);
  });
});
