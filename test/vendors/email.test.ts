/**
 * The `email` adapter against real servers on 127.0.0.1: Dovecot for IMAP (the drill mailbox) and an
 * `smtp-server` receiver standing for the vendor's mail exchanger. Vendor replies are placed in the
 * mailbox over IMAP APPEND with the arrival times a real delivery would give them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import { AdapterPool } from '../../src/pipeline/adapter-pool.ts';
import type { ActivityRow, TicketRow } from '../../src/store/rows.ts';
import type { Store } from '../../src/store/store.ts';
import { fileTicketOnce } from '../../src/support/filing.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import { Watcher } from '../../src/support/watcher.ts';
import { VendorRejectedError, VendorUnavailableError, type TicketDraft, type TicketHandle, type VendorAdapter } from '../../src/vendors/adapter.ts';
import email, { VENDOR_NAME, drillMessageId, replyMessageId, type EmailOptions } from '../../src/vendors/email.ts';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';
import { replyMessage, vendorMailbox } from '../helpers/vendor-mail.ts';
import { contractDraft, contractMessage, testVendor } from './contract.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const SUPPORT = 'support@vendor.example';
const DOMAIN = 'school.example';

let dovecot: DovecotServer;
let smtp: SmtpReceiver;
let mailbox: Awaited<ReturnType<typeof vendorMailbox>>;
const dirs: string[] = [];

beforeAll(async () => {
  [dovecot, smtp] = await Promise.all([startDovecot(), startSmtpReceiver()]);
  process.env.SUPPORTDRILL_TEST_IMAP_PASSWORD = dovecot.password;
  process.env.SUPPORTDRILL_TEST_SMTP_PASSWORD = smtp.password;
  mailbox = await vendorMailbox(dovecot);
});
afterAll(async () => {
  await mailbox?.close();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
  delete process.env.SUPPORTDRILL_TEST_IMAP_PASSWORD;
  delete process.env.SUPPORTDRILL_TEST_SMTP_PASSWORD;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The vendor entry as a user writes it: secrets from the environment. */
function entry(extra: Partial<EmailOptions> = {}): EmailOptions {
  return {
    to: SUPPORT,
    from: `drills@${DOMAIN}`,
    fromName: 'School RTC trial',
    smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', password: { env: 'SUPPORTDRILL_TEST_SMTP_PASSWORD' } },
    imap: { host: '127.0.0.1', port: dovecot.port, security: 'none', password: { env: 'SUPPORTDRILL_TEST_IMAP_PASSWORD' } },
    ...extra,
  };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-email-'));
  dirs.push(dir);
  return dir;
}

/** A comment's date line as a Zendesk notification writes it, in GMT+8: `Nov 29, 2026, 18:58:07 GMT+8`. */
function commentDateLine(instant: Date): string {
  const t = new Date(instant.getTime() + 8 * HOUR);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][t.getUTCMonth()];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${month} ${t.getUTCDate()}, ${t.getUTCFullYear()}, ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())} GMT+8`;
}

const received = (runId: string) => smtp.received.filter((m) => m.raw.toString('utf8').includes(`<${drillMessageId(runId, DOMAIN)}>`));
/** What the vendor's mail exchanger received under this Message-ID (no angle brackets), not mail that merely cites it. */
const receivedAs = (messageId: string) => smtp.received.filter((m) => headerPart(m.raw).includes(`\r\nMessage-ID: <${messageId}>\r\n`));
const headerPart = (raw: Buffer) => `\r\n${raw.toString('utf8').split('\r\n\r\n')[0]}\r\n`;

/** Does something to our copy with this Message-ID in the Sent folder, over a connection of its own. */
async function inSent<T>(messageId: string, fn: (client: ImapFlow, uids: string) => Promise<T>): Promise<T> {
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false, disableAutoIdle: true });
  client.on('error', () => undefined);
  await client.connect();
  const lock = await client.getMailboxLock('Sent');
  try {
    const uids = (await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true })) || [];
    expect(uids.length).toBeGreaterThan(0);
    return await fn(client, uids.join(','));
  } finally {
    lock.release();
    await client.logout();
  }
}

testVendor({
  kind: VENDOR_NAME,
  setup() {
    let now = Math.floor((Date.now() - 2 * 24 * HOUR) / 1000) * 1000;
    const dataDir = tempDir();
    return {
      adapter: () => email(entry(), { dataDir, vendorName: 'vendor-mail', now: () => new Date(now) }),
      async produceActivity(ticket) {
        for (const offset of [10 * SECOND, 20 * SECOND]) {
          const date = new Date(ticket.filedAt.getTime() + offset);
          const id = `reply-${ticket.vendorTicketId}-${now}-${offset}@vendor.example`;
          const raw = replyMessage({
            from: `Support <${SUPPORT}>`,
            subject: 'Re: your ticket',
            date,
            text: 'We are looking into it.',
            messageId: id,
            inReplyTo: ticket.vendorTicketId,
          });
          await mailbox.deliver(raw, date);
        }
        now += MINUTE;
      },
      now: () => new Date(now),
      missingTicketId: drillMessageId('run_20261129T000000Z_000000', DOMAIN),
      async attachmentsOf(_ticket, sent) {
        const [mail] = receivedAs(sent.vendorMessageId.replace(/^message:/, ''));
        return mail ? (await simpleParser(mail.raw)).attachments.map((a) => a.filename ?? '') : [];
      },
    };
  },
});

describe('email adapter: filing', () => {
  const adapters: VendorAdapter[] = [];
  const open = (extra: Partial<EmailOptions> = {}, now = () => new Date('2026-11-29T06:00:00.000Z')) => {
    const adapter = email(entry(extra), { dataDir: tempDir(), vendorName: 'vendor-mail', now });
    adapters.push(adapter);
    return adapter;
  };
  afterEach(async () => {
    for (const adapter of adapters.splice(0)) await adapter.close?.();
  });

  it("sends the ticket to the vendor's support address with the reference tag in the subject and a Message-ID from the run", async () => {
    const draft = contractDraft();
    const ticket = await open().fileTicket(draft);
    const [mail] = received(draft.runId);
    expect(mail!.to).toEqual([SUPPORT]);
    expect(mail!.from).toBe(`drills@${DOMAIN}`);
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.subject).toContain(`[${draft.ref}]`);
    expect(parsed.messageId).toBe(`<${draft.runId}@${DOMAIN}>`);
    expect(parsed.date?.toISOString()).toBe('2026-11-29T06:00:00.000Z');
    expect(ticket).toMatchObject({ vendorTicketId: `${draft.runId}@${DOMAIN}`, filedAt: new Date('2026-11-29T06:00:00.000Z') });
  });

  it('keeps our copy in the Sent folder, marked sent once SMTP accepted it', async () => {
    const draft = contractDraft();
    await open().fileTicket(draft);
    expect(await mailbox.flagsOf(drillMessageId(draft.runId, DOMAIN))).toEqual([['\\Seen']]);
  });

  it('puts no secret into the e-mail', async () => {
    const draft = contractDraft();
    await open().fileTicket(draft);
    const raw = received(draft.runId)[0]!.raw.toString('utf8');
    expect(raw).not.toContain(smtp.password);
    expect(raw).not.toContain(dovecot.password);
  });

  it('attaches evidence up to the size cap and lists in the body what was left out', async () => {
    const dir = tempDir();
    const file = (name: string, bytes: number) => {
      writeFileSync(join(dir, name), Buffer.alloc(bytes, 1));
      return { filename: name, path: join(dir, name), contentType: 'application/octet-stream' };
    };
    const draft: TicketDraft = { ...contractDraft(), attachments: [file('timeline.json', 3000), file('chart.png', 5000), file('screenshot-during.png', 4000)] };
    await open({ maxAttachmentBytes: '8KB' }).fileTicket(draft);
    const parsed = await simpleParser(received(draft.runId)[0]!.raw);
    expect(parsed.attachments.map((a) => [a.filename, a.size])).toEqual([
      ['timeline.json', 3000],
      ['chart.png', 5000],
    ]);
    expect(parsed.text).toContain('Not attached');
    expect(parsed.text).toContain('- screenshot-during.png (4 KB)');
  });

  it('refuses a subject without the reference tag', async () => {
    const draft = { ...contractDraft(), title: 'Video froze' };
    await expect(open().fileTicket(draft)).rejects.toThrow(`[supportdrill] [email] the ticket subject must carry its reference tag [${draft.ref}]`);
  });

  it('an SMTP server that refuses the login stops filing with a message naming the option, never the password', async () => {
    process.env.SUPPORTDRILL_TEST_WRONG = 'not-the-password';
    try {
      const adapter = open({ smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', password: { env: 'SUPPORTDRILL_TEST_WRONG' } } });
      const error = (await adapter.fileTicket(contractDraft()).then(() => null, (e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(VendorRejectedError);
      expect(error.message).toMatch(/^\[supportdrill\] \[email\] SMTP 127\.0\.0\.1:\d+ refused our login for drills@school\.example: check vendors\.vendor-mail\.smtp\.user and vendors\.vendor-mail\.smtp\.password/);
      expect(error.message).not.toContain('not-the-password');
    } finally {
      delete process.env.SUPPORTDRILL_TEST_WRONG;
    }
  });

  it('an IMAP login that fails is refused with a message naming the option', async () => {
    process.env.SUPPORTDRILL_TEST_WRONG = 'not-the-password';
    try {
      const adapter = open({ imap: { host: '127.0.0.1', port: dovecot.port, security: 'none', password: { env: 'SUPPORTDRILL_TEST_WRONG' } } });
      const error = (await adapter.findTicket({ runId: 'run_20261129T000000Z_abcdef', ref: 'DRILL-abcdef' }).then(() => null, (e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(VendorRejectedError);
      expect(error.message).toContain('[supportdrill] [email] IMAP 127.0.0.1:');
      expect(error.message).toContain('check vendors.vendor-mail.imap.user and vendors.vendor-mail.imap.password');
      expect(error.message).not.toContain('not-the-password');
    } finally {
      delete process.env.SUPPORTDRILL_TEST_WRONG;
    }
  });

  it('a secret whose environment variable is missing is named when the vendor is used', async () => {
    const adapter = open({ imap: { host: '127.0.0.1', port: dovecot.port, security: 'none', password: { env: 'SUPPORTDRILL_TEST_UNSET' } } });
    await expect(adapter.findTicket({ runId: 'run_20261129T000000Z_abcdef', ref: 'DRILL-abcdef' })).rejects.toThrow(
      'vendors.vendor-mail.imap.password needs the environment variable SUPPORTDRILL_TEST_UNSET, which is not set',
    );
  });

  it('an IMAP server that cannot be reached is a temporary failure', async () => {
    const adapter = open({ imap: { host: '127.0.0.1', port: 9, security: 'none', password: 'x' } });
    await expect(adapter.findTicket({ runId: 'run_20261129T000000Z_abcdef', ref: 'DRILL-abcdef' })).rejects.toBeInstanceOf(VendorUnavailableError);
  });
});

describe('email adapter: filed once', () => {
  let store: Store;
  let pool: AdapterPool;
  let draft: TicketDraft;
  const watchUntil = new Date(Date.now() + HOUR);

  beforeEach(async () => {
    const { config } = ticketProject({ 'vendor-mail': { adapter: 'email', ...entry() } });
    store = await openStore(config.dataDir);
    pool = new AdapterPool(config, undefined, () => new Date('2026-11-29T06:00:00.000Z'));
    const runId = contractDraft().runId;
    const result = await savedRun(store, runId);
    draft = renderTicket({ result, drill: { name: result.drill, description: 'Teacher video freezes' }, vendorTimezone: 'Asia/Shanghai', evidenceDir: '/nonexistent' });
  });
  afterEach(async () => {
    await pool.close();
    await store.close();
  });

  it('a crash between "sent" and "recorded" finds the sent e-mail instead of sending a second', async () => {
    await store.beginFiling(draft.runId, { vendor: 'vendor-mail', ref: draft.ref, watchUntil });
    const sent = await pool.get('vendor-mail').fileTicket(draft); // the process "dies" here, before markFiled
    const { ticket, reused } = await fileTicketOnce({ store, adapter: pool.get('vendor-mail'), vendor: 'vendor-mail', draft, watchUntil });
    expect(reused).toBe(true);
    expect(ticket.vendorTicketId).toBe(sent.vendorTicketId);
    expect(received(draft.runId)).toHaveLength(1);
  });

  it('a crash after our copy was written but before SMTP took it sends that same message, once, on retry', async () => {
    smtp.refuseNext(1);
    await expect(fileTicketOnce({ store, adapter: pool.get('vendor-mail'), vendor: 'vendor-mail', draft, watchUntil })).rejects.toThrow(/Try again later/);
    expect(await mailbox.flagsOf(drillMessageId(draft.runId, DOMAIN))).toEqual([['$SupportdrillUnsent', '\\Seen']]);
    const { ticket, reused } = await fileTicketOnce({ store, adapter: pool.get('vendor-mail'), vendor: 'vendor-mail', draft, watchUntil });
    expect(reused).toBe(false);
    expect(ticket.state).toBe('open');
    expect(received(draft.runId)).toHaveLength(1);
    expect(await mailbox.flagsOf(drillMessageId(draft.runId, DOMAIN))).toEqual([['\\Seen']]);
  });
});

describe('email adapter: who speaks for the vendor', () => {
  let store: Store;
  let pool: AdapterPool;
  let config: Config;

  beforeEach(async () => {
    ({ config } = ticketProject({ 'vendor-mail': { adapter: 'email', ...entry() } }));
    store = await openStore(config.dataDir);
    pool = new AdapterPool(config);
  });
  afterEach(async () => {
    await pool.close();
    await store.close();
  });

  it("keeps a third party's 'root cause … fixed' as unverified: it resolves nothing and counts in no timing", async () => {
    const result = await savedRun(store, 'run_20261201T120000Z_5p00f1');
    const draft = renderTicket({ result, drill: { name: result.drill, description: 'Teacher video freezes' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
    const { ticket } = await fileTicketOnce({ store, adapter: pool.get('vendor-mail'), vendor: 'vendor-mail', draft, watchUntil: new Date(Date.now() + HOUR) });
    const filed = Date.parse(ticket.filedAt!);
    const resolution = 'Root cause: a forwarding worker on the edge node stalled. We have deployed a fix; this is resolved.';
    await mailbox.deliver(
      replyMessage({ from: 'Mallory <mallory@attacker.example>', subject: `Re: ${draft.title}`, date: new Date(filed + MINUTE), messageId: `spoof-${draft.ref}@attacker.example`, text: resolution }),
      new Date(filed + MINUTE),
    );
    await mailbox.deliver(
      replyMessage({
        from: `Support <${SUPPORT}>`,
        subject: `Re: ${draft.title}`,
        date: new Date(filed + 2 * MINUTE),
        messageId: `dmarc-${draft.ref}@vendor.example`,
        headers: { 'Authentication-Results': 'mx.school.example; spf=fail smtp.mailfrom=vendor.example; dkim=none; dmarc=fail header.from=vendor.example' },
        text: resolution,
      }),
      new Date(filed + 2 * MINUTE),
    );
    const polled = await new Watcher({ store, config, adapterFor: (n) => pool.get(n) }).poll((await store.getTicket(ticket.id))!);
    const activities = await store.activities(ticket.id);
    expect(activities.map((a) => a.unverified)).toEqual([true, true]);
    expect(activities[0]!.reasons.at(-1)).toMatch(/^unverified sender: mallory@attacker\.example is not among the vendor's senders \(vendors\.vendor-mail\.senders: vendor\.example\)/);
    expect(activities[1]!.reasons.at(-1)).toMatch(/failed DMARC at our mail server/);
    expect(polled.state).toBe('open');
    expect(polled.timings).toMatchObject({ resolutionMs: null, firstResponseMs: null, unverifiedActivities: 2 });

    // The vendor's own answer counts as usual.
    await mailbox.deliver(
      replyMessage({ from: `Alex Chen <alex@vendor.example>`, subject: `Re: ${draft.title}`, date: new Date(filed + 3 * MINUTE), messageId: `real-${draft.ref}@vendor.example`, text: resolution }),
      new Date(filed + 3 * MINUTE),
    );
    const after = await new Watcher({ store, config, adapterFor: (n) => pool.get(n) }).poll((await store.getTicket(ticket.id))!);
    expect(after.state).toBe('resolved');
    expect(after.timings).toMatchObject({ resolutionMs: 3 * MINUTE, unverifiedActivities: 2 });
  });

  it('reads at most the first 8 MB of a huge reply, and says so on the activity', async () => {
    const result = await savedRun(store, 'run_20261201T120000Z_b19001');
    const draft = renderTicket({ result, drill: { name: result.drill, description: 'Teacher video freezes' }, vendorTimezone: 'UTC', evidenceDir: '/nonexistent' });
    const { ticket } = await fileTicketOnce({ store, adapter: pool.get('vendor-mail'), vendor: 'vendor-mail', draft, watchUntil: new Date(Date.now() + HOUR) });
    const filed = Date.parse(ticket.filedAt!);
    const line = 'Looking into the freeze at 05:13 in your room. '.repeat(20);
    await mailbox.deliver(
      replyMessage({ from: `Support <${SUPPORT}>`, subject: `Re: ${draft.title}`, date: new Date(filed + MINUTE), messageId: `huge-${draft.ref}@vendor.example`, text: `${line}\r\n`.repeat(10_000) }),
      new Date(filed + MINUTE),
    );
    await new Watcher({ store, config, adapterFor: (n) => pool.get(n) }).poll((await store.getTicket(ticket.id))!);
    const [activity] = await store.activities(ticket.id);
    expect(activity!.reasons).toContain('the message is 9 MB; only its first 8 MB were read');
    expect(activity!.text!.length).toBeLessThan(8 * 1000 ** 2);
  });

  it('takes the senders from the config, and refuses a malformed one when the config loads', () => {
    expect(() => email(entry({ senders: ['not a domain'] }), { dataDir: tempDir(), vendorName: 'vendor-mail' })).toThrow(
      "vendors.vendor-mail.senders[0]: expected an address like 'support@agora.io' or a domain like 'agora.io'",
    );
  });
});

describe('email adapter: watching a ticket through a vendor conversation', () => {
  // Filed two days ago on the hour: Dovecot takes an arrival time (INTERNALDATE) in the future as now.
  const FILED = new Date(Math.floor((Date.now() - 2 * 24 * HOUR) / HOUR) * HOUR);
  const at = (ms: number) => new Date(FILED.getTime() + ms);
  let config: Config;
  let store: Store;
  let pool: AdapterPool;
  let ticket: TicketRow;
  let activities: ActivityRow[];
  let mid: string;
  let draft: TicketDraft;

  const bySubject = (fragment: string) => activities.find((a) => a.subject?.includes(fragment) || a.text?.includes(fragment));
  const sinceFiling = (a: ActivityRow | undefined) => (a ? Date.parse(a.at) - FILED.getTime() : null);

  beforeAll(async () => {
    ({ config } = ticketProject({ 'vendor-mail': { adapter: 'email', ...entry() } }));
    store = await openStore(config.dataDir);
    pool = new AdapterPool(config, undefined, () => FILED);
    const runId = contractDraft().runId;
    const result = await savedRun(store, runId);
    draft = renderTicket({ result, drill: { name: result.drill, description: 'Teacher video freezes' }, vendorTimezone: 'Asia/Shanghai', evidenceDir: '/nonexistent' });
    ticket = (await fileTicketOnce({ store, adapter: pool.get('vendor-mail'), vendor: 'vendor-mail', draft, watchUntil: at(3 * 24 * HOUR) })).ticket;
    mid = drillMessageId(draft.runId, DOMAIN);
    const room = result.identifiers?.room ?? result.runId;
    const re = `Re: ${draft.title}`;
    const thread = { inReplyTo: mid, references: [mid] };
    const replies = [
      // 1. Auto-acknowledgement with RFC 3834 headers and the desk's ticket number.
      [replyMessage({ from: `Acme RTC Support <${SUPPORT}>`, subject: `[Request 5521] ${re}`, date: at(40 * SECOND), messageId: 'ack-5521@vendor.example', ...thread,
        headers: { 'Auto-Submitted': 'auto-replied' },
        text: 'Your request (5521) has been received and is being reviewed by our support staff.\n\nTo add additional comments, reply to this email.' }), at(41 * SECOND)],
      // 2. Out-of-office without any auto-reply header.
      [replyMessage({ from: `Jamie Park <jamie@vendor.example>`, subject: re, date: at(2 * MINUTE), messageId: 'ooo@vendor.example', ...thread,
        text: 'I am out of the office until Monday, December 1, with limited access to email. For urgent matters please contact support.' }), at(2 * MINUTE + 2 * SECOND)],
      // 3. Canned reply whose Date header is 3 h before its arrival (a vendor's clock or a delayed relay).
      [replyMessage({ from: `Priya Nair <priya@vendor.example>`, subject: re, date: at(15 * MINUTE), messageId: 'canned@vendor.example', ...thread,
        text: 'Hello,\n\nThank you for contacting us. Please check your network connection and make sure it is stable, then restart the app and rejoin the class. Updating to the latest SDK version also helps in most cases.\n\nBest regards,\nPriya' }), at(3 * HOUR + 15 * MINUTE)],
      // 4. Human reply quoting our ticket.
      [replyMessage({ from: `Alex Chen <alex@vendor.example>`, subject: re, date: at(HOUR + 2 * MINUTE + 3 * SECOND), messageId: 'human@vendor.example', ...thread,
        text: `Hi,\n\nI looked at room ${room}: our server logs show no video frames from the teacher reached the students for about 12.2 s, matching your freeze table. Did the teacher's own preview also stop?\n\nAlex\n\nOn Sun, Nov 29, 2026 at 2:00 PM School RTC trial <drills@${DOMAIN}> wrote:\n> ${draft.body.split('\n').slice(0, 3).join('\n> ')}` }), at(HOUR + 2 * MINUTE + 4 * SECOND)],
      // 5. A Chinese reply with an encoded subject that lost the thread headers: matched by its subject tag.
      [replyMessage({ from: `李娜 <lina@vendor.example>`, subject: `回复：[${draft.ref}] 老师视频卡顿`, date: at(2 * HOUR), messageId: 'zh@vendor.example', encoded: true,
        text: `您好，我是媒体技术工程师李娜。我们查看了频道 ${room} 的服务端数据：学生端约 12.2 s 没有收到任何视频帧，与您工单中的卡顿记录一致。请问当时老师端本地预览画面是否也停住了？` }), at(2 * HOUR + SECOND)],
      // 6. A reply to another drill's ticket, in the same mailbox.
      [replyMessage({ from: `Alex Chen <alex@vendor.example>`, subject: 'Re: [DRILL-0ther1] Another freeze', date: at(3 * HOUR), messageId: 'other@vendor.example',
        inReplyTo: `run_20261128T000000Z_0ther1@${DOMAIN}`, text: 'Root cause found for that one; fix deployed.' }), at(3 * HOUR)],
      // 7. Our own message landing in the inbox (a Bcc to ourselves).
      [replyMessage({ from: `School RTC trial <drills@${DOMAIN}>`, subject: draft.title, date: FILED, messageId: mid, text: draft.body }), at(SECOND)],
      // 8. A help-desk notification relaying an agent's resolution, stamped with the comment's own time.
      [replyMessage({ from: `Acme RTC Support <${SUPPORT}>`, subject: `[Request 5521] ${re}`, date: at(5 * HOUR), messageId: 'notify@vendor.example', ...thread,
        headers: { 'Auto-Submitted': 'auto-generated' },
        text: `##- Please type your reply above this line -##\n\nYour request (5521) has been updated. To add additional comments, reply to this email.\n----------------------------------------------\n\nAlex Chen (Acme RTC Support)\n\n${commentDateLine(at(4 * HOUR + 58 * MINUTE + 7 * SECOND))}\n\nRoot cause: a video forwarding worker on the edge node serving room ${room} stalled and held back the teacher's frames for 12.2 s. We have deployed a fix to that edge cluster, so new classes are no longer affected.\n\n----------------------------------------------\nThis email is a service from Acme RTC Support.` }), at(5 * HOUR + SECOND)],
      // 9. The desk's "solved" notice.
      [replyMessage({ from: `Acme RTC Support <${SUPPORT}>`, subject: `[Request 5521] ${re}`, date: at(6 * HOUR), messageId: 'solved@vendor.example', ...thread,
        headers: { 'Auto-Submitted': 'auto-generated' },
        text: 'Your request (5521) has been solved. If you feel the issue is not resolved, reply to this email to reopen it.' }), at(6 * HOUR)],
    ] as const;
    for (const [raw, arrived] of replies) await mailbox.deliver(raw, arrived);
    const watcher = new Watcher({ store, config, adapterFor: (n) => pool.get(n), now: () => at(7 * HOUR), jitter: () => 1 });
    await watcher.poll((await store.getTicket(ticket.id))!);
    ticket = await watcher.poll((await store.getTicket(ticket.id))!);
    activities = await store.activities(ticket.id);
  });
  afterAll(async () => {
    await pool.close();
    await store.close();
  });

  it('the auto-acknowledgement with RFC 3834 headers is auto, at its Date header (+40 s)', () => {
    const ack = bySubject('Your request (5521) has been received');
    expect([ack?.kind, sinceFiling(ack)]).toEqual(['auto', 40 * SECOND]);
    expect(ack?.reasons[0]).toBe('header Auto-Submitted: auto-replied');
  });

  it("the desk's ticket number in the acknowledgement becomes the ticket's vendor id", () => {
    expect(ticket.vendorTicketId).toBe('5521');
  });

  it('an out-of-office without auto-reply headers is auto (+2 min)', () => {
    const ooo = bySubject('out of the office');
    expect([ooo?.kind, sinceFiling(ooo)]).toEqual(['auto', 2 * MINUTE]);
  });

  it('a canned reply is canned, timed by its Date header although it arrived 3 h later (+15 min)', () => {
    const canned = bySubject('check your network connection');
    expect([canned?.kind, sinceFiling(canned)]).toEqual(['canned', 15 * MINUTE]);
  });

  it('a Date header far from the IMAP arrival time is flagged on the activity', () => {
    const canned = bySubject('check your network connection');
    expect(canned?.reasons.at(-1)).toBe(
      `Date header ${at(15 * MINUTE).toISOString()} and IMAP arrival ${at(3 * HOUR + 15 * MINUTE).toISOString()} disagree by 3 h 00 min: timed by the Date header (the vendor's clock)`,
    );
  });

  it('a human reply quoting our ticket is human, judged on its own words (+1 h 2 min 3 s)', () => {
    const human = bySubject('Did the teacher');
    expect([human?.kind, sinceFiling(human)]).toEqual(['human', HOUR + 2 * MINUTE + 3 * SECOND]);
  });

  it('a Chinese reply with an encoded subject and no thread headers is matched by its reference tag (+2 h)', () => {
    const zh = activities.find((a) => a.subject?.startsWith('回复：'));
    expect(zh?.subject).toBe(`回复：[${draft.ref}] 老师视频卡顿`);
    expect([zh?.kind, sinceFiling(zh)]).toEqual(['human', 2 * HOUR]);
  });

  it("a reply to another ticket and our own copy are not this ticket's activity", () => {
    expect(activities.map((a) => a.vendorActivityId)).not.toContain('message:other@vendor.example');
    expect(activities.map((a) => a.vendorActivityId)).not.toContain(`message:${mid}`);
    expect(activities).toHaveLength(7);
  });

  it("a help-desk notification is classified by the agent's comment it carries and timed by the comment's time (+4 h 58 min 7 s)", () => {
    const relayed = activities.find((a) => a.vendorActivityId === 'message:notify@vendor.example');
    expect([relayed?.kind, sinceFiling(relayed), relayed?.authorName]).toEqual(['resolution', 4 * HOUR + 58 * MINUTE + 7 * SECOND, 'Alex Chen (Acme RTC Support)']);
  });

  it('the "has been solved" notice is a solved status change (+6 h)', () => {
    const solved = activities.find((a) => a.vendorActivityId === 'message:solved@vendor.example');
    expect([solved?.statusChange, sinceFiling(solved)]).toEqual(['solved', 6 * HOUR]);
  });

  it("times the ticket from the vendor's timestamps, to the second", () => {
    expect(ticket.state).toBe('resolved');
    expect(ticket.timings).toMatchObject({
      firstResponseMs: 40 * SECOND,
      firstHumanResponseMs: 15 * MINUTE,
      firstSubstantiveResponseMs: HOUR + 2 * MINUTE + 3 * SECOND,
      resolutionMs: 4 * HOUR + 58 * MINUTE + 7 * SECOND,
    });
  });

  it('a second poll adds nothing', async () => {
    const watcher = new Watcher({ store, config, adapterFor: (n) => pool.get(n), now: () => at(8 * HOUR), jitter: () => 1 });
    await store.updateTicket(ticket.id, { state: 'open' });
    await watcher.poll((await store.getTicket(ticket.id))!);
    expect(await store.activities(ticket.id)).toHaveLength(activities.length);
  });
});

describe('email adapter: replying in the vendor thread', () => {
  const FILED = new Date('2026-11-29T06:00:00.000Z');
  const at = (ms: number) => new Date(FILED.getTime() + ms);
  let clock = FILED;
  const adapters: VendorAdapter[] = [];
  const open = (extra: Partial<EmailOptions> = {}) => {
    const adapter = email(entry(extra), { dataDir: tempDir(), vendorName: 'vendor-mail', now: () => clock });
    adapters.push(adapter);
    return adapter;
  };
  beforeEach(() => {
    clock = FILED;
  });
  afterEach(async () => {
    for (const adapter of adapters.splice(0)) await adapter.close?.();
  });

  /** A ticket filed at FILED, with its handle and our Message-IDs on it. */
  async function filedTicket(adapter: VendorAdapter) {
    const draft = contractDraft();
    const filed = await adapter.fileTicket(draft);
    const handle: TicketHandle = { runId: draft.runId, ref: draft.ref, vendorTicketId: filed.vendorTicketId };
    const replyId = (n: number) => replyMessageId(draft.runId, draft.ref, `${draft.ref}/${n}`, DOMAIN);
    return { draft, handle, mid: drillMessageId(draft.runId, DOMAIN), replyId };
  }

  /** The vendor's side writes into the drill mailbox, arriving when it says it was sent. */
  const vendorWrites = (spec: Omit<Parameters<typeof replyMessage>[0], 'text'> & { text?: string }) =>
    mailbox.deliver(replyMessage({ text: 'Thanks, we are looking into it.', ...spec }), spec.date);

  it("answers the vendor's newest verified message: In-Reply-To it, References our ticket and the chain, Re: its subject with both tags, to its sender, cc kept", async () => {
    const adapter = open({ cc: [`team@${DOMAIN}`] });
    const { draft, handle, mid, replyId } = await filedTicket(adapter);
    const [ack, human] = [`ack-${draft.ref}@vendor.example`, `human-${draft.ref}@vendor.example`];
    const subject = `[Request 5521] Re: ${draft.title}`;
    await vendorWrites({ from: `Acme RTC Support <${SUPPORT}>`, subject, date: at(MINUTE), messageId: ack, inReplyTo: mid, references: [mid], headers: { 'Auto-Submitted': 'auto-replied' } });
    await vendorWrites({ from: 'Alex Chen <alex@vendor.example>', subject, date: at(HOUR), messageId: human, inReplyTo: ack, references: [mid, ack], text: 'Could you please send us the SDK log?' });
    // Anyone can write into the thread: a later stranger decides neither the recipient nor the threading.
    await vendorWrites({ from: 'Mallory <mallory@attacker.example>', subject: `Re: ${draft.title}`, date: at(2 * HOUR), messageId: `spoof-${draft.ref}@attacker.example`, inReplyTo: human, references: [mid, ack, human] });
    clock = at(3 * HOUR);

    const sent = await adapter.reply!({ ...handle, vendorTicketId: '5521' }, contractMessage(draft.ref, 1));

    expect(sent).toEqual({ vendorMessageId: `message:${replyId(1)}`, at: at(3 * HOUR) });
    const mails = receivedAs(replyId(1));
    expect(mails.map((m) => [m.from, m.to])).toEqual([[`drills@${DOMAIN}`, ['alex@vendor.example', `team@${DOMAIN}`]]]);
    const parsed = await simpleParser(mails[0]!.raw);
    expect(parsed.messageId).toBe(`<${draft.runId}-reply-1@${DOMAIN}>`);
    expect(parsed.inReplyTo).toBe(`<${human}>`);
    expect(parsed.references).toEqual([`<${mid}>`, `<${ack}>`, `<${human}>`]);
    expect(parsed.subject).toBe(`Re: [Request 5521] Re: ${draft.title}`);
    expect([parsed.from?.text, parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : null, parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.text : null]).toEqual([
      `"School RTC trial" <drills@${DOMAIN}>`,
      'alex@vendor.example',
      `team@${DOMAIN}`,
    ]);
    expect(parsed.date).toEqual(at(3 * HOUR));
    expect(parsed.text?.trim()).toBe(contractMessage(draft.ref, 1).body);
    expect(parsed.headers.has('auto-submitted')).toBe(false);
  });

  it('before the vendor has written, answers our ticket under its subject, to the support address', async () => {
    const adapter = open();
    const { draft, handle, mid, replyId } = await filedTicket(adapter);
    await adapter.reply!(handle, contractMessage(draft.ref, 1));
    const [mail] = receivedAs(replyId(1));
    const parsed = await simpleParser(mail!.raw);
    expect([mail!.to, parsed.inReplyTo, parsed.references, parsed.subject]).toEqual([[SUPPORT], `<${mid}>`, `<${mid}>`, `Re: ${draft.title}`]);
  });

  it("puts our tag back when the vendor's subject dropped it, keeping the vendor's own", async () => {
    const adapter = open();
    const { draft, handle, mid, replyId } = await filedTicket(adapter);
    await vendorWrites({ from: `Support <${SUPPORT}>`, subject: "Re: [#5521] The teacher's video froze", date: at(MINUTE), messageId: `untagged-${draft.ref}@vendor.example`, inReplyTo: mid });
    await adapter.reply!(handle, contractMessage(draft.ref, 1));
    const parsed = await simpleParser(receivedAs(replyId(1))[0]!.raw);
    expect(parsed.subject).toBe(`Re: [#5521] The teacher's video froze [${draft.ref}]`);
    expect(parsed.references).toEqual([`<${mid}>`, `<untagged-${draft.ref}@vendor.example>`]);
  });

  it("answers a Chinese reply with an encoded subject and no thread headers under its subject, the vendor's tag and ours in it", async () => {
    const adapter = open();
    const { draft, handle, mid, replyId } = await filedTicket(adapter);
    const zh = `zh-${draft.ref}@vendor.example`;
    await vendorWrites({ from: '李娜 <lina@vendor.example>', subject: `回复：[${draft.ref}] 老师视频卡顿（工单 5521）`, date: at(2 * HOUR), messageId: zh, encoded: true, text: '请问当时老师端本地预览画面是否也停住了？' });
    await adapter.reply!(handle, contractMessage(draft.ref, 1));
    const [mail] = receivedAs(replyId(1));
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.subject).toBe(`Re: [${draft.ref}] 老师视频卡顿（工单 5521）`);
    expect(headerPart(mail!.raw)).toMatch(/\r\nSubject: =\?UTF-8\?[BQ]\?/);
    expect([...headerPart(mail!.raw)].every((ch) => ch.charCodeAt(0) < 0x80)).toBe(true);
    expect([mail!.to, parsed.inReplyTo, parsed.references]).toEqual([['lina@vendor.example'], `<${zh}>`, [`<${mid}>`, `<${zh}>`]]);
  });

  it('attaches files up to the size cap and lists the rest above the last line, which keeps the key', async () => {
    const dir = tempDir();
    const file = (name: string, bytes: number) => {
      writeFileSync(join(dir, name), Buffer.alloc(bytes, 1));
      return { filename: name, path: join(dir, name), contentType: 'application/octet-stream' };
    };
    const adapter = open({ maxAttachmentBytes: '8KB' });
    const { draft, handle, replyId } = await filedTicket(adapter);
    await adapter.reply!(handle, contractMessage(draft.ref, 1, [file('sdk-log-teacher.txt', 3000), file('console-teacher.log', 5000), file('screenshot-during.png', 4000)]));
    const parsed = await simpleParser(receivedAs(replyId(1))[0]!.raw);
    expect(parsed.attachments.map((a) => [a.filename, a.size])).toEqual([
      ['sdk-log-teacher.txt', 3000],
      ['console-teacher.log', 5000],
    ]);
    expect(parsed.text).toContain('- screenshot-during.png (4 KB)');
    expect(parsed.text?.trim().split('\n').at(-1)).toBe(`Our reference: [${draft.ref}] (${draft.ref}/1)`);
  });

  it('a reply SMTP refused is sent on retry as the same bytes, once, under the same Message-ID, though the vendor wrote meanwhile', async () => {
    const adapter = open();
    const { draft, handle, mid, replyId } = await filedTicket(adapter);
    const message = contractMessage(draft.ref, 1);
    clock = at(HOUR);
    smtp.refuseNext(1);
    await expect(adapter.reply!(handle, message)).rejects.toBeInstanceOf(VendorUnavailableError);
    expect(await mailbox.flagsOf(replyId(1))).toEqual([['$SupportdrillUnsent', '\\Seen']]);
    expect(await adapter.findReply!(handle, message.key)).toBeNull();
    await vendorWrites({ from: `Support <${SUPPORT}>`, subject: `Re: ${draft.title}`, date: at(HOUR + MINUTE), messageId: `meanwhile-${draft.ref}@vendor.example`, inReplyTo: mid });
    clock = at(2 * HOUR);

    const sent = await open().reply!(handle, message); // a restarted process retries

    expect(sent).toEqual({ vendorMessageId: `message:${replyId(1)}`, at: at(HOUR) });
    const mails = receivedAs(replyId(1));
    expect(mails).toHaveLength(1);
    const parsed = await simpleParser(mails[0]!.raw);
    expect([parsed.date, parsed.inReplyTo]).toEqual([at(HOUR), `<${mid}>`]);
    const copy = await inSent(replyId(1), async (client, uids) => {
      const fetched = await client.fetchOne(uids, { source: true }, { uid: true });
      return fetched ? fetched.source!.toString('utf8') : '';
    });
    expect(mails[0]!.raw.toString('utf8').trimEnd()).toBe(copy.trimEnd());
    expect(await mailbox.flagsOf(replyId(1))).toEqual([['\\Seen']]);
    expect(await adapter.findReply!(handle, message.key)).toEqual(sent);
  });

  it('a crash after the reply went out finds it again: findReply returns it and reply sends nothing', async () => {
    const { draft, handle, replyId } = await filedTicket(open());
    const message = contractMessage(draft.ref, 1);
    const sent = await open().reply!(handle, message); // the process "dies" here, before recording it
    const restarted = open();
    expect(await restarted.findReply!(handle, message.key)).toEqual(sent);
    expect(await restarted.reply!(handle, message)).toEqual(sent);
    expect(receivedAs(replyId(1))).toHaveLength(1);
  });

  it('a crash between SMTP accepting and the flag being cleared, the reply since answered: found, and not sent again', async () => {
    const { draft, handle, replyId } = await filedTicket(open());
    const message = contractMessage(draft.ref, 1);
    const sent = await open().reply!(handle, message);
    // What the crash leaves: the vendor has the message, our copy still says unsent.
    await inSent(replyId(1), (client, uids) => client.messageFlagsAdd(uids, ['$SupportdrillUnsent'], { uid: true }));
    await vendorWrites({ from: 'Alex Chen <alex@vendor.example>', subject: `Re: ${draft.title}`, date: at(HOUR), messageId: `answer-${draft.ref}@vendor.example`, inReplyTo: replyId(1) });
    const restarted = open();
    expect(await restarted.findReply!(handle, message.key)).toEqual(sent);
    expect(await mailbox.flagsOf(replyId(1))).toEqual([['\\Seen']]);
    expect(await restarted.reply!(handle, message)).toEqual(sent);
    expect(receivedAs(replyId(1))).toHaveLength(1);
  });

  it('a crash between SMTP accepting and the flag being cleared, not yet answered: the one re-send is the same bytes, same Message-ID', async () => {
    const { draft, handle, replyId } = await filedTicket(open());
    const message = contractMessage(draft.ref, 1);
    const sent = await open().reply!(handle, message);
    await inSent(replyId(1), (client, uids) => client.messageFlagsAdd(uids, ['$SupportdrillUnsent'], { uid: true }));
    // Our own later message citing it, come back to us, proves nothing about the vendor having it.
    await vendorWrites({ from: `School RTC trial <drills@${DOMAIN}>`, subject: `Re: ${draft.title}`, date: at(MINUTE), messageId: replyId(2), inReplyTo: replyId(1), references: [replyId(1)] });
    const restarted = open();
    expect(await restarted.findReply!(handle, message.key)).toBeNull();
    clock = at(HOUR);
    expect(await restarted.reply!(handle, message)).toEqual(sent);
    const mails = receivedAs(replyId(1));
    expect(mails).toHaveLength(2);
    expect(mails[1]!.raw.equals(mails[0]!.raw)).toBe(true);
    expect(await restarted.findReply!(handle, message.key)).toEqual(sent);
  });

  it("our reply never comes back as the vendor's: not Bcc'd back, not from our address, not from a watched Sent folder; a vendor quoting it is the vendor's", async () => {
    const adapter = open();
    const { draft, handle, replyId } = await filedTicket(adapter);
    await adapter.reply!(handle, contractMessage(draft.ref, 1));
    const ours = receivedAs(replyId(1))[0]!.raw;
    await mailbox.deliver(ours, at(MINUTE)); // a Bcc to ourselves, or the desk sending it back as it is
    // A relay that rewrites the sender (a list's "via", DMARC munging) still carries our Message-ID.
    await mailbox.deliver(ours.toString('utf8').replace(/^From: .*$/m, `From: "School RTC trial via Support" <${SUPPORT}>`), at(MINUTE));
    await vendorWrites({ from: `School RTC trial <drills@${DOMAIN}>`, subject: `Re: ${draft.title}`, date: at(MINUTE), messageId: `desk-copy-${draft.ref}@vendor.example`, inReplyTo: replyId(1), text: contractMessage(draft.ref, 1).body });
    // Threaded to our reply alone, its subject without our tag: still this ticket's, and the vendor's.
    const quoted = contractMessage(draft.ref, 1).body.split('\n').map((l) => `> ${l}`).join('\n');
    await vendorWrites({ from: 'Alex Chen <alex@vendor.example>', subject: 'Re: [#5521] Video froze', date: at(HOUR), messageId: `quote-${draft.ref}@vendor.example`, inReplyTo: replyId(1), text: `Thanks, the log shows the stall.\n\nOn Sun, Nov 29, 2026 School RTC trial <drills@${DOMAIN}> wrote:\n${quoted}` });

    const page = await adapter.fetchActivity(handle);
    expect(page.activities.map((a) => a.vendorActivityId)).toEqual([`message:quote-${draft.ref}@vendor.example`]);
    expect(page.activities[0]!.unverified).toBeUndefined();
    // An IMAP setup that watches the Sent folder too (Gmail's All Mail) still sees none of ours.
    const watchingSent = open({ imap: { ...entry().imap, mailbox: 'Sent' } });
    expect((await watchingSent.fetchActivity(handle)).activities).toEqual([]);
  });

  it('with saveSent off, a reply is found by the copy the provider files, and sent once', async () => {
    const adapter = open({ saveSent: false });
    const { draft, handle, replyId } = await filedTicket(adapter);
    const message = contractMessage(draft.ref, 1);
    const sent = await adapter.reply!(handle, message);
    expect(await mailbox.flagsOf(replyId(1))).toEqual([]);
    // Restarted before the provider filed its copy: nothing says the reply went out.
    expect(await open({ saveSent: false }).findReply!(handle, message.key)).toBeNull();
    await mailbox.deliver(receivedAs(replyId(1))[0]!.raw, at(MINUTE), 'Sent'); // the provider files its copy
    const restarted = open({ saveSent: false });
    expect(await restarted.findReply!(handle, message.key)).toEqual(sent);
    expect(await restarted.reply!(handle, message)).toEqual(sent);
    expect(receivedAs(replyId(1))).toHaveLength(1);
  });

  it('offers no markSolved: a mailbox cannot solve a ticket', () => {
    expect(open().markSolved).toBeUndefined();
  });
});

describe('email adapter: connection', () => {
  const adapters: VendorAdapter[] = [];
  afterEach(async () => {
    for (const adapter of adapters.splice(0)) await adapter.close?.();
  });

  async function filedTicket(options: Partial<EmailOptions> = {}) {
    const adapter = email(entry(options), { dataDir: tempDir(), vendorName: 'vendor-mail', now: () => new Date('2026-11-29T06:00:00.000Z') });
    adapters.push(adapter);
    const draft = contractDraft();
    const filed = await adapter.fileTicket(draft);
    const handle = { runId: draft.runId, ref: draft.ref, vendorTicketId: filed.vendorTicketId };
    const reply = (n: number) =>
      mailbox.deliver(
        replyMessage({ from: `Support <${SUPPORT}>`, subject: `Re: [${draft.ref}]`, date: new Date(filed.filedAt.getTime() + n * MINUTE), messageId: `r${n}-${draft.ref}@vendor.example`, inReplyTo: filed.vendorTicketId, text: 'Looking into it.' }),
        new Date(filed.filedAt.getTime() + n * MINUTE),
      );
    return { adapter, handle, reply };
  }

  it('reconnects after the IMAP connection drops and finds what arrived meanwhile', async () => {
    const { adapter, handle, reply } = await filedTicket();
    await reply(1);
    const first = await adapter.fetchActivity(handle);
    dovecot.kick();
    await reply(2);
    const next = await adapter.fetchActivity(handle, first.cursor);
    expect(next.activities.map((a) => a.vendorActivityId)).toEqual([`message:r2-${handle.ref}@vendor.example`]);
  });

  it('while idling, a reply that arrives is found by a later poll', async () => {
    const { adapter, handle, reply } = await filedTicket();
    let page = await adapter.fetchActivity(handle);
    await reply(1);
    const seen: string[] = [];
    // IDLE delivers the news asynchronously: poll as the watcher would until it shows (bounded).
    for (let i = 0; i < 100 && seen.length === 0; i++) {
      page = await adapter.fetchActivity(handle, page.cursor);
      seen.push(...page.activities.map((a) => a.vendorActivityId));
      if (seen.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toEqual([`message:r1-${handle.ref}@vendor.example`]);
  });

  it('with IDLE turned off, every poll searches and finds a new reply at once', async () => {
    const { adapter, handle, reply } = await filedTicket({ imap: { ...entry().imap, idle: false } });
    const first = await adapter.fetchActivity(handle);
    await reply(1);
    const next = await adapter.fetchActivity(handle, first.cursor);
    expect(next.activities).toHaveLength(1);
  });
});

describe('email options', () => {
  const context = () => ({ dataDir: tempDir(), vendorName: 'agora-mail' });

  it('a missing support address names the field', () => {
    const { to: _, ...rest } = entry();
    expect(() => email(rest as EmailOptions, context())).toThrow("[supportdrill] [email] vendors.agora-mail.to: expected the vendor's support address as an e-mail address");
  });

  it('a mistyped option is refused with a suggestion', () => {
    expect(() => email({ ...entry(), saveSnet: false } as never, context())).toThrow("vendors.agora-mail.saveSnet: unknown option (did you mean 'saveSent'?)");
  });

  it('an attachment cap that is not a size names the field', () => {
    expect(() => email({ ...entry(), maxAttachmentBytes: 'lots' }, context())).toThrow("vendors.agora-mail.maxAttachmentBytes: expected a size like '10MB' or '500KB', got \"lots\"");
  });

  it('creating the adapter connects to nothing and reads no secret', () => {
    expect(() => email({ ...entry(), imap: { host: 'imap.invalid', password: { env: 'SUPPORTDRILL_TEST_UNSET' } } }, context())).not.toThrow();
  });
});
