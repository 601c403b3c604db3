import { chmodSync, existsSync, mkdirSync, mkdtempSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { openDatabase, type SqliteDatabase } from '../../src/core/sqlite.ts';
import { openStore } from '../../src/store/open-store.ts';
import { LATEST_VERSION, MIGRATIONS, migrate } from '../../src/store/sqlite/migrations.ts';
import { DATABASE_FILE, SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { StoreFaultError } from '../../src/store/store-fault.ts';
import { runCli } from '../helpers/cli.ts';
import type { Store } from '../../src/store/store.ts';
import { testStore } from './contract.ts';
import { RUN_ID, filedTicket, reply, result, withRun } from './fixtures.ts';

function dataDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'supportdrill-store-')), 'var');
}

testStore('SqliteStore (the store contract)', {
  fresh: dataDir,
  open: (dir, now) => openStore(dir, { now }),
});

// ── what is particular to the SQLite file ──

const opened: { close(): unknown }[] = [];

async function open(dir: string, now?: () => Date): Promise<Store> {
  const store = await openStore(dir, { now });
  opened.push(store);
  return store;
}

/** A second connection to the same file, to look at it the way another process would. */
function raw(dir: string): SqliteDatabase {
  const db = openDatabase(join(dir, DATABASE_FILE));
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const handle of opened.splice(0)) await handle.close();
});

const count = (dir: string, table: string) =>
  (raw(dir).prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('openStore', () => {
  it('creates the data directory and the database file in it', async () => {
    const dir = dataDir();
    await open(dir);
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
  });

  it('applies each migration once and records it, also when the database is opened again', async () => {
    const dir = dataDir();
    await (await open(dir)).close();
    await (await open(dir)).close();
    const recorded = raw(dir).prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(recorded).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
  });

  it('puts the database in WAL mode', async () => {
    const dir = dataDir();
    await open(dir);
    expect(raw(dir).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('enforces foreign keys: an activity for a ticket that does not exist is refused', async () => {
    const store = await open(dataDir());
    await expect(store.recordActivity(42, { vendorActivityId: 'a1', at: new Date(), kind: 'auto' })).rejects.toThrow(/FOREIGN KEY/);
  });

  it('refuses a database written by a newer supportdrill, saying so', async () => {
    const dir = dataDir();
    await (await open(dir)).close();
    raw(dir).prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', '2030-01-01T00:00:00.000Z')").run();
    let error: unknown;
    try {
      await open(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      new RegExp(`has schema version 99, but this supportdrill knows versions up to ${LATEST_VERSION}: it was written by a newer supportdrill`),
    );
  });
});

describe('migrate', () => {
  it('leaves the database as it was when a migration fails', async () => {
    const dir = dataDir();
    await (await open(dir)).close();
    const db = raw(dir);
    const broken = { version: LATEST_VERSION + 1, name: 'broken', up: 'CREATE TABLE half_done (a); SELECT * FROM no_such_table;' };
    expect(() => migrate(db, { migrations: [...MIGRATIONS, broken] })).toThrow(/no such table/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: LATEST_VERSION });
  });

  it('refuses a migration history with a gap in its versions', () => {
    const db = openDatabase(':memory:');
    opened.push(db);
    expect(() => migrate(db, { migrations: [{ ...MIGRATIONS[0]!, version: 2 }] })).toThrow(/has version 2; expected 1/);
  });
});

describe('runs in the SQLite file', () => {
  it('saves a result twice without duplicating its faults or freeze episodes', async () => {
    const dir = dataDir();
    const store = await open(dir);
    await withRun(store);
    await store.saveRunResult(RUN_ID, result());
    await store.saveRunResult(RUN_ID, result());
    expect(count(dir, 'freeze_episodes')).toBe(2);
    expect(count(dir, 'faults')).toBe(1);
    expect((await store.freezeEpisodes(RUN_ID)).map((episode) => episode.participant)).toEqual(['student-1', 'student-2']);
  });
});

describe('tickets in the SQLite file', () => {
  it('files once per run: beginning a filing again returns the first ticket', async () => {
    const dir = dataDir();
    const store = await open(dir);
    await withRun(store);
    const first = await store.beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b' });
    const second = await store.beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b' });
    expect(second.id).toBe(first.id);
    expect(second.state).toBe('filing');
    expect(count(dir, 'tickets')).toBe(1);
  });

  it('makes a second ticket for the same run impossible in the database itself', async () => {
    const dir = dataDir();
    await filedTicket(await open(dir));
    const insert = raw(dir).prepare(
      "INSERT INTO tickets (run_id, vendor, ref, created_at, state, updated_at) VALUES (?, 'sandbox', 'DRILL-other', '', 'filing', '')",
    );
    expect(() => insert.run(RUN_ID)).toThrow(/UNIQUE constraint failed: tickets\.run_id/);
  });
});

describe('diagnoses in the SQLite file', () => {
  it('lists a run whose result document is damaged as one without an answer key, and a stored verdict it cannot read as none', async () => {
    const dir = dataDir();
    const ticket = await filedTicket(await open(dir));
    raw(dir).prepare("UPDATE runs SET result_json = '{\"answerKey\": {\"faults\": [' WHERE id = ?").run(RUN_ID);
    raw(dir).prepare(`UPDATE tickets SET diagnosis_json = '{"verdict": "mostly right"}' WHERE id = ?`).run(ticket.id);
    const [summary] = await (await open(dir)).runTicketSummaries({ from: '2026-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' });
    expect(summary).toMatchObject({ runId: RUN_ID, hasAnswerKey: false, ticket: { diagnosis: null } });
  });
});

describe('activities in the SQLite file', () => {
  it('records the same vendor activity once, returning the first copy the second time', async () => {
    const dir = dataDir();
    const ticket = await filedTicket(await open(dir));
    const first = await (await open(dir)).recordActivity(ticket.id, reply);
    const again = await (await open(dir)).recordActivity(ticket.id, { ...reply, kind: 'human', seenAt: '2026-11-29T05:20:00Z' });
    expect(first.inserted).toBe(true);
    expect(again).toEqual({ inserted: false, row: first.row });
    expect(count(dir, 'activities')).toBe(1);
  });
});

describe('a damaged or unwritable store', () => {
  it('refuses an existing 0-byte database instead of starting an empty store over it', async () => {
    const dir = dataDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, DATABASE_FILE), '');
    const error = await open(dir).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(new RegExp(`the database ${join(dir, DATABASE_FILE)} is an empty file \\(0 bytes\\).*Restore it from a backup, or delete it`));
  });

  it('refuses a database that lost its last pages, naming the file and what to do', async () => {
    const dir = dataDir();
    const store = await open(dir);
    for (let i = 0; i < 300; i++) await store.createRun({ id: `run_${String(i).padStart(4, '0')}`, drill: 'd', provider: 'local', vendor: null });
    await store.close();
    const file = join(dir, DATABASE_FILE);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const error = await open(dir).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(`[supportdrill] [store] the database ${file} is damaged`);
    expect((error as Error).message).toMatch(/restore it from a backup/);
  });

  it('reports a full database as a store fault the caller can retry, not a crash', async () => {
    const dir = dataDir();
    await (await open(dir)).close();
    const file = join(dir, DATABASE_FILE);
    const db = openDatabase(file);
    opened.push(db);
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 1}`);
    const store = new SqliteStore(db, file);
    const error = await store.setSetting('big', 'x'.repeat(200_000)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreFaultError);
    expect((error as StoreFaultError).kind).toBe('full');
    expect((error as Error).message).toMatch(/the database .* is full .*free some disk space/);
  });

  it('refuses, at open, a database this user cannot write to (a command says so in one line, exit 2)', async () => {
    const dir = dataDir();
    await (await open(dir)).close();
    // Root writes whatever the file's mode says: the check runs as an unprivileged user instead.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(join(dir, DATABASE_FILE), 0o444);
    chmodSync(dir, 0o555);
    chmodSync(dirname(dir), 0o755);
    const { code, stderr } = await runCli(['tickets', '--data-dir', dir], asRoot ? { uid: 65534, gid: 65534 } : {});
    chmodSync(dir, 0o755);
    expect(stderr).toMatch(/\[supportdrill\] \[store\] the database .*supportdrill\.db is read-only .*give this user write access/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
  }, 60_000);
});
