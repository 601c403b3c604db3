import type { Config } from '../config/config.ts';
import type { VendorConfig } from '../config/vendor-entry.ts';
import type { Logger } from '../core/log.ts';
import type { ActivityRow, TicketPatch, TicketRow } from '../store/rows.ts';
import type { Store } from '../store/store.ts';
import type { VendorActivity, VendorAdapter } from '../vendors/adapter.ts';
import { isStoreFault, pollFailure } from './poll-failure.ts';
import { classifyReply } from './classifier.ts';
import type { TicketFacts } from '../core/ticket-facts.ts';
import { slaVerdict, storedVerdict } from './sla.ts';
import { SLA_WATCH_MARGIN_MS, slaDeadline, type SlaVerdict } from '../core/sla.ts';
import type { Timings } from '../core/timings.ts';
import { computeTimings, storedTimings, timedActivities } from './timings.ts';
import { newHolder } from '../core/holder.ts';
import { diagnosisKey, storedDiagnosis, ticketDiagnosis } from './ticket-diagnosis.ts';

export { MAX_BACKOFF_MS } from './poll-failure.ts';

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
  /**
   * After each successful poll, inside the poll's lease (so one watcher at a time does it for a
   * ticket): the conversation answers, follows up, closes out. Awaited; what it throws is logged.
   */
  afterPoll?(ticket: TicketRow): Promise<unknown>;
  /** Who this watcher is in poll leases: two watchers on one store take turns on a ticket. @defaultValue this process and a random part */
  holder?: string;
  /** Polls in flight at once for one vendor: a slow vendor holds up only its own tickets. @defaultValue 4 */
  perVendorConcurrency?: number;
  /**
   * Also report (through `onActivity`) what another process recorded for the tickets watched, e.g.
   * a `drill --wait` beside a running service that polls the ticket first. @defaultValue `false`
   */
  relayStoredActivity?: boolean;
}

/** What `/healthz` reads of a watcher: that its loop goes round, and when each vendor last answered. */
export interface WatcherHealth {
  /** When the loop last went round, or `null` before its first pass. */
  lastPassAt: Date | null;
  vendors: Record<string, { lastSuccessAt: Date | null; lastFailureAt: Date | null; lastFailure: string | null }>;
}

/**
 * How long a poll holds its ticket's lease. Short, so that a watcher killed mid-poll holds up the
 * next one only briefly; a slower poll that outlives it may overlap another watcher's, which costs a
 * second vendor call and nothing else (activities are recorded once, side effects are claimed).
 */
const POLL_LEASE_MS = 15_000;
/** After the loop is asked to stop, how long polls in flight get to finish. */
const STOP_GRACE_MS = 5000;

/**
 * Watches open tickets: polls each at its vendor's interval, records every activity once with the
 * vendor's timestamp, classifies it, and keeps the ticket's timings and SLA verdict current. It
 * stops watching a ticket on resolution, at its watch deadline, or when the vendor refuses us.
 */
export class Watcher {
  readonly #options: WatcherOptions;
  readonly #now: () => Date;
  readonly #jitter: () => number;
  readonly #holder: string;
  readonly #inFlight = new Map<number, Promise<void>>();
  readonly #perVendor = new Map<string, number>();
  /** Tickets whose failed poll could not even be recorded (the store itself failed): not before this instant. */
  readonly #localHold = new Map<number, number>();
  /** Activity row ids reported per ticket, so that none is reported twice. */
  readonly #reported = new Map<number, Set<number>>();
  /** Local failures already logged: a full disk is said once, not at every poll. */
  readonly #logged = new Set<string>();
  #wake: (() => void) | undefined;
  readonly #health: WatcherHealth = { lastPassAt: null, vendors: {} };

  constructor(options: WatcherOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#jitter = options.jitter ?? (() => 0.8 + Math.random() * 0.4);
    this.#holder = options.holder ?? newHolder();
  }

  /** For `/healthz`. */
  health(): WatcherHealth {
    return this.#health;
  }

  #vendorHealth(vendor: string) {
    return (this.#health.vendors[vendor] ??= { lastSuccessAt: null, lastFailureAt: null, lastFailure: null });
  }

  #vendor(name: string): VendorConfig | undefined {
    return this.#options.config.vendors[name];
  }

  #interval(ticket: TicketRow, adapter: VendorAdapter): number {
    return this.#vendor(ticket.vendor)?.pollInterval ?? adapter.defaultPollIntervalMs;
  }

  /**
   * Polls one ticket once and returns it as now stored. Never throws for the vendor's sake: a refusal
   * stops the ticket, anything else (the vendor unavailable, our side failing) is retried with backoff.
   */
  async poll(ticket: TicketRow): Promise<TicketRow> {
    const { store } = this.#options;
    if (!ticket.vendorTicketId || !ticket.filedAt) return ticket;
    const now = this.#now();
    let intervalMs = this.#vendor(ticket.vendor)?.pollInterval ?? 60_000;
    try {
      const adapter = this.#options.adapterFor(ticket.vendor);
      intervalMs = this.#interval(ticket, adapter);
      const page = await adapter.fetchActivity({ runId: ticket.runId, ref: ticket.ref, vendorTicketId: ticket.vendorTicketId }, ticket.cursor ?? undefined);
      const facts = ticket.facts ?? undefined;
      const seenAt = this.#now();
      for (const activity of page.activities) {
        const { inserted, row } = await store.recordActivity(ticket.id, { ...classify(activity, facts), seenAt });
        if (inserted) this.#report(ticket, row);
      }
      const updated = await this.#score(ticket, {
        ...(await this.#vendorTicketId(ticket, page.vendorTicketId)),
        cursor: page.cursor ?? ticket.cursor,
        vendorStatus: page.status ?? ticket.vendorStatus,
        lastPolledAt: now,
        nextPollAt: new Date(now.getTime() + intervalMs * this.#jitter()),
        pollErrors: 0,
        error: null,
      });
      this.#vendorHealth(ticket.vendor).lastSuccessAt = now;
      this.#options.onTicket?.(updated);
      await this.#settled(ticket, updated);
      await this.#options.afterPoll?.(updated)?.catch((err: unknown) => this.#logOnce(updated, err, `the conversation on ${updated.ref} failed`));
      return updated;
    } catch (err) {
      this.#options.onPollError?.(ticket, err);
      return this.#failed(ticket, err, now, intervalMs);
    }
  }

  /** Records a failed poll: the ticket stopped (the vendor refused us) or due again after a backoff. */
  async #failed(ticket: TicketRow, err: unknown, now: Date, intervalMs: number): Promise<TicketRow> {
    const { store, logger } = this.#options;
    const message = (err as Error)?.message ?? String(err);
    const errors = ticket.pollErrors + 1;
    const failure = pollFailure(err, errors, intervalMs);
    Object.assign(this.#vendorHealth(ticket.vendor), { lastFailureAt: now, lastFailure: message });
    try {
      if (failure.action === 'stop') {
        logger?.error({ vendor: ticket.vendor, ref: ticket.ref }, `${message} — watching ${ticket.ref} stops; \`npx supportdrill tickets resume ${ticket.ref}\` restarts it once that is fixed`);
        const stopped = await store.updateTicket(ticket.id, { state: 'stopped', error: message, lastPolledAt: now });
        this.#options.onTicket?.(stopped);
        return stopped;
      }
      if (failure.source === 'local') this.#logOnce(ticket, err, `poll of ${ticket.ref} failed on our side, tried again in ${Math.round(failure.waitMs / 1000)} s`);
      else logger?.warn({ vendor: ticket.vendor, ref: ticket.ref, errors, retryInMs: failure.waitMs }, `poll failed: ${message}`);
      return await store.updateTicket(ticket.id, { pollErrors: errors, error: message, lastPolledAt: now, nextPollAt: new Date(now.getTime() + failure.waitMs) });
    } catch (storeError) {
      // The store itself cannot take the write (a full or read-only disk): hold the ticket here instead.
      this.#localHold.set(ticket.id, now.getTime() + (failure.action === 'retry' ? failure.waitMs : intervalMs));
      this.#logOnce(ticket, storeError, `could not record the poll of ${ticket.ref}`);
      return ticket;
    }
  }

  /** Logs a local failure the first time it is seen: a full disk is said once, not at every poll. */
  #logOnce(ticket: TicketRow, err: unknown, what: string): void {
    const message = (err as Error)?.message ?? String(err);
    const key = `${isStoreFault(err) ? err.kind : 'local'}:${message}`;
    if (this.#logged.has(key)) return;
    this.#logged.add(key);
    this.#options.logger?.error({ vendor: ticket.vendor, ref: ticket.ref }, `${what}: ${isStoreFault(err) ? message : ((err as Error)?.stack ?? message)}`);
  }

  /** Reports (through `onActivity`) an activity recorded outside a poll, such as a message the conversation sent; once, like every other. */
  announce(ticket: TicketRow, row: ActivityRow): void {
    this.#report(ticket, row);
  }

  /** Reports an activity once, whoever recorded it. */
  #report(ticket: TicketRow, row: ActivityRow): void {
    const seen = this.#reported.get(ticket.id) ?? new Set<number>();
    this.#reported.set(ticket.id, seen);
    if (seen.has(row.id)) return;
    seen.add(row.id);
    this.#options.onActivity?.(ticket, row);
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

  /** Recomputes a ticket's timings, SLA verdict and diagnosis from its stored activities, and its state. */
  async #score(ticket: TicketRow, patch: TicketPatch): Promise<TicketRow> {
    const { store } = this.#options;
    const vendor = this.#vendor(ticket.vendor);
    const now = this.#now();
    const [activities, messages, run] = await Promise.all([store.activities(ticket.id), store.messages(ticket.id), store.getRun(ticket.runId)]);
    const key = diagnosisKey(run?.result);
    const timings = computeTimings({
      filedAt: new Date(ticket.filedAt!),
      activities: timedActivities(activities, messages),
      business: vendor?.businessHours ?? null,
    });
    const sla = vendor ? slaVerdict(timings, vendor.sla, now, vendor.slaClock) : null;
    const watchUntil = lengthenedWatch(ticket, sla, vendor?.pollInterval ?? 60_000, timings);
    if (watchUntil) patch = { ...patch, watchUntil };
    const resolved = timings.resolutionAt !== null;
    const until = watchUntil ?? (ticket.watchUntil === null ? null : new Date(ticket.watchUntil));
    const expired = !resolved && until !== null && now.getTime() >= until.getTime();
    const state = resolved ? 'resolved' : expired ? 'timed-out' : ticket.state;
    const updated = await store.updateTicket(ticket.id, {
      ...patch,
      timings: storedTimings(timings),
      sla: sla ? storedVerdict(sla) : null,
      diagnosis: key ? storedDiagnosis(ticketDiagnosis(ticket, activities, key)) : null,
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
   * Polls every open ticket when it is due, until `signal` aborts or — with `untilIdle` — no ticket
   * (of `ticketIds`, when given) is open any more. Each ticket's poll runs on its own: one that fails
   * or hangs never holds up another vendor's, and at most `perVendorConcurrency` polls of one vendor
   * run at once. A failing store makes the loop wait and try again; nothing here throws.
   */
  async run(options: { signal?: AbortSignal; untilIdle?: boolean; ticketIds?: number[] } = {}): Promise<void> {
    const inScope = (t: TicketRow) => !options.ticketIds || options.ticketIds.includes(t.id);
    try {
      while (!options.signal?.aborted) {
        const open = await this.#openTickets(inScope);
        this.#health.lastPassAt = this.#now();
        if (open === null) {
          await this.#pause(5000, options.signal);
          continue;
        }
        if (this.#options.relayStoredActivity) await this.#relay(open, options.ticketIds);
        if (open.length === 0 && this.#inFlight.size === 0 && options.untilIdle) return;
        const now = this.#now().getTime();
        for (const ticket of open) this.#maybeStart(ticket, now);
        await this.#pause(this.#nextWait(open, now), options.signal);
      }
    } finally {
      await settleWithin([...this.#inFlight.values()], options.signal?.aborted ? STOP_GRACE_MS : Infinity);
    }
  }

  /** Starts the ticket's poll (or its settling at the deadline) when it is due and there is room. */
  #maybeStart(ticket: TicketRow, now: number): void {
    if (this.#inFlight.has(ticket.id) || (this.#localHold.get(ticket.id) ?? 0) > now) return;
    const due = ticket.nextPollAt === null || Date.parse(ticket.nextPollAt) <= now;
    if (due) {
      if ((this.#perVendor.get(ticket.vendor) ?? 0) >= (this.#options.perVendorConcurrency ?? 4)) return;
      this.#start(ticket, () => this.#pollLeased(ticket, now));
    } else if (ticket.watchUntil !== null && now >= Date.parse(ticket.watchUntil)) {
      this.#start(ticket, async () => this.#settled(ticket, await this.#score(ticket, {})));
    }
  }

  #start(ticket: TicketRow, work: () => Promise<unknown>): void {
    this.#perVendor.set(ticket.vendor, (this.#perVendor.get(ticket.vendor) ?? 0) + 1);
    const running = (async () => {
      try {
        await work();
      } catch (err) {
        this.#localHold.set(ticket.id, this.#now().getTime() + 5000);
        this.#logOnce(ticket, err, `watching ${ticket.ref} failed`);
      } finally {
        this.#inFlight.delete(ticket.id);
        this.#perVendor.set(ticket.vendor, (this.#perVendor.get(ticket.vendor) ?? 1) - 1);
        this.#wake?.();
      }
    })();
    this.#inFlight.set(ticket.id, running);
  }

  /** Polls a ticket under its lease: when another watcher on the store holds it, that one polls it. */
  async #pollLeased(ticket: TicketRow, now: number): Promise<void> {
    const { store } = this.#options;
    const lease = `poll:ticket:${ticket.id}`;
    if (!(await store.acquireLease(lease, this.#holder, POLL_LEASE_MS))) return;
    try {
      // The other watcher may have polled it just before: go by the ticket as it is now.
      const fresh = await store.getTicket(ticket.id);
      if (!fresh || fresh.state !== 'open' || (fresh.nextPollAt !== null && Date.parse(fresh.nextPollAt) > now)) return;
      await this.poll(fresh);
    } finally {
      await store.releaseLease(lease, this.#holder).catch(() => undefined);
    }
  }

  async #openTickets(inScope: (t: TicketRow) => boolean): Promise<TicketRow[] | null> {
    try {
      return (await this.#options.store.openTickets()).filter(inScope);
    } catch (err) {
      this.#logOnce({ vendor: '*', ref: 'open tickets' } as TicketRow, err, 'could not read the open tickets');
      return null;
    }
  }

  /** Reports activities another process recorded: for the tickets named, all of them; otherwise only new ones. */
  async #relay(open: TicketRow[], ticketIds: number[] | undefined): Promise<void> {
    const ids = ticketIds ?? open.map((t) => t.id);
    for (const id of ids) {
      try {
        const ticket = open.find((t) => t.id === id) ?? (await this.#options.store.getTicket(id));
        if (!ticket) continue;
        const rows = await this.#options.store.activities(id);
        if (!ticketIds && !this.#reported.has(id)) this.#reported.set(id, new Set(rows.map((r) => r.id)));
        for (const row of rows) this.#report(ticket, row);
      } catch {
        // Reporting is a courtesy; the next pass tries again.
      }
    }
  }

  /** How long to wait for the next due poll, between 50 ms and 5 s. */
  #nextWait(open: TicketRow[], now: number): number {
    const next = open
      .filter((t) => !this.#inFlight.has(t.id))
      .map((t) => Math.max(t.nextPollAt ? Date.parse(t.nextPollAt) : now, this.#localHold.get(t.id) ?? 0));
    const wait = next.length ? Math.min(...next) - this.#now().getTime() : 1000;
    return Math.min(Math.max(50, Number.isFinite(wait) ? wait : 1000), 5000);
  }

  /** Sleeps, waking early when a poll finishes or the signal aborts. */
  #pause(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#wake = undefined;
        resolve();
      };
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      this.#wake = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/** Waits for the promises to settle, but not longer than `ms`. */
async function settleWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  if (promises.length === 0) return;
  const all = Promise.allSettled(promises);
  if (!Number.isFinite(ms)) {
    await all;
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
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
    at: writtenAt(activity, classification?.writtenAt),
    kind: classification?.kind ?? null,
    reasons: [
      ...(classification?.reasons ?? [`status changed to ${activity.statusChange}`]),
      ...(activity.notes ?? []),
      ...(activity.unverified ? [`unverified sender: ${activity.unverified}; kept, but not counted in any timing`] : []),
    ],
    authorName: activity.authorName ?? null,
    authorRole: activity.authorRole ?? null,
    subject: activity.subject ?? null,
    text: activity.text ?? null,
    statusChange: activity.statusChange ?? null,
    requestsProvidedInfo: classification?.requestsProvidedInfo ?? [],
    unverified: activity.unverified !== undefined,
    // Nobody answers a stranger: an unverified sender's questions are kept as evidence only.
    questions: activity.unverified === undefined ? (classification?.questions ?? []) : [],
    escalation: classification?.escalation ?? false,
  };
}

/**
 * A relayed comment's own time, when it is plausible: not after the notification carrying it
 * (clocks differ by minutes, not more) and within a week before it — else the mail's time.
 */
function writtenAt(activity: VendorActivity, written: string | undefined): Date {
  if (!written) return activity.at;
  const at = Date.parse(written);
  const mail = activity.at.getTime();
  return at <= mail + 5 * 60_000 && at >= mail - 7 * 24 * 3600_000 ? new Date(at) : activity.at;
}

/** A ticket may be watched no longer than this after filing, however long the vendor waits on us. */
const MAX_WATCH_MS = 60 * 24 * 3600_000;

/**
 * The watch's new end when a deadline moved past it — net of customer wait, a deadline moves while
 * the vendor waits on us — so that the watch sees every target judged; `null` when it need not move.
 */
function lengthenedWatch(ticket: TicketRow, sla: SlaVerdict | null, pollIntervalMs: number, timings: Timings): Date | null {
  if (!sla || ticket.watchUntil === null || !ticket.filedAt) return null;
  const filedAt = new Date(ticket.filedAt);
  // Only a deadline the customer waits moved: the watch's own length (set at filing) already covers the SLA as written.
  const gross = (check: SlaVerdict['checks'][number]) => slaDeadline(filedAt, check.targetMs, sla.clock, sla.clock === 'business' ? timings.businessHours : null).getTime();
  const pending = sla.checks.filter((c) => c.outcome === 'pending' && c.dueAt.getTime() > gross(c)).map((c) => c.dueAt.getTime());
  if (pending.length === 0) return null;
  const wanted = Math.min(Math.max(...pending) + Math.max(SLA_WATCH_MARGIN_MS, 2 * pollIntervalMs), Date.parse(ticket.filedAt) + MAX_WATCH_MS);
  return wanted > Date.parse(ticket.watchUntil) ? new Date(wanted) : null;
}
