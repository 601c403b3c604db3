/**
 * The behaviour every {@link Store} implementation must have, as a vitest suite. It sees the store
 * only through the interface: what "another process" sees is checked by opening the same location
 * again. An implementation's test file calls {@link testStore} with a factory for its locations;
 * the suite closes every store it opened after each test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredSlaVerdict, StoredTimings } from '../../src/core/stored-timings.ts';
import type { Store } from '../../src/store/store.ts';
import { RUN_ID, filedTicket, reply, result, withRun } from './fixtures.ts';

export interface StoreFactory {
  /** A new, empty location (a data directory, a database URL, …); nothing needs to exist there yet. */
  fresh(): Promise<string> | string;
  /** Opens the store at `location`, creating it when needed; called again on a location, it is another process opening it. */
  open(location: string, now?: () => Date): Promise<Store>;
}

export function testStore(name: string, factory: StoreFactory): void {
  describe(name, () => {
    const opened = new Set<Store>();

    const fresh = async (): Promise<string> => factory.fresh();

    async function open(location: string, now?: () => Date): Promise<Store> {
      const store = await factory.open(location, now);
      opened.add(store);
      return store;
    }

    /** Closes a store within a test (afterEach then leaves it alone). */
    async function close(store: Store): Promise<void> {
      opened.delete(store);
      await store.close();
    }

    afterEach(async () => {
      const stores = [...opened];
      opened.clear();
      for (const store of stores) await store.close();
    });

    describe('opening', () => {
      it('finds what was written when the database is opened again', async () => {
        const dir = await fresh();
        const first = await open(dir);
        await withRun(first);
        await close(first);
        expect(await (await open(dir)).getRun(RUN_ID)).toMatchObject({ id: RUN_ID, status: 'created' });
      });
    });

    describe('runs', () => {
      it('keeps the status and phase a run was last updated to, for a process that dies afterwards', async () => {
        const dir = await fresh();
        let clock = new Date('2026-11-29T05:12:46.000Z');
        const store = await open(dir, () => clock);
        await withRun(store);
        clock = new Date('2026-11-29T05:12:50.000Z');
        await store.updateRun(RUN_ID, { status: 'in-session', phase: 'injecting video-freeze on teacher' });
        await close(store);

        expect(await (await open(dir)).getRun(RUN_ID)).toMatchObject({
          status: 'in-session',
          phase: 'injecting video-freeze on teacher',
          startedAt: '2026-11-29T05:12:46.000Z',
          updatedAt: '2026-11-29T05:12:50.000Z',
          reproduced: null,
          result: null,
        });
      });

      it('refuses a status that does not exist', async () => {
        const store = await open(await fresh());
        await withRun(store);
        await expect(store.updateRun(RUN_ID, { status: 'done' as never })).rejects.toThrow(/unknown run status 'done'/);
      });

      // Added with the contract: the SQLite tests count the rows; here the same is seen through the interface.
      it('saves a result twice without duplicating its faults or freeze episodes, as the store lists them', async () => {
        const store = await open(await fresh());
        await withRun(store);
        await store.saveRunResult(RUN_ID, result());
        await store.saveRunResult(RUN_ID, result());
        expect(await store.faults(RUN_ID)).toHaveLength(1);
        expect((await store.freezeEpisodes(RUN_ID)).map((episode) => episode.participant)).toEqual(['student-1', 'student-2']);
      });

      it('marks a saved run scored with the result fields, and keeps the whole result', async () => {
        const store = await open(await fresh());
        await withRun(store);
        const run = await store.saveRunResult(RUN_ID, result());
        expect(run).toMatchObject({
          status: 'scored',
          reproduced: true,
          endedAt: '2026-11-29T05:13:22.000Z',
          evidenceDir: '/tmp/evidence/run',
        });
        expect(run.result).toEqual(result());
        expect(await store.faults(RUN_ID)).toEqual([
          { runId: RUN_ID, idx: 0, kind: 'video-freeze', target: 'teacher', startedAt: '2026-11-29T05:13:00.000Z', endedAt: '2026-11-29T05:13:10.000Z' },
        ]);
      });

      it('marks a run whose failure did not show as not reproduced', async () => {
        const store = await open(await fresh());
        await withRun(store);
        expect((await store.saveRunResult(RUN_ID, result({ reproduced: false, freezes: [] }))).status).toBe('not-reproduced');
      });

      it('does not move a run that is already being watched back to scored when its result is saved again', async () => {
        const store = await open(await fresh());
        await withRun(store);
        await store.saveRunResult(RUN_ID, result());
        await store.updateRun(RUN_ID, { status: 'watching', phase: 'watching DRILL-429c7b' });
        expect(await store.saveRunResult(RUN_ID, result())).toMatchObject({ status: 'watching', phase: 'watching DRILL-429c7b' });
      });

      it('lists runs newest first, filtered by vendor, status and start time', async () => {
        let clock = new Date('2026-11-01T00:00:00.000Z');
        const store = await open(await fresh(), () => clock);
        for (const [id, vendor, day] of [
          ['run_a', 'sandbox', 1],
          ['run_b', 'zendesk', 2],
          ['run_c', 'sandbox', 3],
        ] as const) {
          clock = new Date(Date.UTC(2026, 10, day));
          await store.createRun({ id, drill: 'freeze-midclass', provider: 'local', vendor });
        }
        await store.updateRun('run_a', { status: 'failed' });
        expect((await store.listRuns()).map((run) => run.id)).toEqual(['run_c', 'run_b', 'run_a']);
        expect((await store.listRuns({ vendor: 'sandbox' })).map((run) => run.id)).toEqual(['run_c', 'run_a']);
        expect((await store.listRuns({ status: 'created', since: '2026-11-02T00:00:00Z' })).map((run) => run.id)).toEqual(['run_c', 'run_b']);
        expect((await store.listRuns({ limit: 1 })).map((run) => run.id)).toEqual(['run_c']);
      });
    });

    describe('tickets', () => {
      // Added with the contract: the SQLite tests count the rows; here the same is seen through the interface.
      it('files once per run: beginning a filing again returns the first ticket, and the store lists one', async () => {
        const store = await open(await fresh());
        await withRun(store);
        const first = await store.beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b' });
        const second = await store.beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b' });
        expect(second.id).toBe(first.id);
        expect(second.state).toBe('filing');
        expect(await store.listTickets()).toHaveLength(1);
      });

      it('returns the filed ticket to a process that resumes filing after the vendor accepted it', async () => {
        const dir = await fresh();
        await filedTicket(await open(dir));
        const resumed = await (await open(dir)).beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b' });
        expect(resumed).toMatchObject({ state: 'open', vendorTicketId: 'SBX-1', filedAt: '2026-11-29T05:13:30.000Z' });
      });

      it('refuses a reference that already belongs to another run', async () => {
        const store = await open(await fresh());
        await filedTicket(store);
        await withRun(store, 'run_20261130T000000Z_000000');
        await expect(store.beginFiling('run_20261130T000000Z_000000', { vendor: 'sandbox', ref: 'DRILL-429c7b' })).rejects.toThrow(
          /reference DRILL-429c7b already belongs to run run_20261129T051246Z_429c7b/,
        );
      });

      it('refuses to record a second vendor ticket for a ticket already filed', async () => {
        const store = await open(await fresh());
        const ticket = await filedTicket(store);
        await expect(store.markFiled(ticket.id, { vendorTicketId: 'SBX-2', url: null, filedAt: new Date() })).rejects.toThrow(
          /already filed as SBX-1; refusing SBX-2/,
        );
      });

      it('keeps the reason a filing failed, and a later filing clears it', async () => {
        const store = await open(await fresh());
        await withRun(store);
        const ticket = await store.beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b' });
        expect(await store.markFilingFailed(ticket.id, new Error('connect ECONNREFUSED'))).toMatchObject({
          state: 'filing-failed',
          error: 'connect ECONNREFUSED',
          filingAttempts: 1,
          refileAt: null,
        });
        expect(await store.markFilingFailed(ticket.id, new Error('503'), { refileAt: '2026-11-30T00:05:00Z' })).toMatchObject({
          error: '503',
          filingAttempts: 2,
          refileAt: '2026-11-30T00:05:00.000Z',
        });
        const filed = await store.markFiled(ticket.id, { vendorTicketId: 'SBX-9', url: null, filedAt: '2026-11-30T00:00:00Z' });
        expect(filed).toMatchObject({ state: 'open', error: null, vendorTicketId: 'SBX-9', filingAttempts: 2, refileAt: null });
      });

      it('does not let a late filing error overwrite a ticket the vendor has', async () => {
        const store = await open(await fresh());
        const ticket = await filedTicket(store);
        expect(await store.markFilingFailed(ticket.id, 'timeout')).toMatchObject({ state: 'open', error: null });
      });

      it('lists open tickets only, the one due soonest first and never-polled ones before all', async () => {
        const store = await open(await fresh());
        const states = [
          ['run_1', 'open', '2026-11-29T06:00:00.000Z'],
          ['run_2', 'open', '2026-11-29T05:00:00.000Z'],
          ['run_3', 'open', null],
          ['run_4', 'resolved', null],
        ] as const;
        for (const [runId, state, nextPollAt] of states) {
          await withRun(store, runId);
          const ticket = await store.beginFiling(runId, { vendor: 'sandbox', ref: `DRILL-${runId}` });
          await store.markFiled(ticket.id, { vendorTicketId: runId, url: null, filedAt: '2026-11-29T04:00:00Z' });
          await store.updateTicket(ticket.id, { state, nextPollAt });
        }
        expect((await store.openTickets()).map((ticket) => ticket.runId)).toEqual(['run_3', 'run_2', 'run_1']);
        expect((await store.listTickets({ state: 'resolved' })).map((ticket) => ticket.runId)).toEqual(['run_4']);
      });

      it('keeps what the watcher writes on a ticket, timings as JSON', async () => {
        const dir = await fresh();
        const ticket = await filedTicket(await open(dir));
        await (await open(dir)).updateTicket(ticket.id, {
          cursor: 'evt-3',
          lastPolledAt: new Date('2026-11-29T05:14:00Z'),
          pollErrors: 2,
          vendorStatus: 'pending',
          timings: { firstResponseMs: 2000 } as StoredTimings,
          sla: { tier: 'mature', firstHumanResponse: 'met' } as StoredSlaVerdict,
        });
        expect(await (await open(dir)).getTicketByRef('DRILL-429c7b')).toMatchObject({
          cursor: 'evt-3',
          lastPolledAt: '2026-11-29T05:14:00.000Z',
          pollErrors: 2,
          vendorStatus: 'pending',
          timings: { firstResponseMs: 2000 },
          sla: { tier: 'mature', firstHumanResponse: 'met' },
        });
      });
    });

    describe('diagnoses', () => {
      const answerKey = {
        faults: [
          {
            index: 0, kind: 'video-freeze', participant: 'teacher', side: 'publisher' as const, media: ['video' as const], direction: 'send' as const,
            mechanism: 'no video frames sent', mechanisms: ['no-video-sent' as const], affected: ['student-1', 'student-2'],
            startedAt: '2026-11-29T05:13:00.000Z', endedAt: '2026-11-29T05:13:10.000Z',
          },
        ],
      };
      const range = { from: '2026-11-29T00:00:00Z', to: '2026-11-30T00:00:00Z' };

      it('keeps the diagnosis the watcher scores, and lists it with whether the run has an answer key, for the trial scorecard', async () => {
        const dir = await fresh();
        const store = await open(dir);
        await withRun(store);
        await store.saveRunResult(RUN_ID, result({ answerKey }));
        const ticket = await store.beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b' });
        await store.markFiled(ticket.id, { vendorTicketId: 'SBX-1', url: null, filedAt: '2026-11-29T05:13:30.000Z' });
        const diagnosis = { verdict: 'correct' as const, firstCorrectAt: '2026-11-29T05:15:35.000Z', firstCorrectMs: 125_000, usedOwnData: true };
        await store.updateTicket(ticket.id, { diagnosis });
        // A run from before answer keys, whose ticket has no diagnosis.
        await withRun(store, 'run_20261129T061246Z_0ld0ne');
        await store.saveRunResult('run_20261129T061246Z_0ld0ne', result({ runId: 'run_20261129T061246Z_0ld0ne', startedAt: '2026-11-29T06:12:46.000Z' }));
        await store.beginFiling('run_20261129T061246Z_0ld0ne', { vendor: 'sandbox', ref: 'DRILL-0ld0ne' });

        const again = await open(dir);
        expect((await again.getTicket(ticket.id))!.diagnosis).toEqual(diagnosis);
        const summaries = await again.runTicketSummaries(range);
        expect(summaries.map((s) => [s.runId, s.hasAnswerKey, s.ticket?.diagnosis ?? null])).toEqual([
          [RUN_ID, true, diagnosis],
          ['run_20261129T061246Z_0ld0ne', false, null],
        ]);
      });
    });

    describe('activities', () => {
      // Added with the contract: the SQLite tests count the rows; here the same is seen through the interface.
      it('records the same vendor activity once, returning the first copy the second time, and lists it once', async () => {
        const dir = await fresh();
        const ticket = await filedTicket(await open(dir));
        const first = await (await open(dir)).recordActivity(ticket.id, reply);
        const again = await (await open(dir)).recordActivity(ticket.id, { ...reply, kind: 'human', seenAt: '2026-11-29T05:20:00Z' });
        expect(first.inserted).toBe(true);
        expect(again).toEqual({ inserted: false, row: first.row });
        expect(await (await open(dir)).activities(ticket.id)).toEqual([first.row]);
      });

      it('keeps the classification and a one-line excerpt of the text', async () => {
        const store = await open(await fresh());
        const ticket = await filedTicket(store);
        const { row } = await store.recordActivity(ticket.id, { ...reply, requestsProvidedInfo: ['browser version'] });
        expect(row).toMatchObject({
          kind: 'auto',
          reasons: ['auto-submitted header'],
          authorRole: 'bot',
          at: '2026-11-29T05:13:32.000Z',
          seenAt: '2026-11-29T05:13:33.500Z',
          excerpt: 'We have received your request. A member of our team will reply soon.',
          requestsProvidedInfo: ['browser version'],
        });
      });

      it('lists activities in the vendor time order, whatever order they arrived in', async () => {
        const store = await open(await fresh());
        const ticket = await filedTicket(store);
        await store.recordActivity(ticket.id, { vendorActivityId: 'late', at: '2026-11-29T05:20:00Z', kind: 'resolution' });
        await store.recordActivity(ticket.id, { vendorActivityId: 'early', at: '2026-11-29T05:13:32Z', kind: 'auto' });
        await store.recordActivity(ticket.id, { vendorActivityId: 'solved', at: '2026-11-29T05:21:00Z', kind: null, statusChange: 'solved' });
        expect((await store.activities(ticket.id)).map((activity) => activity.vendorActivityId)).toEqual(['early', 'late', 'solved']);
      });
      it('keeps the questions a reply asks and whether it says the ticket was escalated', async () => {
        const store = await open(await fresh());
        const ticket = await filedTicket(store);
        const questions = [{ topic: 'logs' as const, text: 'Could you send the SDK log?', alreadyGiven: false }];
        const { row } = await store.recordActivity(ticket.id, { vendorActivityId: 'q', at: '2026-11-29T05:20:00Z', kind: 'human', questions, escalation: true });
        expect(row).toMatchObject({ questions, escalation: true });
        expect((await store.recordActivity(ticket.id, reply)).row).toMatchObject({ questions: [], escalation: false });
      });
    });

    describe('messages', () => {
      const due = '2026-11-29T05:30:00.000Z';
      const answer = { plan: 'answer:1', purpose: 'answer' as const, automatic: true, body: 'The channel is drill-429c7b.', dueAt: due };

      it('plans a message once per plan, numbering the keys from the ticket reference', async () => {
        const dir = await fresh();
        const ticket = await filedTicket(await open(dir));
        const first = await (await open(dir)).planMessage(ticket.id, answer);
        const again = await (await open(dir)).planMessage(ticket.id, { ...answer, body: 'another body' });
        const second = await (await open(dir)).planMessage(ticket.id, { plan: 'handoff:1', purpose: 'operator', automatic: false, dueAt: due });
        expect(first).toMatchObject({ inserted: true, row: { key: `${ticket.ref}/1`, state: 'planned', body: 'The channel is drill-429c7b.', attempts: 0 } });
        expect(again).toEqual({ inserted: false, row: first.row });
        // No body: a message that waits for the operator.
        expect(second.row).toMatchObject({ key: `${ticket.ref}/2`, state: 'needed', body: null });
        expect((await (await open(dir)).messages(ticket.id)).map((m) => m.plan)).toEqual(['answer:1', 'handoff:1']);
      });

      it('gives due messages by their due time, and a sending one (a cut-off attempt) once it is due again', async () => {
        const store = await open(await fresh());
        const ticket = await filedTicket(store);
        const { row } = await store.planMessage(ticket.id, answer);
        await store.planMessage(ticket.id, { ...answer, plan: 'later', dueAt: '2026-11-29T06:00:00Z' });
        await store.planMessage(ticket.id, { plan: 'handoff:1', purpose: 'operator', automatic: false, dueAt: due });
        expect(await store.dueMessages('2026-11-29T05:29:59Z')).toEqual([]);
        expect((await store.dueMessages('2026-11-29T05:30:00Z')).map((m) => m.plan)).toEqual(['answer:1']);
        expect(await store.beginSending(row.id)).toMatchObject({ began: true, row: { state: 'sending', attempts: 1 } });
        expect((await store.dueMessages('2026-11-29T05:31:00Z', ticket.id)).map((m) => m.state)).toEqual(['sending']);
        await store.updateMessage(row.id, { dueAt: '2026-11-29T05:40:00Z', error: '503' });
        expect(await store.dueMessages('2026-11-29T05:31:00Z')).toEqual([]);
        expect(await store.beginSending(row.id)).toMatchObject({ began: true, row: { attempts: 2, error: null } });
      });

      it("records a sent message and its customer activity together, once, and leaves what was sent as it is", async () => {
        const dir = await fresh();
        const store = await open(dir);
        const ticket = await filedTicket(store);
        const { row } = await store.planMessage(ticket.id, answer);
        await store.beginSending(row.id);
        const sent = { vendorMessageId: 'comment:77', at: '2026-11-29T05:30:02Z' };
        const first = await store.markMessageSent(row.id, sent, { authorName: 'supportdrill', authorRole: 'end-user', text: 'The channel is drill-429c7b.' });
        const again = await (await open(dir)).markMessageSent(row.id, sent, { authorName: 'supportdrill', authorRole: 'end-user', text: 'x' });
        expect(first.message).toMatchObject({ state: 'sent', vendorMessageId: 'comment:77', sentAt: '2026-11-29T05:30:02.000Z' });
        expect(first.activity).toMatchObject({ vendorActivityId: 'comment:77', kind: 'customer', authorRole: 'end-user', at: '2026-11-29T05:30:02.000Z' });
        expect(again.activity).toEqual(first.activity);
        expect((await store.activities(ticket.id)).filter((a) => a.kind === 'customer')).toHaveLength(1);
        expect(await store.beginSending(row.id)).toMatchObject({ began: false, row: { state: 'sent' } });
        expect(await store.updateMessage(row.id, { state: 'cancelled' })).toMatchObject({ state: 'sent' });
      });

      it('counts messages by ticket, vendor, author and state (what the caps read)', async () => {
        const store = await open(await fresh());
        const ticket = await filedTicket(store);
        await store.planMessage(ticket.id, answer);
        await store.planMessage(ticket.id, { ...answer, plan: 'follow-up:1', purpose: 'follow-up' });
        await store.planMessage(ticket.id, { plan: 'operator:1', purpose: 'operator', automatic: false, body: 'Call us', dueAt: due });
        const cancelled = await store.planMessage(ticket.id, { ...answer, plan: 'x' });
        await store.updateMessage(cancelled.row.id, { state: 'cancelled' });
        expect(await store.countMessages({ ticketId: ticket.id, automatic: true, states: ['planned', 'sending', 'sent'] })).toBe(2);
        expect(await store.countMessages({ vendor: ticket.vendor })).toBe(4);
        expect(await store.countMessages({ vendor: 'someone-else' })).toBe(0);
        expect(await store.countMessages({ ticketId: ticket.id, automatic: false })).toBe(1);
      });
    });

    describe('settings', () => {
      it('keeps a setting across reopening until it is removed', async () => {
        const dir = await fresh();
        await (await open(dir)).setSetting('paused', 'true');
        const store = await open(dir);
        expect(await store.getSetting('paused')).toBe('true');
        await store.setSetting('paused', null);
        expect(await store.getSetting('paused')).toBeNull();
      });
    });

    describe('effects and leases', () => {
      const KEY = 'scorecard-mail:run_1';

      it('lets one holder claim a side effect, and nobody do it again once done', async () => {
        const dir = await fresh();
        const a = await open(dir);
        const b = await open(dir);
        expect(await a.claimEffect(KEY, 'a', { staleAfterMs: 60_000 })).toEqual({ claimed: true, attempts: 1, takenOver: false });
        expect(await b.claimEffect(KEY, 'b', { staleAfterMs: 60_000 })).toEqual({ claimed: false, state: 'claimed', holder: 'a' });
        expect(await a.completeEffect(KEY, 'a', { messageId: '<m1@x>' })).toBe(true);
        expect(await b.claimEffect(KEY, 'b', { staleAfterMs: 0 })).toEqual({ claimed: false, state: 'done', holder: 'a' });
        expect(await b.getEffect(KEY)).toMatchObject({ key: KEY, state: 'done', holder: 'a', attempts: 1, detail: { messageId: '<m1@x>' } });
      });

      it('hands a stale claim over to another holder, which then redoes the effect', async () => {
        const dir = await fresh();
        let clock = new Date('2026-12-01T10:00:00.000Z');
        const a = await open(dir, () => clock);
        await a.claimEffect(KEY, 'a', { staleAfterMs: 60_000 });
        clock = new Date('2026-12-01T10:00:30.000Z');
        expect(await a.staleEffects('scorecard-mail:', 60_000)).toEqual([]);
        clock = new Date('2026-12-01T10:01:00.000Z');
        expect((await a.staleEffects('scorecard-mail:', 60_000)).map((e) => e.key)).toEqual([KEY]);
        expect(await a.staleEffects('reply:', 60_000)).toEqual([]);
        expect(await a.claimEffect(KEY, 'b', { staleAfterMs: 60_000 })).toEqual({ claimed: true, attempts: 2, takenOver: true });
        // The first holder, back from the dead, cannot mark done what it no longer holds.
        expect(await a.completeEffect(KEY, 'a')).toBe(false);
        expect(await a.completeEffect(KEY, 'b')).toBe(true);
      });

      it('frees a claim whose effect did not happen, for the next attempt', async () => {
        const store = await open(await fresh());
        await store.claimEffect(KEY, 'a', { staleAfterMs: 60_000 });
        await store.releaseEffect(KEY, 'b');
        expect(await store.getEffect(KEY)).toMatchObject({ state: 'claimed', holder: 'a' });
        await store.releaseEffect(KEY, 'a');
        expect(await store.getEffect(KEY)).toBeNull();
        expect(await store.claimEffect(KEY, 'b', { staleAfterMs: 60_000 })).toMatchObject({ claimed: true, attempts: 1 });
      });

      it('gives a lease to one holder at a time until it runs out or is released', async () => {
        const dir = await fresh();
        let clock = new Date('2026-12-01T10:00:00.000Z');
        const a = await open(dir, () => clock);
        expect(await a.acquireLease('poll:1', 'a', 10_000)).toBe(true);
        expect(await a.acquireLease('poll:1', 'b', 10_000)).toBe(false);
        expect(await a.acquireLease('poll:1', 'a', 10_000)).toBe(true);
        expect(await a.acquireLease('poll:2', 'b', 10_000)).toBe(true);
        clock = new Date('2026-12-01T10:00:10.000Z');
        expect(await a.acquireLease('poll:1', 'b', 10_000)).toBe(true);
        await a.releaseLease('poll:1', 'b');
        expect(await a.acquireLease('poll:1', 'a', 10_000)).toBe(true);
      });

      it('takes a probe write while it can write', async () => {
        const store = await open(await fresh());
        await expect(store.probeWrite()).resolves.toBeUndefined();
        expect(await store.ping()).toBe(true);
      });
    });
  });
}
