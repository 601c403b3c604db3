import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { eventually, serviceProject, startService, stopChild, type ServiceProcess } from '../helpers/service.ts';
import { openStore, savedRun } from '../helpers/ticketing.ts';

const WATCHED = 'run_20261129T051246Z_0c1e55';
const HALF_FILED = 'run_20261129T051246Z_7b2d90';
const CUT_OFF = 'run_20261129T051246Z_cafe01';
const SCORED_UNFILED = 'run_20261129T051246Z_5c0fed';

describe('serve: durability across a SIGKILL', () => {
  let service: ServiceProcess | undefined;
  afterEach(() => stopChild(service));

  it('resumes watching after a SIGKILL with every activity once, marks a cut-off run interrupted, and completes a half-done filing and a scored-but-unfiled run once each', async () => {
    const vendors = {
      sandbox: { adapter: 'sandbox', persona: 'responsive', pollInterval: '200ms', timings: { ack: '1s', canned: '2s', human: '6s', resolution: '8s', solved: '9s' } },
    };
    const { dir, configPath, emptyDrills } = serviceProject({ vendors });
    const config = parseConfig({ dataDir: 'var', vendors }, { baseDir: dir });
    const store = await openStore(config.dataDir);
    const pool = new AdapterPool(config);
    const result = await savedRun(store, WATCHED);
    const draft = renderTicket({ result, drill: { name: result.drill, description: 'Teacher video freezes' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
    const { ticket } = await fileTicketOnce({ store, adapter: pool.get('sandbox'), vendor: 'sandbox', draft, watchUntil: new Date(Date.now() + 600_000) });
    // A run killed while filing: the ticket row says `filing`, the vendor has never heard of it.
    await savedRun(store, HALF_FILED);
    const halfFiled = await store.beginFiling(HALF_FILED, { vendor: 'sandbox', ref: 'DRILL-7b2d90', watchUntil: new Date(Date.now() + 600_000) });
    // A run killed after it was scored, before its ticket row was written.
    await savedRun(store, SCORED_UNFILED);
    // A run killed in the middle of its class.
    await store.createRun({ id: CUT_OFF, drill: 'freeze-midclass', provider: 'local', vendor: 'sandbox', status: 'in-session', phase: 'class in session' });
    await pool.close();
    await store.close();

    const args = ['--config', configPath, '--drills', emptyDrills];
    service = await startService(args);
    const db = await openStore(join(dir, 'var'));
    await eventually('two recorded activities', async () => (await db.activities(ticket.id)).length >= 2);
    service.child.kill('SIGKILL');
    await service.exited;
    const before = (await db.activities(ticket.id)).length;
    expect(before).toBeLessThan(4);
    expect(await db.getRun(CUT_OFF)).toMatchObject({ status: 'interrupted' });
    const refiled = (await db.getTicket(halfFiled.id))!;
    expect(refiled.state).toBe('open');
    const lateFiled = (await db.getTicketByRun(SCORED_UNFILED))!;
    expect(lateFiled).toMatchObject({ ref: 'DRILL-5c0fed', state: 'open', vendorTicketId: expect.stringMatching(/^SBX-\d+$/) });

    service = await startService(args);
    await eventually('the watched ticket resolved', async () => (await db.getTicket(ticket.id))!.state === 'resolved', 60_000);
    // Stopped first, so that what it recorded and what it sent are read at rest.
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const activities = await db.activities(ticket.id);
    // The vendor's side, once each. Our own answer to the human's question may land on either
    // side of the resolution (it races the vendor's next step); when it went out, it is there once.
    expect(activities.filter((a) => a.kind !== null && a.kind !== 'customer').map((a) => a.kind)).toEqual(['auto', 'canned', 'human', 'resolution']);
    const ours = activities.filter((a) => a.kind === 'customer').map((a) => a.vendorActivityId).sort();
    const sent = (await db.messages(ticket.id)).filter((m) => m.state === 'sent').map((m) => m.vendorMessageId).sort();
    expect(ours).toEqual(sent);
    expect(new Set(activities.map((a) => a.vendorActivityId)).size).toBe(activities.length);
    // The second start found the half-filed ticket already at the vendor: same vendor id, one ticket.
    expect((await db.getTicket(halfFiled.id))!.vendorTicketId).toBe(refiled.vendorTicketId);
    expect((await db.getTicketByRun(SCORED_UNFILED))!.vendorTicketId).toBe(lateFiled.vendorTicketId);
    expect((await db.listTickets()).map((t) => t.ref).sort()).toEqual([draft.ref, 'DRILL-7b2d90', 'DRILL-5c0fed'].sort());
    expect(await db.getRun(CUT_OFF)).toMatchObject({ status: 'interrupted' });
    await db.close();
  }, 150_000);
});
