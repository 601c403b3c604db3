import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import type { Store } from '../../src/store/store.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { VendorUnavailableError, type FiledTicket, type TicketDraft, type VendorAdapter } from '../../src/vendors/adapter.ts';
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

    down = false;
    const { ticket } = await fileTicketOnce({ store, adapter: flaky, vendor: 'sandbox', draft, watchUntil });
    expect(ticket).toMatchObject({ state: 'open', error: null });
    expect(await store.listTickets()).toHaveLength(1);
  });
});
