/**
 * The `zendesk` adapter writing back as the end user — `reply`, `findReply`, `markSolved` — against
 * the test double of Zendesk (node:http on 127.0.0.1): the calls' exact shape, a comment found again
 * after its answer was lost (never posted twice), Zendesk's rules on solved and closed requests, and
 * the hardening of every other call (redirects, refusals, hostile answers) on these calls too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VendorRejectedError, VendorUnavailableError, type OutgoingMessage, type TicketDraft, type TicketHandle, type VendorAdapter, type VendorFactory } from '../../src/vendors/adapter.ts';
import zendesk, { zendeskWith, type ZendeskOptions } from '../../src/vendors/zendesk.ts';
import { startZendeskDouble, type DoubleComment, type HostileMode, type ZendeskDouble } from '../doubles/zendesk-double.ts';
import { contractDraft, contractMessage } from './contract.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const FILED = new Date('2026-11-29T06:00:00.000Z');
const at = (ms: number) => new Date(FILED.getTime() + ms);

let desk: ZendeskDouble;
const dirs: string[] = [];
const adapters: VendorAdapter[] = [];
beforeEach(async () => {
  desk = await startZendeskDouble({ slowMs: 50, hugeBytes: 9 * 1024 * 1024 });
  desk.setNow(FILED);
  process.env.SUPPORTDRILL_TEST_ZENDESK_TOKEN = desk.token;
});
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.close?.();
  await desk.stop();
  delete process.env.SUPPORTDRILL_TEST_ZENDESK_TOKEN;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-zendesk-reply-'));
  dirs.push(dir);
  return dir;
}

const entry = (extra: Partial<ZendeskOptions> = {}): ZendeskOptions => ({ url: desk.url, email: desk.email, token: { env: 'SUPPORTDRILL_TEST_ZENDESK_TOKEN' }, ...extra });

/** An adapter with all three writing methods, which the `zendesk` adapter always has. */
type Writer = VendorAdapter & Required<Pick<VendorAdapter, 'reply' | 'findReply' | 'markSolved'>>;

function open(extra: Partial<ZendeskOptions> = {}, factory: VendorFactory<ZendeskOptions> = zendesk): Writer {
  const adapter = factory(entry(extra), { dataDir: tempDir(), vendorName: 'acme-desk' });
  adapters.push(adapter);
  if (!adapter.reply || !adapter.findReply || !adapter.markSolved) throw new Error('the zendesk adapter lost reply, findReply or markSolved');
  return adapter as Writer;
}

async function filed(draft: TicketDraft = contractDraft()) {
  const adapter = open();
  const ticket = await adapter.fileTicket(draft);
  const handle: TicketHandle = { runId: draft.runId, ref: draft.ref, vendorTicketId: ticket.vendorTicketId };
  return { adapter, handle, id: Number(ticket.vendorTicketId) };
}

function file(name: string, bytes: number, contentType: string) {
  const path = join(tempDir(), name);
  writeFileSync(path, Buffer.alloc(bytes, 7));
  return { filename: name, path, contentType };
}

/** Our comments on the request that carry the message's key: exactly one when it was sent once. */
const ours = (id: number, message: OutgoingMessage): DoubleComment[] =>
  desk.comments.get(id)!.filter((c) => c.author_id === desk.customer.id && c.body.includes(`(${message.key})`));

/** The request as the desk showed it a moment ago, for a test that makes the desk's state change between two calls. */
const requestAnswer = (id: number, extra: Record<string, unknown> = {}) => ({
  request: { id, subject: `request ${id}`, status: 'open', created_at: FILED.toISOString(), updated_at: FILED.toISOString(), requester_id: desk.customer.id, ...extra },
});

const settle = <T>(promise: Promise<T>): Promise<T | Error> => promise.then((value) => value, (error: unknown) => error as Error);
const writesOf = (method: string) => desk.calls.filter((c) => c.startsWith(`${method} `));

describe('zendesk adapter: reply', () => {
  it("uploads each file, then PUTs the comment with their tokens, and returns the comment's id and time", async () => {
    const { adapter, handle, id } = await filed();
    desk.addComment(id, { author: desk.agent, body: 'Could you please send us the SDK log?', at: at(10 * MINUTE) });
    desk.setNow(at(HOUR));
    const message = contractMessage(handle.ref, 1, [file('sdk-log-teacher.txt', 3000, 'text/plain'), file('chart.png', 2000, 'image/png')]);
    desk.calls.length = 0;
    desk.writes.length = 0;
    const sent = await adapter.reply(handle, message);
    expect(desk.calls[0]).toBe(`GET /api/v2/requests/${id}.json`);
    expect(desk.calls.filter((c) => !c.startsWith('GET '))).toEqual([
      'POST /api/v2/uploads.json?filename=sdk-log-teacher.txt',
      'POST /api/v2/uploads.json?filename=chart.png',
      `PUT /api/v2/requests/${id}.json`,
    ]);
    expect(desk.writes).toEqual([{ call: `PUT /api/v2/requests/${id}`, body: { request: { comment: { body: message.body, uploads: ['upload-1', 'upload-2'] } } } }]);
    const [comment] = ours(id, message);
    expect(sent).toEqual({ vendorMessageId: `comment:${comment!.id}`, at: at(HOUR) });
    expect(comment).toMatchObject({ author_id: desk.customer.id, public: true, body: message.body });
    expect(comment!.attachments.map((a) => [a.file_name, a.content_type, a.size])).toEqual([
      ['sdk-log-teacher.txt', 'text/plain', 3000],
      ['chart.png', 'image/png', 2000],
    ]);
  });

  it('a reply without files sends the comment alone, with no uploads', async () => {
    const { adapter, handle, id } = await filed();
    desk.writes.length = 0;
    const message = contractMessage(handle.ref, 1);
    await adapter.reply(handle, message);
    expect(writesOf('POST')).toEqual(['POST /api/v2/requests.json']); // the filing only
    expect(desk.writes).toEqual([{ call: `PUT /api/v2/requests/${id}`, body: { request: { comment: { body: message.body } } } }]);
  });

  it('files over maxAttachmentBytes are left out and listed, above the reference line, which stays last', async () => {
    const { handle, id } = await filed();
    const message = contractMessage(handle.ref, 1, [file('sdk-log-teacher.txt', 3000, 'text/plain'), file('screenshot-after.png', 9000, 'image/png')]);
    await open({ maxAttachmentBytes: 6000 }).reply(handle, message);
    const [comment] = ours(id, message);
    expect(comment!.attachments.map((a) => a.file_name)).toEqual(['sdk-log-teacher.txt']);
    expect(comment!.body).toContain('Not attached (over the 6 KB attachment limit or unreadable); available on request:\n- screenshot-after.png (9 KB)');
    expect(comment!.body.split('\n').at(-1)).toBe(`Our reference: [${handle.ref}] (${message.key})`);
    expect(comment!.body.startsWith('Hello,\n\nThe channel is the one named in the ticket')).toBe(true);
  });

  it('a comment on a solved request reopens it at the desk (a close-out goes before solving)', async () => {
    const { adapter, handle, id } = await filed();
    desk.addComment(id, { author: desk.agent, body: 'Fixed in 4.24.1.', at: at(HOUR) });
    desk.setStatus(id, 'solved', at(2 * HOUR));
    await adapter.reply(handle, contractMessage(handle.ref, 1));
    expect(desk.requests.get(id)!.status).toBe('open');
  });

  it('a closed request refuses the reply clearly, before anything is uploaded', async () => {
    const { adapter, handle, id } = await filed();
    desk.setStatus(id, 'closed', at(HOUR));
    desk.calls.length = 0;
    const error = await settle(adapter.reply(handle, contractMessage(handle.ref, 1, [file('sdk-log-teacher.txt', 100, 'text/plain')])));
    expect(error).toBeInstanceOf(VendorRejectedError);
    expect((error as Error).message).toBe(
      `[supportdrill] [zendesk] request ${id} (${handle.ref}) is closed at ${desk.url}, and Zendesk takes no comments on a closed request; nothing was sent. To go on, file a follow-up request.`,
    );
    expect(desk.calls).toEqual([`GET /api/v2/requests/${id}.json`]);
  });

  it("a request closed after we looked: Zendesk's 422 is reported as the request being closed", async () => {
    const { adapter, handle, id } = await filed();
    desk.setStatus(id, 'closed', at(HOUR));
    desk.failNext(200, {}, requestAnswer(id)); // our first look still saw it open
    const message = contractMessage(handle.ref, 1);
    const error = await settle(adapter.reply(handle, message));
    expect(error).toBeInstanceOf(VendorRejectedError);
    expect((error as Error).message).toContain(`request ${id} (${handle.ref}) is closed at ${desk.url}, and Zendesk takes no comments on a closed request`);
    expect(String((error as Error).cause)).toContain('(422: RecordInvalid — Record validation errors — Status: closed prevents ticket update)');
    expect(writesOf('PUT')).toHaveLength(1);
    expect(ours(id, message)).toEqual([]);
  });
});

describe('zendesk adapter: a reply whose answer was lost', () => {
  const lost: [HostileMode, number][] = [
    ['garbage-json', 0],
    ['garbage-json', 4],
    ['server-error', 1],
    ['huge', 1],
  ];

  it.each(lost)('a PUT the desk carried out but answered with %s (variant %i) returns the comment, posted once', async (mode, variant) => {
    const { adapter, handle, id } = await filed();
    desk.hostileAfterNext(mode, variant, 'PUT ');
    const message = contractMessage(handle.ref, 1);
    const sent = await adapter.reply(handle, message);
    expect(desk.injected).toEqual([{ call: `PUT /api/v2/requests/${id}.json`, mode, variant, applied: true }]);
    expect(ours(id, message).map((c) => `comment:${c.id}`)).toEqual([sent.vendorMessageId]);
    expect(writesOf('PUT')).toHaveLength(1);
  });

  it('a PUT that hangs after the desk took it, with the read-back failing too, is found by findReply after a restart: nothing is sent twice', async () => {
    const { handle, id } = await filed();
    desk.setNow(at(HOUR));
    desk.hostileAfterNext('hang', 0, 'PUT ');
    desk.hostileNext('server-error', 0, '/comments');
    const message = contractMessage(handle.ref, 1);
    const error = await settle(open({}, zendeskWith({ timeoutMs: 300 })).reply(handle, message));
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect((error as Error).message).toMatch(/did not answer PUT \/api\/v2\/requests\/\d+\.json within 300 ms/);
    // What the conversation does before sending again: ask whether the attempt got through.
    const [comment] = ours(id, message);
    expect(await open().findReply(handle, message.key)).toEqual({ vendorMessageId: `comment:${comment!.id}`, at: at(HOUR) });
    expect(ours(id, message)).toHaveLength(1);
  });

  it('a PUT taken whose read-back fails says the comment was taken, and findReply finds it', async () => {
    const { adapter, handle, id } = await filed();
    desk.hostileNext('server-error', 0, '/comments');
    const message = contractMessage(handle.ref, 1);
    const error = await settle(adapter.reply(handle, message));
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect((error as Error).message).toBe(
      `[supportdrill] [zendesk] ${desk.url} took our comment on request ${id} (${handle.ref}), but reading it back failed: ` +
        `${desk.url} failed (500: InternalError — Something went wrong) on GET /api/v2/requests/${id}/comments.json. Ask findReply for ${message.key} before sending it again.`,
    );
    const [comment] = ours(id, message);
    expect((await adapter.findReply(handle, message.key))?.vendorMessageId).toBe(`comment:${comment!.id}`);
    expect(ours(id, message)).toHaveLength(1);
  });

  it('a PUT refused before the desk took it (503) is not found, and sending it again posts it once', async () => {
    const { adapter, handle, id } = await filed();
    desk.hostileNext('server-error', 2, 'PUT ');
    const message = contractMessage(handle.ref, 1);
    expect(await settle(adapter.reply(handle, message))).toBeInstanceOf(VendorUnavailableError);
    expect(await open().findReply(handle, message.key)).toBeNull();
    const sent = await open().reply(handle, message);
    expect(ours(id, message).map((c) => `comment:${c.id}`)).toEqual([sent.vendorMessageId]);
  });

  it("under chaos, replying the conversation's way (findReply before sending again) posts every message exactly once", async () => {
    const { handle, id } = await filed();
    desk.chaos = { seed: 20261212, rate: 0.5, applied: 0.5, modes: ['rate-limit', 'server-error', 'slow', 'huge', 'redirect-away', 'garbage-json'] };
    const messages = [1, 2, 3, 4, 5, 6].map((n) => contractMessage(handle.ref, n, n % 2 === 0 ? [file(`log-${n}.txt`, 500, 'text/plain')] : []));
    const sentIds = new Map<string, string>();
    for (const message of messages) {
      for (let attempt = 0; attempt < 40 && !sentIds.has(message.key); attempt++) {
        // A new adapter each attempt, as after a restart: a 429 would otherwise hold every later call.
        const adapter = open();
        if (attempt > 0) {
          const found = await settle(adapter.findReply(handle, message.key));
          if (found instanceof Error) continue; // cannot tell yet: ask again, never send blind
          if (found) {
            sentIds.set(message.key, found.vendorMessageId);
            continue;
          }
        }
        const sent = await settle(adapter.reply(handle, message));
        if (sent instanceof Error) {
          expect(sent instanceof VendorUnavailableError || sent instanceof VendorRejectedError, String(sent)).toBe(true);
          expect(sent.message).toMatch(/^\[supportdrill\] \[zendesk\] /);
        } else sentIds.set(message.key, sent.vendorMessageId);
      }
    }
    desk.chaos = null;
    expect(desk.injected.some((i) => i.applied && i.call.startsWith('PUT '))).toBe(true);
    for (const message of messages) {
      expect(ours(id, message).map((c) => `comment:${c.id}`), message.key).toEqual([sentIds.get(message.key)]);
      expect((await open().findReply(handle, message.key))?.vendorMessageId).toBe(sentIds.get(message.key));
    }
    expect(desk.elsewhere.calls).toEqual([]);
  });
});

describe('zendesk adapter: redirects and refusals on writes', () => {
  it('a PUT redirected away, by any redirect status, is refused, posts nothing and never leaves the desk', async () => {
    const { adapter, handle, id } = await filed();
    const message = contractMessage(handle.ref, 1);
    for (let variant = 0; variant < 4; variant++) {
      desk.hostileNext('redirect-away', variant, 'PUT ');
      expect(await settle(adapter.reply(handle, message)), `variant ${variant}`).toBeInstanceOf(VendorRejectedError);
    }
    expect(desk.elsewhere.calls).toEqual([]);
    expect(ours(id, message)).toEqual([]);
  });

  it('a PUT redirected within the desk is not sent again: a comment is sent once, where the config says', async () => {
    const { adapter, handle, id } = await filed();
    desk.failNext(200, {}, requestAnswer(id));
    desk.failNext(307, { location: `/api/v2/requests/${id}.json?moved=1` });
    const error = await settle(adapter.reply(handle, contractMessage(handle.ref, 1)));
    expect(error).toBeInstanceOf(VendorRejectedError);
    expect((error as Error).message).toContain(`redirected PUT /api/v2/requests/${id}.json to ${desk.url}/api/v2/requests/${id}.json; a PUT is sent once, where the config says. Check vendors.acme-desk.url.`);
    expect(writesOf('PUT')).toHaveLength(1);
    expect(desk.calls).not.toContain(`PUT /api/v2/requests/${id}.json?moved=1`);
  });

  it('a 401 on reply names the options, never the token', async () => {
    const { handle, id } = await filed();
    process.env.SUPPORTDRILL_TEST_WRONG = 'wrong-token-abc';
    try {
      const error = await settle(open({ token: { env: 'SUPPORTDRILL_TEST_WRONG' } }).reply(handle, contractMessage(handle.ref, 1)));
      expect(error).toBeInstanceOf(VendorRejectedError);
      expect((error as Error).message).toBe(
        `[supportdrill] [zendesk] ${desk.url} refused ${desk.email} (401: Couldn't authenticate you) on GET /api/v2/requests/${id}.json. ` +
          'Check vendors.acme-desk.email and vendors.acme-desk.token (an API token of the desk, with token access enabled). ' +
          'Watching this vendor stops until that is fixed.',
      );
      expect((error as Error).message).not.toContain('wrong-token-abc');
      expect(writesOf('PUT')).toEqual([]);
    } finally {
      delete process.env.SUPPORTDRILL_TEST_WRONG;
    }
  });

  it('a 401 on the PUT itself is refused naming the options, and nothing is posted', async () => {
    const { adapter, handle, id } = await filed();
    desk.failNext(200, {}, requestAnswer(id));
    desk.failNext(401, {}, { error: "Couldn't authenticate you" });
    const message = contractMessage(handle.ref, 1);
    const error = await settle(adapter.reply(handle, message));
    expect(error).toBeInstanceOf(VendorRejectedError);
    expect((error as Error).message).toContain(`refused ${desk.email} (401: Couldn't authenticate you) on PUT /api/v2/requests/${id}.json. Check vendors.acme-desk.email and vendors.acme-desk.token`);
    expect((error as Error).message).not.toContain(desk.token);
    expect(ours(id, message)).toEqual([]);
  });

  it('a garbage answer to an upload is the desk being unavailable, and no comment is sent', async () => {
    const { adapter, handle, id } = await filed();
    desk.hostileNext('garbage-json', 1, '/uploads');
    const message = contractMessage(handle.ref, 1, [file('sdk-log-teacher.txt', 100, 'text/plain')]);
    expect(await settle(adapter.reply(handle, message))).toBeInstanceOf(VendorUnavailableError);
    expect(writesOf('PUT')).toEqual([]);
    expect(ours(id, message)).toEqual([]);
  });
});

describe('zendesk adapter: findReply', () => {
  it("reads every page, and takes neither an agent's comment quoting a key nor our comment of another key", async () => {
    const { adapter, handle, id } = await filed();
    for (let i = 1; i <= 5; i++) desk.addComment(id, { author: desk.agent, body: `Update ${i}`, at: at(i * MINUTE) });
    desk.setNow(at(HOUR));
    const first = contractMessage(handle.ref, 1);
    const sent = await adapter.reply(handle, first);
    desk.addComment(id, { author: desk.agent, body: `About your message (${handle.ref}/2): which browser?`, at: at(2 * HOUR) });
    desk.calls.length = 0;
    expect(await open().findReply(handle, first.key)).toEqual(sent);
    // The description, five updates and ours: four pages of two at the double.
    expect(desk.calls.filter((c) => c.includes('/comments')).length).toBe(4);
    expect(await open().findReply(handle, `${handle.ref}/2`)).toBeNull();
  });

  it('of two comments of ours with the same key (one posted by hand), the older is the message', async () => {
    const { adapter, handle, id } = await filed();
    const message = contractMessage(handle.ref, 3);
    const older = desk.addComment(id, { author: desk.customer, body: message.body, at: at(HOUR) });
    desk.addComment(id, { author: desk.customer, body: message.body, at: at(2 * HOUR) });
    expect(await adapter.findReply(handle, message.key)).toEqual({ vendorMessageId: `comment:${older.id}`, at: at(HOUR) });
  });

  it('a comments page it cannot read is an error, never "not sent"', async () => {
    const { adapter, handle } = await filed();
    await adapter.reply(handle, contractMessage(handle.ref, 1));
    desk.hostileNext('garbage-json', 0, '/comments');
    expect(await settle(adapter.findReply(handle, `${handle.ref}/1`))).toBeInstanceOf(VendorUnavailableError);
  });
});

describe('zendesk adapter: markSolved', () => {
  it('solves a request an agent has answered: PUT {"request": {"solved": true}}, then the status read back', async () => {
    const { adapter, handle, id } = await filed();
    desk.addComment(id, { author: desk.agent, body: 'Fixed in 4.24.1.', at: at(HOUR) });
    desk.setNow(at(2 * HOUR));
    desk.calls.length = 0;
    desk.writes.length = 0;
    expect(await adapter.markSolved(handle)).toBe('solved');
    expect(desk.writes).toEqual([{ call: `PUT /api/v2/requests/${id}`, body: { request: { solved: true } } }]);
    expect(desk.calls).toEqual([`GET /api/v2/requests/${id}.json`, `PUT /api/v2/requests/${id}.json`, `GET /api/v2/requests/${id}.json`]);
    expect(desk.requests.get(id)).toMatchObject({ status: 'solved', updated_at: '2026-11-29T08:00:00Z' });
  });

  it('a request no agent has taken is not ours to solve: not-allowed, and nothing is sent', async () => {
    const { adapter, handle, id } = await filed();
    desk.addComment(id, { author: desk.automationAccount, body: 'Your request has been received.', at: at(MINUTE), channel: 'rule', rel: 'trigger' });
    expect(await adapter.markSolved(handle)).toBe('not-allowed');
    expect(writesOf('PUT')).toEqual([]);
    expect(desk.requests.get(id)).toMatchObject({ status: 'open', assignee_id: null });
  });

  it('a desk that says can_be_solved_by_me but changes nothing (200): not-allowed, from the status read back', async () => {
    const { adapter, handle, id } = await filed();
    desk.failNext(200, {}, requestAnswer(id, { can_be_solved_by_me: true }));
    expect(await adapter.markSolved(handle)).toBe('not-allowed');
    expect(writesOf('PUT')).toHaveLength(1);
    expect(desk.requests.get(id)!.status).toBe('new');
  });

  it.each(['solved', 'closed'])('a request already %s is solved, with no PUT', async (status) => {
    const { adapter, handle, id } = await filed();
    desk.setStatus(id, status, at(HOUR));
    expect(await adapter.markSolved(handle)).toBe('solved');
    expect(writesOf('PUT')).toEqual([]);
  });

  it('a solve whose answer was lost is read back: solved', async () => {
    const { adapter, handle, id } = await filed();
    desk.addComment(id, { author: desk.agent, body: 'Fixed in 4.24.1.', at: at(HOUR) });
    desk.hostileAfterNext('garbage-json', 0, 'PUT ');
    expect(await adapter.markSolved(handle)).toBe('solved');
    expect(desk.requests.get(id)!.status).toBe('solved');
  });

  it('a solve refused before the desk took it stays an error the caller retries', async () => {
    const { adapter, handle, id } = await filed();
    desk.addComment(id, { author: desk.agent, body: 'Fixed in 4.24.1.', at: at(HOUR) });
    desk.hostileNext('server-error', 0, 'PUT ');
    expect(await settle(adapter.markSolved(handle))).toBeInstanceOf(VendorUnavailableError);
    expect(desk.requests.get(id)!.status).toBe('open');
  });
});
