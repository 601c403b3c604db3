import { mkdir, writeFile } from 'node:fs/promises';
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

function outboxName(message: Mail.Options, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const slug = String(message.subject ?? 'message')
    .replace(/^\[supportdrill\]\s*/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${stamp}-${slug || 'message'}-${Math.random().toString(36).slice(2, 8)}.eml`;
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
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const info = await transport.sendMail(message);
    const dir = join(config.dataDir, OUTBOX_DIR);
    await mkdir(dir, { recursive: true });
    const path = join(dir, outboxName(message, now));
    await writeFile(path, info.message as Buffer);
    return { via: 'outbox', messageId: info.messageId, subject, to, path };
  }
  const auth = smtp.auth ? { user: smtp.auth.user, pass: resolveSecret(smtp.auth.pass, 'mail.smtp.auth.pass') } : undefined;
  const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: smtp.secure, auth, connectionTimeout: 30_000 });
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

/** Renders a scorecard as an e-mail and delivers it (see {@link deliver}). */
export async function emailScorecard(card: Scorecard, charts: ChartImage[], config: Pick<Config, 'mail' | 'dataDir'>, now = new Date()): Promise<Delivery> {
  return deliver(scorecardMessage(card, charts, config.mail), config, now);
}
