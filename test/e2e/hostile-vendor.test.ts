import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { MAX_BACKOFF_MS } from '../../src/support/watcher.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { startZendeskDouble, type ZendeskDouble } from '../doubles/zendesk-double.ts';
import { BIN, ROOT } from '../helpers/cli.ts';
import { eventually } from '../helpers/service.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

describe('a hostile vendor (real processes, a test double of Zendesk)', () => {
  let desk: ZendeskDouble | undefined;
  afterEach(async () => {
    await desk?.stop();
  });

  it("goes on watching every other vendor's tickets while one answers each poll with an absurd Retry-After", async () => {
    desk = await startZendeskDouble();
    const { config, configPath } = ticketProject({
      sandbox: { adapter: 'sandbox', persona: 'responsive', pollInterval: '200ms', timings: { ack: '1s', canned: '2s', human: '3s', resolution: '4s', solved: '5s' } },
      acme: { adapter: 'zendesk', url: desk.url, email: desk.email, token: desk.token, pollInterval: '200ms' },
    });
    const store = await openStore(config.dataDir);
    const pool = new AdapterPool(config);
    const tickets: Record<string, number> = {};
    for (const [runId, vendor] of [['run_20261201T110000Z_d00001', 'acme'], ['run_20261201T110000Z_d00002', 'sandbox']] as const) {
      const result = await savedRun(store, runId);
      const draft = renderTicket({ result, drill: { name: result.drill, description: 'Teacher video freezes' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
      tickets[vendor] = (await fileTicketOnce({ store, adapter: pool.get(vendor), vendor, draft, watchUntil: new Date(Date.now() + 600_000) })).ticket.id;
    }
    await pool.close();
    // From now on every Zendesk answer is a 429 with one of the absurd Retry-After values: `1` and 20 zeros, a date in 9999, garbage.
    desk.chaos = { seed: 11, rate: 1, modes: ['rate-limit'] };

    const watcher = spawn(process.execPath, [BIN, 'tickets', 'watch', '--config', configPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    watcher.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => watcher.once('exit', (code) => resolve(code)));
    try {
      await eventually('the sandbox ticket resolved', async () => (await store.getTicket(tickets.sandbox!))!.state === 'resolved', 30_000);
      expect(watcher.exitCode).toBeNull();
      const acme = (await store.getTicket(tickets.acme!))!;
      expect(acme.state).toBe('open');
      expect(acme.pollErrors).toBeGreaterThanOrEqual(1);
      const wait = Date.parse(acme.nextPollAt!) - Date.now();
      expect(wait).toBeLessThanOrEqual(MAX_BACKOFF_MS);
      expect(desk.injected.length).toBeGreaterThanOrEqual(1);
    } finally {
      watcher.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('unexpected error');
    await store.close();
  }, 60_000);
});
