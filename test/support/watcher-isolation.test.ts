import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ticketsCommand } from '../../src/cli/tickets.ts';
import type { Config } from '../../src/config/config.ts';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import type { Store } from '../../src/store/store.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { MAX_BACKOFF_MS, Watcher } from '../../src/support/watcher.ts';
import { VendorRejectedError, VendorUnavailableError, type VendorAdapter } from '../../src/vendors/adapter.ts';
import { sandboxDeskPath } from '../../src/vendors/sandbox.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

describe('the watcher, when one ticket or vendor misbehaves', () => {
  let store: Store;
  let config: Config;
  let configPath: string;
  let pool: AdapterPool;

  async function file(runId: string, vendor: string) {
    const result = await savedRun(store, runId);
    const draft = renderTicket({ result, drill: { name: result.drill, description: 'd' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
    return (await fileTicketOnce({ store, adapter: pool.get(vendor), vendor, draft, watchUntil: new Date(Date.now() + 600_000) })).ticket;
  }

  beforeEach(async () => {
    ({ config, configPath } = ticketProject({
      fast: { adapter: 'sandbox', persona: 'responsive', pollInterval: '100ms', timings: { ack: '100ms', canned: '200ms', human: '300ms', resolution: '400ms', solved: '500ms' } },
      other: { adapter: 'sandbox', persona: 'silent', pollInterval: '100ms' },
    }));
    store = await openStore(config.dataDir);
    pool = new AdapterPool(config);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await pool.close();
    await store.close();
  });

  it("caps a vendor's absurd retry delay at the documented maximum instead of parking the ticket for ever", async () => {
    const ticket = await file('run_20261201T100000Z_c00001', 'other');
    for (const retryAfterMs of [1e23, Date.parse('9999-12-31T23:59:59Z') - Date.now(), Number.NaN, Infinity]) {
      const absurd: VendorAdapter = { ...pool.get('other'), kind: 'absurd-double', fetchActivity: () => Promise.reject(new VendorUnavailableError('429', retryAfterMs)) };
      const t0 = Date.now();
      const polled = await new Watcher({ store, config, adapterFor: () => absurd }).poll((await store.getTicket(ticket.id))!);
      expect(polled.state).toBe('open');
      const wait = Date.parse(polled.nextPollAt!) - t0;
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(MAX_BACKOFF_MS + 1000);
    }
  });

  it("keeps watching every other ticket while one vendor's polls throw or hang", async () => {
    const good = await file('run_20261201T100000Z_c00002', 'fast');
    const bad = await file('run_20261201T100000Z_c00003', 'other');
    // Test doubles of two broken vendors: one whose answer makes a bug throw, one that never answers.
    const broken: VendorAdapter = { ...pool.get('other'), kind: 'broken-double', fetchActivity: () => Promise.reject(new TypeError('Invalid time value')) };
    const hanging: VendorAdapter = { ...pool.get('other'), kind: 'hanging-double', fetchActivity: () => new Promise(() => {}) };
    let misbehaving: VendorAdapter = broken;
    const watcher = new Watcher({ store, config, adapterFor: (name) => (name === 'other' ? misbehaving : pool.get(name)) });
    const controller = new AbortController();
    const running = watcher.run({ signal: controller.signal });
    await vi.waitUntil(async () => (await store.getTicket(good.id))!.state === 'resolved', { timeout: 10_000, interval: 50 });
    misbehaving = hanging;
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    await running;
    expect((await store.activities(good.id)).filter((a) => a.kind !== null).map((a) => a.kind)).toEqual(['auto', 'canned', 'human', 'resolution']);
    const stuck = (await store.getTicket(bad.id))!;
    expect(stuck).toMatchObject({ state: 'open', error: 'Invalid time value' });
    expect(stuck.pollErrors).toBeGreaterThanOrEqual(1);
  });

  it('retries, never stops, a ticket whose desk file on our own disk cannot be opened', async () => {
    const ticket = await file('run_20261201T100000Z_c00004', 'fast');
    await pool.close();
    const desk = sandboxDeskPath(config.dataDir);
    renameSync(desk, `${desk}.moved`);
    mkdirSync(desk); // a directory where the desk's file should be: SQLite cannot open it
    const fresh = new AdapterPool(config);
    const polled = await new Watcher({ store, config, adapterFor: (n) => fresh.get(n) }).poll((await store.getTicket(ticket.id))!);
    expect(polled).toMatchObject({ state: 'open', pollErrors: 1 });
    expect(polled.error).toMatch(/cannot open the desk database/);
    await fresh.close();
    rmSync(desk, { recursive: true });
    renameSync(`${desk}.moved`, desk);
  });

  it('lets the operator resume a ticket whose watching stopped, once the cause is fixed', async () => {
    const ticket = await file('run_20261201T100000Z_c00005', 'fast');
    const refused: VendorAdapter = { ...pool.get('fast'), kind: 'refused-double', fetchActivity: () => Promise.reject(new VendorRejectedError('[supportdrill] [zendesk] 401: check the token')) };
    expect((await new Watcher({ store, config, adapterFor: () => refused }).poll((await store.getTicket(ticket.id))!)).state).toBe('stopped');
    let output = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((output += String(chunk)), true));
    expect(await ticketsCommand(['resume', ticket.ref, '--config', configPath])).toBe(0);
    expect(output).toContain(`${ticket.ref}: watched again (it had stopped: [supportdrill] [zendesk] 401: check the token)`);
    expect(await store.getTicket(ticket.id)).toMatchObject({ state: 'open', error: null, pollErrors: 0, nextPollAt: null });
    const watcher = new Watcher({ store, config, adapterFor: (n) => pool.get(n) });
    await vi.waitUntil(async () => (await watcher.poll((await store.getTicket(ticket.id))!)).state === 'resolved', { timeout: 10_000, interval: 100 });
  });
});
