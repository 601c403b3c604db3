/**
 * The ticket e-mail itself: composed once with a Message-ID derived from the run id, so every attempt
 * (and the vendor) recognises it, and handed to the SMTP server as those exact bytes — the one way
 * any of our e-mails (the ticket, a reply) is sent.
 *
 * nodemailer is loaded when a ticket is first composed, not with this module: loading the config
 * validates adapter options, and a command that never files a ticket should not pay for it.
 */
import { resolveSecret, type Secret } from '../core/secrets.ts';
import type { TicketDraft } from './adapter.ts';
import { fitAttachments } from './attachments.ts';
import { fail, unavailable } from './email-errors.ts';

/** Who the ticket is from and to, and how much evidence one e-mail may carry. */
export interface MessageSettings {
  from: string;
  fromName?: string;
  to: string;
  cc?: string[];
  maxAttachmentBytes: number;
}

/** The SMTP server, defaults already applied. */
export interface SmtpSettings {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  user: string;
  password?: Secret;
  /** Where these options sit in the config (`vendors.<name>`), for messages that name them. */
  where: string;
}

/**
 * Our Message-ID for a run, without angle brackets: the same on every attempt, so that a retry
 * after a crash finds (and the vendor recognises) the message sent before it.
 */
export function drillMessageId(runId: string, domain: string): string {
  return `${runId.replace(/[^A-Za-z0-9_.-]/g, '-')}@${domain}`;
}

/** The raw ticket e-mail, and the evidence left out of it for the attachment limit. */
export async function composeTicket(draft: TicketDraft, date: Date, messageId: string, message: MessageSettings): Promise<{ raw: Buffer; left: string[] }> {
  const { included: attachments, left, note } = fitAttachments(draft.attachments, message.maxAttachmentBytes, "this e-mail's");
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer/index.js');
  const composer = new MailComposer({
    from: message.fromName ? { name: message.fromName, address: message.from } : message.from,
    to: message.to,
    ...(message.cc?.length ? { cc: message.cc } : {}),
    subject: draft.title,
    text: draft.body + note,
    messageId: `<${messageId}>`,
    date,
    priority: draft.severity === 'high' || draft.severity === 'urgent' ? 'high' : draft.severity === 'low' ? 'low' : 'normal',
    attachments: attachments.map((a) => ({ filename: a.filename, path: a.path, contentType: a.contentType })),
  });
  const raw = await composer.compile().build();
  return { raw, left };
}

/** Who an SMTP transaction is from and to: for a re-send, the recipients the stored bytes name. */
export interface Envelope {
  from: string;
  to: string[];
}

/**
 * Sends `raw` as it is (`what`: "the ticket e-mail", "the reply"); a refusal the sender can mend is a
 * {@link fail}, anything else {@link unavailable}.
 */
export async function sendMail(raw: Buffer, envelope: Envelope, smtp: SmtpSettings, what: string): Promise<void> {
  const pass = smtp.password === undefined ? undefined : resolveSecret(smtp.password, `${smtp.where}.smtp.password`);
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    ...(pass === undefined ? {} : { auth: { user: smtp.user, pass } }),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  try {
    await transport.sendMail({ envelope, raw });
  } catch (error) {
    const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
    const server = `SMTP ${smtp.host}:${smtp.port}`;
    if (e.code === 'EAUTH' || e.responseCode === 535 || e.responseCode === 534 || e.responseCode === 530) {
      throw fail(`${server} refused our login for ${smtp.user}: check ${smtp.where}.smtp.user and ${smtp.where}.smtp.password (${e.response ?? e.message})`, error);
    }
    if (e.responseCode !== undefined && e.responseCode >= 500) {
      throw fail(`${server} refused ${what} to ${envelope.to.join(', ')}: ${e.response ?? e.message}`, error);
    }
    throw unavailable(`cannot send through ${server}: ${e.response ?? e.message ?? String(error)}`, error);
  } finally {
    transport.close();
  }
}
