/**
 * Our reply in the vendor's thread, as an e-mail: its Message-ID, derived from the run and the
 * message's key so that every attempt is the same message; who it goes to; a subject that keeps the
 * vendor's own ticket tag and always carries ours; the threading headers; and the bytes.
 *
 * It goes to the address the vendor last wrote from only when that address is one of the vendor's
 * senders: anyone can write into the thread, and a stranger's message must never decide where our
 * evidence goes. It carries no `Auto-Submitted` header: we write as the customer would, and a desk
 * drops or deprioritises mail marked automatic (RFC 3834 asks it not to answer such mail at all).
 *
 * nodemailer is loaded when a reply is first composed, for the reason given in `email-message`.
 */
import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { OutgoingMessage } from './adapter.ts';
import { fitAttachments } from './attachments.ts';
import { drillMessageId, type MessageSettings } from './email-message.ts';
import { senderAllowed, type SenderPattern } from './email-sender.ts';

/** The most Message-IDs a reply's References names: the ticket's, then the newest of the chain (RFC 5322 §3.6.4 allows trimming). */
const MAX_REFERENCES = 20;

/** Leading reply markers, stacked or not: `Re:`, `RE[2]:`, `Aw:`, `回复：`, `答复:` … */
const REPLY_PREFIX = /^(?:\s*(?:re|aw|sv|antw|回复|答复|回覆)\s*(?:\[\d+\]\s*)?[:：]\s*)+/iu;

/** Mailboxes nobody reads: a reply there is lost, so it goes to the configured support address instead. */
const NOBODY_READS = /^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?)(?:[+._-]|$)/i;

/**
 * Our Message-ID for a reply, without angle brackets: `<run id>-reply-3@<domain>` for the key
 * `DRILL-783902/3` on ticket `DRILL-783902`, the same on every attempt. A key of another shape is
 * sanitised and given a short hash of itself, so two keys that sanitise alike stay two messages.
 */
export function replyMessageId(runId: string, ref: string, key: string, domain: string): string {
  const local = ticketLocalPart(runId, domain);
  const own = key.startsWith(`${ref}/`) ? key.slice(ref.length + 1) : key;
  const clean = own.replace(/[^A-Za-z0-9_-]/g, '-');
  const part = own !== key && own !== '' && clean === own ? own : `${clean}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
  return `${local}-reply-${part}@${domain}`;
}

/** Whether a Message-ID (no angle brackets) is one of ours on this run's ticket: the ticket's or a reply's. */
export function isOwnMessageId(id: string, runId: string, domain: string): boolean {
  if (id === drillMessageId(runId, domain)) return true;
  return id.startsWith(`${ticketLocalPart(runId, domain)}-reply-`) && id.toLowerCase().endsWith(`@${domain.toLowerCase()}`);
}

function ticketLocalPart(runId: string, domain: string): string {
  const id = drillMessageId(runId, domain);
  return id.slice(0, id.length - domain.length - 1);
}

/** The vendor's message a reply answers, as its headers say. */
export interface ThreadParent {
  /** Without angle brackets. */
  messageId?: string;
  /** Its References (else its In-Reply-To), without angle brackets, oldest first. */
  references: string[];
  subject?: string;
  from?: string;
  replyTo?: string;
}

/** The headers of a parsed vendor message that a reply to it needs. */
export function threadParent(parsed: Pick<ParsedMail, 'messageId' | 'references' | 'inReplyTo' | 'subject' | 'from' | 'replyTo'>): ThreadParent {
  const refs = messageIds([parsed.references ?? []].flat().join(' '));
  return {
    ...(parsed.messageId ? { messageId: messageIds(parsed.messageId)[0] ?? parsed.messageId.trim() } : {}),
    references: refs.length > 0 ? refs : messageIds(parsed.inReplyTo ?? ''),
    ...(parsed.subject !== undefined ? { subject: parsed.subject } : {}),
    ...(parsed.from?.value[0]?.address ? { from: parsed.from.value[0].address } : {}),
    ...(parsed.replyTo?.value[0]?.address ? { replyTo: parsed.replyTo.value[0].address } : {}),
  };
}

/** Every `<id>` in a header value, without the brackets; a bare id when it has none. */
function messageIds(value: string): string[] {
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  if (bracketed.length > 0) return bracketed;
  return value.split(/\s+/).filter((v) => v.includes('@'));
}

/**
 * Who the reply goes to: where the vendor's message asks replies to go (Reply-To, a help desk's
 * per-ticket address) or else its sender, each only when it is among the vendor's `senders` and a
 * mailbox somebody reads; otherwise the configured support address.
 */
export function replyRecipient(parent: ThreadParent | null, senders: readonly SenderPattern[], configured: string): string {
  for (const address of [parent?.replyTo, parent?.from]) {
    if (address && senderAllowed(address, senders) && !NOBODY_READS.test(address.split('@')[0]!)) return address;
  }
  return configured;
}

/**
 * `Re: ` and the vendor's subject (its own reply markers dropped, so they do not stack), which keeps
 * the vendor's ticket tag (`[#5521]`, `(5521)`) for its desk; our tag is added when it was dropped.
 */
export function replySubject(subject: string | undefined, ref: string): string {
  const base = (subject ?? '').replace(REPLY_PREFIX, '').trim();
  const tagged = base.toLowerCase().includes(`[${ref.toLowerCase()}]`) ? base : `${base} [${ref}]`.trim();
  return `Re: ${tagged}`;
}

/**
 * In-Reply-To the vendor's message (our ticket when the vendor has written nothing yet), and
 * References our ticket first, then the parent's chain and the parent itself, trimmed to the newest.
 */
export function threadHeaders(ticketMessageId: string, parent: ThreadParent | null): { inReplyTo: string; references: string[] } {
  if (!parent?.messageId) return { inReplyTo: ticketMessageId, references: [ticketMessageId] };
  const chain = [...new Set([...parent.references, parent.messageId])].filter((id) => id !== ticketMessageId);
  return { inReplyTo: parent.messageId, references: [ticketMessageId, ...chain.slice(-(MAX_REFERENCES - 1))] };
}

/** What one reply e-mail says and where it sits, decided once: a re-send is these bytes again. */
export interface ReplySpec {
  message: OutgoingMessage;
  /** Without angle brackets, like every id here. */
  messageId: string;
  date: Date;
  to: string;
  subject: string;
  inReplyTo: string;
  references: string[];
}

/** The raw reply e-mail, its recipients, and the files left out of it for the attachment limit. */
export async function composeReply(spec: ReplySpec, settings: MessageSettings): Promise<{ raw: Buffer; subject: string; recipients: string[]; left: string[] }> {
  const { included, left, note } = fitAttachments(spec.message.attachments, settings.maxAttachmentBytes, "this e-mail's");
  const cc = (settings.cc ?? []).filter((a) => a.toLowerCase() !== spec.to.toLowerCase());
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer/index.js');
  const composer = new MailComposer({
    from: settings.fromName ? { name: settings.fromName, address: settings.from } : settings.from,
    to: spec.to,
    ...(cc.length ? { cc } : {}),
    subject: spec.subject,
    text: withNote(spec.message.body, note),
    messageId: `<${spec.messageId}>`,
    inReplyTo: `<${spec.inReplyTo}>`,
    references: spec.references.map((id) => `<${id}>`),
    date: spec.date,
    attachments: included.map((a) => ({ filename: a.filename, path: a.path, contentType: a.contentType })),
  });
  const raw = await composer.compile().build();
  return { raw, subject: spec.subject, recipients: [spec.to, ...cc], left };
}

/** The body with the list of files left out, above its last line, which carries the message's key and stays last. */
function withNote(body: string, note: string): string {
  if (note === '') return body;
  const trimmed = body.replace(/\s+$/, '');
  const cut = trimmed.lastIndexOf('\n');
  if (cut < 0) return trimmed + note;
  return `${trimmed.slice(0, cut)}${note}\n\n${trimmed.slice(cut + 1)}`;
}
