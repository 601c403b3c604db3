import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunResult } from '../core/run-result.ts';
import { UserError, prefixed } from '../core/errors.ts';
import type { ReplyKind } from '../core/reply.ts';
import type { AuthorRole } from '../core/reply.ts';
import { migrate } from './migrations.ts';
import { openDatabase, type SqliteDatabase, type SqliteValue } from '../core/sqlite.ts';

/** The file inside `dataDir` that holds every run, ticket and activity. */
export const DATABASE_FILE = 'supportdrill.db';

/** Where a run is. A killed process leaves the last one written, so the run says where it stopped. */
export type RunStatus =
  | 'created'
  | 'running'
  | 'in-session'
  | 'scored'
  | 'filing'
  | 'filed'
  | 'filing-failed'
  | 'not-reproduced'
  | 'watching'
  | 'resolved'
  | 'timed-out'
  | 'interrupted'
  | 'failed'
  | 'refused';

export const RUN_STATUSES: readonly RunStatus[] = [
  'created',
  'running',
  'in-session',
  'scored',
  'filing',
  'filed',
  'filing-failed',
  'not-reproduced',
  'watching',
  'resolved',
  'timed-out',
  'interrupted',
  'failed',
  'refused',
];

/**
 * Where a ticket is: `filing` (a filing began and may not have reached the vendor — look it up there
 * before filing again), `open` (being watched), `resolved`, `timed-out` (the watch ended without a
 * resolution), `filing-failed`, `stopped` (watching was given up, e.g. the vendor refused us).
 */
export type TicketState = 'filing' | 'open' | 'resolved' | 'timed-out' | 'filing-failed' | 'stopped';

export const TICKET_STATES: readonly TicketState[] = ['filing', 'open', 'resolved', 'timed-out', 'filing-failed', 'stopped'];

/** Statuses a run has until it is scored; scoring again from one of them cannot undo a later step. */
const BEFORE_FILING: readonly RunStatus[] = ['created', 'running', 'in-session', 'scored', 'not-reproduced'];

/** An instant as the store takes it: a Date or an ISO-8601 string. Stored as UTC ISO-8601 with ms. */
export type Instant = Date | string;

/** One execution of a drill. Instants are ISO-8601 UTC strings with milliseconds. */
export interface RunRow {
  id: string;
  drill: string;
  provider: string;
  /** The vendor the run files to; `null` when it files nothing (`--no-ticket`). */
  vendor: string | null;
  status: RunStatus;
  /** Finer than the status: the step the run was in when last written (`launching browser`, …). */
  phase: string | null;
  /** When the row was written. */
  createdAt: string;
  /** When the run started; the result's start time once it is saved. */
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
  /** `null` until the run is scored. */
  reproduced: boolean | null;
  reason: string | null;
  evidenceDir: string | null;
  /** The drill's `--json` document, once saved. */
  result: RunResult | null;
  error: string | null;
}

/** What {@link Store.createRun} takes. */
export interface NewRun {
  id: string;
  drill: string;
  provider: string;
  vendor: string | null;
  /** @defaultValue `'created'` */
  status?: RunStatus;
  phase?: string | null;
  /** @defaultValue now */
  startedAt?: Instant;
}

/** The fields of a run that change as it goes; a field left out is left as it is. */
export interface RunPatch {
  status?: RunStatus;
  phase?: string | null;
  vendor?: string | null;
  startedAt?: Instant;
  endedAt?: Instant | null;
  reproduced?: boolean | null;
  reason?: string | null;
  evidenceDir?: string | null;
  error?: string | null;
}

export interface ListRunsOptions {
  /** Runs started at or after this instant. */
  since?: Instant;
  vendor?: string;
  status?: RunStatus | readonly RunStatus[];
  limit?: number;
}

/**
 * A run and its ticket as a trial scorecard reads them, for many runs at once: without the run's
 * result document, and with the kind of the ticket's first human reply worked out by the database.
 */
export interface RunTicketSummary {
  runId: string;
  drill: string;
  vendor: string | null;
  status: RunStatus;
  startedAt: string;
  reproduced: boolean | null;
  evidenceDir: string | null;
  ticket: {
    id: number;
    vendor: string;
    ref: string;
    vendorTicketId: string | null;
    url: string | null;
    state: TicketState;
    filedAt: string | null;
    /** As in {@link TicketRow}. */
    timings: unknown;
    sla: unknown;
    /** The kind of the first `canned`, `human` or `resolution` reply, or `null` before one. */
    firstHumanKind: ReplyKind | null;
  } | null;
}

export interface FaultRow {
  runId: string;
  idx: number;
  kind: string;
  target: string;
  startedAt: string;
  endedAt: string | null;
}

export interface FreezeEpisodeRow {
  id: number;
  runId: string;
  participant: string;
  startedAt: string;
  detectedAt: string;
  endedAt: string | null;
  durationMs: number;
  onsetDelayMs: number | null;
  detectionOverheadMs: number;
  recoveryMs: number | null;
  /** Index of the fault that caused it, or `null` for a freeze no fault explains. */
  faultIdx: number | null;
}

/** What was filed for a run. Instants are ISO-8601 UTC strings with milliseconds. */
export interface TicketRow {
  id: number;
  runId: string;
  /** The vendor's name in the config. */
  vendor: string;
  /** The run's reference tag without brackets (`DRILL-7f3a9c`). */
  ref: string;
  vendorTicketId: string | null;
  url: string | null;
  /** When filing began. */
  createdAt: string;
  /** The vendor's timestamp of the filing; every timing starts here. */
  filedAt: string | null;
  state: TicketState;
  /** The ticket's status in the vendor's words (`open`, `pending`, `solved`, …). */
  vendorStatus: string | null;
  /** When watching gives up and records "no resolution". */
  watchUntil: string | null;
  /** The adapter's position in the ticket's activity. */
  cursor: string | null;
  lastPolledAt: string | null;
  /** When the watcher should poll next; `null` means as soon as possible. */
  nextPollAt: string | null;
  /** Consecutive failed polls, for backoff. */
  pollErrors: number;
  resolutionAt: string | null;
  /** The last computed timings, as JSON (instants become strings). */
  timings: unknown;
  /** The last SLA verdict, as JSON. */
  sla: unknown;
  error: string | null;
  /** The title as filed. */
  title: string | null;
  /** What the ticket told the vendor (the classifier checks replies against it), as JSON. */
  facts: unknown;
  updatedAt: string;
}

/** The fields of a ticket the watcher changes; a field left out is left as it is. */
export interface TicketPatch {
  state?: TicketState;
  /** The vendor's id, when the vendor tells it only after filing (an e-mail acknowledgement). */
  vendorTicketId?: string;
  vendorStatus?: string | null;
  url?: string | null;
  watchUntil?: Instant | null;
  cursor?: string | null;
  lastPolledAt?: Instant | null;
  nextPollAt?: Instant | null;
  pollErrors?: number;
  resolutionAt?: Instant | null;
  /** Stored as JSON. */
  timings?: unknown;
  /** Stored as JSON. */
  sla?: unknown;
  error?: string | null;
  title?: string | null;
  /** Stored as JSON. */
  facts?: unknown;
}

export interface ListTicketsOptions {
  state?: TicketState | readonly TicketState[];
  vendor?: string;
  limit?: number;
}

/** A vendor activity as classified, ready to record. */
export interface NewActivity {
  /** The vendor's own id: the same activity seen twice is recorded once. */
  vendorActivityId: string;
  /** The vendor's timestamp. */
  at: Instant;
  /** When we first saw it. @defaultValue now */
  seenAt?: Instant;
  /** The reply's kind, or `null` for a status change without a reply. */
  kind: ReplyKind | null;
  /** Why the classifier chose the kind. @defaultValue `[]` */
  reasons?: readonly string[];
  authorName?: string | null;
  authorRole?: AuthorRole | null;
  subject?: string | null;
  /** @defaultValue the start of `text`, on one line */
  excerpt?: string | null;
  text?: string | null;
  statusChange?: string | null;
  /** Items the reply asked for that the ticket already contained. @defaultValue `[]` */
  requestsProvidedInfo?: readonly string[];
}

export interface ActivityRow {
  id: number;
  ticketId: number;
  vendorActivityId: string;
  at: string;
  seenAt: string;
  kind: ReplyKind | null;
  reasons: string[];
  authorName: string | null;
  authorRole: AuthorRole | null;
  subject: string | null;
  excerpt: string | null;
  text: string | null;
  statusChange: string | null;
  requestsProvidedInfo: string[];
}

export interface StoreOptions {
  /** Replaceable clock, for tests. */
  now?: () => Date;
}

const EXCERPT_LENGTH = 200;

function toIso(value: Instant, field: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(prefixed('store', `${field}: '${String(value)}' is not a valid instant`));
  return date.toISOString();
}

const toIsoOrNull = (value: Instant | null, field: string): string | null => (value === null ? null : toIso(value, field));

function excerptOf(text: string | null | undefined): string | null {
  if (!text) return null;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= EXCERPT_LENGTH ? line : `${line.slice(0, EXCERPT_LENGTH - 1)}…`;
}

function parseJson<T>(text: string | null, fallback: T): T {
  return text === null ? fallback : (JSON.parse(text) as T);
}

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function oneOf<T extends string>(value: T | readonly T[]): readonly T[] {
  return typeof value === 'string' ? [value] : value;
}

function checkRunStatus(status: string): RunStatus {
  if (!(RUN_STATUSES as readonly string[]).includes(status)) {
    throw new TypeError(prefixed('store', `unknown run status '${status}'; expected one of ${RUN_STATUSES.join(', ')}`));
  }
  return status as RunStatus;
}

function checkTicketState(state: string): TicketState {
  if (!(TICKET_STATES as readonly string[]).includes(state)) {
    throw new TypeError(prefixed('store', `unknown ticket state '${state}'; expected one of ${TICKET_STATES.join(', ')}`));
  }
  return state as TicketState;
}

type Row = Record<string, SqliteValue>;

function runFromRow(row: Row): RunRow {
  return {
    id: row.id as string,
    drill: row.drill as string,
    provider: row.provider as string,
    vendor: row.vendor as string | null,
    status: row.status as RunStatus,
    phase: row.phase as string | null,
    createdAt: row.created_at as string,
    startedAt: row.started_at as string,
    updatedAt: row.updated_at as string,
    endedAt: row.ended_at as string | null,
    reproduced: row.reproduced === null ? null : row.reproduced === 1,
    reason: row.reason as string | null,
    evidenceDir: row.evidence_dir as string | null,
    result: parseJson<RunResult | null>(row.result_json as string | null, null),
    error: row.error as string | null,
  };
}

function faultFromRow(row: Row): FaultRow {
  return {
    runId: row.run_id as string,
    idx: row.idx as number,
    kind: row.kind as string,
    target: row.target as string,
    startedAt: row.started_at as string,
    endedAt: row.ended_at as string | null,
  };
}

function episodeFromRow(row: Row): FreezeEpisodeRow {
  return {
    id: row.id as number,
    runId: row.run_id as string,
    participant: row.participant as string,
    startedAt: row.started_at as string,
    detectedAt: row.detected_at as string,
    endedAt: row.ended_at as string | null,
    durationMs: row.duration_ms as number,
    onsetDelayMs: row.onset_delay_ms as number | null,
    detectionOverheadMs: row.detection_overhead_ms as number,
    recoveryMs: row.recovery_ms as number | null,
    faultIdx: row.fault_idx as number | null,
  };
}

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
    resolutionAt: row.resolution_at as string | null,
    timings: parseJson<unknown>(row.timings_json as string | null, null),
    sla: parseJson<unknown>(row.sla_json as string | null, null),
    error: row.error as string | null,
    title: row.title as string | null,
    facts: parseJson<unknown>(row.facts_json as string | null, null),
    updatedAt: row.updated_at as string,
  };
}

function activityFromRow(row: Row): ActivityRow {
  return {
    id: row.id as number,
    ticketId: row.ticket_id as number,
    vendorActivityId: row.vendor_activity_id as string,
    at: row.at as string,
    seenAt: row.seen_at as string,
    kind: row.kind as ReplyKind | null,
    reasons: parseJson<string[]>(row.reasons_json as string, []),
    authorName: row.author_name as string | null,
    authorRole: row.author_role as AuthorRole | null,
    subject: row.subject as string | null,
    excerpt: row.excerpt as string | null,
    text: row.text as string | null,
    statusChange: row.status_change as string | null,
    requestsProvidedInfo: parseJson<string[]>(row.requests_provided_info_json as string, []),
  };
}

/** Builds `col = @col, …` and its parameters from a patch, through a fixed map of allowed columns. */
function assignments<P extends object>(
  patch: P,
  columns: { [K in keyof P]-?: readonly [column: string, convert: (value: NonNullable<P[K]> | null) => SqliteValue] },
): { sql: string[]; params: Record<string, SqliteValue> } {
  const sql: string[] = [];
  const params: Record<string, SqliteValue> = {};
  for (const key of Object.keys(patch) as (keyof P)[]) {
    const value = patch[key];
    if (value === undefined || !(key in columns)) continue;
    const [column, convert] = columns[key];
    sql.push(`${column} = @${column}`);
    params[column] = convert(value as NonNullable<P[typeof key]> | null);
  }
  return { sql, params };
}

const text = (value: string | null): SqliteValue => value;

const RUN_COLUMNS = {
  status: ['status', (value: RunStatus | null) => checkRunStatus(String(value))],
  phase: ['phase', text],
  vendor: ['vendor', text],
  startedAt: ['started_at', (value: Instant | null) => toIso(value ?? '', 'startedAt')],
  endedAt: ['ended_at', (value: Instant | null) => toIsoOrNull(value, 'endedAt')],
  reproduced: ['reproduced', (value: boolean | null) => (value === null ? null : value ? 1 : 0)],
  reason: ['reason', text],
  evidenceDir: ['evidence_dir', text],
  error: ['error', text],
} as const;

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
  error: ['error', text],
  title: ['title', text],
  facts: ['facts_json', (value: unknown) => json(value)],
} as const;

/**
 * Everything supportdrill remembers, in one SQLite file. Every write is its own transaction (or part
 * of one), so a process killed at any point leaves a consistent file that the next one resumes from.
 */
export class Store {
  readonly path: string;
  readonly #db: SqliteDatabase;
  readonly #now: () => Date;

  constructor(db: SqliteDatabase, path: string, options: StoreOptions = {}) {
    this.#db = db;
    this.path = path;
    this.#now = options.now ?? (() => new Date());
  }

  #nowIso(): string {
    return this.#now().toISOString();
  }

  /**
   * Runs `fn` in one IMMEDIATE transaction (a savepoint when already inside one): all of its writes
   * happen or none do, and no other process writes in between.
   */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  // ── runs ──────────────────────────────────────────────────────────────────────────────────────────

  /** Records a run before its browser starts, so that a process killed from here on leaves a trace. */
  createRun(run: NewRun): RunRow {
    const status = run.status ?? 'created';
    checkRunStatus(status);
    const now = this.#nowIso();
    return this.transaction(() => {
      if (this.getRun(run.id)) throw new Error(prefixed('store', `run ${run.id} already exists`));
      this.#db
        .prepare(
          `INSERT INTO runs (id, drill, provider, vendor, status, phase, created_at, started_at, updated_at)
           VALUES (@id, @drill, @provider, @vendor, @status, @phase, @now, @startedAt, @now)`,
        )
        .run({
          id: run.id,
          drill: run.drill,
          provider: run.provider,
          vendor: run.vendor,
          status,
          phase: run.phase ?? null,
          now,
          startedAt: run.startedAt === undefined ? now : toIso(run.startedAt, 'startedAt'),
        });
      return this.getRun(run.id)!;
    });
  }

  /** Changes the given fields of a run and bumps `updatedAt`; throws when there is no such run. */
  updateRun(id: string, patch: RunPatch): RunRow {
    const { sql, params } = assignments(patch, RUN_COLUMNS);
    const info = this.#db
      .prepare(`UPDATE runs SET ${[...sql, 'updated_at = @updated_at'].join(', ')} WHERE id = @id`)
      .run({ ...params, updated_at: this.#nowIso(), id });
    if (info.changes === 0) throw new Error(prefixed('store', `no run ${id}`));
    return this.getRun(id)!;
  }

  getRun(id: string): RunRow | null {
    const row = this.#db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    return row ? runFromRow(row) : null;
  }

  /** Newest first. */
  listRuns(options: ListRunsOptions = {}): RunRow[] {
    const where: string[] = [];
    const params: SqliteValue[] = [];
    if (options.since !== undefined) {
      where.push('started_at >= ?');
      params.push(toIso(options.since, 'since'));
    }
    if (options.vendor !== undefined) {
      where.push('vendor = ?');
      params.push(options.vendor);
    }
    if (options.status !== undefined) {
      const statuses = oneOf(options.status);
      where.push(`status IN (${statuses.map(() => '?').join(', ') || 'NULL'})`);
      params.push(...statuses);
    }
    const sql =
      `SELECT * FROM runs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC` +
      (options.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.limit))}` : '');
    return (this.#db.prepare(sql).all(...params) as Row[]).map(runFromRow);
  }

  /**
   * Saves a run's result: the run's fields, its faults and its freeze episodes, in one transaction.
   * Saving again replaces what was saved, so a retried save leaves one copy. The status becomes
   * `scored` or `not-reproduced` unless the run is already past that (filing, watching, …).
   */
  saveRunResult(id: string, result: RunResult): RunRow {
    if (result.runId !== id) throw new Error(prefixed('store', `result of run ${result.runId} saved as run ${id}`));
    const now = this.#nowIso();
    const scored: RunStatus = result.reproduced ? 'scored' : 'not-reproduced';
    return this.transaction(() => {
      const existing = this.getRun(id);
      const fields = {
        id,
        drill: result.drill,
        provider: result.provider,
        started_at: toIso(result.startedAt, 'startedAt'),
        ended_at: toIso(result.endedAt, 'endedAt'),
        reproduced: result.reproduced ? 1 : 0,
        reason: result.reason,
        evidence_dir: result.evidenceDir,
        result_json: JSON.stringify(result),
        now,
      };
      if (!existing) {
        this.#db
          .prepare(
            `INSERT INTO runs (id, drill, provider, vendor, status, phase, created_at, started_at, updated_at, ended_at,
                               reproduced, reason, evidence_dir, result_json)
             VALUES (@id, @drill, @provider, NULL, @status, 'scored', @now, @started_at, @now, @ended_at,
                     @reproduced, @reason, @evidence_dir, @result_json)`,
          )
          .run({ ...fields, status: scored });
      } else {
        const rescoring = BEFORE_FILING.includes(existing.status);
        this.#db
          .prepare(
            `UPDATE runs SET drill = @drill, provider = @provider, started_at = @started_at, ended_at = @ended_at,
                    reproduced = @reproduced, reason = @reason, evidence_dir = @evidence_dir,
                    result_json = @result_json, status = @status, phase = @phase, updated_at = @now
             WHERE id = @id`,
          )
          .run({ ...fields, status: rescoring ? scored : existing.status, phase: rescoring ? 'scored' : existing.phase });
      }

      this.#db.prepare('DELETE FROM faults WHERE run_id = ?').run(id);
      const insertFault = this.#db.prepare(
        'INSERT INTO faults (run_id, idx, kind, target, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (const fault of result.faults) {
        insertFault.run(id, fault.index, fault.kind, fault.target, toIso(fault.startedAt, 'fault.startedAt'), fault.endedAt === null ? null : toIso(fault.endedAt, 'fault.endedAt'));
      }

      this.#db.prepare('DELETE FROM freeze_episodes WHERE run_id = ?').run(id);
      const insertEpisode = this.#db.prepare(
        `INSERT INTO freeze_episodes (run_id, participant, started_at, detected_at, ended_at, duration_ms, onset_delay_ms,
                                      detection_overhead_ms, recovery_ms, fault_idx)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, participant, started_at) DO NOTHING`,
      );
      for (const freeze of result.freezes) {
        insertEpisode.run(
          id,
          freeze.participant,
          toIso(freeze.startedAt, 'freeze.startedAt'),
          toIso(freeze.detectedAt, 'freeze.detectedAt'),
          freeze.endedAt === null ? null : toIso(freeze.endedAt, 'freeze.endedAt'),
          freeze.durationMs,
          freeze.onsetDelayMs,
          freeze.detectionOverheadMs,
          freeze.recoveryMs,
          freeze.fault,
        );
      }
      return this.getRun(id)!;
    });
  }

  /** Runs started in `[from, to)` with their tickets, oldest first, in one query (see {@link RunTicketSummary}). */
  runTicketSummaries(range: { from: Instant; to: Instant }): RunTicketSummary[] {
    const rows = this.#db
      .prepare(
        `SELECT r.id AS run_id, r.drill, r.vendor AS run_vendor, r.status, r.started_at, r.reproduced, r.evidence_dir,
                t.id AS ticket_id, t.vendor AS ticket_vendor, t.ref, t.vendor_ticket_id, t.url, t.state, t.filed_at,
                t.timings_json, t.sla_json,
                (SELECT a.kind FROM activities a
                  WHERE a.ticket_id = t.id AND a.kind IN ('canned', 'human', 'resolution')
                  ORDER BY a.at, a.id LIMIT 1) AS first_human_kind
         FROM runs r LEFT JOIN tickets t ON t.run_id = r.id
         WHERE r.started_at >= ? AND r.started_at < ?
         ORDER BY r.started_at, r.id`,
      )
      .all(toIso(range.from, 'from'), toIso(range.to, 'to')) as Row[];
    return rows.map((row) => ({
      runId: row.run_id as string,
      drill: row.drill as string,
      vendor: row.run_vendor as string | null,
      status: row.status as RunStatus,
      startedAt: row.started_at as string,
      reproduced: row.reproduced === null ? null : row.reproduced === 1,
      evidenceDir: row.evidence_dir as string | null,
      ticket:
        row.ticket_id === null
          ? null
          : {
              id: row.ticket_id as number,
              vendor: row.ticket_vendor as string,
              ref: row.ref as string,
              vendorTicketId: row.vendor_ticket_id as string | null,
              url: row.url as string | null,
              state: row.state as TicketState,
              filedAt: row.filed_at as string | null,
              timings: parseJson<unknown>(row.timings_json as string | null, null),
              sla: parseJson<unknown>(row.sla_json as string | null, null),
              firstHumanKind: row.first_human_kind as ReplyKind | null,
            },
    }));
  }

  /** The run's faults in timeline order. */
  faults(runId: string): FaultRow[] {
    return (this.#db.prepare('SELECT * FROM faults WHERE run_id = ? ORDER BY idx').all(runId) as Row[]).map(faultFromRow);
  }

  /** The run's freeze episodes, earliest first. */
  freezeEpisodes(runId: string): FreezeEpisodeRow[] {
    return (
      this.#db.prepare('SELECT * FROM freeze_episodes WHERE run_id = ? ORDER BY started_at, participant').all(runId) as Row[]
    ).map(episodeFromRow);
  }

  // ── tickets ───────────────────────────────────────────────────────────────────────────────────────

  /**
   * Records that filing a run's ticket begins, before the vendor is called. When the run already has a
   * ticket row, that row is returned unchanged and nothing is inserted: the caller resumes from its
   * state (for `filing`, by looking the reference up at the vendor before filing).
   */
  beginFiling(runId: string, ticket: { vendor: string; ref: string; watchUntil?: Instant | null }): TicketRow {
    const now = this.#nowIso();
    return this.transaction(() => {
      const existing = this.getTicketByRun(runId);
      if (existing) return existing;
      if (!this.getRun(runId)) throw new Error(prefixed('store', `no run ${runId} to file a ticket for`));
      const sameRef = this.getTicketByRef(ticket.ref);
      if (sameRef) throw new Error(prefixed('store', `reference ${ticket.ref} already belongs to run ${sameRef.runId}`));
      this.#db
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
      return this.getTicketByRun(runId)!;
    });
  }

  /**
   * Records the vendor's ticket: the state becomes `open` (a ticket already further along keeps its
   * state). A ticket already recorded under another vendor id is refused, since that would be a
   * second filing for the run.
   */
  markFiled(
    ticketId: number,
    filed: { vendorTicketId: string; url: string | null; filedAt: Instant; watchUntil?: Instant | null },
  ): TicketRow {
    return this.transaction(() => {
      const ticket = this.#requireTicket(ticketId);
      if (ticket.vendorTicketId !== null && ticket.vendorTicketId !== filed.vendorTicketId) {
        throw new Error(
          prefixed('store', `ticket ${ticket.ref} is already filed as ${ticket.vendorTicketId}; refusing ${filed.vendorTicketId}`),
        );
      }
      const other = this.#db
        .prepare('SELECT ref FROM tickets WHERE vendor = ? AND vendor_ticket_id = ? AND id != ?')
        .get(ticket.vendor, filed.vendorTicketId, ticketId) as { ref: string } | undefined;
      if (other) {
        throw new Error(
          prefixed('store', `${ticket.vendor} ticket ${filed.vendorTicketId} is already recorded for ${other.ref}, not ${ticket.ref}`),
        );
      }
      const state: TicketState = ticket.state === 'filing' || ticket.state === 'filing-failed' ? 'open' : ticket.state;
      this.#db
        .prepare(
          `UPDATE tickets SET vendor_ticket_id = @vendorTicketId, url = @url, filed_at = @filedAt, state = @state,
                  error = NULL, watch_until = COALESCE(@watchUntil, watch_until), updated_at = @now
           WHERE id = @id`,
        )
        .run({
          id: ticketId,
          vendorTicketId: filed.vendorTicketId,
          url: filed.url,
          filedAt: toIso(filed.filedAt, 'filedAt'),
          state,
          watchUntil: toIsoOrNull(filed.watchUntil ?? null, 'watchUntil'),
          now: this.#nowIso(),
        });
      return this.getTicket(ticketId)!;
    });
  }

  /**
   * Records that filing failed. Only a ticket still being filed changes; one the vendor already has is
   * returned as it is, so a late error cannot hide a real filing.
   */
  markFilingFailed(ticketId: number, error: unknown): TicketRow {
    const message = error instanceof Error ? error.message : String(error);
    return this.transaction(() => {
      const ticket = this.#requireTicket(ticketId);
      if (ticket.state !== 'filing' && ticket.state !== 'filing-failed') return ticket;
      this.#db
        .prepare("UPDATE tickets SET state = 'filing-failed', error = ?, updated_at = ? WHERE id = ?")
        .run(message, this.#nowIso(), ticketId);
      return this.getTicket(ticketId)!;
    });
  }

  /** Tickets being watched, the most overdue poll first (never polled counts as most overdue). */
  openTickets(): TicketRow[] {
    return (
      this.#db.prepare("SELECT * FROM tickets WHERE state = 'open' ORDER BY next_poll_at IS NOT NULL, next_poll_at, id").all() as Row[]
    ).map(ticketFromRow);
  }

  getTicket(id: number): TicketRow | null {
    const row = this.#db.prepare('SELECT * FROM tickets WHERE id = ?').get(id) as Row | undefined;
    return row ? ticketFromRow(row) : null;
  }

  getTicketByRun(runId: string): TicketRow | null {
    const row = this.#db.prepare('SELECT * FROM tickets WHERE run_id = ?').get(runId) as Row | undefined;
    return row ? ticketFromRow(row) : null;
  }

  getTicketByRef(ref: string): TicketRow | null {
    const row = this.#db.prepare('SELECT * FROM tickets WHERE ref = ?').get(ref) as Row | undefined;
    return row ? ticketFromRow(row) : null;
  }

  /** Newest first. */
  listTickets(options: ListTicketsOptions = {}): TicketRow[] {
    const where: string[] = [];
    const params: SqliteValue[] = [];
    if (options.state !== undefined) {
      const states = oneOf(options.state);
      where.push(`state IN (${states.map(() => '?').join(', ') || 'NULL'})`);
      params.push(...states);
    }
    if (options.vendor !== undefined) {
      where.push('vendor = ?');
      params.push(options.vendor);
    }
    const sql =
      `SELECT * FROM tickets${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC` +
      (options.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.limit))}` : '');
    return (this.#db.prepare(sql).all(...params) as Row[]).map(ticketFromRow);
  }

  /** Changes the given fields of a ticket and bumps `updatedAt`; throws when there is no such ticket. */
  updateTicket(id: number, patch: TicketPatch): TicketRow {
    const { sql, params } = assignments(patch, TICKET_COLUMNS);
    const info = this.#db
      .prepare(`UPDATE tickets SET ${[...sql, 'updated_at = @updated_at'].join(', ')} WHERE id = @id`)
      .run({ ...params, updated_at: this.#nowIso(), id });
    if (info.changes === 0) throw new Error(prefixed('store', `no ticket ${id}`));
    return this.getTicket(id)!;
  }

  #requireTicket(id: number): TicketRow {
    const ticket = this.getTicket(id);
    if (!ticket) throw new Error(prefixed('store', `no ticket ${id}`));
    return ticket;
  }

  // ── activities ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Records a vendor activity once. When the ticket already has an activity with that vendor id,
   * nothing is written and the first copy is returned with `inserted: false`.
   */
  recordActivity(ticketId: number, activity: NewActivity): { inserted: boolean; row: ActivityRow } {
    const info = this.#db
      .prepare(
        `INSERT INTO activities (ticket_id, vendor_activity_id, at, seen_at, kind, reasons_json, author_name, author_role,
                                 subject, excerpt, text, status_change, requests_provided_info_json)
         VALUES (@ticketId, @vendorActivityId, @at, @seenAt, @kind, @reasons, @authorName, @authorRole,
                 @subject, @excerpt, @text, @statusChange, @requestsProvidedInfo)
         ON CONFLICT (ticket_id, vendor_activity_id) DO NOTHING`,
      )
      .run({
        ticketId,
        vendorActivityId: activity.vendorActivityId,
        at: toIso(activity.at, 'at'),
        seenAt: activity.seenAt === undefined ? this.#nowIso() : toIso(activity.seenAt, 'seenAt'),
        kind: activity.kind,
        reasons: JSON.stringify(activity.reasons ?? []),
        authorName: activity.authorName ?? null,
        authorRole: activity.authorRole ?? null,
        subject: activity.subject ?? null,
        excerpt: activity.excerpt === undefined ? excerptOf(activity.text) : activity.excerpt,
        text: activity.text ?? null,
        statusChange: activity.statusChange ?? null,
        requestsProvidedInfo: JSON.stringify(activity.requestsProvidedInfo ?? []),
      });
    const row = this.#db
      .prepare('SELECT * FROM activities WHERE ticket_id = ? AND vendor_activity_id = ?')
      .get(ticketId, activity.vendorActivityId) as Row;
    return { inserted: info.changes === 1, row: activityFromRow(row) };
  }

  /** The ticket's activities in the vendor's time order (then in the order we recorded them). */
  activities(ticketId: number): ActivityRow[] {
    return (this.#db.prepare('SELECT * FROM activities WHERE ticket_id = ? ORDER BY at, id').all(ticketId) as Row[]).map(
      activityFromRow,
    );
  }

  // ── settings ──────────────────────────────────────────────────────────────────────────────────────

  getSetting(key: string): string | null {
    const row = this.#db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? row.value : null;
  }

  /** Sets a setting; `null` removes it. */
  setSetting(key: string, value: string | null): void {
    if (value === null) {
      this.#db.prepare('DELETE FROM settings WHERE key = ?').run(key);
      return;
    }
    this.#db
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, value, this.#nowIso());
  }

  /** Aggregates for the service's metrics, in three queries whatever the store's size. */
  counts(): {
    runs: { drill: string; status: RunStatus; count: number }[];
    freezeEpisodes: { drill: string; count: number }[];
    tickets: { vendor: string; state: TicketState; count: number }[];
  } {
    return {
      runs: this.#db.prepare('SELECT drill, status, COUNT(*) AS count FROM runs GROUP BY drill, status').all() as never,
      freezeEpisodes: this.#db
        .prepare('SELECT r.drill AS drill, COUNT(*) AS count FROM freeze_episodes f JOIN runs r ON r.id = f.run_id GROUP BY r.drill')
        .all() as never,
      tickets: this.#db.prepare('SELECT vendor, state, COUNT(*) AS count FROM tickets GROUP BY vendor, state').all() as never,
    };
  }

  /** A trivial query: the database answers (for `/healthz`). */
  ping(): boolean {
    return (this.#db.prepare('SELECT 1 AS ok').get() as { ok: number } | undefined)?.ok === 1;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

/**
 * Opens (creating when needed) `<dataDir>/supportdrill.db` and brings its schema up to date. A file
 * that cannot be opened, or one written by a newer supportdrill, is a {@link UserError} naming it.
 */
export function openStore(dataDir: string, options: StoreOptions = {}): Store {
  const dir = resolve(dataDir);
  const path = join(dir, DATABASE_FILE);
  let db: SqliteDatabase | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    db = openDatabase(path);
    migrate(db, { now: options.now });
  } catch (error) {
    db?.close();
    if (error instanceof UserError) throw error;
    throw new UserError(prefixed('store', `cannot open the database ${path}: ${(error as Error).message}`), { cause: error });
  }
  return new Store(db, path, options);
}
