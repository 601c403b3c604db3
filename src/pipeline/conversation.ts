/**
 * Holds a ticket's conversation like a diligent customer: after each poll it answers the vendor's
 * questions from the run's evidence (after `answerDelay`), hands what no evidence answers to the
 * operator, follows up after silence, and closes out once the vendor resolved it. Every message is
 * recorded before it is sent and sent exactly once: a send cut short (a crash, a lost answer) is
 * looked up at the vendor (`findReply`) before it is tried again.
 */
import { conversationOf, type Config } from '../config/config.ts';
import type { ConversationConfig } from '../config/conversation.ts';
import { newHolder } from '../core/holder.ts';
import type { Logger } from '../core/log.ts';
import type { Question } from '../core/question.ts';
import type { RunResult } from '../core/run-result.ts';
import { notifyOperator } from '../report/operator-notice.ts';
import type { ActivityRow, MessageRow, NewMessage, RunRow, TicketRow } from '../store/rows.ts';
import { isStoreFault, pollFailure } from '../support/poll-failure.ts';
import { planConversation, planKey, vendorLanguage } from '../support/conversation-plan.ts';
import { closeOutText, followUpText, withReference, type Language } from '../support/conversation-texts.ts';
import { VendorRejectedError, type SentMessage, type TicketHandle, type VendorAdapter } from '../vendors/adapter.ts';
import { composeRunAnswer } from './run-answer.ts';
import { pauseState } from './pause.ts';
import type { Workspace } from './workspace.ts';

/**
 * How long a send holds its message's lease; renewed while it runs, so this only bounds how long a
 * sender killed mid-send keeps the next one from finding out whether its message arrived.
 */
const SEND_LEASE_MS = 20_000;
/** The first wait before a message the vendor could not take is tried again; doubles per attempt up to 10 min. */
const RESEND_BASE_MS = 30_000;

export interface ConversationOptions {
  logger?: Logger;
  now?: () => Date;
  holder?: string;
  /** Whether writing to vendors is paused. @defaultValue the store's pause flag (`supportdrill pause`) */
  paused?(): Promise<boolean>;
  /** A dry run files nothing and so writes nothing. */
  dryRun?: boolean;
  /** Runs the drill of `run` again without filing, for a vendor that asked us to reproduce it; `null` when it could not run. */
  rerun?(run: RunRow): Promise<RunResult | null>;
  /** After a message reached the vendor (its `customer` activity recorded). */
  onMessage?(ticket: TicketRow, message: MessageRow, activity: ActivityRow): void;
  /** A question was handed to the operator. */
  onHandoff?(ticket: TicketRow, message: MessageRow): void;
  /** Recomputes the ticket's timings after our message ended a customer wait. */
  rescore?(ticket: TicketRow): Promise<TicketRow>;
}

export interface Conversation {
  /** After a ticket's poll: plans what is owed, sends what is due, marks solved. Never throws for the vendor's sake. */
  afterPoll(ticket: TicketRow): Promise<TicketRow>;
  /** Sends every due message of every ticket: what a settled ticket still owes, what a crash left half sent. */
  sendDue(): Promise<void>;
  /** The operator's own message, sent through the same path; questions waiting for a person count as answered. */
  operatorReply(ticket: TicketRow, reply: { body: string; attachments?: MessageRow['attachments']; by?: string }): Promise<MessageRow>;
}

/** The conversation of a workspace's tickets; see the module comment. */
export function conversation(workspace: Workspace, options: ConversationOptions = {}): Conversation {
  const { store, config, cwd } = workspace;
  const log = options.logger ?? workspace.logger;
  const now = options.now ?? (() => new Date());
  const holder = options.holder ?? newHolder();
  const said = new Set<string>();
  const once = (key: string, message: string) => {
    if (said.has(key)) return;
    said.add(key);
    log?.info(message);
  };

  function vendorOf(ticket: TicketRow): { adapter: VendorAdapter; settings: ConversationConfig; timezone: string } | null {
    try {
      const vendor = workspace.adapters.vendor(ticket.vendor);
      return { adapter: vendor.adapter, settings: conversationOf(config, ticket.vendor), timezone: vendor.config.timezone };
    } catch {
      return null;
    }
  }

  async function quiet(): Promise<string | null> {
    if (options.dryRun) return 'a dry run writes nothing to vendors';
    if (await (options.paused ?? (async () => (await pauseState(store)).paused))()) return 'paused: nothing is written to vendors until `supportdrill resume`';
    return null;
  }

  /** Plans a message once; an automatic one past a cap waits for the operator instead. */
  async function plan(ticket: TicketRow, settings: ConversationConfig, message: NewMessage): Promise<MessageRow> {
    let planned = message;
    if (message.automatic && message.state !== 'needed') {
      const onTicket = await store.countMessages({ ticketId: ticket.id, automatic: true, states: ['planned', 'sending', 'sent'] });
      const today = await store.countMessages({ vendor: ticket.vendor, automatic: true, states: ['planned', 'sending', 'sent'], since: new Date(now().getTime() - 24 * 3600_000) });
      const cap =
        onTicket >= settings.maxMessagesPerTicket
          ? `the cap of ${settings.maxMessagesPerTicket} automatic messages on a ticket (conversation.maxMessagesPerTicket) is reached`
          : today >= settings.maxMessagesPerDay
            ? `the cap of ${settings.maxMessagesPerDay} automatic messages to ${ticket.vendor} a day (conversation.maxMessagesPerDay) is reached`
            : null;
      if (cap) planned = { ...message, state: 'needed', detail: { ...(message.detail as object), held: cap } };
    }
    const { inserted, row } = await store.planMessage(ticket.id, planned);
    if (inserted && row.state === 'needed') {
      const asked = row.answersActivityId === null ? null : ((await store.activities(ticket.id)).find((a) => a.id === row.answersActivityId) ?? null);
      const held = (row.detail as { held?: string } | null)?.held;
      // A question for a person is the conversation working, not a fault; a cap reached is worth a warning.
      if (held) log?.warn({ ref: ticket.ref, vendor: ticket.vendor, key: row.key }, `not sent automatically: ${held}; the operator is told`);
      else log?.info({ ref: ticket.ref, vendor: ticket.vendor, key: row.key }, 'the vendor asked something only a person can answer; the operator is told');
      await notifyOperator({ ticket, message: row, asked, operator: settings.operator, why: held }, { config: config as Config, store, logger: log, holder });
      options.onHandoff?.(ticket, row);
    }
    return row;
  }

  async function answer(ticket: TicketRow, settings: ConversationConfig, activity: ActivityRow, language: Language, timezone: string): Promise<void> {
    const run = await store.getRun(ticket.runId);
    const dueAt = new Date(Math.max(Date.parse(activity.at), Date.parse(activity.seenAt)) + settings.answerDelayMs);
    let result = run?.result ?? null;
    let rerunNote: string | null = null;
    const wantsRerun = activity.questions.some((q) => q.topic === 'reproduce');
    if (wantsRerun && settings.rerun && options.rerun && run) {
      const again = await options.rerun(run).catch((error: Error) => {
        log?.warn({ ref: ticket.ref }, `the drill could not be run again for the vendor: ${error.message}`);
        return null;
      });
      if (again) {
        result = again;
        rerunNote = again.runId;
      }
    }
    const composed = result
      ? await composeRunAnswer({ questions: activity.questions, result, facts: ticket.facts, ref: ticket.ref, timezone, language, cwd, rerun: rerunNote !== null })
      : null;
    const unanswered: Question[] = composed ? composed.unanswered : activity.questions;
    const answeredAny = composed !== null && (composed.answered.length > 0 || composed.pointedTo.length > 0);
    if (settings.answer && answeredAny) {
      await plan(ticket, settings, {
        plan: planKey.answer(activity.id),
        purpose: 'answer',
        automatic: true,
        body: composed!.body,
        attachments: composed!.attachments,
        answersActivityId: activity.id,
        questions: [...composed!.answered, ...composed!.pointedTo],
        detail: { language, answered: composed!.answered.length, pointedTo: composed!.pointedTo.length, rerun: rerunNote },
        dueAt,
      });
    }
    const forPerson = settings.answer ? unanswered : activity.questions;
    if (forPerson.length > 0) {
      await plan(ticket, settings, {
        plan: planKey.handoff(activity.id),
        purpose: 'operator',
        automatic: false,
        state: 'needed',
        answersActivityId: activity.id,
        questions: forPerson,
        detail: { language },
        dueAt,
      });
    }
  }

  /** Sends one message exactly once, under its lease; see the module comment. */
  async function send(ticket: TicketRow, message: MessageRow, adapter: VendorAdapter): Promise<boolean> {
    if (!adapter.reply || !ticket.vendorTicketId || message.body === null) return false;
    const lease = `message:${message.id}`;
    if (!(await store.acquireLease(lease, holder, SEND_LEASE_MS))) return false;
    const renew = setInterval(() => void store.acquireLease(lease, holder, SEND_LEASE_MS).catch(() => undefined), SEND_LEASE_MS / 3);
    renew.unref();
    const handle: TicketHandle = { runId: ticket.runId, ref: ticket.ref, vendorTicketId: ticket.vendorTicketId };
    try {
      const fresh = await store.getMessage(message.id);
      if (!fresh || (fresh.state !== 'planned' && fresh.state !== 'sending') || fresh.body === null) return false;
      const language = ((fresh.detail as { language?: Language } | null)?.language ?? 'en') as Language;
      const outgoing = { key: fresh.key, body: withReference(fresh.body, ticket.ref, fresh.key, language), attachments: fresh.attachments };
      let sent: SentMessage | null = null;
      // An earlier attempt may have reached the vendor before its answer was lost: ask before sending again.
      if (fresh.attempts > 0) sent = (await adapter.findReply?.(handle, fresh.key)) ?? null;
      if (!sent && !stillWanted(ticket, fresh)) {
        // It did not arrive, and the ticket settled meanwhile: no longer to be sent.
        await store.updateMessage(fresh.id, { state: 'cancelled', error: `the ticket is ${ticket.state}` });
        return false;
      }
      if (!sent) {
        const begun = await store.beginSending(fresh.id);
        if (!begun.began) return false;
        sent = await adapter.reply(handle, outgoing);
      }
      const recorded = await store.markMessageSent(fresh.id, sent, {
        authorName: fresh.automatic ? 'supportdrill' : `operator: ${(fresh.detail as { by?: string } | null)?.by ?? 'operator'}`,
        authorRole: 'end-user',
        text: outgoing.body,
        reasons: [purposeReason(fresh)],
        seenAt: now(),
      });
      log?.info({ ref: ticket.ref, vendor: ticket.vendor, key: fresh.key, purpose: fresh.purpose, attachments: fresh.attachments.length }, `sent ${fresh.purpose} ${fresh.key}`);
      options.onMessage?.(ticket, recorded.message, recorded.activity);
      return true;
    } catch (error) {
      await failed(ticket, message, error);
      return false;
    } finally {
      clearInterval(renew);
      await store.releaseLease(lease, holder).catch(() => undefined);
    }
  }

  async function failed(ticket: TicketRow, message: MessageRow, error: unknown): Promise<void> {
    const text = (error as Error)?.message ?? String(error);
    try {
      const current = (await store.getMessage(message.id)) ?? message;
      if (error instanceof VendorRejectedError) {
        log?.error({ ref: ticket.ref, vendor: ticket.vendor, key: message.key }, `${text} — ${message.key} is not sent; the operator is told`);
        const held = await store.updateMessage(message.id, { state: 'needed', error: text });
        await notifyOperator({ ticket, message: held, asked: null, operator: conversationOf(config, ticket.vendor).operator, why: `sending it failed: ${text}` }, { config: config as Config, store, logger: log, holder });
        return;
      }
      const wait = pollFailure(error, current.attempts, RESEND_BASE_MS);
      const waitMs = wait.action === 'retry' ? wait.waitMs : RESEND_BASE_MS;
      if (isStoreFault(error)) once(`store:${text}`, `a message could not be recorded (${text}); it is tried again`);
      else log?.warn({ ref: ticket.ref, vendor: ticket.vendor, key: message.key, retryInMs: waitMs }, `sending ${message.key} failed: ${text}`);
      await store.updateMessage(message.id, { dueAt: new Date(now().getTime() + waitMs), error: text });
    } catch (storeError) {
      once(`store:${(storeError as Error).message}`, `a failed send of ${message.key} could not be recorded: ${(storeError as Error).message}`);
    }
  }

  async function sendDueOf(ticket: TicketRow, adapter: VendorAdapter): Promise<number> {
    let sent = 0;
    for (const message of await store.dueMessages(now(), ticket.id)) if (await send(ticket, message, adapter)) sent++;
    return sent;
  }

  async function step(ticket: TicketRow): Promise<TicketRow> {
    const vendor = vendorOf(ticket);
    if (!vendor || !ticket.filedAt) return ticket;
    const { adapter, settings, timezone } = vendor;
    if (!adapter.reply) {
      once(`no-reply:${ticket.vendor}`, `${ticket.vendor}'s channel (${adapter.kind}) cannot write back: its questions are not answered automatically`);
      return ticket;
    }
    const why = await quiet();
    if (why) {
      once(`quiet:${why}`, `${why}`);
      return ticket;
    }
    let current = ticket;
    for (let round = 0; round < 2; round++) {
      const [activities, messages] = await Promise.all([store.activities(current.id), store.messages(current.id)]);
      const firstHuman = current.sla?.checks.find((c) => c.target === 'firstHumanResponse');
      const decided = planConversation({
        ticket: current,
        activities,
        messages,
        settings,
        firstHumanDueAt: firstHuman?.dueAt ? new Date(firstHuman.dueAt) : null,
        disclosureAfter: config.disclosureAfter,
        canMarkSolved: adapter.markSolved !== undefined,
        now: now(),
      });
      const language = vendorLanguage(activities);
      for (const message of decided.cancel) await store.updateMessage(message.id, { state: 'cancelled', error: `the ticket is ${current.state}` });
      for (const activity of decided.answer) await answer(current, settings, activity, language, timezone);
      if (decided.followUp !== null) {
        await plan(current, settings, {
          plan: planKey.followUp(decided.followUp),
          purpose: 'follow-up',
          automatic: true,
          body: followUpText(decided.followUp, current.ref, language),
          detail: { language },
          dueAt: now(),
        });
      }
      if (decided.closeOut) {
        await plan(current, settings, { plan: planKey.closeOut, purpose: 'close-out', automatic: true, body: closeOutText(current.ref, language), detail: { language }, dueAt: now() });
      }
      if (decided.disclose) {
        await plan(current, settings, { plan: planKey.disclosure, purpose: 'disclosure', automatic: true, body: config.disclosureAfter!, detail: { language }, dueAt: now() });
      }
      if (decided.markSolved) await markSolved(current, adapter);
      const sent = await sendDueOf(current, adapter);
      if (sent > 0 && options.rescore) current = await options.rescore(current);
      // Once more after sending, so that a close-out just sent lets the ticket be marked solved.
      if (sent === 0 || current.state === 'open') break;
    }
    return current;
  }

  async function markSolved(ticket: TicketRow, adapter: VendorAdapter): Promise<void> {
    const key = `mark-solved:${ticket.id}`;
    const claim = await store.claimEffect(key, holder, { staleAfterMs: 10 * 60_000 });
    if (!claim.claimed) return;
    try {
      const outcome = await adapter.markSolved!({ runId: ticket.runId, ref: ticket.ref, vendorTicketId: ticket.vendorTicketId! });
      await store.completeEffect(key, holder, { outcome, at: now().toISOString() });
      log?.info({ ref: ticket.ref, vendor: ticket.vendor, outcome }, outcome === 'solved' ? `${ticket.ref} marked solved` : `${ticket.vendor} does not let us mark ${ticket.ref} solved`);
    } catch (error) {
      await store.releaseEffect(key, holder).catch(() => undefined);
      log?.warn({ ref: ticket.ref, vendor: ticket.vendor }, `marking ${ticket.ref} solved failed: ${(error as Error).message}`);
    }
  }

  return {
    async afterPoll(ticket) {
      try {
        return await step(ticket);
      } catch (error) {
        log?.error({ ref: ticket.ref, vendor: ticket.vendor }, `the conversation on ${ticket.ref} stopped on an error and is tried again at the next poll: ${(error as Error).stack ?? String(error)}`);
        return ticket;
      }
    },

    async sendDue() {
      if (await quiet()) return;
      const due = await store.dueMessages(now());
      for (const ticketId of new Set(due.map((m) => m.ticketId))) {
        const ticket = await store.getTicket(ticketId);
        if (ticket) await this.afterPoll(ticket);
      }
    },

    async operatorReply(ticket, reply) {
      const vendor = vendorOf(ticket);
      if (!vendor?.adapter.reply) throw new Error(`${ticket.vendor}'s channel cannot write back; answer the vendor there directly`);
      const activities = await store.activities(ticket.id);
      const language = vendorLanguage(activities);
      const { row } = await store.planMessage(ticket.id, {
        plan: `operator:${now().toISOString()}:${holder}`,
        purpose: 'operator',
        automatic: false,
        body: reply.body,
        attachments: reply.attachments ?? [],
        detail: { language, by: reply.by ?? 'operator' },
        dueAt: now(),
      });
      // The person answers what was waiting for a person.
      for (const waiting of (await store.messages(ticket.id)).filter((m) => m.state === 'needed')) {
        await store.updateMessage(waiting.id, { state: 'cancelled', error: `answered by the operator in ${row.key}` });
      }
      await send(ticket, row, vendor.adapter);
      const after = (await store.getMessage(row.id))!;
      if (after.state !== 'sent') throw new Error(after.error ?? `${row.key} was not sent`);
      if (options.rescore) await options.rescore((await store.getTicket(ticket.id))!);
      return after;
    },
  };
}

/** Whether a message still goes out: everything while the ticket is open; after the resolution, only the close-out messages. */
function stillWanted(ticket: TicketRow, message: MessageRow): boolean {
  if (ticket.state === 'open') return true;
  return ticket.state === 'resolved' && (message.purpose === 'close-out' || message.purpose === 'disclosure');
}

function purposeReason(message: MessageRow): string {
  switch (message.purpose) {
    case 'answer':
      return `our answer to the vendor's question(s): ${message.questions.map((q) => q.topic).join(', ') || 'see the text'}`;
    case 'follow-up':
      return 'our follow-up after the vendor went silent';
    case 'operator':
      return "the operator's reply";
    case 'close-out':
      return 'our confirmation that the resolution works';
    case 'disclosure':
      return 'our note that the ticket came from a support drill';
  }
}

