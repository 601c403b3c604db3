import type { ActivityRow, TicketRow } from '../store/rows.ts';
import { runScorecardMailer } from '../report/notify.ts';
import type { Delivery } from '../report/mailer.ts';
import { Watcher, type WatcherHealth } from '../support/watcher.ts';
import { conversation, type Conversation, type ConversationOptions } from './conversation.ts';
import type { Workspace } from './workspace.ts';

export interface TicketWatcherHooks {
  onActivity?(ticket: TicketRow, activity: ActivityRow): void;
  onTicket?(ticket: TicketRow): void;
  /** After the run scorecard went out for a settled ticket (e-mailed, or written to the outbox). */
  onScorecard?(delivery: Delivery, ticket: TicketRow): void;
  /** Before the scorecard: a ticket resolved or its watch ended. */
  onSettled?(ticket: TicketRow): void;
  onPollError?(ticket: TicketRow, error: unknown): void;
  /** Also report activities another process (a running service) recorded for these tickets. */
  relayStoredActivity?: boolean;
  /** The conversation's hooks and settings (a message sent, a question handed to the operator, a rerun). */
  conversation?: Omit<ConversationOptions, 'rescore' | 'logger'>;
}

/** The watcher of a workspace, as its callers use it. */
export interface TicketWatch {
  /**
   * Sends the scorecards a stopped process claimed but never sent, then watches (see
   * {@link Watcher.run}), holding each ticket's conversation as it goes.
   */
  run(options?: Parameters<Watcher['run']>[0]): Promise<void>;
  health(): WatcherHealth;
  /** The conversation of these tickets (the operator's replies go through it). */
  conversation: Conversation;
}

/** How often messages owed by tickets no longer polled (a close-out after the resolution, a send a crash cut off) are looked for. */
const SEND_DUE_EVERY_MS = 5000;
/** How long `untilIdle` waits, once no ticket is open, for what is still owed to be sent or settled. */
const SETTLE_OWED_MS = 2 * 60_000;

/**
 * The watcher over a workspace's tickets, with the run scorecard e-mailed once when a ticket
 * settles (as `scorecards.email` says): what `drill` waits with, `tickets watch` runs and the service
 * keeps going.
 */
export function ticketWatcher(workspace: Workspace, hooks: TicketWatcherHooks = {}): TicketWatch {
  const { config, store, logger, cwd, adapters } = workspace;
  const mail = runScorecardMailer({ config, store, cwd, logger, onSent: hooks.onScorecard });
  // The two refer to each other: a poll hands the ticket to the conversation, which has the watcher rescore it.
  const watcher: Watcher = new Watcher({
    store,
    config,
    logger,
    adapterFor: (name) => adapters.get(name),
    onActivity: hooks.onActivity,
    onTicket: hooks.onTicket,
    onPollError: hooks.onPollError,
    relayStoredActivity: hooks.relayStoredActivity,
    afterPoll: (ticket) => talk.afterPoll(ticket),
    onSettled: async (ticket) => {
      hooks.onSettled?.(ticket);
      await mail(ticket);
    },
  });
  const talk = conversation(workspace, {
    ...hooks.conversation,
    logger,
    rescore: (ticket) => watcher.rescore(ticket),
    onMessage: (ticket, message, activity) => {
      watcher.announce(ticket, activity);
      hooks.conversation?.onMessage?.(ticket, message, activity);
    },
  });
  async function settleOwed(ticketIds: number[] | undefined, signal: AbortSignal | undefined): Promise<void> {
    const until = Date.now() + SETTLE_OWED_MS;
    while (!signal?.aborted && Date.now() < until) {
      const owed = (await store.dueMessages(new Date('9999-12-31T23:59:59Z'))).filter((m) => !ticketIds || ticketIds.includes(m.ticketId));
      if (owed.length === 0) return;
      await talk.sendDue().catch((err: Error) => logger?.warn(`sending owed messages failed: ${err.message}`));
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  return {
    async run(options) {
      try {
        await mail.resume();
      } catch (err) {
        logger?.warn(`unsent scorecards could not be looked up: ${(err as Error).message}`);
      }
      const sweep = setInterval(() => void talk.sendDue().catch((err: Error) => logger?.warn(`sending owed messages failed: ${err.message}`)), SEND_DUE_EVERY_MS);
      try {
        await talk.sendDue().catch((err: Error) => logger?.warn(`sending owed messages failed: ${err.message}`));
        await watcher.run(options);
        // Idle means nothing owed either: a close-out still to go, or a send a crash cut off (its lease runs out first).
        if (options?.untilIdle) await settleOwed(options.ticketIds, options.signal);
      } finally {
        clearInterval(sweep);
      }
    },
    health: () => watcher.health(),
    conversation: talk,
  };
}
