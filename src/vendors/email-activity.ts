/**
 * Reading one message of the watched mailbox as an activity of the run's ticket: whether it belongs
 * to the ticket at all, when it happened, and what a help-desk notification relays.
 *
 * The rules (threading first, then the subject's tag; the `Date` header over INTERNALDATE) are set
 * out in the `email` module comment.
 *
 * mailparser is loaded when the first message is read, not with this module: loading the config
 * validates adapter options, and a command that never reads a reply should not pay for it.
 */
import type { FetchMessageObject } from 'imapflow';
import type { ParsedMail } from 'mailparser';
import { formatMs } from '../core/duration.ts';
import type { TicketHandle, VendorActivity, VendorContext } from './adapter.ts';
import { isOwnMessageId } from './email-outgoing.ts';
import { relayedComment, solvedNotice } from './email-reply.ts';
import { unverifiedSender } from './email-sender.ts';
import { escapeRegExp } from '../core/text-helpers.ts';

export interface ActivitySettings {
  /** Our mailbox: mail from it is our own, not the vendor's. */
  from: string;
  fromName?: string;
  /** The domain of our Message-IDs, which tells our messages and another drill's thread from a stranger's. */
  domain: string;
  /** How far `Date` and INTERNALDATE may disagree before it is flagged, in milliseconds. */
  dateSkewWarning: number;
  now: () => Date;
  context: Pick<VendorContext, 'logger' | 'vendorName'>;
  /** Who may speak for the vendor (see the `senders` option); a reply from anyone else is unverified. */
  senders: readonly string[];
  /** Where they are configured, for the reason shown: `vendors.agora.senders`. */
  sendersWhere: string;
}

/** A message read as the ticket's activity, with the parsed mail for what else it tells. */
export interface ReadActivity {
  activity: VendorActivity;
  parsed: ParsedMail;
}

/**
 * Reads one message into an activity of the run's ticket, or `null` when it is not one. `quiet`
 * reads without logging what it notices (a second look at a message already reported).
 */
export type ActivityReader = (message: FetchMessageObject, handle: TicketHandle, options?: { quiet?: boolean }) => Promise<ReadActivity | null>;

/** An e-mail activity's id: its Message-ID (without angle brackets) as `message:<id>`; our own messages' ids take the same form. */
export function messageActivityId(messageId: string): string {
  return `message:${bareId(messageId)}`;
}

export function activityReader(settings: ActivitySettings): ActivityReader {
  /** How a help desk may name us above our own comments: our display name, address, or its local part. */
  const ourNames = [settings.fromName ?? '', settings.from, settings.from.split('@')[0]!].filter((n) => n.length >= 3);

  return async (message, handle, { quiet = false } = {}) => {
    if (!message.source) return null;
    const { simpleParser } = await import('mailparser');
    const parsed = await simpleParser(message.source, { skipImageLinks: true, skipTextToHtml: true });
    if (!belongsToTicket(parsed, handle, settings)) return null;
    const { at, internal, notes } = timing(parsed, message, handle, settings, quiet);
    const text = parsed.text ?? (typeof parsed.html === 'string' ? parsed.html.replace(/<[^>]+>/g, ' ') : '');
    const fromName = parsed.from?.value[0]?.name || parsed.from?.value[0]?.address;
    const status = solvedNotice(text);
    const activity: VendorActivity = {
      vendorActivityId: parsed.messageId ? messageActivityId(parsed.messageId) : `imap:${message.uid}:${at.getTime()}`,
      at,
      ...(internal ? { receivedAt: internal } : {}),
      authorRole: 'unknown',
      ...(fromName ? { authorName: fromName } : {}),
      ...(parsed.subject !== undefined ? { subject: parsed.subject } : {}),
      text,
      headers: headerMap(parsed),
      ...(status ? { statusChange: status } : {}),
    };
    unwrapRelayed(activity, text, ourNames, notes);
    const unverified = unverifiedSender({ from: parsed.from?.value[0]?.address, headers: activity.headers ?? {} }, settings.senders, settings.sendersWhere);
    if (unverified) {
      activity.unverified = unverified;
      if (!quiet) settings.context.logger?.warn({ vendor: settings.context.vendorName, ref: handle.ref }, `a reply on ${handle.ref} is not shown to come from the vendor and counts in no timing: ${unverified}`);
    }
    if (notes.length > 0) activity.notes = notes;
    return { activity, parsed };
  };
}

/**
 * Threaded to one of our messages on the ticket (the ticket, or a reply of ours), or tagged with the
 * ref and not another drill's thread; never our own mail, however it came back: a copy the vendor's
 * desk or our Bcc returns, a copy in the watched folder, anything from our address. A vendor's
 * message that quotes ours is the vendor's, with its own Message-ID.
 */
function belongsToTicket(parsed: ParsedMail, handle: TicketHandle, settings: ActivitySettings): boolean {
  const ours = (id: string) => isOwnMessageId(id, handle.runId, settings.domain);
  if (parsed.messageId && ours(bareId(parsed.messageId))) return false;
  const sender = parsed.from?.value[0]?.address?.toLowerCase();
  if (sender === settings.from.toLowerCase()) return false;
  const refs = [parsed.inReplyTo ?? '', ...(Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : [])]
    .flatMap((r) => r.split(/\s+/))
    .filter((r) => r !== '')
    .map(bareId);
  const threaded = refs.some(ours);
  // Another drill's thread whose subject happens to carry our tag (a vendor merging tickets) is not ours.
  const otherDrill = refs.some((r) => !ours(r) && r.endsWith(`@${settings.domain}`) && /^run_/.test(r));
  const tagged = new RegExp(`(^|[^A-Za-z0-9-])${escapeRegExp(handle.ref)}([^A-Za-z0-9-]|$)`, 'i').test(parsed.subject ?? '');
  return threaded || (!otherDrill && tagged);
}

/** The activity time by the vendor's clock where it is usable, and notes on what it disagrees with. */
function timing(parsed: ParsedMail, message: FetchMessageObject, handle: TicketHandle, settings: ActivitySettings, quiet: boolean) {
  const headerDate = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : undefined;
  const internal = message.internalDate ? new Date(message.internalDate) : undefined;
  const at = headerDate ?? internal ?? settings.now();
  const notes: string[] = [];
  if (!headerDate) notes.push('no usable Date header: timed by the IMAP arrival time');
  if (headerDate && internal && Math.abs(headerDate.getTime() - internal.getTime()) > settings.dateSkewWarning) {
    const note =
      `Date header ${headerDate.toISOString()} and IMAP arrival ${internal.toISOString()} disagree by ` +
      `${formatMs(Math.abs(headerDate.getTime() - internal.getTime()))}: timed by the Date header (the vendor's clock)`;
    notes.push(note);
    if (!quiet) settings.context.logger?.warn({ vendor: settings.context.vendorName, ref: handle.ref, messageId: parsed.messageId }, note);
  }
  return { at, internal, notes };
}

/**
 * A help-desk notification is machine-sent by nature; what the vendor did is the comment it carries,
 * so that comment is classified (without the envelope's auto-reply headers) and timed.
 */
function unwrapRelayed(activity: VendorActivity, text: string, ourNames: string[], notes: string[]): void {
  const relayed = relayedComment(text, ourNames);
  if (!relayed) return;
  const sentAt = activity.at;
  activity.text = relayed.text;
  activity.headers = {};
  if (relayed.authorName) activity.authorName = relayed.authorName;
  if (relayed.at) {
    notes.push(`relayed by a help-desk notification sent ${sentAt.toISOString()}; timed by the comment's own time`);
    activity.at = relayed.at;
  } else {
    notes.push('relayed by a help-desk notification; the comment states no time with a timezone, so timed by the e-mail');
  }
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

function bareId(value: string): string {
  return value.trim().replace(/^<|>$/g, '');
}
