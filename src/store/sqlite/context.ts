import { prefixed } from '../../core/errors.ts';
import type { SqliteDatabase, SqliteValue } from '../../core/sqlite.ts';
import { RUN_STATUSES, TICKET_STATES, type Instant, type RunStatus, type TicketState } from '../rows.ts';

/** What each table's queries work with: the open database and the store's clock. */
export interface SqliteContext {
  db: SqliteDatabase;
  /** The current instant as stored (ISO-8601 UTC with milliseconds). */
  nowIso(): string;
}

export type Row = Record<string, SqliteValue>;

/**
 * Runs `fn` in one IMMEDIATE transaction (a savepoint when already inside one): all of its writes
 * happen or none do, and no other process writes in between.
 */
export function transaction<T>(ctx: SqliteContext, fn: () => T): T {
  return ctx.db.transaction(fn).immediate();
}

export function toIso(value: Instant, field: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(prefixed('store', `${field}: '${String(value)}' is not a valid instant`));
  return date.toISOString();
}

export const toIsoOrNull = (value: Instant | null, field: string): string | null => (value === null ? null : toIso(value, field));

export function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function oneOf<T extends string>(value: T | readonly T[]): readonly T[] {
  return typeof value === 'string' ? [value] : value;
}

export function checkRunStatus(status: string): RunStatus {
  if (!(RUN_STATUSES as readonly string[]).includes(status)) {
    throw new TypeError(prefixed('store', `unknown run status '${status}'; expected one of ${RUN_STATUSES.join(', ')}`));
  }
  return status as RunStatus;
}

export function checkTicketState(state: string): TicketState {
  if (!(TICKET_STATES as readonly string[]).includes(state)) {
    throw new TypeError(prefixed('store', `unknown ticket state '${state}'; expected one of ${TICKET_STATES.join(', ')}`));
  }
  return state as TicketState;
}

export const text = (value: string | null): SqliteValue => value;

/** Builds `col = @col, …` and its parameters from a patch, through a fixed map of allowed columns. */
export function assignments<P extends object>(
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

/** `LIMIT n` for a caller's limit: a whole number, never negative. */
export function limitClause(limit: number | undefined): string {
  return limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(limit))}` : '';
}

/** A `WHERE` clause built from the filters a caller set; a filter left `undefined` is left out. */
export class Where {
  readonly #terms: string[] = [];
  readonly params: SqliteValue[] = [];

  equals(column: string, value: SqliteValue | undefined): this {
    if (value !== undefined) this.#add(`${column} = ?`, [value]);
    return this;
  }

  atLeast(column: string, value: SqliteValue | undefined): this {
    if (value !== undefined) this.#add(`${column} >= ?`, [value]);
    return this;
  }

  /** `column IN (…)`; an empty list matches nothing. */
  oneOf<T extends string>(column: string, value: T | readonly T[] | undefined): this {
    if (value === undefined) return this;
    const values = oneOf(value);
    this.#add(`${column} IN (${values.map(() => '?').join(', ') || 'NULL'})`, values);
    return this;
  }

  #add(term: string, params: readonly SqliteValue[]): void {
    this.#terms.push(term);
    this.params.push(...params);
  }

  toString(): string {
    return this.#terms.length ? ` WHERE ${this.#terms.join(' AND ')}` : '';
  }
}

/** The one row a query finds by a key, decoded, or `null`. */
export function one<T>(ctx: SqliteContext, sql: string, key: SqliteValue, decode: (row: Row) => T): T | null {
  const row = ctx.db.prepare(sql).get(key) as Row | undefined;
  return row ? decode(row) : null;
}
