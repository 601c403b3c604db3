/**
 * The sandbox desk's own SQLite file, `<dataDir>/sandbox-desk.db`: its schema history, its tickets
 * and its events — the scripted agents' steps and the customer's own messages and actions. Every
 * write is one IMMEDIATE transaction, so processes sharing the file take turns and each sees what
 * the other wrote.
 */
import type { Logger } from '../core/log.ts';
import type { SqliteDatabase } from '../core/sqlite.ts';
import { isPersonaName, type Language } from './sandbox-personas.ts';
import { knownDueSteps, parseScript, type DueStep, type ScheduledStep, type WrittenEvent } from './sandbox-script.ts';
import { renderStep, type PersonaTicket } from './sandbox-texts.ts';
import type { MarkSolvedOutcome, TicketFactsInput } from './adapter.ts';

/** The desk's schema version this code writes (`PRAGMA user_version`). */
export const DESK_SCHEMA_VERSION = 2;

/** One step of the desk's schema. Released steps are never edited; a new one is appended. */
interface DeskMigration {
  version: number;
  name: string;
  up(db: SqliteDatabase): void;
}

const DESK_MIGRATIONS: readonly DeskMigration[] = [
  {
    version: 1,
    name: 'initial',
    up: (db) =>
      db.exec(`
        CREATE TABLE IF NOT EXISTS desk_tickets (
          number      INTEGER PRIMARY KEY,
          title       TEXT    NOT NULL,
          body        TEXT    NOT NULL,
          priority    TEXT    NOT NULL,
          status      TEXT    NOT NULL,
          persona     TEXT    NOT NULL,
          language    TEXT    NOT NULL,
          seed        INTEGER,
          -- The persona's steps with their due times, fixed at filing: a changed config does not rewrite
          -- what the desk already decided, as with a real desk.
          script      TEXT    NOT NULL,
          facts       TEXT    NOT NULL,
          attachments TEXT    NOT NULL,
          created_at  INTEGER NOT NULL,
          updated_at  INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS desk_events (
          seq           INTEGER PRIMARY KEY AUTOINCREMENT,
          ticket_number INTEGER NOT NULL REFERENCES desk_tickets(number),
          step          TEXT    NOT NULL,
          at            INTEGER NOT NULL,
          author_name   TEXT    NOT NULL,
          author_role   TEXT    NOT NULL,
          automated     INTEGER NOT NULL DEFAULT 0,
          body          TEXT,
          status_change TEXT,
          -- Two processes materialising the same ticket at once still write each step once.
          UNIQUE (ticket_number, step)
        );
      `),
  },
  { version: 2, name: 'customer-events', up: addCustomerEvents },
];

/**
 * The customer writes on the desk too: its messages (one per key) and its marking a ticket solved are
 * events without a script step. SQLite cannot drop a NOT NULL in place, so `desk_events` is rebuilt
 * with its rows and ids as they were.
 */
function addCustomerEvents(db: SqliteDatabase): void {
  const columns = (db.pragma('table_info(desk_events)') as { name: string }[]).map((c) => c.name);
  // A supportdrill from before schema 2 sharing the file sets user_version back to 1 whenever it opens it.
  if (columns.includes('message_key')) return;
  const highWater = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'desk_events'").get() as { seq: number } | undefined)?.seq ?? 0;
  db.exec(`
    CREATE TABLE desk_events_v2 (
      seq           INTEGER PRIMARY KEY AUTOINCREMENT,
      ticket_number INTEGER NOT NULL REFERENCES desk_tickets(number),
      -- The script step that wrote it; NULL for the customer's own events, which are never vendor activity.
      step          TEXT,
      -- The customer's message's key (DRILL-783902/3): the desk records a message once per key.
      message_key   TEXT,
      at            INTEGER NOT NULL,
      author_name   TEXT    NOT NULL,
      author_role   TEXT    NOT NULL,
      automated     INTEGER NOT NULL DEFAULT 0,
      body          TEXT,
      status_change TEXT,
      -- The customer's message's files, JSON [{ filename, contentType, size }].
      attachments   TEXT,
      UNIQUE (ticket_number, step),
      UNIQUE (ticket_number, message_key)
    );
    INSERT INTO desk_events_v2 (seq, ticket_number, step, at, author_name, author_role, automated, body, status_change)
      SELECT seq, ticket_number, step, at, author_name, author_role, automated, body, status_change FROM desk_events;
    DROP TABLE desk_events;
    ALTER TABLE desk_events_v2 RENAME TO desk_events;
  `);
  // Event numbers are the desk's cursors: the next one must come after every number ever given out.
  const moved = db.prepare("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'desk_events'").run(highWater);
  if (moved.changes === 0 && highWater > 0) db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('desk_events', ?)").run(highWater);
}

/**
 * Brings a desk file up to {@link DESK_SCHEMA_VERSION} in place, in one IMMEDIATE transaction (two
 * processes opening an old file migrate it once). `tooNew` makes the error for a file written by a
 * newer supportdrill, which is not written to.
 */
export function migrateDesk(db: SqliteDatabase, tooNew: (version: number) => Error): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() === DESK_SCHEMA_VERSION) return;
  if (version() > DESK_SCHEMA_VERSION) throw tooNew(version());
  db.transaction(() => {
    const from = version();
    if (from > DESK_SCHEMA_VERSION) throw tooNew(from);
    for (const migration of DESK_MIGRATIONS) if (migration.version > from) migration.up(db);
    db.pragma(`user_version = ${DESK_SCHEMA_VERSION}`);
  }).immediate();
}

/** A desk ticket as stored. */
export interface DeskTicketRow {
  number: number;
  title: string;
  body: string;
  status: string;
  persona: string;
  language: Language;
  seed: number | null;
  script: string;
  facts: string;
  created_at: number;
  updated_at: number;
}

/** A desk event as stored. */
export interface DeskEventRow {
  seq: number;
  ticket_number: number;
  step: string | null;
  message_key: string | null;
  at: number;
  author_name: string;
  author_role: string;
  automated: number;
  body: string | null;
  status_change: string | null;
  attachments: string | null;
}

/** A file as the desk records it: its name, type and size, not its bytes. */
export interface DeskAttachment {
  filename: string;
  contentType: string;
  size: number;
}

/** A ticket to file, as the desk stores it. */
export interface NewDeskTicket {
  title: string;
  body: string;
  priority: string;
  persona: string;
  language: Language;
  seed?: number;
  script: ScheduledStep[];
  facts: TicketFactsInput;
  attachments: DeskAttachment[];
  filedAt: number;
}

export interface SandboxDeskOptions {
  /** The desk's clock, epoch ms: the time every event is stamped with. */
  now(): number;
  /** Makes the error for a request the desk refuses (a ticket it does not have). */
  fail(message: string): Error;
  /** How the desk shows its ticket numbers, `SBX-1001`. */
  ticketId(number: number): string;
  logger?: Logger;
  vendorName: string;
}

const FIRST_TICKET_NUMBER = 1001;
/** How the desk names the customer on the customer's own events. */
const CUSTOMER_NAME = 'Customer';

/** The desk's tickets and events on an open, migrated database. */
export class SandboxDesk {
  readonly #db: SqliteDatabase;
  readonly #options: SandboxDeskOptions;

  constructor(db: SqliteDatabase, options: SandboxDeskOptions) {
    this.#db = db;
    this.#options = options;
  }

  /** The ticket, or the desk's refusal naming it. */
  ticket(number: number): DeskTicketRow {
    const row = this.#db.prepare('SELECT * FROM desk_tickets WHERE number = ?').get(number) as DeskTicketRow | undefined;
    if (!row) {
      throw this.#options.fail(
        `ticket ${this.#options.ticketId(number)} does not exist in the sandbox desk ${this.#db.name}; was the data directory changed or the desk file deleted?`,
      );
    }
    return row;
  }

  /** The first ticket whose title carries `[ref]`. */
  findTicket(ref: string): number | undefined {
    const row = this.#db.prepare('SELECT number FROM desk_tickets WHERE instr(title, ?) > 0 ORDER BY number LIMIT 1').get(`[${ref}]`) as
      | { number: number }
      | undefined;
    return row?.number;
  }

  fileTicket(ticket: NewDeskTicket): DeskTicketRow {
    const insert = this.#db.transaction(() => {
      const { next } = this.#db.prepare('SELECT COALESCE(MAX(number) + 1, ?) AS next FROM desk_tickets').get(FIRST_TICKET_NUMBER) as { next: number };
      this.#db
        .prepare(
          `INSERT INTO desk_tickets (number, title, body, priority, status, persona, language, seed, script, facts, attachments, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          next,
          ticket.title,
          ticket.body,
          ticket.priority,
          ticket.persona,
          ticket.language,
          ticket.seed ?? null,
          JSON.stringify(ticket.script),
          JSON.stringify(ticket.facts),
          JSON.stringify(ticket.attachments),
          ticket.filedAt,
          ticket.filedAt,
        );
      return this.ticket(next);
    });
    return insert.immediate();
  }

  /** Writes every step that is due and not yet written; returns the ticket as it then stands. */
  materialise(number: number): DeskTicketRow {
    const at = this.#options.now();
    const before = this.ticket(number);
    // Most polls find nothing new; only those that do take the write lock.
    if (this.#due(before, at).length === 0) return before;
    return this.#db.transaction(() => this.#writeDue(number, at)).immediate();
  }

  /** The ticket's events after `afterSeq`, in the order the desk wrote them. */
  events(number: number, afterSeq: number): DeskEventRow[] {
    return this.#db.prepare('SELECT * FROM desk_events WHERE ticket_number = ? AND seq > ? ORDER BY seq').all(number, afterSeq) as DeskEventRow[];
  }

  /** The customer's message with this key on the ticket. */
  findMessage(number: number, key: string): DeskEventRow | undefined {
    this.ticket(number);
    return this.#db.prepare('SELECT * FROM desk_events WHERE ticket_number = ? AND message_key = ?').get(number, key) as DeskEventRow | undefined;
  }

  /**
   * Records the customer's message, stamped with the desk's clock, after writing every step due by
   * then (so the order of record is the order in time). A key already on the ticket records nothing
   * and returns the message first recorded under it. A message on a ticket waiting on the customer
   * (`pending`) or `solved` sets it `open` again, as help desks do.
   */
  postMessage(number: number, message: { key: string; body: string; attachments: DeskAttachment[] }): DeskEventRow {
    const at = this.#options.now();
    return this.#db
      .transaction(() => {
        const row = this.#writeDue(number, at);
        const earlier = this.findMessage(number, message.key);
        if (earlier) return earlier;
        const { lastInsertRowid } = this.#db
          .prepare(
            `INSERT INTO desk_events (ticket_number, step, message_key, at, author_name, author_role, automated, body, status_change, attachments)
             VALUES (?, NULL, ?, ?, ?, 'end-user', 0, ?, NULL, ?)`,
          )
          .run(number, message.key, at, CUSTOMER_NAME, message.body, JSON.stringify(message.attachments));
        const status = row.status === 'pending' || row.status === 'solved' ? 'open' : row.status;
        this.#db.prepare('UPDATE desk_tickets SET status = ?, updated_at = MAX(updated_at, ?) WHERE number = ?').run(status, at, number);
        this.#options.logger?.debug({ vendor: this.#options.vendorName, ticket: this.#options.ticketId(number), key: message.key }, 'sandbox desk: customer message');
        return this.#db.prepare('SELECT * FROM desk_events WHERE seq = ?').get(lastInsertRowid) as DeskEventRow;
      })
      .immediate();
  }

  /**
   * The customer marks the ticket solved: allowed once an agent has replied on it (as Zendesk's
   * `can_be_solved_by_me` once an agent is assigned); a ticket already solved stays so.
   */
  markSolved(number: number): MarkSolvedOutcome {
    const at = this.#options.now();
    return this.#db
      .transaction((): MarkSolvedOutcome => {
        const row = this.#writeDue(number, at);
        if (row.status === 'solved') return 'solved';
        const replied = this.#db
          .prepare("SELECT 1 FROM desk_events WHERE ticket_number = ? AND step IS NOT NULL AND author_role = 'agent' AND body IS NOT NULL LIMIT 1")
          .get(number);
        if (!replied) return 'not-allowed';
        this.#db
          .prepare(
            `INSERT INTO desk_events (ticket_number, step, message_key, at, author_name, author_role, automated, body, status_change, attachments)
             VALUES (?, NULL, NULL, ?, ?, 'end-user', 0, NULL, 'solved', NULL)`,
          )
          .run(number, at, CUSTOMER_NAME);
        this.#db.prepare("UPDATE desk_tickets SET status = 'solved', updated_at = MAX(updated_at, ?) WHERE number = ?").run(at, number);
        return 'solved';
      })
      .immediate();
  }

  /** The steps due by `at` and not yet written, earliest first. */
  #due(row: DeskTicketRow, at: number): DueStep[] {
    const written = (
      this.#db.prepare('SELECT seq, at, step, message_key, attachments FROM desk_events WHERE ticket_number = ? ORDER BY seq').all(row.number) as Pick<
        DeskEventRow,
        'seq' | 'at' | 'step' | 'message_key' | 'attachments'
      >[]
    ).map(
      (e): WrittenEvent => ({
        seq: e.seq,
        at: e.at,
        step: e.step,
        messageKey: e.message_key,
        attachments: e.attachments === null ? [] : (JSON.parse(e.attachments) as DeskAttachment[]).map((a) => a.filename),
      }),
    );
    return knownDueSteps(parseScript(row.script), written).filter((step) => step.at <= at);
  }

  /** Inside a write transaction: writes the steps due by `at`, in order, until none is left. */
  #writeDue(number: number, at: number): DeskTicketRow {
    const insert = this.#db.prepare(
      `INSERT OR IGNORE INTO desk_events (ticket_number, step, at, author_name, author_role, automated, body, status_change)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let row = this.ticket(number);
    const wrote: string[] = [];
    // A written step can only set off steps that wait on a message after it, and none is newer than
    // `at`; the second round finds nothing. The bound is the script's length, should that ever change.
    for (let round = 0; round <= parseScript(row.script).length; round++) {
      const steps = this.#due(row, at);
      if (steps.length === 0) break;
      let status = row.status;
      for (const { step, at: stepAt, answers } of steps) {
        const event = renderStep(step, personaTicket(row, this.#options.ticketId(row.number)), answers);
        insert.run(number, step, stepAt, event.authorName, event.authorRole, event.automated ? 1 : 0, event.text ?? null, event.statusChange ?? null);
        status = event.statusChange ?? (event.authorRole === 'agent' && status === 'new' ? 'open' : status);
        wrote.push(step);
      }
      const last = steps[steps.length - 1]!.at;
      this.#db.prepare('UPDATE desk_tickets SET status = ?, updated_at = MAX(updated_at, ?) WHERE number = ?').run(status, last, number);
      row = this.ticket(number);
    }
    if (wrote.length > 0) {
      this.#options.logger?.debug({ vendor: this.#options.vendorName, ticket: this.#options.ticketId(number), steps: wrote }, 'sandbox desk: scripted steps due');
    }
    return row;
  }
}

/** The desk row as the personas read it. */
function personaTicket(row: DeskTicketRow, deskId: string): PersonaTicket {
  return {
    deskId,
    number: row.number,
    ...(isPersonaName(row.persona) ? { persona: row.persona } : {}),
    language: row.language,
    seed: row.seed ?? undefined,
    facts: JSON.parse(row.facts) as TicketFactsInput,
    body: row.body,
  };
}
