import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import type { Store } from '../../src/store/store.ts';
import { FILING_LEASE_MS, FilingInProgressError, fileTicketOnce, filingLease, refileTime } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { VendorRejectedError, VendorUnavailableError, type FiledTicket, type TicketDraft, type VendorAdapter } from '../../src/vendors/adapter.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

const RUN = 'run_20261129T051246Z_f11e01';

describe('fileTicketOnce', () => {
  let store: Store;
  let pool: AdapterPool;
  let draft: TicketDraft;
  const watchUntil = new Date(Date.now() + 3_600_000);

  beforeEach(async () => {
    const { config } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive' } });
    store = await openStore(config.dataDir);
    pool = new AdapterPool(config);
    const result = await savedRun(store, RUN);
    draft = renderTicket({ result, drill: { name: result.drill, description: 'Teacher video freezes' }, vendorTimezone: 'Asia/Shanghai', evidenceDir: '/nonexistent' });
  });
  afterEach(async () => {
    await pool.close();
    await store.close();
  });

  it('files once: a second call for the same run returns the same ticket without filing again', async () => {
    const first = await fileTicketOnce({ store, adapter: pool.get('sandbox'), vendor: 'sandbox', draft, watchUntil });
    const second = await fileTicketOnce({ store, adapter: pool.get('sandbox'), vendor: 'sandbox', draft, watchUntil });
    expect(first.reused).toBe(false);
    expect(second).toMatchObject({ reused: true, ticket: { id: first.ticket.id, vendorTicketId: first.ticket.vendorTicketId } });
    expect(await store.listTickets()).toHaveLength(1);
    expect((await store.getRun(RUN))!.status).toBe('watching');
  });

  it('finds the ticket at the vendor after a crash between sending and recording, instead of filing a second', async () => {
    const adapter = pool.get('sandbox');
    await store.beginFiling(RUN, { vendor: 'sandbox', ref: draft.ref, watchUntil });
    const sent = await adapter.fileTicket(draft); // the process "dies" here, before markFiled
    const { ticket, reused } = await fileTicketOnce({ store, adapter, vendor: 'sandbox', draft, watchUntil });
    expect(reused).toBe(true);
    expect(ticket.vendorTicketId).toBe(sent.vendorTicketId);
    expect(await adapter.findTicket({ runId: RUN, ref: draft.ref })).toMatchObject({ vendorTicketId: sent.vendorTicketId });
  });

  it('marks the ticket and the run as filing-failed when the vendor cannot be reached, and files on a later try', async () => {
    // A test double of a vendor whose help desk is down on the first call.
    const real = pool.get('sandbox');
    let down = true;
    const flaky: VendorAdapter = {
      kind: 'flaky-double',
      defaultPollIntervalMs: 1000,
      findTicket: (t) => real.findTicket(t),
      fileTicket: (d): Promise<FiledTicket> => (down ? Promise.reject(new VendorUnavailableError('connect ECONNREFUSED 127.0.0.1:9')) : real.fileTicket(d)),
      fetchActivity: (t, c) => real.fetchActivity(t, c),
    };
    await expect(fileTicketOnce({ store, adapter: flaky, vendor: 'sandbox', draft, watchUntil })).rejects.toThrow(/ECONNREFUSED/);
    expect(await store.getTicketByRun(RUN)).toMatchObject({ state: 'filing-failed', error: 'connect ECONNREFUSED 127.0.0.1:9' });
    expect(await store.getRun(RUN)).toMatchObject({ status: 'filing-failed', error: 'connect ECONNREFUSED 127.0.0.1:9' });

    const failed = (await store.getTicketByRun(RUN))!;
    expect(failed.filingAttempts).toBe(1);
    // The vendor was unavailable: the service is told to try again after a backoff, before the watch deadline.
    expect(Date.parse(failed.refileAt!)).toBeGreaterThan(Date.now() + 30_000);
    expect(Date.parse(failed.refileAt!)).toBeLessThan(watchUntil.getTime());

    down = false;
    const { ticket } = await fileTicketOnce({ store, adapter: flaky, vendor: 'sandbox', draft, watchUntil });
    expect(ticket).toMatchObject({ state: 'open', error: null, refileAt: null, filingAttempts: 1 });
    expect(await store.listTickets()).toHaveLength(1);
  });

  it('leaves a refused filing to the operator: no retry time', async () => {
    const refusing: VendorAdapter = {
      ...pool.get('sandbox'),
      kind: 'refusing-double',
      findTicket: async () => null,
      fileTicket: () => Promise.reject(new VendorRejectedError('401 Unauthorized: check the token')),
    };
    await expect(fileTicketOnce({ store, adapter: refusing, vendor: 'sandbox', draft, watchUntil })).rejects.toThrow(/401/);
    expect(await store.getTicketByRun(RUN)).toMatchObject({ state: 'filing-failed', filingAttempts: 1, refileAt: null });
  });

  it('lets one process file a run at a time: a second filer meanwhile is told so and files nothing', async () => {
    // A test double of a slow help desk: filing takes until the test lets it finish.
    const real = pool.get('sandbox');
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    let filings = 0;
    const slow: VendorAdapter = {
      ...real,
      kind: 'slow-double',
      findTicket: (t) => real.findTicket(t),
      fileTicket: async (d) => {
        filings++;
        await gate;
        return real.fileTicket(d);
      },
    };
    const first = fileTicketOnce({ store, adapter: slow, vendor: 'sandbox', draft, watchUntil, holder: 'first' });
    await vi.waitFor(() => expect(filings).toBe(1));
    await expect(fileTicketOnce({ store, adapter: slow, vendor: 'sandbox', draft, watchUntil, holder: 'second' })).rejects.toBeInstanceOf(FilingInProgressError);
    finish();
    expect((await first).ticket.state).toBe('open');
    expect(filings).toBe(1);
    // The lease is given back: a later filer gets the ticket as filed.
    expect(await store.acquireLease(filingLease(RUN), 'third', FILING_LEASE_MS)).toBe(true);
  });
});

describe('refileTime', () => {
  const now = new Date('2026-11-30T02:00:00Z');
  const later = new Date('2026-11-30T08:00:00Z');

  it('backs off, doubling per attempt, when the vendor is unavailable', () => {
    const waits = [1, 2, 3, 4, 5, 9].map((n) => refileTime(new VendorUnavailableError('503'), n, now, later)!.getTime() - now.getTime());
    expect(waits.slice(0, 4)).toEqual([60_000, 120_000, 240_000, 480_000]);
    // Capped like a poll's backoff.
    expect(waits[5]).toBe(waits[4]);
    expect(waits[4]).toBeLessThanOrEqual(600_000);
  });

  it("honours the vendor's Retry-After", () => {
    expect(refileTime(new VendorUnavailableError('429', 90_000), 1, now, later)!.getTime() - now.getTime()).toBe(90_000);
  });

  it('gives up at the watch deadline, on a refusal and on our own failures', () => {
    expect(refileTime(new VendorUnavailableError('503'), 1, now, new Date(now.getTime() + 30_000))).toBeNull();
    expect(refileTime(new VendorRejectedError('401'), 1, now, later)).toBeNull();
    expect(refileTime(new Error('drill file not found'), 1, now, later)).toBeNull();
  });
});
