import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { BIN, ROOT, runCli } from '../helpers/cli.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

const RUN = 'run_20261129T051246Z_0c1e55';

describe('tickets watch (real processes)', () => {
  it('keeps every activity exactly once across a SIGKILL mid-watch and a restart', async () => {
    const { config, configPath } = ticketProject({
      sandbox: { adapter: 'sandbox', persona: 'responsive', pollInterval: '200ms', timings: { ack: '1s', canned: '2s', human: '5s', resolution: '7s', solved: '8s' } },
    });
    const store = await openStore(config.dataDir);
    const pool = new AdapterPool(config);
    const result = await savedRun(store, RUN);
    const draft = renderTicket({ result, drill: { name: result.drill, description: 'Teacher video freezes' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
    const { ticket } = await fileTicketOnce({ store, adapter: pool.get('sandbox'), vendor: 'sandbox', draft, watchUntil: new Date(Date.now() + 600_000) });
    await pool.close();
    await store.close();

    // First watcher: killed without warning once it has recorded two activities.
    const first = spawn(process.execPath, [BIN, 'tickets', 'watch', '--json', '--config', configPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the first watcher saw no activity')), 60_000);
      first.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString().split('\n').filter((l) => l.includes('"kind"')).length;
        if (seen >= 2) {
          clearTimeout(timer);
          first.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => first.once('close', r));

    const mid = await openStore(config.dataDir);
    const before = (await mid.activities(ticket.id)).length;
    await mid.close();
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(4);

    // Second watcher: resumes from the store and runs until the ticket is resolved.
    const second = await runCli(['tickets', 'watch', '--until-idle', '--config', configPath], { timeoutMs: 60_000 });
    expect(second.code).toBe(0);

    const after = await openStore(config.dataDir);
    const activities = await after.activities(ticket.id);
    expect(activities.filter((a) => a.kind !== null).map((a) => a.kind)).toEqual(['auto', 'canned', 'human', 'resolution']);
    expect(new Set(activities.map((a) => a.vendorActivityId)).size).toBe(activities.length);
    expect(await after.getTicket(ticket.id)).toMatchObject({ state: 'resolved', timings: { firstResponseMs: 1000, firstHumanResponseMs: 2000, firstSubstantiveResponseMs: 5000, resolutionMs: 7000 } });
    await after.close();

    const listed = await runCli(['tickets', '--json', '--config', configPath]);
    const [report] = JSON.parse(listed.stdout);
    expect(report).toMatchObject({ ref: draft.ref, state: 'resolved', vendor: 'sandbox', sla: { tier: 'mature', firstHumanResponse: 'met', resolution: 'met' } });
  }, 120_000);
});
