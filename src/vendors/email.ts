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
 * A reply belongs to the ticket when its In-Reply-To/References carry our Message-ID or, failing
 * that, its subject carries the reference tag. The activity time is the reply's `Date` header — the
 * vendor's clock; the IMAP INTERNALDATE (our server's arrival time) is kept beside it and a large
 * disagreement is logged and noted on the activity.
 */
import { byteSizeSchema, fitAttachments } from './attachments.ts';
import { ImapFlow, type FetchMessageObject, type MailboxLockObject, type SearchObject } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { z } from 'zod';
import { resolveSecret, secretSchema, type Secret } from '../core/secrets.ts';
import { durationMs, formatMs, type Duration } from '../core/duration.ts';
import { prefixed } from '../core/errors.ts';
import { defineVendorAdapter, parseVendorOptions, VendorRejectedError, VendorUnavailableError, type ActivityPage, type FiledTicket, type TicketDraft, type TicketHandle, type VendorActivity, type VendorAdapter, type VendorFactory } from './adapter.ts';
import { relayedComment, solvedNotice, vendorTicketNumber } from './email-reply.ts';

export const VENDOR_NAME = 'email';

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
   * Keep our own copy in the Sent folder (IMAP APPEND), which is what makes filing crash-safe. Set
   * `false` only for a provider that files a copy of everything sent through its SMTP itself
   * (Gmail, Microsoft 365); a crash between "sent" and "recorded" then still finds that copy.
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
});

/** {@link EmailOptions} after validation: bytes and milliseconds, defaults applied, secrets still unresolved. */
export type ResolvedEmailOptions = z.output<typeof emailOptionsSchema>;

/** Marks our Sent copy as "written, not yet accepted by SMTP"; `\Draft` where keywords are not allowed. */
const UNSENT_KEYWORD = '$SupportdrillUnsent';
const DEFAULT_POLL_MS = 60_000;
/** While IDLE says nothing arrived, a poll answers without asking the server, but not for longer than this. */
const IDLE_TRUST_MS = 5 * 60_000;

/**
 * Our Message-ID for a run, without angle brackets: the same on every attempt, so that a retry
 * after a crash finds (and the vendor recognises) the message sent before it.
 */
export function drillMessageId(runId: string, domain: string): string {
  return `${runId.replace(/[^A-Za-z0-9_.-]/g, '-')}@${domain}`;
}

interface SentCopy {
  uid: number;
  date: Date;
  unsent: boolean;
  source?: Buffer;
}

/** The `email` vendor as a {@link VendorFactory}; see the module comment. */
const email: VendorFactory<EmailOptions> = (rawOptions, context) => {
  const options = parseVendorOptions(emailOptionsSchema, rawOptions, { kind: VENDOR_NAME, vendorName: context.vendorName });
  const where = `vendors.${context.vendorName}`;
  const now = () => (context.now ? context.now() : new Date());
  const domain = options.messageIdDomain ?? options.from.split('@')[1]!;
  const smtpSecurity = options.smtp.security ?? (options.smtp.port === 465 ? 'tls' : 'starttls');
  const imapSecurity = options.imap.security ?? (options.imap.port === 993 ? 'tls' : 'starttls');
  const imapPort = options.imap.port ?? (imapSecurity === 'tls' ? 993 : 143);
  const smtpPort = options.smtp.port ?? (smtpSecurity === 'tls' ? 465 : 587);
  const fail = (message: string, cause?: unknown) => new VendorRejectedError(prefixed(VENDOR_NAME, message), cause === undefined ? undefined : { cause });
  const unavailable = (message: string, cause?: unknown) =>
    new VendorUnavailableError(prefixed(VENDOR_NAME, message), undefined, cause === undefined ? undefined : { cause });

  let client: ImapFlow | undefined;
  let connecting: Promise<ImapFlow> | undefined;
  let sentPath: string | undefined;
  /** Bumped whenever the server announces a change to the watched mailbox, or the connection is new. */
  let inboxEpoch = 0;
  /** Per run: what the last full scan saw, so an unchanged mailbox under IDLE needs no search. */
  const lastScan = new Map<string, { epoch: number; cursor: string | undefined; at: number; client: ImapFlow }>();
  /** Our Sent copies by run id, once found: they never change. */
  const sentCopies = new Map<string, SentCopy>();

  async function imap(): Promise<ImapFlow> {
    if (client?.usable) return client;
    connecting ??= (async () => {
      const user = options.imap.user ?? options.from;
      const pass = resolveSecret(options.imap.password, `${where}.imap.password`);
      const fresh = new ImapFlow({
        host: options.imap.host,
        port: imapPort,
        secure: imapSecurity === 'tls',
        doSTARTTLS: imapSecurity === 'starttls' ? true : imapSecurity === 'none' ? false : undefined,
        auth: { user, pass },
        logger: false,
        disableAutoIdle: !options.imap.idle,
        autoIdleDelay: 1000,
        clientInfo: { name: 'supportdrill' },
      });
      // Without a listener an 'error' event would crash the process; the next call reconnects.
      fresh.on('error', (error: Error) => context.logger?.warn({ vendor: context.vendorName }, `IMAP connection error: ${error.message}`));
      fresh.on('close', () => {
        if (client === fresh) client = undefined;
        inboxEpoch++;
      });
      fresh.on('exists', () => inboxEpoch++);
      // Mail that arrived while another folder was selected is announced by no 'exists' event.
      fresh.on('mailboxOpen', () => inboxEpoch++);
      fresh.on('expunge', () => inboxEpoch++);
      try {
        await fresh.connect();
      } catch (error) {
        fresh.close();
        throw connectError(error);
      }
      inboxEpoch++;
      client = fresh;
      return fresh;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  function connectError(error: unknown): Error {
    const e = error as { authenticationFailed?: boolean; code?: string; message?: string; responseText?: string };
    const server = `IMAP ${options.imap.host}:${imapPort}`;
    if (e.authenticationFailed) {
      return fail(`${server} refused the login for ${options.imap.user ?? options.from}: check ${where}.imap.user and ${where}.imap.password`, error);
    }
    return unavailable(`cannot reach ${server}: ${e.code ?? ''} ${e.responseText ?? e.message ?? String(error)}`.replace(/\s+/g, ' ').trim(), error);
  }

  /** Runs `fn` with `path` selected; afterwards the watched mailbox is selected again, so IDLE watches it. */
  /**
   * Runs `fn` with `path` selected; afterwards the watched mailbox is selected again, so IDLE watches
   * it. A connection found dropped (a server restart, a network change) is replaced once.
   */
  async function inMailbox<T>(path: string, fn: (c: ImapFlow, lock: MailboxLockObject) => Promise<T>, retried = false): Promise<T> {
    const c = await imap();
    const lost = (error: unknown) => {
      if (client === c) client = undefined;
      c.close();
      if (!retried) return inMailbox(path, fn, true);
      throw unavailable(`lost the IMAP connection to ${options.imap.host}:${imapPort}: ${(error as Error).message}`, error);
    };
    let lock: MailboxLockObject;
    try {
      lock = await c.getMailboxLock(path);
    } catch (error) {
      const e = error as { code?: string; responseText?: string; message?: string };
      if (!c.usable) return lost(error);
      throw fail(`cannot open the folder '${path}' on IMAP ${options.imap.host}: ${e.responseText ?? e.message ?? String(error)}`, error);
    }
    let result: { value: T } | undefined;
    try {
      // A session sees what other sessions delivered only once the server has announced it to this
      // session; NOOP makes it do so now, when the folder was already selected.
      await c.noop();
      result = { value: await fn(c, lock) };
    } catch (error) {
      if (error instanceof VendorRejectedError || error instanceof VendorUnavailableError) throw error;
      if (!c.usable) {
        lock.release();
        return lost(error);
      }
      throw error;
    } finally {
      if (result) {
        lock.release();
        if (path !== options.imap.mailbox && options.imap.idle && c.usable) {
          await c.mailboxOpen(options.imap.mailbox).catch(() => undefined);
        }
      }
    }
    return result.value;
  }


  async function sentMailbox(): Promise<string> {
    if (options.imap.sentMailbox) return options.imap.sentMailbox;
    if (sentPath) return sentPath;
    const c = await imap();
    const folders = await c.list();
    sentPath = folders.find((f) => f.specialUse === '\\Sent')?.path ?? 'Sent';
    return sentPath;
  }

  const messageIdOf = (runId: string) => drillMessageId(runId, domain);
  /** How a help desk may name us above our own comments: our display name, address, or its local part. */
  const ourNames = [options.fromName ?? '', options.from, options.from.split('@')[0]!].filter((n) => n.length >= 3);
  const filed = (runId: string, copy: SentCopy, reused: boolean): FiledTicket => {
    const id = messageIdOf(runId);
    return { vendorTicketId: id, url: `mid:${encodeURIComponent(id).replace(/%40/g, '@')}`, filedAt: copy.date, reused };
  };

  /** Our copy of the run's ticket in the Sent folder, or `null`. */
  async function findSentCopy(runId: string, withSource = false): Promise<SentCopy | null> {
    const known = sentCopies.get(runId);
    if (known && !known.unsent && !withSource) return known;
    const id = messageIdOf(runId);
    return inMailbox(await sentMailbox(), async (c) => {
      const uids = (await c.search({ header: { 'message-id': `<${id}>` } }, { uid: true })) || [];
      if (uids.length === 0) return null;
      const messages = await c.fetchAll(uids, { uid: true, flags: true, envelope: true, ...(withSource ? { source: true } : {}) }, { uid: true });
      // A server that files its own copy as well as ours leaves two: prefer one that was sent.
      const sent = messages.find((m) => !isUnsent(m)) ?? messages[0];
      if (!sent) return null;
      const copy: SentCopy = {
        uid: sent.uid,
        date: sent.envelope?.date ? new Date(sent.envelope.date) : new Date(0),
        unsent: isUnsent(sent),
        ...(sent.source ? { source: sent.source } : {}),
      };
      if (!copy.unsent) sentCopies.set(runId, { ...copy, source: undefined });
      return copy;
    });
  }

  async function markSent(uid: number): Promise<void> {
    await inMailbox(await sentMailbox(), async (c) => {
      await c.messageFlagsRemove(String(uid), [UNSENT_KEYWORD, '\\Draft'], { uid: true });
    });
  }

  /** Whether the vendor has answered a message with our Message-ID: then it was sent, whatever our flags say. */
  async function vendorAnswered(runId: string): Promise<boolean> {
    const id = `<${messageIdOf(runId)}>`;
    return inMailbox(options.imap.mailbox, async (c) => {
      const uids = (await c.search({ or: [{ header: { 'in-reply-to': id } }, { header: { references: id } }] }, { uid: true })) || [];
      return uids.length > 0;
    });
  }

  async function compose(draft: TicketDraft, date: Date): Promise<{ raw: Buffer; left: string[] }> {
    const { included: attachments, left, note } = fitAttachments(draft.attachments, options.maxAttachmentBytes, "this e-mail's");
    const composer = new MailComposer({
      from: options.fromName ? { name: options.fromName, address: options.from } : options.from,
      to: options.to,
      ...(options.cc?.length ? { cc: options.cc } : {}),
      subject: draft.title,
      text: draft.body + note,
      messageId: `<${messageIdOf(draft.runId)}>`,
      date,
      priority: draft.severity === 'high' || draft.severity === 'urgent' ? 'high' : draft.severity === 'low' ? 'low' : 'normal',
      attachments: attachments.map((a) => ({ filename: a.filename, path: a.path, contentType: a.contentType })),
    });
    const raw = await composer.compile().build();
    return { raw, left };
  }

  async function send(raw: Buffer): Promise<void> {
    const user = options.smtp.user ?? options.from;
    const pass = options.smtp.password === undefined ? undefined : resolveSecret(options.smtp.password, `${where}.smtp.password`);
    const transport = nodemailer.createTransport({
      host: options.smtp.host,
      port: smtpPort,
      secure: smtpSecurity === 'tls',
      requireTLS: smtpSecurity === 'starttls',
      ignoreTLS: smtpSecurity === 'none',
      ...(pass === undefined ? {} : { auth: { user, pass } }),
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    });
    try {
      await transport.sendMail({ envelope: { from: options.from, to: [options.to, ...(options.cc ?? [])] }, raw });
    } catch (error) {
      const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
      const server = `SMTP ${options.smtp.host}:${smtpPort}`;
      if (e.code === 'EAUTH' || e.responseCode === 535 || e.responseCode === 534 || e.responseCode === 530) {
        throw fail(`${server} refused our login for ${user}: check ${where}.smtp.user and ${where}.smtp.password (${e.response ?? e.message})`, error);
      }
      if (e.responseCode !== undefined && e.responseCode >= 500) {
        throw fail(`${server} refused the ticket e-mail to ${options.to}: ${e.response ?? e.message}`, error);
      }
      throw unavailable(`cannot send through ${server}: ${e.response ?? e.message ?? String(error)}`, error);
    } finally {
      transport.close();
    }
  }

  async function unsentFlag(): Promise<string> {
    return inMailbox(await sentMailbox(), async (c) => {
      const flags = c.mailbox ? c.mailbox.permanentFlags : undefined;
      return flags?.has('\\*') ? UNSENT_KEYWORD : '\\Draft';
    });
  }

  /** Converts one message of the watched mailbox into an activity of the run's ticket, or `null` when it is not one. */
  async function toActivity(message: FetchMessageObject, handle: TicketHandle): Promise<{ activity: VendorActivity; parsed: ParsedMail } | null> {
    if (!message.source) return null;
    const parsed = await simpleParser(message.source, { skipImageLinks: true, skipTextToHtml: true });
    const ours = messageIdOf(handle.runId);
    const idOf = (value: string) => value.trim().replace(/^<|>$/g, '');
    if (parsed.messageId && idOf(parsed.messageId) === ours) return null;
    const sender = parsed.from?.value[0]?.address?.toLowerCase();
    if (sender === options.from.toLowerCase()) return null;
    const refs = [parsed.inReplyTo ?? '', ...(Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : [])]
      .flatMap((r) => r.split(/\s+/))
      .filter((r) => r !== '')
      .map(idOf);
    const threaded = refs.includes(ours);
    // Another drill's thread whose subject happens to carry our tag (a vendor merging tickets) is not ours.
    const otherDrill = refs.some((r) => r !== ours && r.endsWith(`@${domain}`) && /^run_/.test(r));
    const tagged = new RegExp(`(^|[^A-Za-z0-9-])${escapeRegExp(handle.ref)}([^A-Za-z0-9-]|$)`, 'i').test(parsed.subject ?? '');
    if (!threaded && (otherDrill || !tagged)) return null;

    const headerDate = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : undefined;
    const internal = message.internalDate ? new Date(message.internalDate) : undefined;
    const at = headerDate ?? internal ?? now();
    const notes: string[] = [];
    if (!headerDate) notes.push('no usable Date header: timed by the IMAP arrival time');
    if (headerDate && internal && Math.abs(headerDate.getTime() - internal.getTime()) > options.dateSkewWarning) {
      const note =
        `Date header ${headerDate.toISOString()} and IMAP arrival ${internal.toISOString()} disagree by ` +
        `${formatMs(Math.abs(headerDate.getTime() - internal.getTime()))}: timed by the Date header (the vendor's clock)`;
      notes.push(note);
      context.logger?.warn({ vendor: context.vendorName, ref: handle.ref, messageId: parsed.messageId }, note);
    }
    const text = parsed.text ?? (typeof parsed.html === 'string' ? parsed.html.replace(/<[^>]+>/g, ' ') : '');
    const headers = headerMap(parsed);
    const fromName = parsed.from?.value[0]?.name || parsed.from?.value[0]?.address;
    const status = solvedNotice(text);
    const relayed = relayedComment(text, ourNames);
    const activity: VendorActivity = {
      vendorActivityId: parsed.messageId ? `message:${idOf(parsed.messageId)}` : `imap:${message.uid}:${at.getTime()}`,
      at,
      ...(internal ? { receivedAt: internal } : {}),
      authorRole: 'unknown',
      ...(fromName ? { authorName: fromName } : {}),
      ...(parsed.subject !== undefined ? { subject: parsed.subject } : {}),
      text,
      headers,
      ...(status ? { statusChange: status } : {}),
    };
    if (relayed) {
      // The notification is machine-sent by nature; what the vendor did is the comment it carries,
      // so that comment is classified (without the envelope's auto-reply headers) and timed.
      activity.text = relayed.text;
      activity.headers = {};
      if (relayed.authorName) activity.authorName = relayed.authorName;
      if (relayed.at) {
        notes.push(`relayed by a help-desk notification sent ${at.toISOString()}; timed by the comment's own time`);
        activity.at = relayed.at;
      } else {
        notes.push('relayed by a help-desk notification; the comment states no time with a timezone, so timed by the e-mail');
      }
    }
    if (notes.length > 0) activity.notes = notes;
    return { activity, parsed };
  }

  function parseCursor(cursor: string | undefined): { validity: string; uid: number } | undefined {
    if (cursor === undefined) return undefined;
    const m = /^(\d+):(\d+)$/.exec(cursor);
    if (!m) throw fail(`cursor '${cursor}' was not given out by the email adapter (its cursors are UIDVALIDITY:UID)`);
    return { validity: m[1]!, uid: Number(m[2]) };
  }

  const adapter: VendorAdapter = {
    kind: VENDOR_NAME,
    defaultPollIntervalMs: DEFAULT_POLL_MS,

    async findTicket({ runId }) {
      if (!options.saveSent) {
        const copy = await findSentCopy(runId);
        return copy ? filed(runId, copy, true) : null;
      }
      const copy = await findSentCopy(runId);
      if (!copy) return null;
      if (!copy.unsent) return filed(runId, copy, true);
      // Written but maybe never sent: only the vendor's answer proves it went out.
      if (await vendorAnswered(runId)) {
        await markSent(copy.uid);
        sentCopies.set(runId, { ...copy, unsent: false });
        return filed(runId, { ...copy, unsent: false }, true);
      }
      return null;
    },

    async fileTicket(draft) {
      if (!draft.title.includes(`[${draft.ref}]`)) {
        throw fail(`the ticket subject must carry its reference tag [${draft.ref}], or replies that lose the thread cannot be matched; got '${draft.title}'`);
      }
      const existing = await findSentCopy(draft.runId, true);
      if (existing && !existing.unsent) return filed(draft.runId, existing, true);
      let raw: Buffer;
      let copy: SentCopy;
      if (existing?.source) {
        // The same bytes as the first attempt: same Message-ID, same Date.
        raw = existing.source;
        copy = existing;
      } else {
        const date = new Date(Math.floor(now().getTime() / 1000) * 1000); // the Date header has whole seconds
        const composed = await compose(draft, date);
        raw = composed.raw;
        if (composed.left.length > 0) {
          context.logger?.info({ vendor: context.vendorName, ref: draft.ref, left: composed.left }, 'evidence over the attachment limit was left out of the e-mail');
        }
        copy = { uid: 0, date, unsent: true };
        if (options.saveSent) {
          const flag = await unsentFlag();
          const appended = await (await imap()).append(await sentMailbox(), raw, ['\\Seen', flag], date).catch((error: unknown) => {
            throw unavailable(`cannot keep our copy in '${sentPath ?? options.imap.sentMailbox}': ${(error as Error).message}`, error);
          });
          if (appended && appended.uid) copy.uid = appended.uid;
          else {
            const found = await findSentCopy(draft.runId);
            if (found) copy.uid = found.uid;
          }
        }
      }
      await send(raw);
      if (options.saveSent && copy.uid) await markSent(copy.uid);
      const sent = { ...copy, unsent: false, source: undefined };
      sentCopies.set(draft.runId, sent);
      context.logger?.info({ vendor: context.vendorName, ref: draft.ref, to: options.to }, 'ticket e-mailed');
      return filed(draft.runId, sent, false);
    },

    async fetchActivity(handle, cursor) {
      const position = parseCursor(cursor);
      let copy: SentCopy | null = null;
      if (options.saveSent) {
        copy = await findSentCopy(handle.runId);
        if (!copy) {
          throw fail(
            `ticket ${handle.vendorTicketId} (${handle.ref}) is not in this mailbox: no message with Message-ID <${messageIdOf(handle.runId)}> ` +
              `in '${await sentMailbox()}' of ${options.imap.user ?? options.from}; was it filed from another mailbox?`,
          );
        }
      }
      const c = await imap();
      const memo = lastScan.get(handle.runId);
      if (
        options.imap.idle &&
        memo &&
        memo.client === c &&
        c.idling &&
        memo.epoch === inboxEpoch &&
        memo.cursor === cursor &&
        now().getTime() - memo.at < IDLE_TRUST_MS
      ) {
        return { activities: [], cursor };
      }
      const epoch = inboxEpoch;
      const id = `<${messageIdOf(handle.runId)}>`;
      const page = await inMailbox(options.imap.mailbox, async (c2) => {
        const mailbox = c2.mailbox;
        const validity = mailbox ? String(mailbox.uidValidity) : '0';
        // A new UIDVALIDITY renumbers the mailbox: read it all again (the store keeps one copy per Message-ID).
        const after = position && position.validity === validity ? position.uid : 0;
        const since = copy ? new Date(copy.date.getTime() - 24 * 3600_000) : undefined;
        const query: SearchObject = {
          uid: `${after + 1}:*`,
          ...(since ? { since } : {}),
          or: [{ header: { 'in-reply-to': id } }, { header: { references: id } }, { subject: handle.ref }],
        };
        const uids = ((await c2.search(query, { uid: true })) || []).filter((u) => u > after).sort((a, b) => a - b);
        const messages = uids.length ? await c2.fetchAll(uids, { uid: true, source: true, internalDate: true }, { uid: true }) : [];
        const activities: VendorActivity[] = [];
        let vendorTicketId: string | undefined;
        let status: string | undefined;
        for (const message of messages.sort((a, b) => a.uid - b.uid)) {
          const read = await toActivity(message, handle);
          if (!read) continue;
          activities.push(read.activity);
          if (read.activity.statusChange) status = read.activity.statusChange;
          // Only until the vendor's number is known: later mail may cite other tickets' numbers.
          if (handle.vendorTicketId === messageIdOf(handle.runId)) vendorTicketId ??= vendorTicketNumber(
            { subject: read.parsed.subject, text: read.parsed.text ?? '' },
            [handle.ref, handle.runId, messageIdOf(handle.runId)],
          );
        }
        const last = uids[uids.length - 1];
        const next = last !== undefined ? `${validity}:${last}` : position && position.validity === validity ? cursor : `${validity}:${after}`;
        activities.sort((a, b) => a.at.getTime() - b.at.getTime());
        return {
          activities,
          cursor: next,
          ...(status ? { status } : {}),
          ...(vendorTicketId && vendorTicketId !== handle.vendorTicketId ? { vendorTicketId } : {}),
        } satisfies ActivityPage;
      });
      lastScan.set(handle.runId, { epoch, cursor: page.cursor, at: now().getTime(), client: c });
      return page;
    },

    async close() {
      const c = client;
      client = undefined;
      lastScan.clear();
      if (c?.usable) await c.logout().catch(() => c.close());
      else c?.close();
    },
  };
  return adapter;
};

export default email;

/** The `email` adapter's registry entry. */
export const emailAdapter = defineVendorAdapter({ kind: VENDOR_NAME, factory: email, optionsSchema: emailOptionsSchema });

function isUnsent(message: FetchMessageObject): boolean {
  return Boolean(message.flags?.has(UNSENT_KEYWORD) || message.flags?.has('\\Draft'));
}

/** Lower-case header names to their raw values, as the classifier's auto-reply signals read them. */
function headerMap(parsed: ParsedMail): Record<string, string | string[]> {
  const map: Record<string, string | string[]> = {};
  for (const { key, line } of parsed.headerLines) {
    const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    const existing = map[key];
    map[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return map;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
