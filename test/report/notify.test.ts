import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import type { Delivery } from '../../src/report/mailer.ts';
import { runScorecardMailer } from '../../src/report/notify.ts';
import type { Store } from '../../src/store/store.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { Watcher } from '../../src/support/watcher.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

describe('run scorecard e-mail when a ticket settles', () => {
  let store: Store;
  let config: Config;
  let pool: AdapterPool;
  let clock: Date;
  const now = () => clock;
  const outbox = () => (existsSync(join(config.dataDir, 'outbox')) ? readdirSync(join(config.dataDir, 'outbox')) : []);

  async function file(runId: string, vendor: string) {
    const result = await savedRun(store, runId);
    const draft = renderTicket({ result, drill: { name: result.drill, description: 'd' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
    return (await fileTicketOnce({ store, adapter: pool.get(vendor), vendor, draft, watchUntil: new Date(clock.getTime() + 60_000) })).ticket;
  }

  beforeEach(async () => {
    clock = new Date();
    ({ config } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive' }, quiet: { adapter: 'sandbox', persona: 'silent' } }));
    store = await openStore(config.dataDir);
    pool = new AdapterPool(config, undefined, now);
  });
  afterEach(async () => {
    await pool.close();
    await store.close();
  });

  it('writes one .eml to the outbox when the ticket resolves, and none again on later polls', async () => {
    const sent: Delivery[] = [];
    const ticket = await file('run_20261129T051246Z_e1a111', 'sandbox');
    const watcher = new Watcher({ store, config, now, jitter: () => 1, adapterFor: (n) => pool.get(n), onSettled: runScorecardMailer({ config, store, onSent: (d) => sent.push(d) }) });
    clock = new Date(Date.parse(ticket.filedAt!) + 7000);
    await watcher.poll((await store.getTicket(ticket.id))!);
    expect(outbox()).toEqual([]);
    clock = new Date(Date.parse(ticket.filedAt!) + 25_000);
    await watcher.poll((await store.getTicket(ticket.id))!);
    await watcher.poll((await store.getTicket(ticket.id))!);
    expect((await store.getTicket(ticket.id))!.state).toBe('resolved');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toContain('SLA met');
    expect(outbox()).toEqual([sent[0]!.path!.split('/').pop()]);
    // A second watcher (a restarted process) settling the same run sends nothing more.
    await runScorecardMailer({ config, store })((await store.getTicket(ticket.id))!);
    expect(outbox()).toHaveLength(1);
  });

  it('with sla-misses, mails the ticket whose watch ended without a human reply and not the one that met its SLA', async () => {
    config.scorecards = { email: 'sla-misses', schedule: null };
    const sent: Delivery[] = [];
    const onSettled = runScorecardMailer({ config, store, onSent: (d) => sent.push(d) });
    const met = await file('run_20261129T051246Z_e2b222', 'sandbox');
    const missed = await file('run_20261129T051246Z_e3c333', 'quiet');
    const watcher = new Watcher({ store, config, now, jitter: () => 1, adapterFor: (n) => pool.get(n), onSettled });
    clock = new Date(Date.parse(met.filedAt!) + 61_000);
    await watcher.poll((await store.getTicket(met.id))!);
    await watcher.poll((await store.getTicket(missed.id))!);
    expect((await store.getTicket(met.id))!.state).toBe('resolved');
    expect((await store.getTicket(missed.id))!.state).toBe('timed-out');
    expect(sent.map((d) => d.subject)).toEqual([expect.stringMatching(/run_20261129T051246Z_e3c333/)]);
    expect(sent[0]!.subject).toContain('no resolution within the watch · first human none');
  });

  it('mails nothing with the none policy', async () => {
    config.scorecards = { email: 'none', schedule: null };
    const ticket = await file('run_20261129T051246Z_e4d444', 'sandbox');
    const watcher = new Watcher({ store, config, now, adapterFor: (n) => pool.get(n), onSettled: runScorecardMailer({ config, store }) });
    clock = new Date(Date.parse(ticket.filedAt!) + 25_000);
    await watcher.poll((await store.getTicket(ticket.id))!);
    expect((await store.getTicket(ticket.id))!.state).toBe('resolved');
    expect(outbox()).toEqual([]);
  });

  it('sends a scorecard a stopped process claimed but never sent, once, with the same Message-ID on every attempt', async () => {
    const ticket = await file('run_20261129T051246Z_e1a222', 'sandbox');
    clock = new Date(Date.parse(ticket.filedAt!) + 25_000);
    const watcher = new Watcher({ store, config, now, jitter: () => 1, adapterFor: (n) => pool.get(n) });
    await watcher.poll((await store.getTicket(ticket.id))!);
    expect((await store.getTicket(ticket.id))!.state).toBe('resolved');
    // A process claimed the e-mail 20 minutes ago and was killed before sending it.
    const dead = await openStore(config.dataDir, { now: () => new Date(Date.now() - 20 * 60_000) });
    expect(await dead.claimEffect(`scorecard-mail:${ticket.runId}`, 'dead-process', { staleAfterMs: 60_000 })).toMatchObject({ claimed: true });
    await dead.close();
    // While the claim is fresh, a second mailer keeps its hands off; once stale, resume sends it.
    const mailer = runScorecardMailer({ config, store });
    const resumed = await mailer.resume();
    expect(resumed).toHaveLength(1);
    expect(resumed[0]!.messageId).toBe(`<scorecard.${ticket.runId}@localhost>`);
    expect(outbox()).toHaveLength(1);
    expect(await mailer.resume()).toEqual([]);
    expect(await mailer((await store.getTicket(ticket.id))!)).toBeNull();
    expect(await store.getEffect(`scorecard-mail:${ticket.runId}`)).toMatchObject({ state: 'done', attempts: 2, detail: { via: 'outbox' } });
    // The redo of a send that did reach the outbox finds its file instead of writing a second one.
    expect(readdirSync(join(config.dataDir, 'outbox'))).toHaveLength(1);
  });

  it('leaves a fresh claim of another watcher alone', async () => {
    const ticket = await file('run_20261129T051246Z_e1a333', 'sandbox');
    clock = new Date(Date.parse(ticket.filedAt!) + 25_000);
    await new Watcher({ store, config, now, jitter: () => 1, adapterFor: (n) => pool.get(n) }).poll((await store.getTicket(ticket.id))!);
    await store.claimEffect(`scorecard-mail:${ticket.runId}`, 'the-other-watcher', { staleAfterMs: 60_000 });
    expect(await runScorecardMailer({ config, store })((await store.getTicket(ticket.id))!)).toBeNull();
    expect(await runScorecardMailer({ config, store }).resume()).toEqual([]);
    expect(outbox()).toEqual([]);
  });

  it('sends one e-mail when two watchers settle the same run at the same moment', async () => {
    const ticket = await file('run_20261129T051246Z_e1a444', 'sandbox');
    clock = new Date(Date.parse(ticket.filedAt!) + 25_000);
    await new Watcher({ store, config, now, jitter: () => 1, adapterFor: (n) => pool.get(n) }).poll((await store.getTicket(ticket.id))!);
    const other = await openStore(config.dataDir);
    const settled = (await store.getTicket(ticket.id))!;
    const results = await Promise.all([runScorecardMailer({ config, store })(settled), runScorecardMailer({ config, store: other })(settled)]);
    await other.close();
    expect(results.filter((d) => d !== null)).toHaveLength(1);
    expect(outbox()).toHaveLength(1);
  });
});
