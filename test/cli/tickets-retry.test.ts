import { describe, expect, it } from 'vitest';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { runCli } from '../helpers/cli.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

const RUN = 'run_20261129T051246Z_7e7a01';

describe('tickets retry', () => {
  it('files a ticket whose filing failed, once, and has nothing left to do the second time', async () => {
    const { config, configPath } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'silent' } });
    const store = await openStore(config.dataDir);
    const result = await savedRun(store, RUN);
    const { ref } = renderTicket({ result, drill: { name: result.drill, description: 'd' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
    const row = await store.beginFiling(RUN, { vendor: 'sandbox', ref, watchUntil: new Date(Date.now() + 3_600_000) });
    await store.markFilingFailed(row.id, new Error('connect ECONNREFUSED'));
    await store.updateRun(RUN, { status: 'filing-failed' });
    await store.close();

    const first = await runCli(['tickets', 'retry', '--config', configPath]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`${ref}: filed as SBX-\\d+ sandbox://desk/tickets/SBX-\\d+`));

    const second = await runCli(['tickets', 'retry', '--config', configPath]);
    expect(second.stdout).toBe('No ticket whose filing failed.\n');

    const after = await openStore(config.dataDir);
    expect(await after.listTickets()).toHaveLength(1);
    expect(await after.getTicketByRun(RUN)).toMatchObject({ state: 'open', error: null, vendorTicketId: expect.stringMatching(/^SBX-\d+$/) });
    expect((await after.getRun(RUN))!.status).toBe('watching');
    await after.close();
  }, 60_000);
});
