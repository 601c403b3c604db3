import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { runCli } from '../helpers/cli.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

describe('two watchers on one data directory (real processes)', () => {
  it('e-mail each settled run scorecard once, whoever settles the ticket, also when both reach its watch deadline together', async () => {
    const { config, configPath } = ticketProject({
      sandbox: { adapter: 'sandbox', persona: 'responsive', pollInterval: '200ms', timings: { ack: '500ms', canned: '1s', human: '2s', resolution: '3s', solved: '3500ms' } },
      // Tickets that settle at their watch deadline, which both watchers reach at the same moment.
      quiet: { adapter: 'sandbox', persona: 'silent', pollInterval: '200ms' },
    });
    const store = await openStore(config.dataDir);
    const pool = new AdapterPool(config);
    const runs = ['run_20261201T100000Z_aa0001', 'run_20261201T100000Z_aa0002', 'run_20261201T100000Z_aa0003', 'run_20261201T100000Z_aa0004'];
    const silent = ['run_20261201T100000Z_bb0001', 'run_20261201T100000Z_bb0002', 'run_20261201T100000Z_bb0003', 'run_20261201T100000Z_bb0004'];
    for (const runId of [...runs, ...silent]) {
      const result = await savedRun(store, runId);
      const vendor = silent.includes(runId) ? 'quiet' : 'sandbox';
      const draft = renderTicket({ result, drill: { name: result.drill, description: 'Teacher video freezes' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
      await fileTicketOnce({ store, adapter: pool.get(vendor), vendor, draft, watchUntil: new Date(Date.now() + (vendor === 'quiet' ? 4000 : 600_000)) });
    }
    await pool.close();
    await store.close();

    const watch = () => runCli(['tickets', 'watch', '--until-idle', '--config', configPath], { timeoutMs: 60_000 });
    const [a, b] = await Promise.all([watch(), watch()]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);

    const outbox = join(config.dataDir, 'outbox');
    expect(existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')) : []).toHaveLength(runs.length + silent.length);
    const after = await openStore(config.dataDir);
    for (const runId of [...runs, ...silent]) {
      expect((await after.getTicketByRun(runId))!.state).toBe(silent.includes(runId) ? 'timed-out' : 'resolved');
      expect(await after.getEffect(`scorecard-mail:${runId}`)).toMatchObject({ state: 'done', attempts: 1 });
      const activities = await after.activities((await after.getTicketByRun(runId))!.id);
      expect(new Set(activities.map((x) => x.vendorActivityId)).size).toBe(activities.length);
    }
    await after.close();
  }, 90_000);
});
