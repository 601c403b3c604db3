/**
 * The embedded store: one SQLite file, `<dataDir>/supportdrill.db` (WAL, so the service and a CLI
 * command share it). Each method is one transaction or a single statement; the queries live with
 * their tables (runs.ts, tickets.ts, activities.ts, settings.ts), the schema in migrations.ts.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError, prefixed } from '../../core/errors.ts';
import type { RunResult } from '../../core/run-result.ts';
import { openDatabase, type SqliteDatabase } from '../../core/sqlite.ts';
import type { Instant, ListRunsOptions, ListTicketsOptions, NewActivity, NewRun, RunPatch, TicketPatch } from '../rows.ts';
import type { Store, StoreCounts } from '../store.ts';
import * as activities from './activities.ts';
import type { SqliteContext } from './context.ts';
import { migrate } from './migrations.ts';
import * as runs from './runs.ts';
import * as settings from './settings.ts';
import * as tickets from './tickets.ts';

/** The file inside `dataDir` that holds every run, ticket and activity. */
export const DATABASE_FILE = 'supportdrill.db';

export interface SqliteStoreOptions {
  /** Replaceable clock, for tests. */
  now?: () => Date;
}

export class SqliteStore implements Store {
  readonly location: string;
  readonly #db: SqliteDatabase;
  readonly #ctx: SqliteContext;

  constructor(db: SqliteDatabase, path: string, options: SqliteStoreOptions = {}) {
    const now = options.now ?? (() => new Date());
    this.#db = db;
    this.location = path;
    this.#ctx = { db, nowIso: () => now().toISOString() };
  }

  async createRun(run: NewRun) { return runs.createRun(this.#ctx, run); }
  async updateRun(id: string, patch: RunPatch) { return runs.updateRun(this.#ctx, id, patch); }
  async getRun(id: string) { return runs.getRun(this.#ctx, id); }
  async listRuns(options?: ListRunsOptions) { return runs.listRuns(this.#ctx, options); }
  async saveRunResult(id: string, result: RunResult) { return runs.saveRunResult(this.#ctx, id, result); }
  async runTicketSummaries(range: { from: Instant; to: Instant }) { return runs.runTicketSummaries(this.#ctx, range); }
  async faults(runId: string) { return runs.faults(this.#ctx, runId); }
  async freezeEpisodes(runId: string) { return runs.freezeEpisodes(this.#ctx, runId); }

  async beginFiling(runId: string, ticket: { vendor: string; ref: string; watchUntil?: Instant | null }) { return tickets.beginFiling(this.#ctx, runId, ticket); }
  async markFiled(ticketId: number, filed: { vendorTicketId: string; url: string | null; filedAt: Instant; watchUntil?: Instant | null }) {
    return tickets.markFiled(this.#ctx, ticketId, filed);
  }
  async markFilingFailed(ticketId: number, error: unknown) { return tickets.markFilingFailed(this.#ctx, ticketId, error); }
  async openTickets() { return tickets.openTickets(this.#ctx); }
  async getTicket(id: number) { return tickets.getTicket(this.#ctx, id); }
  async getTicketByRun(runId: string) { return tickets.getTicketByRun(this.#ctx, runId); }
  async getTicketByRef(ref: string) { return tickets.getTicketByRef(this.#ctx, ref); }
  async listTickets(options?: ListTicketsOptions) { return tickets.listTickets(this.#ctx, options); }
  async updateTicket(id: number, patch: TicketPatch) { return tickets.updateTicket(this.#ctx, id, patch); }

  async recordActivity(ticketId: number, activity: NewActivity) { return activities.recordActivity(this.#ctx, ticketId, activity); }
  async activities(ticketId: number) { return activities.activities(this.#ctx, ticketId); }

  async getSetting(key: string) { return settings.getSetting(this.#ctx, key); }
  async setSetting(key: string, value: string | null) { settings.setSetting(this.#ctx, key, value); }

  async counts(): Promise<StoreCounts> {
    return {
      runs: this.#db.prepare('SELECT drill, status, COUNT(*) AS count FROM runs GROUP BY drill, status').all() as StoreCounts['runs'],
      freezeEpisodes: this.#db
        .prepare('SELECT r.drill AS drill, COUNT(*) AS count FROM freeze_episodes f JOIN runs r ON r.id = f.run_id GROUP BY r.drill')
        .all() as StoreCounts['freezeEpisodes'],
      tickets: this.#db.prepare('SELECT vendor, state, COUNT(*) AS count FROM tickets GROUP BY vendor, state').all() as StoreCounts['tickets'],
    };
  }

  async ping() {
    return (this.#db.prepare('SELECT 1 AS ok').get() as { ok: number } | undefined)?.ok === 1;
  }

  /**
   * Runs `fn` inside one transaction, committing when it settles (rolling back when it throws). For
   * bulk loads by a process that has this connection to itself (a benchmark seeding a store): any
   * other use of the connection meanwhile would land inside the transaction too.
   */
  async batch<T>(fn: () => Promise<T>): Promise<T> {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const value = await fn();
      this.#db.exec('COMMIT');
      return value;
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  async close() {
    if (this.#db.open) this.#db.close();
  }
}

/**
 * Opens (creating when needed) `<dataDir>/supportdrill.db` and brings its schema up to date. A file
 * that cannot be opened, or one written by a newer supportdrill, is a {@link UserError} naming it.
 */
export function openSqliteStore(dataDir: string, options: SqliteStoreOptions = {}): SqliteStore {
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
  return new SqliteStore(db, path, options);
}
