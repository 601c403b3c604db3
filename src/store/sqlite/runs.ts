/** The `runs`, `faults` and `freeze_episodes` tables. */
import type { RunResult } from '../../core/run-result.ts';
import { prefixed } from '../../core/errors.ts';
import type { ReplyKind } from '../../core/reply.ts';
import { decodeDiagnosis } from '../../core/stored-diagnosis.ts';
import { decodeSlaVerdict, decodeTimings, parseStoredJson } from '../../core/stored-timings.ts';
import type {
  FaultRow,
  FreezeEpisodeRow,
  Instant,
  ListRunsOptions,
  NewRun,
  RunPatch,
  RunRow,
  RunStatus,
  RunTicketSummary,
  TicketState,
} from '../rows.ts';
import {
  assignments,
  checkRunStatus,
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

/** Statuses a run has until it is scored; scoring again from one of them cannot undo a later step. */
const BEFORE_FILING: readonly RunStatus[] = ['created', 'running', 'in-session', 'scored', 'not-reproduced', 'unhealthy-baseline'];

/** A stored result document, or `null` when there is none or it is not one. */
function decodeRunResult(json: string | null): RunResult | null {
  const value = parseStoredJson(json);
  return typeof value === 'object' && value !== null && typeof (value as RunResult).runId === 'string' ? (value as RunResult) : null;
}

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
    result: decodeRunResult(row.result_json as string | null),
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

/** Records a run before its browser starts, so that a process killed from here on leaves a trace. */
export function createRun(ctx: SqliteContext, run: NewRun): RunRow {
  const status = run.status ?? 'created';
  checkRunStatus(status);
  const now = ctx.nowIso();
  return transaction(ctx, () => {
    if (getRun(ctx, run.id)) throw new Error(prefixed('store', `run ${run.id} already exists`));
    ctx.db
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
    return getRun(ctx, run.id)!;
  });
}

/** Changes the given fields of a run and bumps `updatedAt`; throws when there is no such run. */
export function updateRun(ctx: SqliteContext, id: string, patch: RunPatch): RunRow {
  const { sql, params } = assignments(patch, RUN_COLUMNS);
  const info = ctx.db
    .prepare(`UPDATE runs SET ${[...sql, 'updated_at = @updated_at'].join(', ')} WHERE id = @id`)
    .run({ ...params, updated_at: ctx.nowIso(), id });
  if (info.changes === 0) throw new Error(prefixed('store', `no run ${id}`));
  return getRun(ctx, id)!;
}

export function getRun(ctx: SqliteContext, id: string): RunRow | null {
  return one(ctx, 'SELECT * FROM runs WHERE id = ?', id, runFromRow);
}

/** Newest first. */
export function listRuns(ctx: SqliteContext, options: ListRunsOptions = {}): RunRow[] {
  const where = new Where()
    .atLeast('started_at', options.since === undefined ? undefined : toIso(options.since, 'since'))
    .equals('drill', options.drill)
    .equals('vendor', options.vendor)
    .oneOf('status', options.status);
  const sql = `SELECT * FROM runs${where} ORDER BY started_at DESC, id DESC${limitClause(options.limit)}`;
  return (ctx.db.prepare(sql).all(...where.params) as Row[]).map(runFromRow);
}

/**
 * Saves a run's result: the run's fields, its faults and its freeze episodes, in one transaction.
 * Saving again replaces what was saved, so a retried save leaves one copy. The status becomes
 * `scored`, `not-reproduced` or `unhealthy-baseline` unless the run is already past that (filing, watching, …).
 */
export function saveRunResult(ctx: SqliteContext, id: string, result: RunResult): RunRow {
  if (result.runId !== id) throw new Error(prefixed('store', `result of run ${result.runId} saved as run ${id}`));
  const now = ctx.nowIso();
  const scored: RunStatus = result.outcome === 'unhealthy-baseline' ? 'unhealthy-baseline' : result.reproduced ? 'scored' : 'not-reproduced';
  return transaction(ctx, () => {
    const existing = getRun(ctx, id);
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
      ctx.db
        .prepare(
          `INSERT INTO runs (id, drill, provider, vendor, status, phase, created_at, started_at, updated_at, ended_at,
                             reproduced, reason, evidence_dir, result_json)
           VALUES (@id, @drill, @provider, NULL, @status, 'scored', @now, @started_at, @now, @ended_at,
                   @reproduced, @reason, @evidence_dir, @result_json)`,
        )
        .run({ ...fields, status: scored });
    } else {
      const rescoring = BEFORE_FILING.includes(existing.status);
      ctx.db
        .prepare(
          `UPDATE runs SET drill = @drill, provider = @provider, started_at = @started_at, ended_at = @ended_at,
                  reproduced = @reproduced, reason = @reason, evidence_dir = @evidence_dir,
                  result_json = @result_json, status = @status, phase = @phase, updated_at = @now
           WHERE id = @id`,
        )
        .run({ ...fields, status: rescoring ? scored : existing.status, phase: rescoring ? 'scored' : existing.phase });
    }

    ctx.db.prepare('DELETE FROM faults WHERE run_id = ?').run(id);
    const insertFault = ctx.db.prepare(
      'INSERT INTO faults (run_id, idx, kind, target, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const fault of result.faults) {
      insertFault.run(id, fault.index, fault.kind, fault.target, toIso(fault.startedAt, 'fault.startedAt'), fault.endedAt === null ? null : toIso(fault.endedAt, 'fault.endedAt'));
    }

    ctx.db.prepare('DELETE FROM freeze_episodes WHERE run_id = ?').run(id);
    const insertEpisode = ctx.db.prepare(
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
    return getRun(ctx, id)!;
  });
}

/** Runs started in `[from, to)` with their tickets, oldest first, in one query (see {@link RunTicketSummary}). */
export function runTicketSummaries(ctx: SqliteContext, range: { from: Instant; to: Instant }): RunTicketSummary[] {
  const rows = ctx.db
    .prepare(
      `SELECT r.id AS run_id, r.drill, r.vendor AS run_vendor, r.status, r.started_at, r.reproduced, r.evidence_dir,
              -- A damaged result document must not fail the whole scorecard: json_type would throw on it.
              CASE WHEN json_valid(r.result_json) THEN json_type(r.result_json, '$.answerKey.faults') = 'array' ELSE 0 END AS has_answer_key,
              CASE WHEN json_valid(r.result_json) THEN json_extract(r.result_json, '$.attempt.retryOf') END AS retry_of,
              t.id AS ticket_id, t.vendor AS ticket_vendor, t.ref, t.vendor_ticket_id, t.url, t.state, t.filed_at,
              t.timings_json, t.sla_json, t.diagnosis_json,
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
    hasAnswerKey: row.has_answer_key === 1,
    retryOf: typeof row.retry_of === 'string' ? row.retry_of : null,
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
            timings: decodeTimings(row.timings_json as string | null),
            sla: decodeSlaVerdict(row.sla_json as string | null),
            firstHumanKind: row.first_human_kind as ReplyKind | null,
            diagnosis: decodeDiagnosis(row.diagnosis_json as string | null),
          },
  }));
}

/** The run's faults in timeline order. */
export function faults(ctx: SqliteContext, runId: string): FaultRow[] {
  return (ctx.db.prepare('SELECT * FROM faults WHERE run_id = ? ORDER BY idx').all(runId) as Row[]).map(faultFromRow);
}

/** The run's freeze episodes, earliest first. */
export function freezeEpisodes(ctx: SqliteContext, runId: string): FreezeEpisodeRow[] {
  return (
    ctx.db.prepare('SELECT * FROM freeze_episodes WHERE run_id = ? ORDER BY started_at, participant').all(runId) as Row[]
  ).map(episodeFromRow);
}
