/**
 * The embedded store: one SQLite file, `<dataDir>/supportdrill.db` (WAL, so the service and a CLI
 * command share it). Each method is one transaction or a single statement; the queries live with
 * their tables (runs.ts, tickets.ts, activities.ts, settings.ts), the schema in migrations.ts.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError, prefixed } from '../../core/errors.ts';
import type { RunResult } from '../../core/run-result.ts';
import { openDatabase, type SqliteDatabase } from '../../core/sqlite.ts';
import type { CountMessagesOptions, Instant, ListRunsOptions, ListTicketsOptions, MessagePatch, NewActivity, NewMessage, NewRun, RunPatch, TicketPatch } from '../rows.ts';
import type { Store, StoreCounts } from '../store.ts';
import { StoreFaultError, storeFault } from '../store-fault.ts';
import * as activities from './activities.ts';
import type { SqliteContext } from './context.ts';
import * as effects from './effects.ts';
import * as messages from './messages.ts';
import { migrate } from './migrations.ts';
import * as runs from './runs.ts';
import * as settings from './settings.ts';
import * as tickets from './tickets.ts';

/** The file inside `dataDir` that holds every run, ticket and activity. */
export const DATABASE_FILE = 'supportdrill.db';

/** The setting `probeWrite` writes, so that `/healthz` knows writes go through. */
const PROBE_SETTING = 'health.probe';

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

  async createRun(run: NewRun) { return this.#run(() => runs.createRun(this.#ctx, run)); }
  async updateRun(id: string, patch: RunPatch) { return this.#run(() => runs.updateRun(this.#ctx, id, patch)); }
  async getRun(id: string) { return this.#run(() => runs.getRun(this.#ctx, id)); }
  async listRuns(options?: ListRunsOptions) { return this.#run(() => runs.listRuns(this.#ctx, options)); }
  async saveRunResult(id: string, result: RunResult) { return this.#run(() => runs.saveRunResult(this.#ctx, id, result)); }
  async runTicketSummaries(range: { from: Instant; to: Instant }) { return this.#run(() => runs.runTicketSummaries(this.#ctx, range)); }
  async faults(runId: string) { return this.#run(() => runs.faults(this.#ctx, runId)); }
  async freezeEpisodes(runId: string) { return this.#run(() => runs.freezeEpisodes(this.#ctx, runId)); }

  async beginFiling(runId: string, ticket: { vendor: string; ref: string; watchUntil?: Instant | null }) { return this.#run(() => tickets.beginFiling(this.#ctx, runId, ticket)); }
  async markFiled(ticketId: number, filed: { vendorTicketId: string; url: string | null; filedAt: Instant; watchUntil?: Instant | null }) {
    return tickets.markFiled(this.#ctx, ticketId, filed);
  }
  async markFilingFailed(ticketId: number, error: unknown, options?: { refileAt?: Instant | null }) { return this.#run(() => tickets.markFilingFailed(this.#ctx, ticketId, error, options)); }
  async openTickets() { return this.#run(() => tickets.openTickets(this.#ctx)); }
  async getTicket(id: number) { return this.#run(() => tickets.getTicket(this.#ctx, id)); }
  async getTicketByRun(runId: string) { return this.#run(() => tickets.getTicketByRun(this.#ctx, runId)); }
  async getTicketByRef(ref: string) { return this.#run(() => tickets.getTicketByRef(this.#ctx, ref)); }
  async listTickets(options?: ListTicketsOptions) { return this.#run(() => tickets.listTickets(this.#ctx, options)); }
  async updateTicket(id: number, patch: TicketPatch) { return this.#run(() => tickets.updateTicket(this.#ctx, id, patch)); }

  async recordActivity(ticketId: number, activity: NewActivity) { return this.#run(() => activities.recordActivity(this.#ctx, ticketId, activity)); }
  async activities(ticketId: number) { return this.#run(() => activities.activities(this.#ctx, ticketId)); }

  async getSetting(key: string) { return this.#run(() => settings.getSetting(this.#ctx, key)); }
  async setSetting(key: string, value: string | null) { return this.#run(() => settings.setSetting(this.#ctx, key, value)); }

  async planMessage(ticketId: number, message: NewMessage) { return this.#run(() => messages.planMessage(this.#ctx, ticketId, message)); }
  async getMessage(id: number) { return this.#run(() => messages.getMessage(this.#ctx, id)); }
  async messages(ticketId: number) { return this.#run(() => messages.messages(this.#ctx, ticketId)); }
  async dueMessages(now: Instant, ticketId?: number) { return this.#run(() => messages.dueMessages(this.#ctx, now, ticketId)); }
  async updateMessage(id: number, patch: MessagePatch) { return this.#run(() => messages.updateMessage(this.#ctx, id, patch)); }
  async beginSending(id: number) { return this.#run(() => messages.beginSending(this.#ctx, id)); }
  async markMessageSent(id: number, sent: { vendorMessageId: string; at: Instant }, activity: Omit<NewActivity, 'vendorActivityId' | 'at' | 'kind'>) { return this.#run(() => messages.markMessageSent(this.#ctx, id, sent, activity)); }
  async countMessages(options: CountMessagesOptions) { return this.#run(() => messages.countMessages(this.#ctx, options)); }
  async claimEffect(key: string, holder: string, options: { staleAfterMs: number }) { return this.#run(() => effects.claimEffect(this.#ctx, key, holder, options.staleAfterMs)); }
  async completeEffect(key: string, holder: string, detail?: unknown) { return this.#run(() => effects.completeEffect(this.#ctx, key, holder, detail)); }
  async releaseEffect(key: string, holder: string) { return this.#run(() => effects.releaseEffect(this.#ctx, key, holder)); }
  async getEffect(key: string) { return this.#run(() => effects.getEffect(this.#ctx, key)); }
  async staleEffects(prefix: string, staleAfterMs: number) { return this.#run(() => effects.staleEffects(this.#ctx, prefix, staleAfterMs)); }
  async acquireLease(name: string, holder: string, ttlMs: number) { return this.#run(() => effects.acquireLease(this.#ctx, name, holder, ttlMs)); }
  async releaseLease(name: string, holder: string) { return this.#run(() => effects.releaseLease(this.#ctx, name, holder)); }

  async counts(): Promise<StoreCounts> {
    return this.#run(() => ({
      runs: this.#db.prepare('SELECT drill, status, COUNT(*) AS count FROM runs GROUP BY drill, status').all() as StoreCounts['runs'],
      freezeEpisodes: this.#db
        .prepare('SELECT r.drill AS drill, COUNT(*) AS count FROM freeze_episodes f JOIN runs r ON r.id = f.run_id GROUP BY r.drill')
        .all() as StoreCounts['freezeEpisodes'],
      tickets: this.#db.prepare('SELECT vendor, state, COUNT(*) AS count FROM tickets GROUP BY vendor, state').all() as StoreCounts['tickets'],
    }));
  }

  async ping() {
    return this.#run(() => (this.#db.prepare('SELECT 1 AS ok').get() as { ok: number } | undefined)?.ok === 1);
  }

  async probeWrite() {
    return this.#run(() => settings.setSetting(this.#ctx, PROBE_SETTING, this.#ctx.nowIso()));
  }

  /** Runs one query function, turning a fault of the file itself into a {@link StoreFaultError}. */
  #run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw storeFault(error, this.location);
    }
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
 * Opens (creating when needed) `<dataDir>/supportdrill.db` and brings its schema up to date. Refused
 * with a {@link UserError} naming the file and what to do: a file that cannot be opened, one written
 * by a newer supportdrill, an existing file of 0 bytes (truncated, or never written: it would
 * otherwise silently become an empty store), one that fails SQLite's quick check (damaged, or
 * missing pages), and one this process cannot write to.
 */
export function openSqliteStore(dataDir: string, options: SqliteStoreOptions = {}): SqliteStore {
  const dir = resolve(dataDir);
  const path = join(dir, DATABASE_FILE);
  let db: SqliteDatabase | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    if (existsSync(path) && statSync(path).size === 0) {
      throw new UserError(
        prefixed('store', `the database ${path} is an empty file (0 bytes): it was truncated or never written, and opening it would start an empty store over it. Restore it from a backup, or delete it to start afresh.`),
      );
    }
    db = openDatabase(path);
    checkIntegrity(db, path);
    migrate(db, { now: options.now });
    // A read-only file opens and reads fine; find out now rather than at the first write.
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, '', '') ON CONFLICT (key) DO UPDATE SET value = value").run(PROBE_SETTING);
  } catch (error) {
    db?.close();
    if (error instanceof UserError) throw error;
    const fault = storeFault(error, path);
    if (fault instanceof StoreFaultError) throw new UserError(fault.message, { cause: error });
    throw new UserError(prefixed('store', `cannot open the database ${path}: ${(error as Error).message}`), { cause: error });
  }
  return new SqliteStore(db, path, options);
}

/** SQLite's quick check (structure and page links, not every index entry), refusing a damaged file. */
function checkIntegrity(db: SqliteDatabase, path: string): void {
  const problems = (db.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check);
  if (problems.length === 1 && problems[0] === 'ok') return;
  throw new UserError(
    prefixed('store', `the database ${path} is damaged (SQLite's check says: ${problems.slice(0, 3).join('; ')}): restore it from a backup, or move it away to start afresh (\`sqlite3 ${path} .recover\` may save its rows).`),
  );
}
