import type { Config } from '../config/config.ts';
import type { Logger } from '../core/log.ts';
import type { Store } from '../store/store.ts';
import type { TicketRow } from '../store/rows.ts';
import { scorecardCharts } from './charts.ts';
import { emailScorecard, type Delivery } from './mailer.ts';
import { buildRunScorecard, hasSlaMiss } from './run-scorecard.ts';

/** What {@link runScorecardMailer} needs. */
export interface RunScorecardMailerOptions {
  config: Config;
  store: Store;
  /** The directory drills ran in; evidence paths are relative to it. @defaultValue `process.cwd()` */
  cwd?: string;
  logger?: Logger;
  /** Called once per e-mail, e.g. to print the outbox path. */
  onSent?(delivery: Delivery, ticket: TicketRow): void;
}

/** The setting that records a run's scorecard as e-mailed, so that a restarted watcher does not send it twice. */
const sentKey = (runId: string) => `scorecard.emailed.${runId}`;

/**
 * The Watcher's `onSettled` hook: when a run's ticket resolves or its watch ends, e-mails the run
 * scorecard as `scorecards.email` says (`every-run`, `sla-misses` or `none`). A run is e-mailed at
 * most once; a failure to send is logged, never thrown, since watching the other tickets matters more.
 */
export function runScorecardMailer(options: RunScorecardMailerOptions): (ticket: TicketRow) => Promise<Delivery | null> {
  const { config, store, logger } = options;
  return async (ticket) => {
    const policy = config.scorecards.email;
    if (policy === 'none' || await store.getSetting(sentKey(ticket.runId)) !== null) return null;
    try {
      const card = await buildRunScorecard(store, ticket.runId, { cwd: options.cwd, config });
      if (policy === 'sla-misses' && !hasSlaMiss(card)) return null;
      const delivery = await emailScorecard(card, await scorecardCharts(card, config), config);
      await store.setSetting(sentKey(ticket.runId), JSON.stringify({ at: new Date().toISOString(), via: delivery.via, path: delivery.path, messageId: delivery.messageId }));
      options.onSent?.(delivery, ticket);
      return delivery;
    } catch (error) {
      logger?.warn({ runId: ticket.runId, ref: ticket.ref }, `the run scorecard was not e-mailed: ${(error as Error).message}`);
      return null;
    }
  };
}
