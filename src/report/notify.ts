import type { Config } from '../config/config.ts';
import type { Logger } from '../core/log.ts';
import type { TicketRow } from '../store/rows.ts';
import type { Store } from '../store/store.ts';
import { scorecardCharts } from './charts.ts';
import { emailScorecard, runScorecardMessageId, type Delivery } from './mailer.ts';
import { buildRunScorecard, hasSlaMiss } from './run-scorecard.ts';
import { newHolder } from '../core/holder.ts';

/** What {@link runScorecardMailer} needs. */
export interface RunScorecardMailerOptions {
  config: Config;
  store: Store;
  /** The directory drills ran in; evidence paths are relative to it. @defaultValue `process.cwd()` */
  cwd?: string;
  logger?: Logger;
  /** Called once per e-mail, e.g. to print the outbox path. */
  onSent?(delivery: Delivery, ticket: TicketRow): void;
  /** Who claims the e-mails, for the store's record. @defaultValue this process and a random part */
  holder?: string;
}

/** The e-mail of a run's scorecard, as a side effect claimed in the store. */
const EFFECT_PREFIX = 'scorecard-mail:';
/** A claim older than this is taken to be a dead process's: another sends it (with the same Message-ID). */
export const SCORECARD_CLAIM_STALE_MS = 10 * 60_000;
/** What an earlier version recorded for a run it had e-mailed. */
const legacySentKey = (runId: string) => `scorecard.emailed.${runId}`;

export interface RunScorecardMailer {
  /** The Watcher's `onSettled` hook: the run scorecard of a settled ticket, e-mailed once. */
  (ticket: TicketRow): Promise<Delivery | null>;
  /** Sends what a process claimed and died before finishing (a claim older than {@link SCORECARD_CLAIM_STALE_MS}). */
  resume(): Promise<Delivery[]>;
}

/**
 * E-mails the run scorecard when a run's ticket resolves or its watch ends, as `scorecards.email`
 * says (`every-run`, `sla-misses` or `none`), exactly once per run whoever watches: the e-mail is
 * claimed in the store before it is sent and marked done after, so two watchers on one store, or a
 * restart, never send it twice; one that died between the two is redone by `resume()` with the same
 * Message-ID (and, for the outbox, the same file). A failure to send is logged and frees the claim,
 * never thrown: watching the other tickets matters more.
 */
export function runScorecardMailer(options: RunScorecardMailerOptions): RunScorecardMailer {
  const { config, store, logger } = options;
  const holder = options.holder ?? newHolder();

  async function send(ticket: TicketRow): Promise<Delivery | null> {
    const policy = config.scorecards.email;
    if (policy === 'none') return null;
    const key = `${EFFECT_PREFIX}${ticket.runId}`;
    try {
      if ((await store.getSetting(legacySentKey(ticket.runId))) !== null) return null;
      const claim = await store.claimEffect(key, holder, { staleAfterMs: SCORECARD_CLAIM_STALE_MS });
      if (!claim.claimed) return null;
      const card = await buildRunScorecard(store, ticket.runId, { cwd: options.cwd, config });
      if (policy === 'sla-misses' && !hasSlaMiss(card)) {
        await store.completeEffect(key, holder, { skipped: 'no SLA miss' });
        return null;
      }
      const delivery = await emailScorecard(card, await scorecardCharts(card, config), config, new Date(), runScorecardMessageId(ticket.runId, config.mail));
      await store.completeEffect(key, holder, { at: new Date().toISOString(), via: delivery.via, path: delivery.path, messageId: delivery.messageId });
      options.onSent?.(delivery, ticket);
      return delivery;
    } catch (error) {
      await store.releaseEffect(key, holder).catch(() => undefined);
      logger?.warn({ runId: ticket.runId, ref: ticket.ref }, `the run scorecard was not e-mailed: ${(error as Error).message}`);
      return null;
    }
  }

  return Object.assign(send, {
    async resume(): Promise<Delivery[]> {
      const sent: Delivery[] = [];
      for (const effect of await store.staleEffects(EFFECT_PREFIX, SCORECARD_CLAIM_STALE_MS)) {
        const ticket = await store.getTicketByRun(effect.key.slice(EFFECT_PREFIX.length));
        if (!ticket) continue;
        logger?.warn({ runId: ticket.runId, ref: ticket.ref, attempts: effect.attempts }, 'a run scorecard claimed by a process that stopped before sending it is sent now');
        const delivery = await send(ticket);
        if (delivery) sent.push(delivery);
      }
      return sent;
    },
  });
}
