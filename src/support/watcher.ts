import type { Config } from '../config/config.ts';
import type { VendorConfig } from '../config/vendor-entry.ts';
import type { Logger } from '../core/log.ts';
import type { ActivityRow, TicketPatch, TicketRow } from '../store/rows.ts';
import type { Store } from '../store/store.ts';
import { VendorRejectedError, VendorUnavailableError, type VendorActivity, type VendorAdapter } from '../vendors/adapter.ts';
import { classifyReply } from './classifier.ts';
import type { TicketFacts } from '../core/ticket-facts.ts';
import { slaVerdict, storedVerdict } from './sla.ts';
import { computeTimings, storedTimings } from './timings.ts';

/** Longest wait between polls of a ticket whose vendor keeps failing. */
export const MAX_BACKOFF_MS = 10 * 60_000;

export interface WatcherOptions {
  store: Store;
  config: Config;
  /** The adapter of a vendor, by its name in the config. */
  adapterFor(vendor: string): VendorAdapter;
  logger?: Logger;
  now?: () => Date;
  /** Spreads polls so that many tickets do not hit one vendor at the same instant. @defaultValue ±20 % */
  jitter?: () => number;
  onActivity?(ticket: TicketRow, activity: ActivityRow): void;
  onTicket?(ticket: TicketRow): void;
  /**
   * Called once when a ticket becomes `resolved` or `timed-out` (e.g. to e-mail the run scorecard).
   * Awaited; an error it throws is logged and does not stop the watch.
   */
  onSettled?(ticket: TicketRow): unknown;
  /** A poll of the ticket failed (the ticket is retried later, or stopped when the vendor refused us). */
  onPollError?(ticket: TicketRow, error: unknown): void;
}

/**
 * Watches open tickets: polls each at its vendor's interval, records every activity once with the
 * vendor's timestamp, classifies it, and keeps the ticket's timings and SLA verdict current. It
 * stops watching a ticket on resolution, at its watch deadline, or when the vendor refuses us.
 */
export class Watcher {
  readonly #options: WatcherOptions;
  readonly #now: () => Date;
  readonly #jitter: () => number;

  constructor(options: WatcherOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#jitter = options.jitter ?? (() => 0.8 + Math.random() * 0.4);
  }

  #vendor(name: string): VendorConfig | undefined {
    return this.#options.config.vendors[name];
  }

  #interval(ticket: TicketRow, adapter: VendorAdapter): number {
    return this.#vendor(ticket.vendor)?.pollInterval ?? adapter.defaultPollIntervalMs;
  }

  /** Polls one ticket once and returns it as now stored. */
  async poll(ticket: TicketRow): Promise<TicketRow> {
    const { store, logger } = this.#options;
    if (!ticket.vendorTicketId || !ticket.filedAt) return ticket;
    const adapter = this.#options.adapterFor(ticket.vendor);
    const now = this.#now();
    try {
      const page = await adapter.fetchActivity({ runId: ticket.runId, ref: ticket.ref, vendorTicketId: ticket.vendorTicketId }, ticket.cursor ?? undefined);
      const facts = ticket.facts ?? undefined;
      const seenAt = this.#now();
      for (const activity of page.activities) {
        const { inserted, row } = await store.recordActivity(ticket.id, { ...classify(activity, facts), seenAt });
        if (inserted) this.#options.onActivity?.(ticket, row);
      }
      const updated = await this.#score(ticket, {
        ...(await this.#vendorTicketId(ticket, page.vendorTicketId)),
        cursor: page.cursor ?? ticket.cursor,
        vendorStatus: page.status ?? ticket.vendorStatus,
        lastPolledAt: now,
        nextPollAt: new Date(now.getTime() + this.#interval(ticket, adapter) * this.#jitter()),
        pollErrors: 0,
        error: null,
      });
      this.#options.onTicket?.(updated);
      await this.#settled(ticket, updated);
      return updated;
    } catch (err) {
      this.#options.onPollError?.(ticket, err);
      if (err instanceof VendorRejectedError) {
        logger?.error({ vendor: ticket.vendor, ref: ticket.ref }, err.message);
        const stopped = await store.updateTicket(ticket.id, { state: 'stopped', error: err.message, lastPolledAt: now });
        this.#options.onTicket?.(stopped);
        return stopped;
      }
      const errors = ticket.pollErrors + 1;
      const backoff = Math.min(MAX_BACKOFF_MS, this.#interval(ticket, adapter) * 2 ** errors);
      const wait = err instanceof VendorUnavailableError && err.retryAfterMs !== undefined ? Math.max(err.retryAfterMs, 1000) : backoff;
      logger?.warn({ vendor: ticket.vendor, ref: ticket.ref, errors, retryInMs: wait }, `poll failed: ${(err as Error).message}`);
      return await store.updateTicket(ticket.id, { pollErrors: errors, error: (err as Error).message, lastPolledAt: now, nextPollAt: new Date(now.getTime() + wait) });
    }
  }

  /** The vendor's id learnt from its activity, unless another ticket of the vendor already has it. */
  async #vendorTicketId(ticket: TicketRow, id: string | undefined): Promise<{ vendorTicketId?: string }> {
    if (id === undefined || id === ticket.vendorTicketId) return {};
    const taken = (await this.#options.store.listTickets({ vendor: ticket.vendor })).find((t) => t.id !== ticket.id && t.vendorTicketId === id);
    if (taken) {
      this.#options.logger?.warn({ vendor: ticket.vendor, ref: ticket.ref }, `vendor ticket id ${id} already belongs to ${taken.ref}; keeping ${ticket.vendorTicketId}`);
      return {};
    }
    this.#options.logger?.info({ vendor: ticket.vendor, ref: ticket.ref }, `the vendor calls ${ticket.vendorTicketId} ticket ${id}`);
    return { vendorTicketId: id };
  }

  /**
   * Recomputes a ticket's timings, SLA verdict and state from its stored activities, for an activity
   * recorded outside a poll (the operator's `tickets resolve`).
   */
  rescore(ticket: TicketRow): Promise<TicketRow> {
    return this.#score(ticket, {});
  }

  /** Recomputes a ticket's timings and SLA verdict from its stored activities, and its state. */
  async #score(ticket: TicketRow, patch: TicketPatch): Promise<TicketRow> {
    const { store } = this.#options;
    const vendor = this.#vendor(ticket.vendor);
    const now = this.#now();
    const activities = await store.activities(ticket.id);
    const timings = computeTimings({
      filedAt: new Date(ticket.filedAt!),
      activities: activities.map((a) => ({
        at: new Date(a.at),
        seenAt: new Date(a.seenAt),
        kind: a.kind,
        status: a.statusChange ?? undefined,
        requestsProvidedInfo: a.requestsProvidedInfo,
      })),
      business: vendor?.businessHours ?? null,
    });
    const sla = vendor ? slaVerdict(timings, vendor.sla, now) : null;
    const resolved = timings.resolutionAt !== null;
    const expired = !resolved && ticket.watchUntil !== null && now.getTime() >= Date.parse(ticket.watchUntil);
    const state = resolved ? 'resolved' : expired ? 'timed-out' : ticket.state;
    const updated = await store.updateTicket(ticket.id, {
      ...patch,
      timings: storedTimings(timings),
      sla: sla ? storedVerdict(sla) : null,
      state,
      resolutionAt: timings.resolutionAt,
    });
    if (state !== ticket.state && (state === 'resolved' || state === 'timed-out')) {
      await store.updateRun(ticket.runId, {
        status: state,
        phase: state === 'resolved' ? 'ticket resolved' : 'watch ended: no resolution',
        endedAt: now,
      });
    }
    return updated;
  }

  async #settled(before: TicketRow, after: TicketRow): Promise<void> {
    if (before.state === after.state || (after.state !== 'resolved' && after.state !== 'timed-out')) return;
    try {
      await this.#options.onSettled?.(after);
    } catch (err) {
      this.#options.logger?.warn({ vendor: after.vendor, ref: after.ref }, `after the ticket ${after.state}: ${(err as Error).message}`);
    }
  }

  /**
   * Polls every open ticket when it is due, until `signal` aborts or — with `untilIdle` — no
   * ticket (of `ticketIds`, when given) is open any more.
   */
  async run(options: { signal?: AbortSignal; untilIdle?: boolean; ticketIds?: number[] } = {}): Promise<void> {
    const { store } = this.#options;
    while (!options.signal?.aborted) {
      const open = (await store.openTickets()).filter((t) => !options.ticketIds || options.ticketIds.includes(t.id));
      if (open.length === 0 && options.untilIdle) return;
      const now = this.#now().getTime();
      for (const ticket of open) {
        if (options.signal?.aborted) return;
        if (ticket.nextPollAt === null || Date.parse(ticket.nextPollAt) <= now) await this.poll(ticket);
        else if (ticket.watchUntil !== null && now >= Date.parse(ticket.watchUntil)) await this.#settled(ticket, await this.#score(ticket, {}));
      }
      const next = (await store.openTickets())
        .filter((t) => !options.ticketIds || options.ticketIds.includes(t.id))
        .map((t) => (t.nextPollAt ? Date.parse(t.nextPollAt) : now));
      const wait = next.length ? Math.max(50, Math.min(...next) - this.#now().getTime()) : 1000;
      await sleep(Math.min(wait, 5000), options.signal);
    }
  }
}

/** An activity as recorded: classified against what the ticket told the vendor. */
export function classify(activity: VendorActivity, facts: TicketFacts | undefined) {
  const statusOnly = activity.statusChange !== undefined && !activity.text?.trim();
  const classification = statusOnly
    ? null
    : classifyReply({
        text: activity.text ?? '',
        subject: activity.subject,
        headers: activity.headers,
        authorRole: activity.authorRole,
        automated: activity.automated,
        statusChange: activity.statusChange,
        facts,
      });
  return {
    vendorActivityId: activity.vendorActivityId,
    at: activity.at,
    kind: classification?.kind ?? null,
    reasons: [...(classification?.reasons ?? [`status changed to ${activity.statusChange}`]), ...(activity.notes ?? [])],
    authorName: activity.authorName ?? null,
    authorRole: activity.authorRole ?? null,
    subject: activity.subject ?? null,
    text: activity.text ?? null,
    statusChange: activity.statusChange ?? null,
    requestsProvidedInfo: classification?.requestsProvidedInfo ?? [],
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
