import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { DEFAULT_MAIL_FROM, DEFAULT_MAIL_TO, type MailConfig } from '../config/mail.ts';
import { type Config } from '../config/config.ts';
import { resolveSecret } from '../core/secrets.ts';
import { prefixed, UserError } from '../core/errors.ts';
import type { ChartImage } from './charts.ts';
import { renderHtml, renderJson, renderText, type ChartSources, type Scorecard } from './format.ts';
import { runSubject, trialSubject } from './sections.ts';

/** The directory under `dataDir` where e-mails go when no SMTP server is configured. */
export const OUTBOX_DIR = 'outbox';

/** How an e-mail left. */
export interface Delivery {
  via: 'smtp' | 'outbox';
  messageId: string;
  subject: string;
  to: string[];
  /** The `.eml` file, for the outbox; `null` when sent over SMTP. */
  path: string | null;
}

/** The content id of a chart in a scorecard e-mail: the HTML refers to it as `cid:<id>`. */
export function chartCid(id: string): string {
  return `${id}-chart@supportdrill`;
}

function attachmentName(card: Scorecard): string {
  return card.kind === 'run' ? `scorecard-${card.run.id}.json` : `trial-scorecard-${card.period.from.slice(0, 10)}_${card.period.to.slice(0, 10)}.json`;
}

/**
 * A scorecard as an e-mail: HTML and plain-text alternatives, the charts inline by content id, the
 * JSON attached.
 */
export function scorecardMessage(card: Scorecard, charts: ChartImage[], mail: MailConfig | null): Mail.Options {
  const sources: ChartSources = Object.fromEntries(charts.map((chart) => [chart.id, `cid:${chartCid(chart.id)}`]));
  const textCharts = Object.fromEntries(charts.map((chart) => [chart.id, `${chart.filename} (attached)`]));
  return {
    from: mail?.from ?? DEFAULT_MAIL_FROM,
    to: mail?.to ?? [DEFAULT_MAIL_TO],
    subject: card.kind === 'run' ? runSubject(card) : trialSubject(card),
    text: renderText(card, textCharts),
    html: renderHtml(card, sources),
    attachments: [
      ...charts.map((chart) => ({ filename: chart.filename, content: chart.png, contentType: 'image/png', cid: chartCid(chart.id) })),
      { filename: attachmentName(card), content: renderJson(card), contentType: 'application/json' },
    ],
  };
}

function outboxName(message: Mail.Options, now: Date, tag: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const slug = String(message.subject ?? 'message')
    .replace(/^\[supportdrill\]\s*/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${stamp}-${slug || 'message'}${tag || `-${Math.random().toString(36).slice(2, 8)}`}.eml`;
}

function recipients(message: Mail.Options): string[] {
  const to = message.to;
  if (to === undefined) return [];
  return (Array.isArray(to) ? to : [to]).map((address) => (typeof address === 'string' ? address : address.address));
}

/**
 * Sends an e-mail through the configured SMTP server or, without one, writes it as an `.eml` file
 * under `<dataDir>/outbox/`, so that the default install still "sends" something a person can open.
 * An SMTP failure is a {@link UserError} naming the server and the config field to check.
 */
export async function deliver(message: Mail.Options, config: Pick<Config, 'mail' | 'dataDir'>, now = new Date()): Promise<Delivery> {
  const smtp = config.mail?.smtp ?? null;
  const subject = String(message.subject ?? '');
  const to = recipients(message);
  if (!smtp) {
    const dir = join(config.dataDir, OUTBOX_DIR);
    await mkdir(dir, { recursive: true });
    // A message with a fixed Message-ID is delivered to the outbox once: a redo finds its file.
    const tag = message.messageId ? `-${createHash('sha256').update(String(message.messageId)).digest('hex').slice(0, 10)}` : '';
    const earlier = tag ? (await readdir(dir)).find((name) => name.endsWith(`${tag}.eml`)) : undefined;
    if (earlier) return { via: 'outbox', messageId: String(message.messageId), subject, to, path: join(dir, earlier) };
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const info = await transport.sendMail(message);
    const path = join(dir, outboxName(message, now, tag));
    // Written whole or not at all: a crash mid-write leaves no half message for the redo to find.
    await writeFile(`${path}.partial`, info.message as Buffer);
    await rename(`${path}.partial`, path);
    return { via: 'outbox', messageId: info.messageId, subject, to, path };
  }
  const auth = smtp.auth ? { user: smtp.auth.user, pass: resolveSecret(smtp.auth.pass, 'mail.smtp.auth.pass') } : undefined;
  // Every phase has its limit: a server that accepts the connection and then stalls must not hang the watcher.
  const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: smtp.secure, auth, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  try {
    const info = await transport.sendMail(message);
    return { via: 'smtp', messageId: info.messageId, subject, to, path: null };
  } catch (error) {
    throw new UserError(
      prefixed('mail', `could not send "${subject}" through ${smtp.host}:${smtp.port}: ${(error as Error).message}. Check mail.smtp (host, port, secure, auth) in the config; without mail.smtp, e-mails are written to ${join(config.dataDir, OUTBOX_DIR)}.`),
      { cause: error },
    );
  } finally {
    transport.close();
  }
}

/**
 * Renders a scorecard as an e-mail and delivers it (see {@link deliver}). `messageId` fixes the
 * Message-ID, so that a send redone after a crash is the same message (and the same outbox file).
 */
export async function emailScorecard(card: Scorecard, charts: ChartImage[], config: Pick<Config, 'mail' | 'dataDir'>, now = new Date(), messageId?: string): Promise<Delivery> {
  return deliver({ ...scorecardMessage(card, charts, config.mail), ...(messageId ? { messageId } : {}) }, config, now);
}

/** A run scorecard's Message-ID: the same on every attempt, from the run id and the sender's domain. */
export function runScorecardMessageId(runId: string, mail: MailConfig | null): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(mail?.from ?? DEFAULT_MAIL_FROM)?.[1] ?? 'supportdrill.invalid';
  return `<scorecard.${runId.replace(/[^A-Za-z0-9_.-]/g, '-')}@${domain}>`;
}
