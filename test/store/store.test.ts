import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/core/run-result.ts';
import { UserError } from '../../src/core/errors.ts';
import { LATEST_VERSION, MIGRATIONS, migrate } from '../../src/store/migrations.ts';
import { openDatabase, type SqliteDatabase } from '../../src/core/sqlite.ts';
import { DATABASE_FILE, openStore, type Store } from '../../src/store/store.ts';

const RUN_ID = 'run_20261129T051246Z_429c7b';
const opened: { close(): unknown }[] = [];

function dataDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'supportdrill-store-')), 'var');
}

function open(dir: string, now?: () => Date): Store {
  const store = openStore(dir, { now });
  opened.push(store);
  return store;
}

/** A second connection to the same file, to look at it the way another process would. */
function raw(dir: string): SqliteDatabase {
  const db = openDatabase(join(dir, DATABASE_FILE));
  opened.push(db);
  return db;
}

afterEach(() => {
  for (const handle of opened.splice(0)) handle.close();
});

function result(overrides: Partial<RunResult> = {}): RunResult {
  return {
    runId: RUN_ID,
    drill: 'freeze-midclass',
    provider: 'local',
    reproduced: true,
    reason: 'both students saw the teacher freeze',
    startedAt: '2026-11-29T05:12:46.000Z',
    inSessionAt: '2026-11-29T05:12:50.000Z',
    endedAt: '2026-11-29T05:13:22.000Z',
    classInSessionMs: 4000,
    evidenceDir: '/tmp/evidence/run',
    students: ['student-1', 'student-2'],
    versions: { chrome: '131' },
    identifiers: { room: 'r1' },
    faults: [
      { index: 0, kind: 'video-freeze', target: 'teacher', startedAt: '2026-11-29T05:13:00.000Z', endedAt: '2026-11-29T05:13:10.000Z' },
    ],
    freezes: ['student-1', 'student-2'].map((participant) => ({
      participant,
      startedAt: '2026-11-29T05:13:00.120Z',
      detectedAt: '2026-11-29T05:13:00.700Z',
      endedAt: '2026-11-29T05:13:10.300Z',
      durationMs: 10_180,
      onsetDelayMs: 120,
      detectionOverheadMs: 80,
      recoveryMs: 300,
      fault: 0,
    })),
    falseFreezes: 0,
    ticket: null,
    ...overrides,
  };
}

function withRun(store: Store, id = RUN_ID): void {
  store.createRun({ id, drill: 'freeze-midclass', provider: 'local', vendor: 'sandbox' });
}

function filedTicket(store: Store) {
  withRun(store);
  const ticket = store.beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b', watchUntil: '2026-12-02T05:13:30.000Z' });
  return store.markFiled(ticket.id, { vendorTicketId: 'SBX-1', url: 'sandbox://tickets/SBX-1', filedAt: '2026-11-29T05:13:30.000Z' });
}

const count = (dir: string, table: string) =>
  (raw(dir).prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('openStore', () => {
  it('creates the data directory and the database file in it', () => {
    const dir = dataDir();
    open(dir);
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
  });

  it('applies each migration once and records it, also when the database is opened again', () => {
    const dir = dataDir();
    open(dir).close();
    open(dir).close();
    const recorded = raw(dir).prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(recorded).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
  });

  it('finds what was written when the database is opened again', () => {
    const dir = dataDir();
    const first = open(dir);
    withRun(first);
    first.close();
    expect(open(dir).getRun(RUN_ID)).toMatchObject({ id: RUN_ID, status: 'created' });
  });

  it('puts the database in WAL mode', () => {
    const dir = dataDir();
    open(dir);
    expect(raw(dir).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('enforces foreign keys: an activity for a ticket that does not exist is refused', () => {
    const store = open(dataDir());
    expect(() => store.recordActivity(42, { vendorActivityId: 'a1', at: new Date(), kind: 'auto' })).toThrow(/FOREIGN KEY/);
  });

  it('refuses a database written by a newer supportdrill, saying so', () => {
    const dir = dataDir();
    open(dir).close();
    raw(dir).prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', '2030-01-01T00:00:00.000Z')").run();
    let error: unknown;
    try {
      open(dir);
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
  it('leaves the database as it was when a migration fails', () => {
    const dir = dataDir();
    open(dir).close();
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

describe('runs', () => {
  it('keeps the status and phase a run was last updated to, for a process that dies afterwards', () => {
    const dir = dataDir();
    let clock = new Date('2026-11-29T05:12:46.000Z');
    const store = open(dir, () => clock);
    withRun(store);
    clock = new Date('2026-11-29T05:12:50.000Z');
    store.updateRun(RUN_ID, { status: 'in-session', phase: 'injecting video-freeze on teacher' });
    store.close();

    expect(open(dir).getRun(RUN_ID)).toMatchObject({
      status: 'in-session',
      phase: 'injecting video-freeze on teacher',
      startedAt: '2026-11-29T05:12:46.000Z',
      updatedAt: '2026-11-29T05:12:50.000Z',
      reproduced: null,
      result: null,
    });
  });

  it('refuses a status that does not exist', () => {
    const store = open(dataDir());
    withRun(store);
    expect(() => store.updateRun(RUN_ID, { status: 'done' as never })).toThrow(/unknown run status 'done'/);
  });

  it('saves a result twice without duplicating its faults or freeze episodes', () => {
    const dir = dataDir();
    const store = open(dir);
    withRun(store);
    store.saveRunResult(RUN_ID, result());
    store.saveRunResult(RUN_ID, result());
    expect(count(dir, 'freeze_episodes')).toBe(2);
    expect(count(dir, 'faults')).toBe(1);
    expect(store.freezeEpisodes(RUN_ID).map((episode) => episode.participant)).toEqual(['student-1', 'student-2']);
  });

  it('marks a saved run scored with the result fields, and keeps the whole result', () => {
    const store = open(dataDir());
    withRun(store);
    const run = store.saveRunResult(RUN_ID, result());
    expect(run).toMatchObject({
      status: 'scored',
      reproduced: true,
      endedAt: '2026-11-29T05:13:22.000Z',
      evidenceDir: '/tmp/evidence/run',
    });
    expect(run.result).toEqual(result());
    expect(store.faults(RUN_ID)).toEqual([
      { runId: RUN_ID, idx: 0, kind: 'video-freeze', target: 'teacher', startedAt: '2026-11-29T05:13:00.000Z', endedAt: '2026-11-29T05:13:10.000Z' },
    ]);
  });

  it('marks a run whose failure did not show as not reproduced', () => {
    const store = open(dataDir());
    withRun(store);
    expect(store.saveRunResult(RUN_ID, result({ reproduced: false, freezes: [] })).status).toBe('not-reproduced');
  });

  it('does not move a run that is already being watched back to scored when its result is saved again', () => {
    const store = open(dataDir());
    withRun(store);
    store.saveRunResult(RUN_ID, result());
    store.updateRun(RUN_ID, { status: 'watching', phase: 'watching DRILL-429c7b' });
    expect(store.saveRunResult(RUN_ID, result())).toMatchObject({ status: 'watching', phase: 'watching DRILL-429c7b' });
  });

  it('lists runs newest first, filtered by vendor, status and start time', () => {
    let clock = new Date('2026-11-01T00:00:00.000Z');
    const store = open(dataDir(), () => clock);
    for (const [id, vendor, day] of [
      ['run_a', 'sandbox', 1],
      ['run_b', 'zendesk', 2],
      ['run_c', 'sandbox', 3],
    ] as const) {
      clock = new Date(Date.UTC(2026, 10, day));
      store.createRun({ id, drill: 'freeze-midclass', provider: 'local', vendor });
    }
    store.updateRun('run_a', { status: 'failed' });
    expect(store.listRuns().map((run) => run.id)).toEqual(['run_c', 'run_b', 'run_a']);
    expect(store.listRuns({ vendor: 'sandbox' }).map((run) => run.id)).toEqual(['run_c', 'run_a']);
    expect(store.listRuns({ status: 'created', since: '2026-11-02T00:00:00Z' }).map((run) => run.id)).toEqual(['run_c', 'run_b']);
    expect(store.listRuns({ limit: 1 }).map((run) => run.id)).toEqual(['run_c']);
  });
});

describe('tickets', () => {
  it('files once per run: beginning a filing again returns the first ticket', () => {
    const dir = dataDir();
    const store = open(dir);
    withRun(store);
    const first = store.beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b' });
    const second = store.beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b' });
    expect(second.id).toBe(first.id);
    expect(second.state).toBe('filing');
    expect(count(dir, 'tickets')).toBe(1);
  });

  it('returns the filed ticket to a process that resumes filing after the vendor accepted it', () => {
    const dir = dataDir();
    filedTicket(open(dir));
    const resumed = open(dir).beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b' });
    expect(resumed).toMatchObject({ state: 'open', vendorTicketId: 'SBX-1', filedAt: '2026-11-29T05:13:30.000Z' });
  });

  it('makes a second ticket for the same run impossible in the database itself', () => {
    const dir = dataDir();
    filedTicket(open(dir));
    const insert = raw(dir).prepare(
      "INSERT INTO tickets (run_id, vendor, ref, created_at, state, updated_at) VALUES (?, 'sandbox', 'DRILL-other', '', 'filing', '')",
    );
    expect(() => insert.run(RUN_ID)).toThrow(/UNIQUE constraint failed: tickets\.run_id/);
  });

  it('refuses a reference that already belongs to another run', () => {
    const store = open(dataDir());
    filedTicket(store);
    withRun(store, 'run_20261130T000000Z_000000');
    expect(() => store.beginFiling('run_20261130T000000Z_000000', { vendor: 'sandbox', ref: 'DRILL-429c7b' })).toThrow(
      /reference DRILL-429c7b already belongs to run run_20261129T051246Z_429c7b/,
    );
  });

  it('refuses to record a second vendor ticket for a ticket already filed', () => {
    const store = open(dataDir());
    const ticket = filedTicket(store);
    expect(() => store.markFiled(ticket.id, { vendorTicketId: 'SBX-2', url: null, filedAt: new Date() })).toThrow(
      /already filed as SBX-1; refusing SBX-2/,
    );
  });

  it('keeps the reason a filing failed, and a later filing clears it', () => {
    const store = open(dataDir());
    withRun(store);
    const ticket = store.beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b' });
    expect(store.markFilingFailed(ticket.id, new Error('connect ECONNREFUSED'))).toMatchObject({
      state: 'filing-failed',
      error: 'connect ECONNREFUSED',
    });
    const filed = store.markFiled(ticket.id, { vendorTicketId: 'SBX-9', url: null, filedAt: '2026-11-30T00:00:00Z' });
    expect(filed).toMatchObject({ state: 'open', error: null, vendorTicketId: 'SBX-9' });
  });

  it('does not let a late filing error overwrite a ticket the vendor has', () => {
    const store = open(dataDir());
    const ticket = filedTicket(store);
    expect(store.markFilingFailed(ticket.id, 'timeout')).toMatchObject({ state: 'open', error: null });
  });

  it('lists open tickets only, the one due soonest first and never-polled ones before all', () => {
    const store = open(dataDir());
    const states = [
      ['run_1', 'open', '2026-11-29T06:00:00.000Z'],
      ['run_2', 'open', '2026-11-29T05:00:00.000Z'],
      ['run_3', 'open', null],
      ['run_4', 'resolved', null],
    ] as const;
    for (const [runId, state, nextPollAt] of states) {
      withRun(store, runId);
      const ticket = store.beginFiling(runId, { vendor: 'sandbox', ref: `DRILL-${runId}` });
      store.markFiled(ticket.id, { vendorTicketId: runId, url: null, filedAt: '2026-11-29T04:00:00Z' });
      store.updateTicket(ticket.id, { state, nextPollAt });
    }
    expect(store.openTickets().map((ticket) => ticket.runId)).toEqual(['run_3', 'run_2', 'run_1']);
    expect(store.listTickets({ state: 'resolved' }).map((ticket) => ticket.runId)).toEqual(['run_4']);
  });

  it('keeps what the watcher writes on a ticket, timings as JSON', () => {
    const dir = dataDir();
    const ticket = filedTicket(open(dir));
    open(dir).updateTicket(ticket.id, {
      cursor: 'evt-3',
      lastPolledAt: new Date('2026-11-29T05:14:00Z'),
      pollErrors: 2,
      vendorStatus: 'pending',
      timings: { firstResponseMs: 2000 },
      sla: { tier: 'mature', firstHumanResponse: 'met' },
    });
    expect(open(dir).getTicketByRef('DRILL-429c7b')).toMatchObject({
      cursor: 'evt-3',
      lastPolledAt: '2026-11-29T05:14:00.000Z',
      pollErrors: 2,
      vendorStatus: 'pending',
      timings: { firstResponseMs: 2000 },
      sla: { tier: 'mature', firstHumanResponse: 'met' },
    });
  });
});

describe('activities', () => {
  const reply = {
    vendorActivityId: 'evt-1',
    at: '2026-11-29T05:13:32.000Z',
    seenAt: '2026-11-29T05:13:33.500Z',
    kind: 'auto' as const,
    reasons: ['auto-submitted header'],
    authorName: 'Support Bot',
    authorRole: 'bot' as const,
    text: 'We have received your request.\n\nA member of our team will reply soon.',
  };

  it('records the same vendor activity once, returning the first copy the second time', () => {
    const dir = dataDir();
    const ticket = filedTicket(open(dir));
    const first = open(dir).recordActivity(ticket.id, reply);
    const again = open(dir).recordActivity(ticket.id, { ...reply, kind: 'human', seenAt: '2026-11-29T05:20:00Z' });
    expect(first.inserted).toBe(true);
    expect(again).toEqual({ inserted: false, row: first.row });
    expect(count(dir, 'activities')).toBe(1);
  });

  it('keeps the classification and a one-line excerpt of the text', () => {
    const store = open(dataDir());
    const ticket = filedTicket(store);
    const { row } = store.recordActivity(ticket.id, { ...reply, requestsProvidedInfo: ['browser version'] });
    expect(row).toMatchObject({
      kind: 'auto',
      reasons: ['auto-submitted header'],
      authorRole: 'bot',
      at: '2026-11-29T05:13:32.000Z',
      seenAt: '2026-11-29T05:13:33.500Z',
      excerpt: 'We have received your request. A member of our team will reply soon.',
      requestsProvidedInfo: ['browser version'],
    });
  });

  it('lists activities in the vendor time order, whatever order they arrived in', () => {
    const store = open(dataDir());
    const ticket = filedTicket(store);
    store.recordActivity(ticket.id, { vendorActivityId: 'late', at: '2026-11-29T05:20:00Z', kind: 'resolution' });
    store.recordActivity(ticket.id, { vendorActivityId: 'early', at: '2026-11-29T05:13:32Z', kind: 'auto' });
    store.recordActivity(ticket.id, { vendorActivityId: 'solved', at: '2026-11-29T05:21:00Z', kind: null, statusChange: 'solved' });
    expect(store.activities(ticket.id).map((activity) => activity.vendorActivityId)).toEqual(['early', 'late', 'solved']);
  });
});

describe('settings', () => {
  it('keeps a setting across reopening until it is removed', () => {
    const dir = dataDir();
    open(dir).setSetting('paused', 'true');
    const store = open(dir);
    expect(store.getSetting('paused')).toBe('true');
    store.setSetting('paused', null);
    expect(store.getSetting('paused')).toBeNull();
  });
});
