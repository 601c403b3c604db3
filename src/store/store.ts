/**
 * Everything supportdrill remembers, behind one interface: runs with their faults and freeze
 * episodes, tickets, vendor activities, settings. Asynchronous, so that a store on a database server
 * fits it as well as the embedded SQLite file. Every method is atomic: a process killed at any point
 * leaves a consistent store that the next one resumes from. `test/store/contract.ts` is the suite
 * every implementation passes. A failure of the store's own medium (read-only, full, damaged) is a
 * `StoreFaultError` (store-fault.ts), which callers treat as local trouble to retry, not a vendor's.
 */
import type { RunResult } from '../core/run-result.ts';
import type {
  ActivityRow,
  CountMessagesOptions,
  EffectClaim,
  EffectRow,
  FaultRow,
  FreezeEpisodeRow,
  Instant,
  ListRunsOptions,
  ListTicketsOptions,
  MessagePatch,
  MessageRow,
  NewActivity,
  NewMessage,
  NewRun,
  RunPatch,
  RunRow,
  RunStatus,
  RunTicketSummary,
  TicketPatch,
  TicketRow,
  TicketState,
} from './rows.ts';

/** Aggregates for the service's metrics. */
export interface StoreCounts {
  runs: { drill: string; status: RunStatus; count: number }[];
  freezeEpisodes: { drill: string; count: number }[];
  tickets: { vendor: string; state: TicketState; count: number }[];
}

export interface Store {
  /** Where the data is, for messages (a file path, or a server without its password). */
  readonly location: string;

  // ── runs ──
  /** Records a run before its browser starts, so that a process killed from here on leaves a trace. */
  createRun(run: NewRun): Promise<RunRow>;
  /** Changes the given fields of a run and bumps `updatedAt`; throws when there is no such run. */
  updateRun(id: string, patch: RunPatch): Promise<RunRow>;
  getRun(id: string): Promise<RunRow | null>;
  /** Newest first. */
  listRuns(options?: ListRunsOptions): Promise<RunRow[]>;
  /**
   * Saves a run's result: the run's fields, its faults and its freeze episodes, at once. Saving again
   * replaces what was saved. The status becomes `scored`, `not-reproduced` or `unhealthy-baseline`
   * (the result's `outcome`) unless the run is already past that (filing, watching, …).
   */
  saveRunResult(id: string, result: RunResult): Promise<RunRow>;
  /** Runs started in `[from, to)` with their tickets, oldest first (see {@link RunTicketSummary}). */
  runTicketSummaries(range: { from: Instant; to: Instant }): Promise<RunTicketSummary[]>;
  /** The run's faults in timeline order. */
  faults(runId: string): Promise<FaultRow[]>;
  /** The run's freeze episodes, earliest first. */
  freezeEpisodes(runId: string): Promise<FreezeEpisodeRow[]>;

  // ── tickets ──
  /**
   * Records that filing a run's ticket begins, before the vendor is called. When the run already has
   * a ticket row, that row is returned unchanged: the caller resumes from its state (for `filing`,
   * by looking the reference up at the vendor before filing).
   */
  beginFiling(runId: string, ticket: { vendor: string; ref: string; watchUntil?: Instant | null }): Promise<TicketRow>;
  /**
   * Records the vendor's ticket: the state becomes `open` (a ticket already further along keeps its
   * state). A ticket already recorded under another vendor id is refused: that would be a second
   * filing for the run.
   */
  markFiled(ticketId: number, filed: { vendorTicketId: string; url: string | null; filedAt: Instant; watchUntil?: Instant | null }): Promise<TicketRow>;
  /**
   * Records that filing failed (counting the attempt), and when to try again — `null` leaves it to the
   * operator. A ticket the vendor already has is returned as it is.
   */
  markFilingFailed(ticketId: number, error: unknown, options?: { refileAt?: Instant | null }): Promise<TicketRow>;
  /** Tickets being watched, the most overdue poll first (never polled counts as most overdue). */
  openTickets(): Promise<TicketRow[]>;
  getTicket(id: number): Promise<TicketRow | null>;
  getTicketByRun(runId: string): Promise<TicketRow | null>;
  getTicketByRef(ref: string): Promise<TicketRow | null>;
  /** Newest first. */
  listTickets(options?: ListTicketsOptions): Promise<TicketRow[]>;
  /** Changes the given fields of a ticket and bumps `updatedAt`; throws when there is no such ticket. */
  updateTicket(id: number, patch: TicketPatch): Promise<TicketRow>;

  // ── activities ──
  /**
   * Records a vendor activity once. When the ticket already has one with that vendor id, nothing is
   * written and the first copy is returned with `inserted: false`.
   */
  recordActivity(ticketId: number, activity: NewActivity): Promise<{ inserted: boolean; row: ActivityRow }>;
  /** The ticket's activities in the vendor's time order (then in the order they were recorded). */
  activities(ticketId: number): Promise<ActivityRow[]>;

  // ── messages (the conversation) ──
  /**
   * Plans a message on a ticket once per `plan`: a plan already there is returned unchanged with
   * `inserted: false`. The store gives it its key (the ticket's ref and its next number).
   */
  planMessage(ticketId: number, message: NewMessage): Promise<{ inserted: boolean; row: MessageRow }>;
  getMessage(id: number): Promise<MessageRow | null>;
  /** A ticket's messages in the order they were planned. */
  messages(ticketId: number): Promise<MessageRow[]>;
  /** `planned` and `sending` (a cut-off attempt) messages due by `now`, of one ticket or all. */
  dueMessages(now: Instant, ticketId?: number): Promise<MessageRow[]>;
  /** Changes a message not sent yet; a sent one is returned as it is. */
  updateMessage(id: number, patch: MessagePatch): Promise<MessageRow>;
  /** Records that a send begins (before the vendor is called); `began: false` when the message is not sendable. */
  beginSending(id: number): Promise<{ began: boolean; row: MessageRow }>;
  /** Records that the vendor has the message, and its `customer` activity, in one step. Idempotent. */
  markMessageSent(
    id: number,
    sent: { vendorMessageId: string; at: Instant },
    activity: Omit<NewActivity, 'vendorActivityId' | 'at' | 'kind'>,
  ): Promise<{ message: MessageRow; activity: ActivityRow }>;
  /** How many messages match (the caps on automatic messages). */
  countMessages(options: CountMessagesOptions): Promise<number>;

  // ── settings ──
  getSetting(key: string): Promise<string | null>;
  /** Sets a setting; `null` removes it. */
  setSetting(key: string, value: string | null): Promise<void>;

  // ── effects and leases ──
  /**
   * Claims a side effect (`scorecard-mail:<run id>`) for `holder` before doing it. Not claimed when
   * it is done, or claimed by another holder less than `staleAfterMs` ago; a staler claim is taken
   * over (its holder died midway), and the caller redoes the effect idempotently.
   */
  claimEffect(key: string, holder: string, options: { staleAfterMs: number }): Promise<EffectClaim>;
  /** Marks a claimed effect done, with what to remember of it; `false` when `holder` no longer holds the claim. */
  completeEffect(key: string, holder: string, detail?: unknown): Promise<boolean>;
  /** Gives up a claim whose effect did not happen, so that a later attempt can claim it. */
  releaseEffect(key: string, holder: string): Promise<void>;
  getEffect(key: string): Promise<EffectRow | null>;
  /** Effects under `prefix` claimed but not done for at least `staleAfterMs`: to be redone after a crash. */
  staleEffects(prefix: string, staleAfterMs: number): Promise<EffectRow[]>;
  /** Takes or renews a lease until now + `ttlMs`; `false` while another holder's lease runs. */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;

  /** Aggregates for the service's metrics, in a few queries whatever the store's size. */
  counts(): Promise<StoreCounts>;
  /** Whether the store answers (for `/healthz`). */
  ping(): Promise<boolean>;
  /** Writes a small probe row: throws a {@link StoreFaultError} when the store cannot take writes (read-only, full). */
  probeWrite(): Promise<void>;
  close(): Promise<void>;
}
