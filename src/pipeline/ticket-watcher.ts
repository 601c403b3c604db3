import type { ActivityRow, TicketRow } from '../store/rows.ts';
import { runScorecardMailer } from '../report/notify.ts';
import type { Delivery } from '../report/mailer.ts';
import { Watcher, type WatcherHealth } from '../support/watcher.ts';
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
}

/** The watcher of a workspace, as its callers use it. */
export interface TicketWatch {
  /** Sends the scorecards a stopped process claimed but never sent, then watches (see {@link Watcher.run}). */
  run(options?: Parameters<Watcher['run']>[0]): Promise<void>;
  health(): WatcherHealth;
}

/**
 * The watcher over a workspace's tickets, with the run scorecard e-mailed once when a ticket
 * settles (as `scorecards.email` says): what `drill` waits with, `tickets watch` runs and the service
 * keeps going.
 */
export function ticketWatcher(workspace: Workspace, hooks: TicketWatcherHooks = {}): TicketWatch {
  const { config, store, logger, cwd, adapters } = workspace;
  const mail = runScorecardMailer({ config, store, cwd, logger, onSent: hooks.onScorecard });
  const watcher = new Watcher({
    store,
    config,
    logger,
    adapterFor: (name) => adapters.get(name),
    onActivity: hooks.onActivity,
    onTicket: hooks.onTicket,
    onPollError: hooks.onPollError,
    relayStoredActivity: hooks.relayStoredActivity,
    onSettled: async (ticket) => {
      hooks.onSettled?.(ticket);
      await mail(ticket);
    },
  });
  return {
    async run(options) {
      try {
        await mail.resume();
      } catch (err) {
        logger?.warn(`unsent scorecards could not be looked up: ${(err as Error).message}`);
      }
      await watcher.run(options);
    },
    health: () => watcher.health(),
  };
}
