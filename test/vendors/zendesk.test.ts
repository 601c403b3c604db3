/**
 * The `zendesk` adapter against a test double of Zendesk (node:http on 127.0.0.1) that answers with
 * the documented Requests API payloads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import type { Store } from '../../src/store/store.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { Watcher } from '../../src/support/watcher.ts';
import { VendorRejectedError, VendorUnavailableError, type TicketDraft, type VendorAdapter } from '../../src/vendors/adapter.ts';
import zendesk, { VENDOR_NAME, type ZendeskOptions } from '../../src/vendors/zendesk.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';
import { startZendeskDouble, type ZendeskDouble } from '../doubles/zendesk-double.ts';
import { contractDraft, testVendor } from './contract.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const FILED = new Date('2026-11-29T06:00:00.000Z');
const at = (ms: number) => new Date(FILED.getTime() + ms);

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-zendesk-'));
  dirs.push(dir);
  return dir;
}

let desk: ZendeskDouble;
const adapters: VendorAdapter[] = [];
beforeEach(async () => {
  desk = await startZendeskDouble();
  desk.setNow(FILED);
  process.env.SUPPORTDRILL_TEST_ZENDESK_TOKEN = desk.token;
});
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.close?.();
  await desk.stop();
  delete process.env.SUPPORTDRILL_TEST_ZENDESK_TOKEN;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const entry = (extra: Partial<ZendeskOptions> = {}): ZendeskOptions => ({
  url: desk.url,
  email: desk.email,
  token: { env: 'SUPPORTDRILL_TEST_ZENDESK_TOKEN' },
  ...extra,
});

function open(extra: Partial<ZendeskOptions> = {}): VendorAdapter {
  const adapter = zendesk(entry(extra), { dataDir: tempDir(), vendorName: 'acme-desk' });
  adapters.push(adapter);
  return adapter;
}

async function filed(draft: TicketDraft = contractDraft()) {
  const adapter = open();
  const ticket = await adapter.fileTicket(draft);
  const handle = { runId: draft.runId, ref: draft.ref, vendorTicketId: ticket.vendorTicketId };
  return { adapter, ticket, handle, id: Number(ticket.vendorTicketId) };
}

testVendor({
  kind: VENDOR_NAME,
  setup() {
    let now = FILED.getTime();
    return {
      adapter: () => zendesk(entry(), { dataDir: tempDir(), vendorName: 'acme-desk' }),
      produceActivity(ticket) {
        const id = Number(ticket.vendorTicketId);
        desk.addComment(id, { author: desk.agent, body: 'Looking into it.', at: new Date(now + 10 * SECOND) });
        desk.addComment(id, { author: desk.agent, body: 'Still looking.', at: new Date(now + 20 * SECOND) });
        now += MINUTE;
        desk.setNow(new Date(now));
      },
      now: () => new Date(now),
      missingTicketId: '999999',
      attachmentsOf(ticket, sent) {
        const comment = desk.comments.get(Number(ticket.vendorTicketId))?.find((c) => `comment:${c.id}` === sent.vendorMessageId);
        return comment?.attachments.map((a) => a.file_name) ?? [];
      },
    };
  },
});

describe('zendesk adapter: filing', () => {
  it("files through POST /api/v2/requests with the tagged subject, the body and the severity's priority", async () => {
    const draft = { ...contractDraft(), severity: 'urgent' as const };
    const { ticket, id } = await filed(draft);
    expect(desk.requests.get(id)).toMatchObject({ subject: draft.title, description: draft.body, priority: 'urgent' });
    expect(ticket).toEqual({ vendorTicketId: '5521', url: `${desk.url}/hc/requests/5521`, filedAt: FILED, reused: false });
  });

  it('uploads evidence through /api/v2/uploads and attaches the tokens, leaving out what exceeds the cap', async () => {
    const dir = tempDir();
    const file = (name: string, bytes: number) => {
      writeFileSync(join(dir, name), Buffer.alloc(bytes, 7));
      return { filename: name, path: join(dir, name), contentType: name.endsWith('.png') ? 'image/png' : 'application/json' };
    };
    const draft = { ...contractDraft(), attachments: [file('timeline.json', 3000), file('chart.png', 2000), file('screenshot-after.png', 9000)] };
    const adapter = open({ maxAttachmentBytes: 6000 });
    const { vendorTicketId } = await adapter.fileTicket(draft);
    const request = desk.requests.get(Number(vendorTicketId))!;
    expect(request.uploads.map((t) => desk.uploads.get(t))).toEqual([
      { filename: 'timeline.json', contentType: 'application/json', bytes: 3000 },
      { filename: 'chart.png', contentType: 'image/png', bytes: 2000 },
    ]);
    expect(request.description).toContain('- screenshot-after.png (9 KB)');
  });

  it('finds a request by its reference tag through search, following offset pagination', async () => {
    const adapter = open();
    const draft = contractDraft();
    // Two earlier requests that mention the tag in their text fill search's first page.
    for (let i = 0; i < 2; i++) await adapter.fileTicket({ ...contractDraft(), body: `Like ${draft.ref}, the video froze.` });
    const mine = await adapter.fileTicket(draft);
    desk.calls.length = 0;
    desk.failNext(200, {}, { requests: [], next_page: null, count: 0 }); // the recent list shows none of them
    const found = await adapter.findTicket({ runId: draft.runId, ref: draft.ref });
    expect(found).toEqual({ ...mine, reused: true });
    expect(desk.calls.filter((c) => c.startsWith('GET /api/v2/requests/search'))).toHaveLength(2);
  });

  it('finds a just-filed request that the search index does not show yet', async () => {
    const draft = contractDraft();
    const { ticket } = await filed(draft);
    desk.searchLag = true;
    expect(await open().findTicket({ runId: draft.runId, ref: draft.ref })).toEqual({ ...ticket, reused: true });
  });

  it('a crash between "sent" and "recorded" finds the request instead of filing a second', async () => {
    const { config } = ticketProject({ 'acme-desk': { adapter: 'zendesk', ...entry() } });
    const store = await openStore(config.dataDir);
    const pool = new AdapterPool(config);
    try {
      const result = await savedRun(store, contractDraft().runId);
      const draft = renderTicket({ result, drill: { name: result.drill, description: 'Teacher video freezes' }, vendorTimezone: 'Asia/Shanghai', evidenceDir: '/nonexistent' });
      const watchUntil = new Date(Date.now() + HOUR);
      await store.beginFiling(draft.runId, { vendor: 'acme-desk', ref: draft.ref, watchUntil });
      const sent = await pool.get('acme-desk').fileTicket(draft); // the process "dies" here, before markFiled
      const { ticket, reused } = await fileTicketOnce({ store, adapter: pool.get('acme-desk'), vendor: 'acme-desk', draft, watchUntil });
      expect([reused, ticket.vendorTicketId]).toEqual([true, sent.vendorTicketId]);
      expect(desk.calls.filter((c) => c.startsWith('POST /api/v2/requests'))).toHaveLength(1);
    } finally {
      await pool.close();
      await store.close();
    }
  });
});

describe('zendesk adapter: activity', () => {
  it("an agent account's comment added by a trigger (via rule) is automated", async () => {
    const { adapter, handle, id } = await filed();
    desk.addComment(id, { author: desk.automationAccount, body: 'Your request (5521) has been received.', at: at(30 * SECOND), channel: 'rule', rel: 'trigger' });
    const [activity] = (await adapter.fetchActivity(handle)).activities;
    expect(activity).toMatchObject({ authorRole: 'agent', automated: true, at: at(30 * SECOND) });
  });

  it('a comment flagged as automatically generated is automated', async () => {
    const { adapter, handle, id } = await filed();
    desk.addComment(id, { author: desk.agent, body: 'We have not heard from you.', at: at(HOUR), channel: 'web', flags: [4] });
    expect((await adapter.fetchActivity(handle)).activities[0]?.automated).toBe(true);
  });

  it("an agent's own comment is not automated", async () => {
    const { adapter, handle, id } = await filed();
    desk.addComment(id, { author: desk.agent, body: 'Which camera?', at: at(HOUR) });
    expect((await adapter.fetchActivity(handle)).activities[0]).toMatchObject({ authorName: 'Alex Chen', authorRole: 'agent', text: 'Which camera?' });
    expect((await adapter.fetchActivity(handle)).activities[0]?.automated).toBeUndefined();
  });

  it("the customer's own comments are not vendor activity", async () => {
    const { adapter, handle, id } = await filed();
    desk.addComment(id, { author: desk.customer, body: 'Any update?', at: at(HOUR) });
    expect((await adapter.fetchActivity(handle)).activities).toEqual([]);
  });

  it("a solved request is a status change at the vendor's time, reported once", async () => {
    const { adapter, handle, id } = await filed();
    desk.setStatus(id, 'solved', at(5 * HOUR + 7 * SECOND));
    const page = await adapter.fetchActivity(handle);
    expect(page.activities).toEqual([{ vendorActivityId: 'status:solved', at: at(5 * HOUR + 7 * SECOND), statusChange: 'solved' }]);
    expect(page.status).toBe('solved');
    expect((await adapter.fetchActivity(handle, page.cursor)).activities).toEqual([]);
  });

  it('follows cursor pagination through every page of comments', async () => {
    const { adapter, handle, id } = await filed();
    for (let i = 1; i <= 5; i++) desk.addComment(id, { author: desk.agent, body: `Update ${i}`, at: at(i * MINUTE) });
    const { activities } = await adapter.fetchActivity(handle);
    expect(activities.map((a) => a.text)).toEqual(['Update 1', 'Update 2', 'Update 3', 'Update 4', 'Update 5']);
    expect(desk.calls.filter((c) => c.includes('/comments')).length).toBeGreaterThanOrEqual(3);
  });

  it('a request id of another shape is refused', async () => {
    await expect(open().fetchActivity({ runId: 'r', ref: 'DRILL-000000', vendorTicketId: 'SBX-1001' })).rejects.toThrow(
      "[supportdrill] [zendesk] 'SBX-1001' is not a Zendesk request id",
    );
  });
});

describe('zendesk adapter: incremental reading', () => {
  /** A request with the description and five agent comments: three pages of two for the double. */
  async function withFiveUpdates() {
    const setup = await filed();
    for (let i = 1; i <= 5; i++) desk.addComment(setup.id, { author: desk.agent, body: `Update ${i}`, at: at(i * MINUTE) });
    return setup;
  }

  it('after the first full read, a poll with no new comments downloads none of them again', async () => {
    const { adapter, handle } = await withFiveUpdates();
    const first = await adapter.fetchActivity(handle);
    expect(desk.commentsServed).toBe(6);
    const served = desk.commentsServed;
    expect((await adapter.fetchActivity(handle, first.cursor)).activities).toEqual([]);
    expect(desk.commentsServed - served).toBe(0);
  });

  it('a poll after new comments downloads only those, across pages', async () => {
    const { adapter, handle, id } = await withFiveUpdates();
    const first = await adapter.fetchActivity(handle);
    const served = desk.commentsServed;
    for (let i = 6; i <= 8; i++) desk.addComment(id, { author: desk.agent, body: `Update ${i}`, at: at(i * MINUTE) });
    const next = await adapter.fetchActivity(handle, first.cursor);
    expect(next.activities.map((a) => a.text)).toEqual(['Update 6', 'Update 7', 'Update 8']);
    expect(desk.commentsServed - served).toBe(3);
    const again = await adapter.fetchActivity(handle, next.cursor);
    expect(again.activities).toEqual([]);
    expect(desk.commentsServed - served).toBe(3);
  });

  it("a cursor the previous version stored (<last comment id>:<statuses>) still works, and is carried on in the new form", async () => {
    const { adapter, handle, id } = await withFiveUpdates();
    const third = desk.comments.get(id)![3]!; // the description, then Update 1, 2, 3
    desk.setStatus(id, 'solved', at(HOUR));
    const page = await adapter.fetchActivity(handle, `${third.id}:solved`);
    expect(page.activities.map((a) => a.text ?? a.statusChange)).toEqual(['Update 4', 'Update 5']);
    const served = desk.commentsServed;
    expect((await adapter.fetchActivity(handle, page.cursor)).activities).toEqual([]);
    expect(desk.commentsServed - served).toBe(0);
  });

  it('an old cursor with no statuses is accepted too', async () => {
    const { adapter, handle } = await withFiveUpdates();
    expect((await adapter.fetchActivity(handle, '0:')).activities.map((a) => a.text)).toEqual(['Update 1', 'Update 2', 'Update 3', 'Update 4', 'Update 5']);
  });

  it('a position the desk no longer accepts falls back to one full read, without repeating what was seen', async () => {
    const { adapter, handle, id } = await withFiveUpdates();
    const first = await adapter.fetchActivity(handle);
    desk.addComment(id, { author: desk.agent, body: 'Update 6', at: at(6 * MINUTE) });
    const stale = first.cursor!.replace(/[^:]*$/, Buffer.from('123').toString('base64url'));
    const page = await adapter.fetchActivity(handle, stale);
    expect(page.activities.map((a) => a.text)).toEqual(['Update 6']);
    const served = desk.commentsServed;
    expect((await adapter.fetchActivity(handle, page.cursor)).activities).toEqual([]);
    expect(desk.commentsServed - served).toBe(0);
  });

  it('a cursor the adapter never gave out is refused', async () => {
    const { adapter, handle } = await filed();
    await expect(adapter.fetchActivity(handle, 'page-7')).rejects.toThrow("[supportdrill] [zendesk] cursor 'page-7' was not given out by the zendesk adapter");
  });
});

describe('zendesk adapter: refusals and rate limits', () => {
  it('a 429 with Retry-After is a temporary failure that says when to retry', async () => {
    const { adapter, handle } = await filed();
    desk.failNext(429, { 'retry-after': '7' }, { error: 'TooManyRequests' });
    const error = await adapter.fetchActivity(handle).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect((error as VendorUnavailableError).retryAfterMs).toBe(7000);
    expect((error as Error).message).toBe(`[supportdrill] [zendesk] rate limited by ${desk.url} (429); retry after 7 s`);
  });

  it('after a 429 the adapter sends nothing until Retry-After has passed', async () => {
    const { adapter, handle } = await filed();
    desk.failNext(429, { 'retry-after': '30' });
    await adapter.fetchActivity(handle).catch(() => undefined);
    const before = desk.calls.length;
    await expect(adapter.fetchActivity(handle)).rejects.toBeInstanceOf(VendorUnavailableError);
    expect(desk.calls.length).toBe(before);
  });

  it('rate-limit headers showing nothing left hold the next call until the reset', async () => {
    const { adapter, handle } = await filed();
    desk.alwaysHeaders = { 'ratelimit-remaining': '0', 'ratelimit-reset': '42' };
    desk.calls.length = 0;
    const error = await adapter.fetchActivity(handle).then(() => null, (e: unknown) => e);
    expect(desk.calls).toEqual(['GET /api/v2/requests/5521.json']);
    expect((error as VendorUnavailableError).retryAfterMs).toBeGreaterThan(40_000);
  });

  it('a 408, 409 or 5xx is the desk\'s moment (retry later); another 4xx is a refusal', async () => {
    const { adapter, handle } = await filed();
    for (const status of [408, 409, 425, 500, 503]) {
      desk.failNext(status);
      expect(await adapter.fetchActivity(handle).then(() => null, (e: unknown) => e)).toBeInstanceOf(VendorUnavailableError);
    }
    desk.failNext(422, {}, { error: 'RecordInvalid' });
    expect(await adapter.fetchActivity(handle).then(() => null, (e: unknown) => e)).toBeInstanceOf(VendorRejectedError);
  });

  it('a 401 is refused with a message naming the options, never the token', async () => {
    process.env.SUPPORTDRILL_TEST_WRONG = 'wrong-token-abc';
    try {
      const adapter = open({ token: { env: 'SUPPORTDRILL_TEST_WRONG' } });
      const error = (await adapter.fileTicket(contractDraft()).then(() => null, (e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(VendorRejectedError);
      expect(error.message).toBe(
        `[supportdrill] [zendesk] ${desk.url} refused ${desk.email} (401: Couldn't authenticate you) on POST /api/v2/requests.json. ` +
          'Check vendors.acme-desk.email and vendors.acme-desk.token (an API token of the desk, with token access enabled). ' +
          'Watching this vendor stops until that is fixed.',
      );
      expect(error.message).not.toContain('wrong-token-abc');
    } finally {
      delete process.env.SUPPORTDRILL_TEST_WRONG;
    }
  });

  it('a 401 while watching stops watching the ticket with the reason', async () => {
    const { config } = ticketProject({ 'acme-desk': { adapter: 'zendesk', ...entry() } });
    const store = await openStore(config.dataDir);
    const pool = new AdapterPool(config);
    try {
      const result = await savedRun(store, contractDraft().runId);
      const draft = renderTicket({ result, drill: { name: result.drill, description: 'd' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
      const { ticket } = await fileTicketOnce({ store, adapter: pool.get('acme-desk'), vendor: 'acme-desk', draft, watchUntil: new Date(Date.now() + HOUR) });
      desk.failNext(401, {}, { error: "Couldn't authenticate you" });
      const polled = await new Watcher({ store, config, adapterFor: (n) => pool.get(n) }).poll(ticket);
      expect(polled.state).toBe('stopped');
      expect(polled.error).toContain('refused trial@school.example (401');
    } finally {
      await pool.close();
      await store.close();
    }
  });
});

describe('zendesk adapter: a ticket watched to resolution', () => {
  let config: Config;
  let store: Store;
  let pool: AdapterPool;

  beforeEach(async () => {
    ({ config } = ticketProject({ 'acme-desk': { adapter: 'zendesk', ...entry() } }));
    store = await openStore(config.dataDir);
    pool = new AdapterPool(config);
  });
  afterEach(async () => {
    await pool.close();
    await store.close();
  });

  it("times first response, first human, substantive and resolution from Zendesk's timestamps, to the second", async () => {
    const result = await savedRun(store, contractDraft().runId);
    const draft = renderTicket({ result, drill: { name: result.drill, description: 'd' }, vendorTimezone: 'Asia/Shanghai', evidenceDir: '/nonexistent' });
    const { ticket } = await fileTicketOnce({ store, adapter: pool.get('acme-desk'), vendor: 'acme-desk', draft, watchUntil: new Date(Date.now() + 3 * 24 * HOUR) });
    const id = Number(ticket.vendorTicketId);
    const room = result.identifiers.room;
    desk.addComment(id, { author: desk.automationAccount, body: 'Your request (5521) has been received and is being reviewed by our support staff.', at: at(12 * SECOND), channel: 'rule', rel: 'trigger' });
    desk.addComment(id, { author: desk.agent, body: 'Hello,\n\nPlease check your network connection and make sure it is stable, then restart the app and rejoin the class.\n\nAlex', at: at(20 * MINUTE + 5 * SECOND) });
    desk.addComment(id, { author: desk.customer, body: 'The network was fine; see the timeline.', at: at(30 * MINUTE) });
    desk.addComment(id, { author: desk.agent, body: `Hi,\n\nI checked room ${room}: the teacher's frames stopped reaching the students for 12.2 s. Did the teacher's own preview stop too?\n\nAlex`, at: at(2 * HOUR + 3 * SECOND) });
    desk.setStatus(id, 'solved', at(26 * HOUR + 9 * SECOND));
    const watcher = new Watcher({ store, config, adapterFor: (n) => pool.get(n), jitter: () => 1 });
    const polled = await watcher.poll((await store.getTicket(ticket.id))!);
    expect((await store.activities(ticket.id)).map((a) => a.kind ?? `status ${a.statusChange}`)).toEqual(['auto', 'canned', 'human', 'status solved']);
    expect(polled.state).toBe('resolved');
    expect(polled.timings).toMatchObject({
      firstResponseMs: 12 * SECOND,
      firstHumanResponseMs: 20 * MINUTE + 5 * SECOND,
      firstSubstantiveResponseMs: 2 * HOUR + 3 * SECOND,
      resolutionMs: 26 * HOUR + 9 * SECOND,
    });
  });
});

describe('zendesk options', () => {
  const context = () => ({ dataDir: tempDir(), vendorName: 'acme-desk' });

  it('neither a token nor a password is refused, naming the field', () => {
    expect(() => zendesk({ url: 'https://acme.zendesk.com', email: 'trial@school.example' }, context())).toThrow(
      "[supportdrill] [zendesk] vendors.acme-desk.token: give an API token, token: env('ZENDESK_TOKEN'), or a password",
    );
  });

  it('a URL that is not http(s) is refused', () => {
    expect(() => zendesk({ url: 'acme.zendesk.com', email: 'trial@school.example', token: 'x' }, context())).toThrow(
      "vendors.acme-desk.url: expected the help desk's base URL, e.g. 'https://acme.zendesk.com'",
    );
  });

  it('a mistyped option is refused with a suggestion', () => {
    expect(() => zendesk({ url: 'https://acme.zendesk.com', email: 'trial@school.example', tokn: 'x' } as never, context())).toThrow(
      "vendors.acme-desk.tokn: unknown option (did you mean 'token'?)",
    );
  });
});
