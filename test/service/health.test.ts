import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { openDatabase } from '../../src/core/sqlite.ts';
import { health } from '../../src/service/health.ts';
import type { ServiceState, ServiceWatcherHealth } from '../../src/service/service-state.ts';
import { createMetrics } from '../../src/service/metrics.ts';
import { openStore } from '../../src/store/open-store.ts';
import { DATABASE_FILE, SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';

const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

const NOW = new Date('2026-12-01T10:00:00.000Z');

/** The service as /healthz reads it: a real store, the rest as plain values a test sets. */
async function state(overrides: { store?: Store; watcher?: Partial<ServiceWatcherHealth>; next?: string | null } = {}): Promise<ServiceState> {
  const dir = join(mkdtempSync(join(tmpdir(), 'supportdrill-health-')), 'var');
  const store = overrides.store ?? (await openStore(dir));
  stores.push(store);
  const watcher: ServiceWatcherHealth = {
    running: true,
    lastPassAt: new Date(NOW.getTime() - 2000),
    vendors: { sandbox: { lastSuccessAt: new Date(NOW.getTime() - 1000), lastFailureAt: null, lastFailure: null } },
    restarts: 0,
    lastRestartAt: null,
    lastError: null,
    ...overrides.watcher,
  };
  return {
    startedAt: new Date(NOW.getTime() - 60_000),
    config: parseConfig({}, { baseDir: dir }),
    store,
    cwd: dir,
    dryRun: false,
    stopping: false,
    watcherRunning: watcher.running,
    current: { drill: 'freeze-midclass', vendor: 'sandbox', runId: 'run_x', startedAt: NOW, phase: 'in-session' },
    scheduledDrills: 1,
    nextRuns: () => [{ drill: 'freeze-midclass', vendors: ['sandbox'], cron: '0 3 * * *', timezone: 'UTC', next: overrides.next === undefined ? '2026-12-02T03:00:00.000Z' : overrides.next }],
    watcherHealth: () => watcher,
    metrics: createMetrics(() => store),
    log: console as never,
  };
}

describe('/healthz', () => {
  it('is ok when the store takes a write, the watcher goes round and every schedule will fire', async () => {
    const body = await health(await state(), { detailed: true }, NOW);
    expect(body).toMatchObject({ status: 'ok', database: { ok: true, writable: true }, watcher: { ok: true, vendors: { sandbox: { lastSuccessAt: '2026-12-01T09:59:59.000Z' } } }, scheduler: { ok: true } });
  });

  it('is unhealthy when the database reads but does not take writes', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'supportdrill-health-')), 'var');
    await (await openStore(dir)).close();
    const db = openDatabase(join(dir, DATABASE_FILE));
    db.pragma('query_only = ON');
    const body = await health(await state({ store: new SqliteStore(db, join(dir, DATABASE_FILE)) }), { detailed: true }, NOW);
    expect(body.status).toBe('unhealthy');
    expect(body.database).toMatchObject({ ok: false, writable: false, error: expect.stringMatching(/is read-only/) });
  });

  it('is unhealthy while the watcher crash-loops or its loop stops going round', async () => {
    const looping = await health(await state({ watcher: { restarts: 3, lastRestartAt: new Date(NOW.getTime() - 5000), lastError: 'boom' } }), { detailed: true }, NOW);
    expect(looping).toMatchObject({ status: 'unhealthy', watcher: { ok: false, restarts: 3, lastError: 'boom' } });
    const stuck = await health(await state({ watcher: { lastPassAt: new Date(NOW.getTime() - 120_000) } }), { detailed: false }, NOW);
    expect(stuck).toMatchObject({ status: 'unhealthy', watcher: { ok: false } });
    const recovered = await health(await state({ watcher: { restarts: 3, lastRestartAt: new Date(NOW.getTime() - 5 * 60_000) } }), { detailed: false }, NOW);
    expect(recovered.status).toBe('ok');
  });

  it('is unhealthy when a scheduled drill will never fire again', async () => {
    expect((await health(await state({ next: null }), { detailed: false }, NOW)).status).toBe('unhealthy');
  });

  it('shows nothing about runs, drills or vendors to a caller without the token', async () => {
    const body = await health(await state(), { detailed: false }, NOW);
    const text = JSON.stringify(body);
    for (const secret of ['freeze-midclass', 'run_x', 'sandbox', 'currentRun', 'next']) expect(text).not.toContain(secret);
    expect(body).toEqual({
      status: 'ok',
      startedAt: '2026-12-01T09:59:00.000Z',
      database: { ok: true, writable: true },
      scheduler: { ok: true, running: true, paused: false },
      watcher: { ok: true, running: true },
    });
  });
});
