import { afterEach, describe, expect, it } from 'vitest';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { Watcher } from '../../src/support/watcher.ts';
import type { Store } from '../../src/store/store.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

const MINUTE = 60_000;

describe('the watch of a ticket the vendor waited on us for', () => {
  let store: Store | undefined;
  let pool: AdapterPool | undefined;
  afterEach(async () => {
    await pool?.close();
    await store?.close();
  });

  async function setUp(slaClock: 'net' | 'gross') {
    const { config } = ticketProject({ desk: { adapter: 'sandbox', persona: 'silent', slaClock, sla: { resolution: '1h', clock: 'calendar' } } });
    store = await openStore(config.dataDir);
    pool = new AdapterPool(config);
    const result = await savedRun(store, 'run_20261201T100000Z_ee0001');
    const draft = renderTicket({ result, drill: { name: result.drill, description: 'd' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
    const { ticket } = await fileTicketOnce({ store, adapter: pool.get('desk'), vendor: 'desk', draft, watchUntil: new Date(Date.now() + 80 * MINUTE) });
    const filedAt = Date.parse(ticket.filedAt!);
    const at = (m: number) => new Date(filedAt + m * MINUTE);
    // The vendor asks at 5 min; we answer only at 65 min: an hour the SLA clock stands still (net).
    await store.recordActivity(ticket.id, { vendorActivityId: 'ask', at: at(5), kind: 'human', questions: [{ topic: 'logs', text: 'Could you send the log?', alreadyGiven: false }] });
    await store.recordActivity(ticket.id, { vendorActivityId: 'ours', at: at(65), kind: 'customer', authorRole: 'end-user' });
    const watcher = new Watcher({ store, config, adapterFor: (n) => pool!.get(n), now: () => at(70) });
    return { rescored: await watcher.rescore((await store.getTicket(ticket.id))!), at };
  }

  it('goes on until the deadline the wait moved has passed, when the SLA is judged net of customer wait', async () => {
    const { rescored, at } = await setUp('net');
    expect(rescored.sla!.resolution).toBe('pending');
    // Due at 1 h + the 1 h wait = 120 min, plus the margin.
    expect(Date.parse(rescored.watchUntil!)).toBe(at(120 + 15).getTime());
    expect(rescored.state).toBe('open');
  });

  it('keeps the watch as filed when the SLA is judged gross', async () => {
    const { rescored, at } = await setUp('gross');
    expect(rescored.sla!.resolution).toBe('missed');
    expect(Date.parse(rescored.watchUntil!)).toBeLessThan(at(81).getTime());
  });
});
