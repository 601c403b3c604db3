/**
 * The contract every vendor adapter keeps, as one suite each adapter's test calls with its own
 * environment (a temp desk, a mock server…): filing is findable and reused, activity comes back once,
 * timestamps are the vendor's, errors are clear.
 *
 * Adapters that write back (`reply` and `findReply`) also keep the replies section: a reply is found
 * again by its key, also by a restarted adapter; a key never sent is not found, nor mistaken for a
 * longer one; our own replies never come back as activity; a reply can carry a file. An adapter
 * without `reply` skips that section, so it applies the day the adapter gains it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import type { FiledTicket, OutgoingMessage, SentMessage, TicketDraft, TicketHandle, VendorActivity, VendorAdapter } from '../../src/vendors/adapter.ts';

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
  /**
   * The file names the vendor holds on a message we sent, where the test can look (the desk's
   * records, the received e-mail); without it the replies section checks only that a reply with a
   * file is sent and found again.
   */
  attachmentsOf?(ticket: FiledTicket, sent: SentMessage): Promise<string[]> | string[];
  cleanup?(): Promise<void> | void;
}

export interface VendorContractOptions {
  kind: string;
  setup(): Promise<VendorTestEnv> | VendorTestEnv;
  /** Tests only this adapter needs, run inside the same `describe` with the same environment. */
  additionalTests?: (env: () => VendorTestEnv) => void;
}

let draftCounter = 0;

/**
 * A message of ours as the conversation writes it: its key `<ref>/<n>`, and the body's last line
 * carrying the reference and the key.
 */
export function contractMessage(ref: string, n: number, attachments: OutgoingMessage['attachments'] = []): OutgoingMessage {
  const key = `${ref}/${n}`;
  return {
    key,
    body: `Hello,\n\nThe channel is the one named in the ticket; the SDK log from the teacher's machine is attached.\n\nOur reference: [${ref}] (${key})`,
    attachments,
  };
}

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

    describe('replies (adapters with reply and findReply)', () => {
      const files: string[] = [];
      afterEach(() => {
        for (const dir of files.splice(0)) rmSync(dir, { recursive: true, force: true });
      });

      /** A ticket the vendor has answered, its activity read up to a cursor; skips the test for an adapter that cannot reply. */
      async function conversation(context: TestContext) {
        const vendor = adapter();
        if (!vendor.reply || !vendor.findReply) return context.skip('the adapter has no reply');
        const draft = contractDraft();
        const ticket = await vendor.fileTicket(draft);
        await env.produceActivity(ticket);
        const seen = await vendor.fetchActivity(handle(draft, ticket));
        const reply = vendor.reply.bind(vendor);
        const findReply = vendor.findReply.bind(vendor);
        return { vendor, draft, ticket, handle: handle(draft, ticket), seen, reply, findReply };
      }

      it('a reply is found again by its key, with the same id, also by a restarted adapter', async (context) => {
        const { draft, handle: on, reply, findReply } = await conversation(context);
        const sent = await reply(on, contractMessage(draft.ref, 1));
        expect(sent.vendorMessageId).not.toBe('');
        expect(Number.isNaN(sent.at.getTime())).toBe(false);
        const found = await findReply(on, `${draft.ref}/1`);
        expect(found?.vendorMessageId).toBe(sent.vendorMessageId);
        expect(found?.at.getTime()).toBe(sent.at.getTime());
        const restarted = adapter();
        expect((await restarted.findReply!(on, `${draft.ref}/1`))?.vendorMessageId).toBe(sent.vendorMessageId);
      });

      it('a key never sent is not found, even beside a longer key that starts with it', async (context) => {
        const { draft, handle: on, reply, findReply } = await conversation(context);
        expect(await findReply(on, `${draft.ref}/1`)).toBeNull();
        await reply(on, contractMessage(draft.ref, 10));
        expect(await findReply(on, `${draft.ref}/1`)).toBeNull();
        expect(await findReply(on, `${draft.ref}/2`)).toBeNull();
      });

      it('our reply never comes back from fetchActivity, before or after a cursor', async (context) => {
        const { vendor, draft, ticket, handle: on, seen, reply } = await conversation(context);
        const sent = await reply(on, contractMessage(draft.ref, 1));
        const ids = (page: { activities: VendorActivity[] }) => page.activities.map((a) => a.vendorActivityId);
        expect(ids(await vendor.fetchActivity(on))).not.toContain(sent.vendorMessageId);
        expect(ids(await vendor.fetchActivity(on, seen.cursor))).not.toContain(sent.vendorMessageId);
        await env.produceActivity(ticket);
        expect(ids(await vendor.fetchActivity(on, seen.cursor))).not.toContain(sent.vendorMessageId);
        expect(ids(await adapter().fetchActivity(on))).not.toContain(sent.vendorMessageId);
      });

      it('a reply with a file attached is sent and found again', async (context) => {
        const { draft, ticket, handle: on, reply, findReply } = await conversation(context);
        const dir = mkdtempSync(join(tmpdir(), 'supportdrill-contract-'));
        files.push(dir);
        const path = join(dir, 'sdk-log-teacher.txt');
        writeFileSync(path, 'AgoraRTC 4.24.0 [INFO] join success\n'.repeat(50));
        const sent = await reply(on, contractMessage(draft.ref, 1, [{ filename: 'sdk-log-teacher.txt', path, contentType: 'text/plain' }]));
        expect((await findReply(on, `${draft.ref}/1`))?.vendorMessageId).toBe(sent.vendorMessageId);
        if (env.attachmentsOf) expect(await env.attachmentsOf(ticket, sent)).toContain('sdk-log-teacher.txt');
      });
    });

    options.additionalTests?.(() => env);
  });
}
