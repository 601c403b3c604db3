/**
 * The e-mail that hands a vendor's question to a person: what the vendor asked that no evidence
 * answers ("can we schedule a call?"), on which ticket, and the one command that answers it through
 * the same channel. Sent once per question, like a scorecard (claimed in the store first).
 */
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Config } from '../config/config.ts';
import { DEFAULT_MAIL_FROM, DEFAULT_MAIL_TO } from '../config/mail.ts';
import { newHolder } from '../core/holder.ts';
import type { Logger } from '../core/log.ts';
import type { ActivityRow, MessageRow, TicketRow } from '../store/rows.ts';
import type { Store } from '../store/store.ts';
import { deliver, type Delivery } from './mailer.ts';

const EFFECT_PREFIX = 'operator-notice:';
const CLAIM_STALE_MS = 10 * 60_000;

export interface OperatorNoticeInput {
  ticket: TicketRow;
  /** The `needed` message: its questions are what the vendor asked. */
  message: MessageRow;
  /** The vendor's reply that asked them, when there is one. */
  asked: ActivityRow | null;
  /** Who is told; `null`: the scorecard recipients. */
  operator: string[] | null;
  /** Why it is not answered automatically, when it is not (only) a question for a person: a cap reached, an answer that failed to send. */
  why?: string;
}

/** The notice as an e-mail. Its Message-ID comes from the message's key, so a redo is the same e-mail. */
export function operatorNoticeMessage(input: OperatorNoticeInput, config: Pick<Config, 'mail'>): Mail.Options {
  const { ticket, message, asked } = input;
  const from = config.mail?.from ?? DEFAULT_MAIL_FROM;
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'supportdrill.invalid';
  const questions = message.questions.map((q) => `  • ${q.text}`).join('\n') || '  (see the vendor reply below)';
  const text = [
    `${ticket.vendor} asked something on ${ticket.ref} that supportdrill cannot answer from the run's evidence${input.why ? ` (${input.why})` : ''}:`,
    '',
    questions,
    '',
    asked ? `The vendor's reply (${asked.authorName ?? 'the vendor'}, ${asked.at}):\n\n${indent(asked.text ?? asked.excerpt ?? '')}` : '',
    `Ticket: ${ticket.vendorTicketId ?? '(not filed)'} ${ticket.url ?? ''}`.trimEnd(),
    '',
    'Answer it through the same channel (the vendor is waiting on us until then, and the scorecards count that wait):',
    '',
    `  npx supportdrill tickets reply ${ticket.ref} --message "…" [--attach FILE]`,
    '',
    message.body ? `A draft supportdrill wrote but did not send:\n\n${indent(message.body)}` : '',
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
  return {
    from,
    to: input.operator ?? config.mail?.to ?? [DEFAULT_MAIL_TO],
    subject: `[supportdrill] ${ticket.ref}: ${ticket.vendor} is waiting on a person`,
    text,
    messageId: `<handoff.${message.key.replace(/[^A-Za-z0-9_.-]/g, '-')}@${domain}>`,
  };
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/**
 * Sends the notice once: claimed in the store, delivered (SMTP or the outbox), marked done. A
 * failure is logged and frees the claim; it never stops the conversation.
 */
export async function notifyOperator(
  input: OperatorNoticeInput,
  options: { config: Config; store: Store; logger?: Logger; holder?: string },
): Promise<Delivery | null> {
  const { store, config, logger } = options;
  const holder = options.holder ?? newHolder();
  const key = `${EFFECT_PREFIX}${input.message.key}`;
  try {
    const claim = await store.claimEffect(key, holder, { staleAfterMs: CLAIM_STALE_MS });
    if (!claim.claimed) return null;
    const delivery = await deliver(operatorNoticeMessage(input, config), config);
    await store.completeEffect(key, holder, { via: delivery.via, path: delivery.path, messageId: delivery.messageId });
    return delivery;
  } catch (error) {
    await store.releaseEffect(key, holder).catch(() => undefined);
    logger?.warn({ ref: input.ticket.ref }, `the operator was not told about ${input.message.key}: ${(error as Error).message}`);
    return null;
  }
}
