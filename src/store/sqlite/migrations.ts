import { UserError, prefixed } from '../../core/errors.ts';
import type { SqliteDatabase } from '../../core/sqlite.ts';

/** One step of the schema. Versions are consecutive from 1; a released migration is never edited. */
export interface Migration {
  version: number;
  /** Kebab-case, says what the step does: `initial`, `add-ticket-priority`. */
  name: string;
  /** SQL run once, inside the transaction that records it. */
  up: string;
}

/**
 * The whole schema history, oldest first. Rules: append, never edit or reorder a migration that has
 * been released; instants are ISO-8601 UTC strings with milliseconds (`2026-11-29T05:12:46.000Z`), so
 * that they sort as text; status columns carry no CHECK constraint, because SQLite can only change one
 * by rebuilding the table — the Store's types and guards keep them valid instead.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    up: `
      CREATE TABLE runs (
        id            TEXT PRIMARY KEY,
        drill         TEXT NOT NULL,
        provider      TEXT NOT NULL,
        vendor        TEXT,
        status        TEXT NOT NULL,
        phase         TEXT,
        created_at    TEXT NOT NULL,
        started_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        ended_at      TEXT,
        reproduced    INTEGER CHECK (reproduced IN (0, 1)),
        reason        TEXT,
        evidence_dir  TEXT,
        result_json   TEXT,
        error         TEXT
      );
      CREATE INDEX runs_started_at ON runs (started_at);
      CREATE INDEX runs_vendor_started_at ON runs (vendor, started_at);
      CREATE INDEX runs_status ON runs (status);

      CREATE TABLE faults (
        run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        idx         INTEGER NOT NULL,
        kind        TEXT NOT NULL,
        target      TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        ended_at    TEXT,
        PRIMARY KEY (run_id, idx)
      );

      CREATE TABLE freeze_episodes (
        id                     INTEGER PRIMARY KEY,
        run_id                 TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        participant            TEXT NOT NULL,
        started_at             TEXT NOT NULL,
        detected_at            TEXT NOT NULL,
        ended_at               TEXT,
        duration_ms            INTEGER NOT NULL,
        onset_delay_ms         INTEGER,
        detection_overhead_ms  INTEGER NOT NULL,
        recovery_ms            INTEGER,
        fault_idx              INTEGER,
        UNIQUE (run_id, participant, started_at)
      );

      CREATE TABLE tickets (
        id                INTEGER PRIMARY KEY,
        run_id            TEXT NOT NULL UNIQUE REFERENCES runs (id),
        vendor            TEXT NOT NULL,
        ref               TEXT NOT NULL UNIQUE,
        vendor_ticket_id  TEXT,
        url               TEXT,
        created_at        TEXT NOT NULL,
        filed_at          TEXT,
        state             TEXT NOT NULL,
        vendor_status     TEXT,
        watch_until       TEXT,
        cursor            TEXT,
        last_polled_at    TEXT,
        next_poll_at      TEXT,
        poll_errors       INTEGER NOT NULL DEFAULT 0,
        resolution_at     TEXT,
        timings_json      TEXT,
        sla_json          TEXT,
        error             TEXT,
        title             TEXT,
        facts_json        TEXT,
        updated_at        TEXT NOT NULL,
        UNIQUE (vendor, vendor_ticket_id)
      );
      CREATE INDEX tickets_state_next_poll_at ON tickets (state, next_poll_at);

      CREATE TABLE activities (
        id                           INTEGER PRIMARY KEY,
        ticket_id                    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        vendor_activity_id           TEXT NOT NULL,
        at                           TEXT NOT NULL,
        seen_at                      TEXT NOT NULL,
        kind                         TEXT,
        reasons_json                 TEXT NOT NULL DEFAULT '[]',
        author_name                  TEXT,
        author_role                  TEXT,
        subject                      TEXT,
        excerpt                      TEXT,
        text                         TEXT,
        status_change                TEXT,
        requests_provided_info_json  TEXT NOT NULL DEFAULT '[]',
        UNIQUE (ticket_id, vendor_activity_id)
      );
      CREATE INDEX activities_ticket_at ON activities (ticket_id, at);

      CREATE TABLE settings (
        key         TEXT PRIMARY KEY,
        value       TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'add-effects-leases-and-unverified-activities',
    up: `
      -- An e-mail from someone who is not the vendor (a spoofed reply carrying the ticket's tag) is
      -- kept as evidence but never counts in timings.
      ALTER TABLE activities ADD COLUMN unverified INTEGER NOT NULL DEFAULT 0;

      -- Side effects that leave the process (a scorecard e-mail, later replies to a vendor): claimed
      -- in a transaction before they happen, marked done after, so two processes or a restart never
      -- do one twice.
      CREATE TABLE effects (
        key         TEXT PRIMARY KEY,
        state       TEXT NOT NULL,
        holder      TEXT NOT NULL,
        attempts    INTEGER NOT NULL,
        claimed_at  TEXT NOT NULL,
        done_at     TEXT,
        detail      TEXT
      );
      CREATE INDEX effects_state ON effects (state, claimed_at);

      -- Short leases so that two watchers on one store take turns on a ticket instead of both polling it.
      CREATE TABLE leases (
        name        TEXT PRIMARY KEY,
        holder      TEXT NOT NULL,
        expires_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'add-filing-retries',
    up: `
      -- A filing the vendor could not take (down, rate-limiting) is tried again by the service at
      -- refile_at; NULL means it waits for the operator (\`tickets retry\`).
      ALTER TABLE tickets ADD COLUMN filing_attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE tickets ADD COLUMN refile_at TEXT;
    `,
  },
  {
    version: 4,
    name: 'add-conversation',
    up: `
      -- What a vendor reply asks us (the conversation answers it) and whether it says the ticket
      -- went to second line or R&D.
      ALTER TABLE activities ADD COLUMN questions_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE activities ADD COLUMN escalation INTEGER NOT NULL DEFAULT 0;

      -- Messages we send on a ticket (answers, follow-ups, the operator's replies, close-outs):
      -- written before they are sent, so a crash never loses or doubles one. \`plan\` makes planning
      -- idempotent (one answer per vendor reply, one close-out); \`key\` is the message's identity at
      -- the vendor (DRILL-783902/3), carried in its body.
      CREATE TABLE messages (
        id                   INTEGER PRIMARY KEY,
        ticket_id            INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        plan                 TEXT NOT NULL,
        key                  TEXT NOT NULL UNIQUE,
        purpose              TEXT NOT NULL,
        automatic            INTEGER NOT NULL,
        state                TEXT NOT NULL,
        body                 TEXT,
        attachments_json     TEXT NOT NULL DEFAULT '[]',
        answers_activity_id  INTEGER REFERENCES activities (id),
        questions_json       TEXT NOT NULL DEFAULT '[]',
        detail_json          TEXT,
        due_at               TEXT NOT NULL,
        attempts             INTEGER NOT NULL DEFAULT 0,
        sent_at              TEXT,
        vendor_message_id    TEXT,
        error                TEXT,
        created_at           TEXT NOT NULL,
        updated_at           TEXT NOT NULL,
        UNIQUE (ticket_id, plan)
      );
      CREATE INDEX messages_state_due_at ON messages (state, due_at);
    `,
  },
  {
    version: 5,
    name: 'add-ticket-diagnosis',
    up: `
      -- The vendor's diagnosis scored against the run's answer key, kept current by the watcher like
      -- the timings: a trial scorecard reads verdicts here instead of reading every reply again.
      ALTER TABLE tickets ADD COLUMN diagnosis_json TEXT;
    `,
  },
];

/** The schema version this code writes. */
export const LATEST_VERSION = MIGRATIONS.length === 0 ? 0 : MIGRATIONS[MIGRATIONS.length - 1]!.version;

const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
  )
`;

/** Refuses a history with gaps or disorder; it would make "applied up to N" meaningless. */
function checkHistory(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        prefixed('store', `migration '${migration.name}' has version ${migration.version}; expected ${index + 1} (versions are consecutive from 1)`),
      );
    }
  });
}

/** The highest schema version recorded in the database (0 for a new one). */
export function schemaVersion(db: SqliteDatabase): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Brings the database up to date: every pending migration, and its record in `schema_migrations`, in
 * one IMMEDIATE transaction, so that two processes opening a new file cannot both migrate it and a
 * failure leaves the file as it was. Returns the versions applied. A database newer than this code is
 * refused rather than written to, since its columns may mean something this version does not know.
 */
export function migrate(
  db: SqliteDatabase,
  options: { migrations?: readonly Migration[]; now?: () => Date } = {},
): number[] {
  const migrations = options.migrations ?? MIGRATIONS;
  const now = options.now ?? (() => new Date());
  checkHistory(migrations);
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;

  const apply = db.transaction((): number[] => {
    db.exec(CREATE_MIGRATIONS_TABLE);
    const current = schemaVersion(db);
    if (current > latest) {
      throw new UserError(
        prefixed(
          'store',
          `the database ${db.name} has schema version ${current}, but this supportdrill knows versions up to ${latest}: ` +
            'it was written by a newer supportdrill. Upgrade supportdrill, or point dataDir at another directory.',
        ),
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.up);
      record.run(migration.version, migration.name, now().toISOString());
      applied.push(migration.version);
    }
    return applied;
  });
  return apply.immediate();
}
