/**
 * The `email` vendor: files a ticket by e-mailing the vendor's support address over SMTP, and
 * watches the mailbox that receives the answers over IMAP.
 *
 * Filing is made recognisable by a Message-ID derived from the run id alone, and crash-safe by the
 * order of its steps: our copy is APPENDed to the Sent folder, marked as not yet sent, *before* the
 * SMTP transaction, and unmarked after it. A retry that finds a sent copy reuses it; one that finds
 * an unsent copy sends those very bytes (same Message-ID, same Date). The only window left is the one
 * IMAP round trip between the SMTP server accepting the message and the flag being cleared; a crash
 * exactly there re-sends a message with the same Message-ID, which receiving systems treat as the
 * same message.
 *
 * Our replies in the vendor's thread (`reply`) are sent the same way, each under a Message-ID derived
 * from the run id and the message's key (`<run_…-reply-3@domain>`), so `findReply` finds a reply a
 * crash cut off, and its Sent copy is the record that it went out. There is no `markSolved`: a
 * mailbox cannot solve a ticket, only the vendor's desk can, and a mail saying "solved" is one more
 * message the desk reads as a reply, not a state it sets.
 *
 * A vendor's message belongs to the ticket when its In-Reply-To/References carry our ticket's or one
 * of our replies' Message-ID or, failing that, its subject carries the reference tag; our own
 * messages never do, however they come back. The activity time is the reply's `Date` header — the
 * vendor's clock; the IMAP INTERNALDATE (our server's arrival time) is kept beside it and a large
 * disagreement is logged and noted on the activity.
 */
import { byteSizeSchema } from './attachments.ts';
import { z } from 'zod';
import { resolveSecret, secretSchema, type Secret } from '../core/secrets.ts';
import { durationMs, type Duration } from '../core/duration.ts';
import {
  defineVendorAdapter,
  parseVendorOptions,
  type FiledTicket,
  type OutgoingMessage,
  type SentMessage,
  type TicketDraft,
  type TicketHandle,
  type VendorFactory,
} from './adapter.ts';
import { activityReader, messageActivityId } from './email-activity.ts';
import { fail, VENDOR_NAME } from './email-errors.ts';
import { ImapSession, type ImapSettings } from './email-imap.ts';
import { composeTicket, drillMessageId, sendMail, type MessageSettings, type SmtpSettings } from './email-message.ts';
import { composeReply, replyMessageId, replyRecipient, replySubject, threadHeaders, threadParent } from './email-outgoing.ts';
import { parseCursor, replyScan } from './email-reply-scan.ts';
import { sentFolder, type SentCopy } from './email-sent-copy.ts';

export { VENDOR_NAME } from './email-errors.ts';
export { drillMessageId } from './email-message.ts';
export { replyMessageId } from './email-outgoing.ts';

/** How a connection is secured: TLS from the first byte, upgraded with STARTTLS, or plain text. */
export type MailSecurity = 'tls' | 'starttls' | 'none';

/** The SMTP server that sends our ticket. */
export interface EmailSmtpOptions {
  host: string;
  /** @defaultValue 465 for `security: 'tls'`, else 587 */
  port?: number;
  /**
   * `'tls'` (implicit TLS, usually port 465), `'starttls'` (plain connection upgraded, refused when
   * the server cannot), or `'none'` (plain text: only for a relay on the same host or a test server).
   * @defaultValue `'tls'` on port 465, else `'starttls'`
   */
  security?: MailSecurity;
  /** @defaultValue the mailbox address (`from`) when a password is given; no authentication otherwise */
  user?: string;
  /** `env('SMTP_PASSWORD')`; leave out for a relay that needs no authentication. */
  password?: Secret;
}

/** The IMAP mailbox that receives the vendor's answers. */
export interface EmailImapOptions {
  host: string;
  /** @defaultValue 993 for `security: 'tls'`, else 143 */
  port?: number;
  /** @defaultValue `'tls'` on port 993, else `'starttls'` */
  security?: MailSecurity;
  /** @defaultValue the mailbox address (`from`) */
  user?: string;
  /** `env('IMAP_PASSWORD')`. */
  password: Secret;
  /**
   * The folder the vendor's answers arrive in.
   * @defaultValue `'INBOX'`
   */
  mailbox?: string;
  /**
   * The Sent folder, where our copy of each ticket is kept.
   * @defaultValue the folder the server marks `\Sent`, else `'Sent'`
   */
  sentMailbox?: string;
  /**
   * Keep the connection open and let the server announce new mail (IMAP IDLE) when it supports
   * it, so that a poll with nothing new costs no round trip; `false` searches on every poll.
   * @defaultValue `true`
   */
  idle?: boolean;
}

/** Options of the `email` vendor, as written in the config. */
export interface EmailOptions {
  /** The vendor's support address, e.g. `'support@agora.io'`. */
  to: string;
  /** Also sent to (your own team, say); replies are still read from `imap.mailbox`. @defaultValue none */
  cc?: string[];
  /** The mailbox the ticket comes from and answers go to, e.g. `'rtc-trial@school.example'`. */
  from: string;
  /** The name shown with `from`. @defaultValue none */
  fromName?: string;
  smtp: EmailSmtpOptions;
  imap: EmailImapOptions;
  /**
   * Keep our own copy of the ticket and of each reply in the Sent folder (IMAP APPEND), which is what
   * makes sending crash-safe. Set `false` only for a provider that files a copy of everything sent
   * through its SMTP itself (Gmail, Microsoft 365); a crash between "sent" and "recorded" then still
   * finds that copy, but a crash before the provider filed it sends again (same Message-ID).
   * @defaultValue `true`
   */
  saveSent?: boolean;
  /**
   * The most evidence attached to one e-mail, in bytes or as `'10MB'`/`'500KB'`. Files are attached
   * in the ticket's order while they fit; the rest are listed in the body as left out.
   * @defaultValue `'10MB'`
   */
  maxAttachmentBytes?: number | string;
  /**
   * How far a reply's `Date` header may be from its IMAP arrival time before the disagreement is
   * flagged (a logged warning and a note on the activity).
   * @defaultValue `'15m'`
   */
  dateSkewWarning?: Duration;
  /**
   * The domain of our Message-IDs.
   * @defaultValue the domain of `from`
   */
  messageIdDomain?: string;
  /**
   * Who may speak for the vendor: addresses (`'support@agora.io'`) or domains (`'agora.io'`, which
   * includes its subdomains). A reply from anyone else — anyone can send a mail carrying the ticket's
   * tag — is kept and marked unverified but counts in no timing, and the scorecard warns about it;
   * so does one our mail server's `Authentication-Results` say failed DMARC. List the vendor's help
   * desk too when it writes from its own domain (`'agora.zendesk.com'`).
   * @defaultValue the domain of `to`
   */
  senders?: string[];
}

const byteSize = byteSizeSchema('10MB');

const address = (what: string) => z.email({ error: `expected ${what} as an e-mail address` });
const security = z.enum(['tls', 'starttls', 'none'], { error: "expected 'tls', 'starttls' or 'none'" });
const port = z.number({ error: 'expected a port number' }).int().min(1).max(65535, { error: 'expected a port number' });
const host = z.string({ error: 'expected a host name' }).min(1, { error: 'expected a host name' });

/** Validates {@link EmailOptions}: strict, sizes and durations converted, defaults filled in. */
export const emailOptionsSchema = z.strictObject({
  to: address("the vendor's support address"),
  cc: z.array(address('a copy recipient')).optional(),
  from: address('the mailbox the ticket comes from'),
  fromName: z.string().min(1).optional(),
  smtp: z.strictObject(
    { host, port: port.optional(), security: security.optional(), user: z.string().min(1).optional(), password: secretSchema.optional() },
    { error: "expected the SMTP server: { host: 'smtp.example.com', password: env('SMTP_PASSWORD') }" },
  ),
  imap: z.strictObject(
    {
      host,
      port: port.optional(),
      security: security.optional(),
      user: z.string().min(1).optional(),
      password: secretSchema,
      mailbox: z.string().min(1).default('INBOX'),
      sentMailbox: z.string().min(1).optional(),
      idle: z.boolean().default(true),
    },
    { error: "expected the IMAP mailbox: { host: 'imap.example.com', password: env('IMAP_PASSWORD') }" },
  ),
  saveSent: z.boolean().default(true),
  maxAttachmentBytes: byteSize.default(10 * 1000 ** 2),
  dateSkewWarning: z.string({ error: "expected a duration like '15m'" }).pipe(durationMs).default(15 * 60_000),
  messageIdDomain: z.string().regex(/^[A-Za-z0-9.-]+$/, { error: 'expected a domain name' }).optional(),
  senders: z
    .array(z.string().regex(/^(?:[^@\s]+@)?@?[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, { error: "expected an address like 'support@agora.io' or a domain like 'agora.io'" }))
    .min(1, { error: "name at least one sender, or leave senders out for the domain of 'to'" })
    .optional(),
});

/** {@link EmailOptions} after validation: bytes and milliseconds, defaults applied, secrets still unresolved. */
export type ResolvedEmailOptions = z.output<typeof emailOptionsSchema>;

const DEFAULT_POLL_MS = 60_000;

/** The `email` vendor as a {@link VendorFactory}; see the module comment. */
const email: VendorFactory<EmailOptions> = (rawOptions, context) => {
  const options = parseVendorOptions(emailOptionsSchema, rawOptions, { kind: VENDOR_NAME, vendorName: context.vendorName });
  const where = `vendors.${context.vendorName}`;
  const now = () => (context.now ? context.now() : new Date());
  const domain = options.messageIdDomain ?? options.from.split('@')[1]!;
  const messageIdOf = (runId: string) => drillMessageId(runId, domain);
  const message: MessageSettings = { from: options.from, fromName: options.fromName, to: options.to, cc: options.cc, maxAttachmentBytes: options.maxAttachmentBytes };
  const smtp = smtpSettings(options, where);
  const imap = imapSettings(options, where);
  const session = new ImapSession(imap, context);
  const replyIdOf = (handle: TicketHandle, key: string) => replyMessageId(handle.runId, handle.ref, key, domain);
  const sent = sentFolder(session);
  const senders = options.senders ?? [options.to.split('@')[1]!];
  const read = activityReader({ from: options.from, fromName: options.fromName, domain, dateSkewWarning: options.dateSkewWarning, now, context, senders, sendersWhere: `${where}.senders` });
  const replies = replyScan(session, { mailbox: imap.mailbox, from: options.from, idle: imap.idle, messageIdOf, now, read });
  const filed = (runId: string, copy: SentCopy, reused: boolean) => filedTicket(messageIdOf(runId), copy, reused);
  const sentMessage = (messageId: string, copy: SentCopy): SentMessage => ({ vendorMessageId: messageActivityId(messageId), at: copy.date });
  /** The Date header has whole seconds. */
  const stamp = () => new Date(Math.floor(now().getTime() / 1000) * 1000);

  /**
   * A copy of ours known to have gone out: flagged sent, or still flagged unsent but answered (the
   * flag was not cleared in time, the message went out) — then its flag is cleared now. With
   * `saveSent: false` every copy is the provider's, filed only for what it sent. `null`: maybe never sent.
   */
  async function wentOut(messageId: string, copy: SentCopy): Promise<SentCopy | null> {
    if (!options.saveSent || !copy.unsent) return copy;
    // Written but maybe never sent: only an answer to it proves it went out.
    if (!(await replies.answered(messageId))) return null;
    await sent.markSent(copy.uid);
    const done = { ...copy, unsent: false, source: undefined };
    sent.remember(messageId, done);
    return done;
  }

  /** Our copy of the ticket, which a kept Sent folder must hold: without it the mailbox is not the one the ticket was filed from. */
  async function ticketCopy(handle: TicketHandle): Promise<SentCopy | null> {
    if (!options.saveSent) return sent.find(messageIdOf(handle.runId));
    const copy = await sent.find(messageIdOf(handle.runId));
    if (copy) return copy;
    throw fail(
      `ticket ${handle.vendorTicketId} (${handle.ref}) is not in this mailbox: no message with Message-ID <${messageIdOf(handle.runId)}> ` +
        `in '${await session.sentMailbox()}' of ${imap.user}; was it filed from another mailbox?`,
    );
  }

  /**
   * The bytes to send: those of a first attempt that may not have gone out (same Message-ID, same
   * Date), else a new message, kept in the Sent folder as unsent before SMTP sees it.
   */
  async function ticketMessage(draft: TicketDraft, existing: SentCopy | null): Promise<{ raw: Buffer; copy: SentCopy }> {
    if (existing?.source) return { raw: existing.source, copy: existing };
    const date = stamp();
    const composed = await composeTicket(draft, date, messageIdOf(draft.runId), message);
    if (composed.left.length > 0) {
      context.logger?.info({ vendor: context.vendorName, ref: draft.ref, left: composed.left }, 'evidence over the attachment limit was left out of the e-mail');
    }
    const copy: SentCopy = { uid: 0, date, unsent: true, subject: draft.title, recipients: [options.to, ...(options.cc ?? [])] };
    if (options.saveSent) copy.uid = await sent.appendUnsent(messageIdOf(draft.runId), composed.raw, date);
    return { raw: composed.raw, copy };
  }

  /**
   * The reply's bytes, decided once: those of a first attempt that may not have gone out (same
   * Message-ID, Date, recipient and threading, even when the vendor has written since), else a new
   * reply to the vendor's newest verified message, kept in the Sent folder as unsent before SMTP sees it.
   */
  async function replyBytes(handle: TicketHandle, outgoing: OutgoingMessage, messageId: string, existing: SentCopy | null): Promise<{ raw: Buffer; copy: SentCopy }> {
    if (existing?.source) return { raw: existing.source, copy: existing };
    const ticket = await ticketCopy(handle);
    const newest = await replies.latestFromVendor(handle, ticket?.date);
    const parent = newest ? threadParent(newest.parsed) : null;
    const date = stamp();
    const composed = await composeReply(
      {
        message: outgoing,
        messageId,
        date,
        to: replyRecipient(parent, senders, options.to),
        subject: replySubject(parent?.subject ?? ticket?.subject, handle.ref),
        ...threadHeaders(messageIdOf(handle.runId), parent),
      },
      message,
    );
    if (composed.left.length > 0) {
      context.logger?.info({ vendor: context.vendorName, ref: handle.ref, key: outgoing.key, left: composed.left }, 'files over the attachment limit were left out of the reply');
    }
    const copy: SentCopy = { uid: 0, date, unsent: true, subject: composed.subject, recipients: composed.recipients };
    if (options.saveSent) copy.uid = await sent.appendUnsent(messageId, composed.raw, date);
    return { raw: composed.raw, copy };
  }

  return {
    kind: VENDOR_NAME,
    defaultPollIntervalMs: DEFAULT_POLL_MS,

    async preflight() {
      resolveSecret(imap.password, `${where}.imap.password`);
      if (smtp.password !== undefined) resolveSecret(smtp.password, `${where}.smtp.password`);
    },

    async findTicket({ runId }) {
      const copy = await sent.find(messageIdOf(runId));
      const done = copy ? await wentOut(messageIdOf(runId), copy) : null;
      return done ? filed(runId, done, true) : null;
    },

    async fileTicket(draft) {
      if (!draft.title.includes(`[${draft.ref}]`)) {
        throw fail(`the ticket subject must carry its reference tag [${draft.ref}], or replies that lose the thread cannot be matched; got '${draft.title}'`);
      }
      const existing = await sent.find(messageIdOf(draft.runId), true);
      if (existing && !existing.unsent) return filed(draft.runId, existing, true);
      const { raw, copy } = await ticketMessage(draft, existing);
      await sendMail(raw, { from: options.from, to: [options.to, ...(options.cc ?? [])] }, smtp, 'the ticket e-mail');
      if (options.saveSent && copy.uid) await sent.markSent(copy.uid);
      const done = { ...copy, unsent: false, source: undefined };
      sent.remember(messageIdOf(draft.runId), done);
      context.logger?.info({ vendor: context.vendorName, ref: draft.ref, to: options.to }, 'ticket e-mailed');
      return filed(draft.runId, done, false);
    },

    async fetchActivity(handle, cursor) {
      const position = parseCursor(cursor);
      const copy = options.saveSent ? await ticketCopy(handle) : null;
      return replies.page(handle, cursor, position, copy?.date);
    },

    /**
     * E-mails `outgoing` into the vendor's thread: to the address of the vendor's newest verified
     * message when it is one of `senders` (else `to`; `cc` kept), `Re: ` and that message's subject
     * with our tag, In-Reply-To it (our ticket when the vendor has written nothing), References our
     * ticket and the thread's chain. Crash-safe like filing: our copy goes to the Sent folder flagged
     * unsent before SMTP and is unflagged after; a retry that finds a sent copy (or an unsent one the
     * vendor has answered) sends nothing, one that finds an unsent copy sends those same bytes. Only
     * a crash in the IMAP round trip between SMTP accepting and the flag being cleared re-sends, with
     * the same Message-ID. With `saveSent: false` no copy of ours exists: the provider's own Sent copy
     * is what `findReply` finds, and a retry before the provider filed it (or with a provider that
     * files none) composes the reply again — same Message-ID, but Date and threading of that moment.
     */
    async reply(handle, outgoing) {
      const messageId = replyIdOf(handle, outgoing.key);
      const existing = await sent.find(messageId, true);
      const already = existing ? await wentOut(messageId, existing) : null;
      if (already) return sentMessage(messageId, already);
      const { raw, copy } = await replyBytes(handle, outgoing, messageId, existing);
      const to = copy.recipients ?? [options.to, ...(options.cc ?? [])];
      await sendMail(raw, { from: options.from, to }, smtp, `the reply ${outgoing.key}`);
      if (options.saveSent && copy.uid) await sent.markSent(copy.uid);
      const done = { ...copy, unsent: false, source: undefined };
      sent.remember(messageId, done);
      context.logger?.info({ vendor: context.vendorName, ref: handle.ref, key: outgoing.key, to }, 'reply e-mailed');
      return sentMessage(messageId, done);
    },

    /**
     * Our sent copy of the reply with this key (its Message-ID from the run and the key): flagged
     * sent, or unsent but answered by the vendor; `null` when there is none or only an unsent one
     * (then `reply` sends that copy's bytes). With `saveSent: false`, the provider's copy.
     */
    async findReply(handle, key) {
      const messageId = replyIdOf(handle, key);
      const copy = await sent.find(messageId);
      const done = copy ? await wentOut(messageId, copy) : null;
      return done ? sentMessage(messageId, done) : null;
    },

    // No markSolved: a mailbox cannot solve a ticket, only the vendor's desk sets its state (see the module comment).

    async close() {
      replies.forget();
      await session.close();
    },
  };
};

export default email;

/** The `email` adapter's registry entry. */
export const emailAdapter = defineVendorAdapter({ kind: VENDOR_NAME, factory: email, optionsSchema: emailOptionsSchema });

/** The ticket as the rest of supportdrill knows it: the vendor's id is our Message-ID until the vendor names its own. */
function filedTicket(messageId: string, copy: SentCopy, reused: boolean): FiledTicket {
  return { vendorTicketId: messageId, url: `mid:${encodeURIComponent(messageId).replace(/%40/g, '@')}`, filedAt: copy.date, reused };
}

/** A mail server's address and login with their defaults: TLS on its TLS port, else STARTTLS; the TLS port for TLS, else the plain one. */
function connection<S extends { host: string; port?: number; security?: MailSecurity; user?: string; password?: Secret }>(server: S, ports: { tls: number; plain: number }, from: string) {
  const security = server.security ?? (server.port === ports.tls ? 'tls' : 'starttls');
  return { host: server.host, port: server.port ?? (security === 'tls' ? ports.tls : ports.plain), security, user: server.user ?? from, password: server.password };
}

function smtpSettings(options: ResolvedEmailOptions, where: string): SmtpSettings {
  return { ...connection(options.smtp, { tls: 465, plain: 587 }, options.from), where };
}

function imapSettings(options: ResolvedEmailOptions, where: string): ImapSettings {
  const { password } = options.imap;
  return {
    ...connection(options.imap, { tls: 993, plain: 143 }, options.from),
    password,
    mailbox: options.imap.mailbox,
    sentMailbox: options.imap.sentMailbox,
    idle: options.imap.idle,
    where,
  };
}
