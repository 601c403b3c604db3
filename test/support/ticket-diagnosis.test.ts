import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import type { ActivityRow } from '../../src/store/rows.ts';
import type { Store } from '../../src/store/store.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { diagnosisKey, ticketDiagnosis } from '../../src/support/ticket-diagnosis.ts';
import { loadTicketReport } from '../../src/support/ticket-report.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { Watcher } from '../../src/support/watcher.ts';
import type { VendorAdapter } from '../../src/vendors/adapter.ts';
import { teacherFreezeKey } from '../helpers/scorecards.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

const RUN = 'run_20261129T051246Z_d1a9e0';
const CORRECT = "We checked our call records for the channel: the teacher's client stopped sending video frames at 05:13:00.";
const BLAMES_NETWORK = "The freeze was caused by the teacher's network: we saw 30% packet loss on the uplink.";

describe('a ticket’s diagnosis from the store', () => {
  const key = diagnosisKey({ answerKey: teacherFreezeKey({ faults: [{ index: 0, kind: 'video-freeze', target: 'teacher', startedAt: '2026-11-29T05:13:00.756Z', endedAt: '2026-11-29T05:13:10.757Z' }] }), identifiers: {} })!;
  const filed = { filedAt: '2026-11-29T05:13:30.000Z', createdAt: '2026-11-29T05:13:29.000Z' };
  const activity = (at: string, text: string, extra: Partial<ActivityRow> = {}) =>
    ({ at, kind: 'human', text, excerpt: text.slice(0, 40), unverified: false, authorRole: 'agent', ...extra }) as const;

  it('reads no answer key from a run from before answer keys', () => {
    expect(diagnosisKey({ identifiers: {} })).toBeNull();
    expect(diagnosisKey(null)).toBeNull();
  });

  it('counts only what the vendor wrote: not a sender it cannot vouch for, nor our side (the operator has seen the answer key)', () => {
    const diagnosis = ticketDiagnosis(filed, [
      activity('2026-11-29T05:14:00.000Z', CORRECT, { unverified: true }),
      activity('2026-11-29T05:15:00.000Z', CORRECT, { kind: 'resolution', authorRole: 'end-user' }),
      activity('2026-11-29T05:16:00.000Z', BLAMES_NETWORK),
    ], key);
    expect(diagnosis).toMatchObject({ verdict: 'wrong', firstCorrectAt: null, usedOwnData: false });
    expect(diagnosis.claims.map((c) => c.at)).toEqual(['2026-11-29T05:16:00.000Z']);
  });

  it('times the first correct cause from the filing', () => {
    const diagnosis = ticketDiagnosis(filed, [activity('2026-11-29T05:15:35.000Z', CORRECT)], key);
    expect(diagnosis).toMatchObject({ verdict: 'correct', firstCorrectMs: 125_000, usedOwnData: true });
  });
});

describe('the watcher keeps the diagnosis, and the ticket report shows it', () => {
  let store: Store;
  let config: Config;
  let pool: AdapterPool;
  let clock: Date;
  const now = () => clock;

  beforeEach(async () => {
    clock = new Date();
    ({ config } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'silent', pollInterval: '1s' } }));
    store = await openStore(config.dataDir);
    pool = new AdapterPool(config, undefined, now);
  });
  afterEach(async () => {
    await pool.close();
    await store.close();
  });

  /** Files the fixture run (with or without its answer key) and polls it once through a vendor that sends one agent reply. */
  async function filedAndPolled(withKey: boolean, text: string) {
    const result = await savedRun(store, RUN);
    if (withKey) await store.saveRunResult(RUN, { ...result, answerKey: teacherFreezeKey(result) });
    const draft = renderTicket({ result, drill: { name: result.drill, description: 'd' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
    const { ticket } = await fileTicketOnce({ store, adapter: pool.get('sandbox'), vendor: 'sandbox', draft, watchUntil: new Date(clock.getTime() + 3_600_000) });
    const filedAt = Date.parse(ticket.filedAt!);
    // A vendor double: one reply from an agent, 2 min 05 s after filing.
    const replying: VendorAdapter = {
      ...pool.get('sandbox'),
      kind: 'replying-double',
      fetchActivity: () => Promise.resolve({ activities: [{ vendorActivityId: 'r1', at: new Date(filedAt + 125_000), authorName: 'Lin', authorRole: 'agent', text }], cursor: 'r1' }),
    };
    clock = new Date(filedAt + 130_000);
    await new Watcher({ store, config, adapterFor: () => replying, now }).poll((await store.getTicket(ticket.id))!);
    return (await store.getTicket(ticket.id))!;
  }

  it('stores the verdict beside the timings on every poll, for the trial scorecard', async () => {
    const ticket = await filedAndPolled(true, CORRECT);
    expect(ticket.diagnosis).toEqual({ verdict: 'correct', firstCorrectAt: new Date(Date.parse(ticket.filedAt!) + 125_000).toISOString(), firstCorrectMs: 125_000, usedOwnData: true });
    const report = await loadTicketReport(store, ticket.id);
    expect(report.diagnosis).toMatchObject({ verdict: 'correct', firstCorrectMs: 125_000, usedOwnData: true, claim: { side: 'publisher', participant: 'teacher', mechanisms: ['no-video-sent'] } });
    expect(report.diagnosis!.claims).toHaveLength(1);
  });

  it('stores none and reports none for a run from before answer keys', async () => {
    const ticket = await filedAndPolled(false, BLAMES_NETWORK);
    expect(ticket.diagnosis).toBeNull();
    expect((await loadTicketReport(store, ticket.id)).diagnosis).toBeNull();
  });
});
