import { createRequire } from 'node:module';

// better-sqlite3 ships no type declarations and @types/better-sqlite3 is not a dependency, so the part
// of its API the store uses is declared here and the module is loaded through require: an ambient
// `declare module` would clash with the real declarations the day they are installed.

export type SqliteValue = string | number | bigint | Buffer | null;
export type SqliteParams = Record<string, SqliteValue> | SqliteValue[];

export interface SqliteRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface SqliteStatement {
  run(...params: SqliteParams[] | SqliteValue[]): SqliteRunResult;
  get(...params: SqliteParams[] | SqliteValue[]): unknown;
  all(...params: SqliteParams[] | SqliteValue[]): unknown[];
}

/** A function wrapped by `db.transaction`: calling it runs BEGIN … COMMIT (ROLLBACK when it throws). */
export interface SqliteTransaction<A extends unknown[], R> {
  (...args: A): R;
  /** BEGIN IMMEDIATE: takes the write lock up front, so two processes cannot interleave. */
  immediate(...args: A): R;
  deferred(...args: A): R;
  exclusive(...args: A): R;
}

export interface SqliteDatabase {
  readonly name: string;
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): this;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): SqliteTransaction<A, R>;
  close(): this;
}

export interface SqliteOpenOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  /** Milliseconds to wait for a lock before failing with SQLITE_BUSY. */
  timeout?: number;
}

type DatabaseConstructor = new (filename: string, options?: SqliteOpenOptions) => SqliteDatabase;

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as DatabaseConstructor;

/** How long a writer waits for another process's lock (the watcher and the CLI share one file). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens a SQLite file with the settings every supportdrill database uses: WAL (a reader never blocks
 * the writer), foreign keys enforced, and a busy timeout so that two processes take turns instead of
 * failing.
 */
export function openDatabase(path: string): SqliteDatabase {
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
