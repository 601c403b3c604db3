/** The `tickets` table. */
import { prefixed } from '../../core/errors.ts';
import { decodeDiagnosis } from '../../core/stored-diagnosis.ts';
import { decodeSlaVerdict, decodeTimings } from '../../core/stored-timings.ts';
import { decodeTicketFacts } from '../../core/ticket-facts.ts';
import type { Instant, ListTicketsOptions, TicketPatch, TicketRow, TicketState } from '../rows.ts';
import {
  assignments,
  checkTicketState,
  json,
  limitClause,
  one,
  text,
  toIso,
  toIsoOrNull,
  transaction,
  type Row,
  type SqliteContext,
  Where,
} from './context.ts';
import { getRun } from './runs.ts';

function ticketFromRow(row: Row): TicketRow {
  return {
    id: row.id as number,
    runId: row.run_id as string,
    vendor: row.vendor as string,
    ref: row.ref as string,
    vendorTicketId: row.vendor_ticket_id as string | null,
    url: row.url as string | null,
    createdAt: row.created_at as string,
    filedAt: row.filed_at as string | null,
    state: row.state as TicketState,
    vendorStatus: row.vendor_status as string | null,
    watchUntil: row.watch_until as string | null,
    cursor: row.cursor as string | null,
    lastPolledAt: row.last_polled_at as string | null,
    nextPollAt: row.next_poll_at as string | null,
    pollErrors: row.poll_errors as number,
    filingAttempts: row.filing_attempts as number,
    refileAt: row.refile_at as string | null,
    resolutionAt: row.resolution_at as string | null,
    timings: decodeTimings(row.timings_json as string | null),
    sla: decodeSlaVerdict(row.sla_json as string | null),
    diagnosis: decodeDiagnosis(row.diagnosis_json as string | null),
    error: row.error as string | null,
    title: row.title as string | null,
    facts: decodeTicketFacts(row.facts_json as string | null),
    updatedAt: row.updated_at as string,
  };
}

const TICKET_COLUMNS = {
  state: ['state', (value: TicketState | null) => checkTicketState(String(value))],
  vendorTicketId: ['vendor_ticket_id', text],
  vendorStatus: ['vendor_status', text],
  url: ['url', text],
  watchUntil: ['watch_until', (value: Instant | null) => toIsoOrNull(value, 'watchUntil')],
  cursor: ['cursor', text],
  lastPolledAt: ['last_polled_at', (value: Instant | null) => toIsoOrNull(value, 'lastPolledAt')],
  nextPollAt: ['next_poll_at', (value: Instant | null) => toIsoOrNull(value, 'nextPollAt')],
  pollErrors: ['poll_errors', (value: number | null) => value ?? 0],
  resolutionAt: ['resolution_at', (value: Instant | null) => toIsoOrNull(value, 'resolutionAt')],
  timings: ['timings_json', (value: unknown) => json(value)],
  sla: ['sla_json', (value: unknown) => json(value)],
  diagnosis: ['diagnosis_json', (value: unknown) => json(value)],
  error: ['error', text],
  title: ['title', text],
  facts: ['facts_json', (value: unknown) => json(value)],
} as const;

/**
 * Records that filing a run's ticket begins, before the vendor is called. When the run already has a
 * ticket row, that row is returned unchanged and nothing is inserted: the caller resumes from its
 * state (for `filing`, by looking the reference up at the vendor before filing).
 */
export function beginFiling(ctx: SqliteContext, runId: string, ticket: { vendor: string; ref: string; watchUntil?: Instant | null }): TicketRow {
  const now = ctx.nowIso();
  return transaction(ctx, () => {
    const existing = getTicketByRun(ctx, runId);
    if (existing) return existing;
    if (!getRun(ctx, runId)) throw new Error(prefixed('store', `no run ${runId} to file a ticket for`));
    const sameRef = getTicketByRef(ctx, ticket.ref);
    if (sameRef) throw new Error(prefixed('store', `reference ${ticket.ref} already belongs to run ${sameRef.runId}`));
    ctx.db
      .prepare(
        `INSERT INTO tickets (run_id, vendor, ref, created_at, state, watch_until, updated_at)
         VALUES (@runId, @vendor, @ref, @now, 'filing', @watchUntil, @now)`,
      )
      .run({
        runId,
        vendor: ticket.vendor,
        ref: ticket.ref,
        now,
        watchUntil: toIsoOrNull(ticket.watchUntil ?? null, 'watchUntil'),
      });
    return getTicketByRun(ctx, runId)!;
  });
}

/**
 * Records the vendor's ticket: the state becomes `open` (a ticket already further along keeps its
 * state). A ticket already recorded under another vendor id is refused, since that would be a
 * second filing for the run.
 */
export function markFiled(ctx: SqliteContext, 
  ticketId: number,
  filed: { vendorTicketId: string; url: string | null; filedAt: Instant; watchUntil?: Instant | null },
): TicketRow {
  return transaction(ctx, () => {
    const ticket = requireTicket(ctx, ticketId);
    if (ticket.vendorTicketId !== null && ticket.vendorTicketId !== filed.vendorTicketId) {
      throw new Error(
        prefixed('store', `ticket ${ticket.ref} is already filed as ${ticket.vendorTicketId}; refusing ${filed.vendorTicketId}`),
      );
    }
    const other = ctx.db
      .prepare('SELECT ref FROM tickets WHERE vendor = ? AND vendor_ticket_id = ? AND id != ?')
      .get(ticket.vendor, filed.vendorTicketId, ticketId) as { ref: string } | undefined;
    if (other) {
      throw new Error(
        prefixed('store', `${ticket.vendor} ticket ${filed.vendorTicketId} is already recorded for ${other.ref}, not ${ticket.ref}`),
      );
    }
    const state: TicketState = ticket.state === 'filing' || ticket.state === 'filing-failed' ? 'open' : ticket.state;
    ctx.db
      .prepare(
        `UPDATE tickets SET vendor_ticket_id = @vendorTicketId, url = @url, filed_at = @filedAt, state = @state,
                error = NULL, refile_at = NULL, watch_until = COALESCE(@watchUntil, watch_until), updated_at = @now
         WHERE id = @id`,
      )
      .run({
        id: ticketId,
        vendorTicketId: filed.vendorTicketId,
        url: filed.url,
        filedAt: toIso(filed.filedAt, 'filedAt'),
        state,
        watchUntil: toIsoOrNull(filed.watchUntil ?? null, 'watchUntil'),
        now: ctx.nowIso(),
      });
    return getTicket(ctx, ticketId)!;
  });
}

/**
 * Records that filing failed. Only a ticket still being filed changes; one the vendor already has is
 * returned as it is, so a late error cannot hide a real filing.
 */
export function markFilingFailed(ctx: SqliteContext, ticketId: number, error: unknown, options: { refileAt?: Instant | null } = {}): TicketRow {
  const message = error instanceof Error ? error.message : String(error);
  return transaction(ctx, () => {
    const ticket = requireTicket(ctx, ticketId);
    if (ticket.state !== 'filing' && ticket.state !== 'filing-failed') return ticket;
    ctx.db
      .prepare("UPDATE tickets SET state = 'filing-failed', error = ?, filing_attempts = filing_attempts + 1, refile_at = ?, updated_at = ? WHERE id = ?")
      .run(message, toIsoOrNull(options.refileAt ?? null, 'refileAt'), ctx.nowIso(), ticketId);
    return getTicket(ctx, ticketId)!;
  });
}

/** Tickets being watched, the most overdue poll first (never polled counts as most overdue). */
export function openTickets(ctx: SqliteContext): TicketRow[] {
  return (
    ctx.db.prepare("SELECT * FROM tickets WHERE state = 'open' ORDER BY next_poll_at IS NOT NULL, next_poll_at, id").all() as Row[]
  ).map(ticketFromRow);
}

export function getTicket(ctx: SqliteContext, id: number): TicketRow | null {
  return one(ctx, 'SELECT * FROM tickets WHERE id = ?', id, ticketFromRow);
}

export function getTicketByRun(ctx: SqliteContext, runId: string): TicketRow | null {
  return one(ctx, 'SELECT * FROM tickets WHERE run_id = ?', runId, ticketFromRow);
}

export function getTicketByRef(ctx: SqliteContext, ref: string): TicketRow | null {
  return one(ctx, 'SELECT * FROM tickets WHERE ref = ?', ref, ticketFromRow);
}

/** Newest first. */
export function listTickets(ctx: SqliteContext, options: ListTicketsOptions = {}): TicketRow[] {
  const where = new Where().oneOf('state', options.state).equals('vendor', options.vendor);
  const sql = `SELECT * FROM tickets${where} ORDER BY id DESC${limitClause(options.limit)}`;
  return (ctx.db.prepare(sql).all(...where.params) as Row[]).map(ticketFromRow);
}

/** Changes the given fields of a ticket and bumps `updatedAt`; throws when there is no such ticket. */
export function updateTicket(ctx: SqliteContext, id: number, patch: TicketPatch): TicketRow {
  const { sql, params } = assignments(patch, TICKET_COLUMNS);
  const info = ctx.db
    .prepare(`UPDATE tickets SET ${[...sql, 'updated_at = @updated_at'].join(', ')} WHERE id = @id`)
    .run({ ...params, updated_at: ctx.nowIso(), id });
  if (info.changes === 0) throw new Error(prefixed('store', `no ticket ${id}`));
  return getTicket(ctx, id)!;
}

function requireTicket(ctx: SqliteContext, id: number): TicketRow {
  const ticket = getTicket(ctx, id);
  if (!ticket) throw new Error(prefixed('store', `no ticket ${id}`));
  return ticket;
}
