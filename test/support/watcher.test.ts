import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import type { Store } from '../../src/store/store.ts';
import type { TicketRow } from '../../src/store/rows.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { MAX_BACKOFF_MS, Watcher } from '../../src/support/watcher.ts';
import { VendorRejectedError, VendorUnavailableError, type VendorAdapter } from '../../src/vendors/adapter.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

const RUN = 'run_20261129T051246Z_3a7c01';

describe('Watcher', () => {
  let store: Store;
  let config: Config;
  let pool: AdapterPool;
  let ticket: TicketRow;
  let clock: Date;
  const now = () => clock;

  async function file(vendor = 'sandbox', watchMs = 3_600_000) {
    const result = await savedRun(store, RUN);
    const draft = renderTicket({ result, drill: { name: result.drill, description: 'd' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
    return (await fileTicketOnce({ store, adapter: pool.get(vendor), vendor, draft, watchUntil: new Date(clock.getTime() + watchMs) })).ticket;
  }

  beforeEach(async () => {
    clock = new Date();
    ({ config } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive', pollInterval: '1s' }, quiet: { adapter: 'sandbox', persona: 'silent', sla: 'mature' } }));
    store = await openStore(config.dataDir);
    // The sandbox desk reads the same clock, so its scripted replies become due as the test moves time.
    pool = new AdapterPool(config, undefined, now);
  });
  afterEach(async () => {
    await pool.close();
    await store.close();
  });

  it('records each activity once with its kind, and resolves the ticket with timings from the vendor timestamps', async () => {
    ticket = await file();
    const filedAt = Date.parse(ticket.filedAt!);
    const watcher = new Watcher({ store, config, adapterFor: (n) => pool.get(n), now, jitter: () => 1 });
    clock = new Date(filedAt + 7000);
    await watcher.poll((await store.getTicket(ticket.id))!);
    expect((await store.activities(ticket.id)).map((a) => a.kind)).toEqual(['auto', 'canned']);
    // Everything due now; polled twice, the second poll must add nothing.
    clock = new Date(filedAt + 25_000);
    await watcher.poll((await store.getTicket(ticket.id))!);
    await watcher.poll((await store.getTicket(ticket.id))!);
    const activities = await store.activities(ticket.id);
    const replies = activities.filter((a) => a.kind !== null);
    expect(replies.map((a) => a.kind)).toEqual(['auto', 'canned', 'human', 'resolution']);
    expect(new Set(activities.map((a) => a.vendorActivityId)).size).toBe(activities.length);
    const stored = (await store.getTicket(ticket.id))!;
    expect(stored.state).toBe('resolved');
    expect(stored.timings).toMatchObject({ firstResponseMs: 2000, firstHumanResponseMs: 6000, firstSubstantiveResponseMs: 12_000, resolutionMs: 20_000 });
    expect(stored.sla).toMatchObject({ tier: 'mature', firstHumanResponse: 'met', resolution: 'met' });
    expect((await store.getRun(RUN))!.status).toBe('resolved');
  });

  it('ends the watch with no resolution at the deadline', async () => {
    ticket = await file('quiet', 60_000);
    const watcher = new Watcher({ store, config, adapterFor: (n) => pool.get(n), now });
    clock = new Date(Date.parse(ticket.filedAt!) + 61_000);
    const polled = await watcher.poll((await store.getTicket(ticket.id))!);
    expect(polled.state).toBe('timed-out');
    expect(await store.getRun(RUN)).toMatchObject({ status: 'timed-out', phase: 'watch ended: no resolution' });
  });

  it('backs off after a failed poll and honours the vendor’s Retry-After', async () => {
    ticket = await file();
    // Test doubles of a vendor that is down, and of one that rate-limits us.
    const down: VendorAdapter = { ...pool.get('sandbox'), kind: 'down-double', fetchActivity: () => Promise.reject(new Error('socket hang up')) };
    const limited: VendorAdapter = { ...pool.get('sandbox'), kind: 'limited-double', fetchActivity: () => Promise.reject(new VendorUnavailableError('429 Too Many Requests', 42_000)) };
    const t0 = clock.getTime();
    let polled = await new Watcher({ store, config, adapterFor: () => down, now }).poll((await store.getTicket(ticket.id))!);
    expect(polled).toMatchObject({ pollErrors: 1, error: 'socket hang up', state: 'open' });
    expect(Date.parse(polled.nextPollAt!) - t0).toBe(2000);
    polled = await new Watcher({ store, config, adapterFor: () => down, now }).poll(polled);
    expect(Date.parse(polled.nextPollAt!) - t0).toBe(4000);
    polled = await new Watcher({ store, config, adapterFor: () => limited, now }).poll(polled);
    expect(Date.parse(polled.nextPollAt!) - t0).toBe(42_000);
    expect(polled.pollErrors).toBe(3);
    for (let i = 0; i < 20; i++) polled = await new Watcher({ store, config, adapterFor: () => down, now }).poll(polled);
    expect(Date.parse(polled.nextPollAt!) - t0).toBe(MAX_BACKOFF_MS);
  });

  it('stops watching a ticket the vendor refuses us access to, with the reason', async () => {
    ticket = await file();
    const refused: VendorAdapter = { ...pool.get('sandbox'), kind: 'refused-double', fetchActivity: () => Promise.reject(new VendorRejectedError('[supportdrill] [zendesk] 401 Unauthorized: check vendors.zendesk.token')) };
    const polled = await new Watcher({ store, config, adapterFor: () => refused, now }).poll((await store.getTicket(ticket.id))!);
    expect(polled).toMatchObject({ state: 'stopped', error: '[supportdrill] [zendesk] 401 Unauthorized: check vendors.zendesk.token' });
    expect(await store.openTickets()).toEqual([]);
  });
});
