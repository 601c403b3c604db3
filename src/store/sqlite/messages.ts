/** The `messages` table: what we send on tickets, written before it is sent. */
import { prefixed } from '../../core/errors.ts';
import { parseStoredJson } from '../../core/stored-timings.ts';
import type { ActivityRow, CountMessagesOptions, Instant, MessagePatch, MessageRow, MessageState, NewActivity, NewMessage } from '../rows.ts';
import { questionList, recordActivity } from './activities.ts';
import { assignments, json, one, toIso, transaction, Where, type Row, type SqliteContext } from './context.ts';

const MESSAGE_STATES: readonly MessageState[] = ['needed', 'planned', 'sending', 'sent', 'cancelled'];

function attachmentList(text: string | null): MessageRow['attachments'] {
  const value = parseStoredJson(text);
  if (!Array.isArray(value)) return [];
  return value.filter((a): a is MessageRow['attachments'][number] => typeof a?.filename === 'string' && typeof a?.path === 'string' && typeof a?.contentType === 'string');
}

function messageFromRow(row: Row): MessageRow {
  return {
    id: row.id as number,
    ticketId: row.ticket_id as number,
    plan: row.plan as string,
    key: row.key as string,
    purpose: row.purpose as MessageRow['purpose'],
    automatic: row.automatic === 1,
    state: row.state as MessageState,
    body: row.body as string | null,
    attachments: attachmentList(row.attachments_json as string),
    answersActivityId: row.answers_activity_id as number | null,
    questions: questionList(row.questions_json as string),
    detail: parseStoredJson(row.detail_json as string | null),
    dueAt: row.due_at as string,
    attempts: row.attempts as number,
    sentAt: row.sent_at as string | null,
    vendorMessageId: row.vendor_message_id as string | null,
    error: row.error as string | null,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  };
}

export function getMessage(ctx: SqliteContext, id: number): MessageRow | null {
  return one(ctx, 'SELECT * FROM messages WHERE id = ?', id, messageFromRow);
}

function requireMessage(ctx: SqliteContext, id: number): MessageRow {
  const message = getMessage(ctx, id);
  if (!message) throw new Error(prefixed('store', `no message ${id}`));
  return message;
}

/**
 * Plans a message once: a plan the ticket already has (`answer:<activity id>`, `close-out`) is
 * returned as it is with `inserted: false`, so that two watchers planning the same answer write one.
 * The key is the ticket's ref and the ticket's next message number.
 */
export function planMessage(ctx: SqliteContext, ticketId: number, message: NewMessage): { inserted: boolean; row: MessageRow } {
  return transaction(ctx, () => {
    const found = ctx.db.prepare('SELECT * FROM messages WHERE ticket_id = ? AND plan = ?').get(ticketId, message.plan) as Row | undefined;
    if (found) return { inserted: false, row: messageFromRow(found) };
    const ticket = ctx.db.prepare('SELECT ref FROM tickets WHERE id = ?').get(ticketId) as { ref: string } | undefined;
    if (!ticket) throw new Error(prefixed('store', `no ticket ${ticketId} to plan a message on`));
    const { n } = ctx.db.prepare('SELECT COUNT(*) AS n FROM messages WHERE ticket_id = ?').get(ticketId) as { n: number };
    const now = ctx.nowIso();
    const body = message.body ?? null;
    const state = message.state ?? (body === null ? 'needed' : 'planned');
    const info = ctx.db
      .prepare(
        `INSERT INTO messages (ticket_id, plan, key, purpose, automatic, state, body, attachments_json, answers_activity_id,
                               questions_json, detail_json, due_at, created_at, updated_at)
         VALUES (@ticketId, @plan, @key, @purpose, @automatic, @state, @body, @attachments, @answers, @questions, @detail, @dueAt, @now, @now)`,
      )
      .run({
        ticketId,
        plan: message.plan,
        key: `${ticket.ref}/${n + 1}`,
        purpose: message.purpose,
        automatic: message.automatic ? 1 : 0,
        state,
        body,
        attachments: JSON.stringify(message.attachments ?? []),
        answers: message.answersActivityId ?? null,
        questions: JSON.stringify(message.questions ?? []),
        detail: json(message.detail),
        dueAt: toIso(message.dueAt, 'dueAt'),
        now,
      });
    return { inserted: true, row: requireMessage(ctx, Number(info.lastInsertRowid)) };
  });
}

/** A ticket's messages in the order they were planned. */
export function messages(ctx: SqliteContext, ticketId: number): MessageRow[] {
  return (ctx.db.prepare('SELECT * FROM messages WHERE ticket_id = ? ORDER BY id').all(ticketId) as Row[]).map(messageFromRow);
}

/**
 * Messages to send now: `planned` and `sending` ones (an attempt cut off by a crash or a lost
 * answer: the vendor is asked for it first) due by `now`, the longest due first.
 */
export function dueMessages(ctx: SqliteContext, now: Instant, ticketId?: number): MessageRow[] {
  const where = new Where().equals('ticket_id', ticketId);
  const scope = where.toString() ? `${where.toString()} AND` : ' WHERE';
  return (
    ctx.db
      .prepare(`SELECT * FROM messages${scope} state IN ('planned', 'sending') AND due_at <= ? ORDER BY due_at, id`)
      .all(...where.params, toIso(now, 'now')) as Row[]
  ).map(messageFromRow);
}

const MESSAGE_COLUMNS = {
  state: ['state', (value: MessageState | null) => checkMessageState(String(value))],
  body: ['body', (value: string | null) => value],
  attachments: ['attachments_json', (value: unknown) => JSON.stringify(value ?? [])],
  dueAt: ['due_at', (value: Instant | null) => toIso(value ?? new Date(0), 'dueAt')],
  error: ['error', (value: string | null) => value],
  detail: ['detail_json', (value: unknown) => json(value)],
} as const;

function checkMessageState(state: string): MessageState {
  if (!(MESSAGE_STATES as readonly string[]).includes(state)) {
    throw new TypeError(prefixed('store', `unknown message state '${state}'; expected one of ${MESSAGE_STATES.join(', ')}`));
  }
  return state as MessageState;
}

/** Changes a message that is not sent yet; a sent message is returned as it is (what reached the vendor is history). */
export function updateMessage(ctx: SqliteContext, id: number, patch: MessagePatch): MessageRow {
  return transaction(ctx, () => {
    const message = requireMessage(ctx, id);
    if (message.state === 'sent') return message;
    const { sql, params } = assignments(patch, MESSAGE_COLUMNS);
    if (sql.length > 0) ctx.db.prepare(`UPDATE messages SET ${sql.join(', ')}, updated_at = @now WHERE id = @id`).run({ ...params, now: ctx.nowIso(), id });
    return requireMessage(ctx, id);
  });
}

/**
 * Records that an attempt to send begins (before the vendor is called), counting it. Only a
 * `planned` or `sending` message can be sent; anything else is returned as it is and `began` is false.
 */
export function beginSending(ctx: SqliteContext, id: number): { began: boolean; row: MessageRow } {
  return transaction(ctx, () => {
    const message = requireMessage(ctx, id);
    if (message.state !== 'planned' && message.state !== 'sending') return { began: false, row: message };
    ctx.db.prepare("UPDATE messages SET state = 'sending', attempts = attempts + 1, error = NULL, updated_at = ? WHERE id = ?").run(ctx.nowIso(), id);
    return { began: true, row: requireMessage(ctx, id) };
  });
}

/**
 * Records, in one transaction, that the vendor has the message and the `customer` activity it makes
 * on the ticket. Recording it twice (a second process found it at the vendor too) changes nothing.
 */
export function markMessageSent(
  ctx: SqliteContext,
  id: number,
  sent: { vendorMessageId: string; at: Instant },
  activity: Omit<NewActivity, 'vendorActivityId' | 'at' | 'kind'>,
): { message: MessageRow; activity: ActivityRow } {
  return transaction(ctx, () => {
    const message = requireMessage(ctx, id);
    const at = toIso(sent.at, 'at');
    if (message.state !== 'sent') {
      ctx.db
        .prepare("UPDATE messages SET state = 'sent', sent_at = ?, vendor_message_id = ?, error = NULL, updated_at = ? WHERE id = ?")
        .run(at, sent.vendorMessageId, ctx.nowIso(), id);
    }
    const recorded = recordActivity(ctx, message.ticketId, { ...activity, vendorActivityId: sent.vendorMessageId, at, kind: 'customer' });
    return { message: requireMessage(ctx, id), activity: recorded.row };
  });
}

/** How many messages match: what the caps on automatic messages count. */
export function countMessages(ctx: SqliteContext, options: CountMessagesOptions): number {
  const where = new Where()
    .equals('m.ticket_id', options.ticketId)
    .equals('t.vendor', options.vendor)
    .equals('m.automatic', options.automatic === undefined ? undefined : options.automatic ? 1 : 0)
    .atLeast('m.created_at', options.since === undefined ? undefined : toIso(options.since, 'since'))
    .oneOf('m.state', options.states);
  const row = ctx.db.prepare(`SELECT COUNT(*) AS n FROM messages m JOIN tickets t ON t.id = m.ticket_id${where.toString()}`).get(...where.params) as { n: number };
  return row.n;
}
