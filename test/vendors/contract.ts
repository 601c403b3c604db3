/**
 * The contract every vendor adapter keeps, as one suite each adapter's test calls with its own
 * environment (a temp desk, a mock server…): filing is findable and reused, activity comes back once,
 * timestamps are the vendor's, errors are clear.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FiledTicket, TicketDraft, TicketHandle, VendorActivity, VendorAdapter } from '../../src/vendors/adapter.ts';

export interface VendorTestEnv {
  /** A new adapter instance on the same backing state; a second call stands for a process restart. */
  adapter(): VendorAdapter;
  /**
   * Makes the vendor write at least two activities on the ticket and moves poll time past them (advance
   * a clock, post to a mock server…). Activities must be stamped before the poll time that follows.
   */
  produceActivity(ticket: FiledTicket): Promise<void> | void;
  /** The time the adapter polls at, as it sees it. */
  now(): Date;
  /** A ticket id of the vendor's shape that does not exist there. */
  missingTicketId: string;
  cleanup?(): Promise<void> | void;
}

export interface VendorContractOptions {
  kind: string;
  setup(): Promise<VendorTestEnv> | VendorTestEnv;
  /** Tests only this adapter needs, run inside the same `describe` with the same environment. */
  additionalTests?: (env: () => VendorTestEnv) => void;
}

let draftCounter = 0;

/** A plausible ticket for the contract: a unique run id and reference each call. */
export function contractDraft(): TicketDraft {
  const suffix = (0xc0de00 + ++draftCounter).toString(16).slice(-6);
  const runId = `run_20261129T051246Z_${suffix}`;
  const ref = `DRILL-${suffix}`;
  return {
    runId,
    ref,
    title: `[${ref}] The teacher's video froze for up to 12.2 s for both students during a live class`,
    body: `During a live class in room ${runId}, the students' view of the teacher's video froze at 13:13:00 (Asia/Shanghai).`,
    severity: 'high',
    attachments: [],
    facts: { ref, identifiers: [runId, 'student-1'], times: ['2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00)'], numbers: ['12.2 s'], providedInfo: ['timestamps'] },
    incidentAt: Date.parse('2026-11-29T05:13:00.793Z'),
  };
}

export function testVendor(options: VendorContractOptions): void {
  describe(`${options.kind} vendor contract`, () => {
    let env: VendorTestEnv;
    let opened: VendorAdapter[] = [];
    const adapter = () => {
      const instance = env.adapter();
      opened.push(instance);
      return instance;
    };
    const handle = (draft: TicketDraft, ticket: FiledTicket): TicketHandle => ({ runId: draft.runId, ref: draft.ref, vendorTicketId: ticket.vendorTicketId });

    beforeEach(async () => {
      env = await options.setup();
    });
    afterEach(async () => {
      for (const instance of opened) await instance.close?.();
      opened = [];
      await env.cleanup?.();
    });

    it('declares its kind and a positive default poll interval', () => {
      const vendor = adapter();
      expect(vendor.kind).toBe(options.kind);
      expect(vendor.defaultPollIntervalMs).toBeGreaterThan(0);
    });

    it("files a ticket under the vendor's own id, with its filing time", async () => {
      const pollTime = env.now();
      const ticket = await adapter().fileTicket(contractDraft());
      expect(ticket.vendorTicketId).not.toBe('');
      expect(ticket.reused).toBe(false);
      expect(ticket.filedAt).toBeInstanceOf(Date);
      expect(Math.abs(ticket.filedAt.getTime() - pollTime.getTime())).toBeLessThan(60_000);
    });

    it('findTicket after filing returns the same ticket, marked reused', async () => {
      const vendor = adapter();
      const draft = contractDraft();
      const ticket = await vendor.fileTicket(draft);
      const found = await vendor.findTicket({ runId: draft.runId, ref: draft.ref });
      expect(found).toEqual({ ...ticket, reused: true });
    });

    it('findTicket for a reference never filed returns null', async () => {
      const vendor = adapter();
      await vendor.fileTicket(contractDraft());
      const other = contractDraft();
      expect(await vendor.findTicket({ runId: other.runId, ref: other.ref })).toBeNull();
    });

    it('a restarted adapter finds the ticket filed before the restart', async () => {
      const draft = contractDraft();
      const ticket = await adapter().fileTicket(draft);
      const found = await adapter().findTicket({ runId: draft.runId, ref: draft.ref });
      expect(found?.vendorTicketId).toBe(ticket.vendorTicketId);
      expect(found?.filedAt.getTime()).toBe(ticket.filedAt.getTime());
    });

    it('activity comes back once per id across repeated fetches with the cursor', async () => {
      const vendor = adapter();
      const draft = contractDraft();
      const ticket = await vendor.fileTicket(draft);
      await env.produceActivity(ticket);
      const first = await vendor.fetchActivity(handle(draft, ticket));
      const again = await vendor.fetchActivity(handle(draft, ticket), first.cursor);
      await env.produceActivity(ticket);
      const later = await vendor.fetchActivity(handle(draft, ticket), again.cursor);
      const ids = [...first.activities, ...again.activities, ...later.activities].map((a) => a.vendorActivityId);
      expect(first.activities.length).toBeGreaterThanOrEqual(2);
      expect(again.activities).toEqual([]);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('activity without a cursor is all of it, oldest first', async () => {
      const vendor = adapter();
      const draft = contractDraft();
      const ticket = await vendor.fileTicket(draft);
      await env.produceActivity(ticket);
      const page = await vendor.fetchActivity(handle(draft, ticket));
      const times = page.activities.map((a) => a.at.getTime());
      expect(times.length).toBeGreaterThanOrEqual(2);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it("activity carries the vendor's timestamps, not the poll time", async () => {
      const vendor = adapter();
      const draft = contractDraft();
      const ticket = await vendor.fileTicket(draft);
      await env.produceActivity(ticket);
      const pollTime = env.now().getTime();
      const { activities } = await vendor.fetchActivity(handle(draft, ticket));
      expect(activities.length).toBeGreaterThan(0);
      for (const activity of activities as VendorActivity[]) {
        expect(activity.at.getTime()).toBeGreaterThanOrEqual(ticket.filedAt.getTime());
        expect(activity.at.getTime()).toBeLessThan(pollTime);
      }
    });

    it('a restarted adapter resumes from the cursor without repeating activity', async () => {
      const draft = contractDraft();
      const before = adapter();
      const ticket = await before.fileTicket(draft);
      await env.produceActivity(ticket);
      const seen = await before.fetchActivity(handle(draft, ticket));
      await before.close?.();
      const after = adapter();
      const resumed = await after.fetchActivity(handle(draft, ticket), seen.cursor);
      const all = await after.fetchActivity(handle(draft, ticket));
      expect(resumed.activities).toEqual([]);
      expect(all.activities.map((a) => a.vendorActivityId)).toEqual(seen.activities.map((a) => a.vendorActivityId));
    });

    it('fetching activity of a ticket the vendor does not have fails naming the ticket', async () => {
      const vendor = adapter();
      await vendor.fileTicket(contractDraft());
      const missing = { runId: 'run_20261129T000000Z_000000', ref: 'DRILL-000000', vendorTicketId: env.missingTicketId };
      await expect(vendor.fetchActivity(missing)).rejects.toThrow(`[supportdrill] [${options.kind}]`);
      await expect(vendor.fetchActivity(missing)).rejects.toThrow(env.missingTicketId);
    });

    options.additionalTests?.(() => env);
  });
}
