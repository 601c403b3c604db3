import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ticketsCommand } from '../../src/cli/tickets.ts';
import type { Config } from '../../src/config/config.ts';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import type { Store } from '../../src/store/store.ts';
import type { TicketRow } from '../../src/store/rows.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

const RUN = 'run_20261129T051246Z_4e5017';

describe('tickets resolve', () => {
  let config: Config;
  let configPath: string;
  let store: Store;
  let ticket: TicketRow;

  beforeEach(async () => {
    // A vendor that never says anything: only the operator can tell that it resolved the ticket.
    ({ config, configPath } = ticketProject({ quiet: { adapter: 'sandbox', persona: 'silent' } }));
    store = await openStore(config.dataDir);
    // Filed a day ago by the desk's clock, so that the resolution times below are in the past.
    const pool = new AdapterPool(config, undefined, () => new Date(Date.now() - 24 * 3_600_000));
    const result = await savedRun(store, RUN);
    const draft = renderTicket({ result, drill: { name: result.drill, description: 'd' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
    ticket = (await fileTicketOnce({ store, adapter: pool.get('quiet'), vendor: 'quiet', draft, watchUntil: new Date(Date.now() + 3_600_000) })).ticket;
    await pool.close();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await store.close();
  });

  const resolveAt = (at: string, ...extra: string[]) =>
    ticketsCommand(['resolve', ticket.ref, '--at', at, '--note', 'The vendor phoned: edge node fixed.', '--by', 'Mei', '--config', configPath, ...extra]);

  it("records the operator's resolution at the given time and resolves the ticket, timed from filing", async () => {
    const filedAt = Date.parse(ticket.filedAt!);
    const at = new Date(filedAt + 3 * 3_600_000 + 2 * 60_000 + 5_000);
    expect(await resolveAt(at.toISOString())).toBe(0);
    const stored = (await store.getTicket(ticket.id))!;
    expect(stored.state).toBe('resolved');
    expect(stored.timings).toMatchObject({ resolutionMs: 3 * 3_600_000 + 2 * 60_000 + 5_000 });
    expect((await store.getRun(RUN))!.status).toBe('resolved');
  });

  it('marks the resolution as the operator’s, not the vendor’s', async () => {
    await resolveAt(new Date(Date.parse(ticket.filedAt!) + 60_000).toISOString());
    const [activity] = await store.activities(ticket.id);
    expect(activity).toMatchObject({ kind: 'resolution', authorRole: 'end-user', authorName: 'operator: Mei', text: 'The vendor phoned: edge node fixed.' });
    expect(activity!.reasons[0]).toMatch(/^recorded by the operator \(Mei\) with `tickets resolve`/);
  });

  it('reads a time with an offset', async () => {
    const filedAt = Date.parse(ticket.filedAt!);
    const at = new Date(filedAt + 10 * 60_000);
    const shanghai = new Date(at.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    await resolveAt(shanghai);
    expect((await store.activities(ticket.id))[0]!.at).toBe(at.toISOString());
  });

  it('refuses a time without its zone', async () => {
    await expect(resolveAt('2026-11-29 14:02')).rejects.toThrow("--at '2026-11-29 14:02' is not a time with its zone");
  });

  it('refuses a time before the ticket was filed', async () => {
    await expect(resolveAt(new Date(Date.parse(ticket.filedAt!) - 1000).toISOString())).rejects.toThrow('is before');
  });

  it('recording the same resolution twice keeps one', async () => {
    const at = new Date(Date.parse(ticket.filedAt!) + 60_000).toISOString();
    await resolveAt(at);
    await resolveAt(at);
    expect(await store.activities(ticket.id)).toHaveLength(1);
  });
});
