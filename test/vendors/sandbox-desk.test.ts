/**
 * The desk's own file through the adapter: our messages (once per key, found again after a crash),
 * our solving, what fetchActivity keeps out and where its cursor goes, and the schema upgraded in
 * place. Real SQLite files in temp dirs, the desk's clock moved by the test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { VendorRejectedError, type TicketHandle, type VendorActivity, type VendorAdapter } from '../../src/vendors/adapter.ts';
import sandbox, { sandboxDeskPath, type SandboxOptions } from '../../src/vendors/sandbox.ts';
import { contractDraft, contractMessage } from './contract.ts';

const FILED = new Date('2026-11-30T02:00:00.000Z');
const SECOND = 1000;
const HOUR = 3600 * SECOND;

const Database = createRequire(import.meta.url)('better-sqlite3');

const tempDirs: string[] = [];
const opened: VendorAdapter[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-sandbox-desk-'));
  tempDirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const adapter of opened.splice(0)) await adapter.close?.();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A desk on `dataDir` with a clock the test moves (ms after {@link FILED}). */
function desk(options: SandboxOptions = {}, dataDir = tempDir()) {
  let now = FILED.getTime();
  const open = (opts: SandboxOptions = options) => {
    const adapter = sandbox(opts, { dataDir, vendorName: 'sandbox', now: () => new Date(now) });
    opened.push(adapter);
    return adapter;
  };
  return {
    dataDir,
    open,
    at: (ms: number) => {
      now = FILED.getTime() + ms;
    },
  };
}

async function filed(options: SandboxOptions = {}) {
  const d = desk(options);
  const adapter = d.open();
  const draft = contractDraft();
  const ticket = await adapter.fileTicket(draft);
  const handle: TicketHandle = { runId: draft.runId, ref: draft.ref, vendorTicketId: ticket.vendorTicketId };
  return { ...d, adapter, draft, handle };
}

/** Reads the desk file the way an operator with sqlite3 would. */
function query<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(sandboxDeskPath(dataDir), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

function file(name: string, content: string): { filename: string; path: string; contentType: string } {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return { filename: name, path, contentType: 'text/plain' };
}

const ids = (activities: VendorActivity[]) => activities.map((a) => a.vendorActivityId);

describe('reply', () => {
  it('records our message as an end-user desk event with its files, stamped with the desk clock', async () => {
    const t = await filed();
    t.at(30 * SECOND);
    const log = file('sdk-teacher.log', 'x'.repeat(1234));
    const sent = await t.adapter.reply!(t.handle, contractMessage(t.draft.ref, 1, [log]));
    const [row] = query<Record<string, unknown>>(t.dataDir, 'SELECT * FROM desk_events WHERE message_key IS NOT NULL');
    expect(sent).toEqual({ vendorMessageId: `sbx-event-${row!.seq}`, at: new Date(FILED.getTime() + 30 * SECOND) });
    expect(row).toMatchObject({
      step: null,
      message_key: `${t.draft.ref}/1`,
      at: FILED.getTime() + 30 * SECOND,
      author_role: 'end-user',
      author_name: 'Customer',
      body: contractMessage(t.draft.ref, 1).body,
    });
    expect(JSON.parse(row!.attachments as string)).toEqual([{ filename: 'sdk-teacher.log', contentType: 'text/plain', size: 1234 }]);
  });

  it('writes the steps due by then before our message, so the desk records them in the order they happened', async () => {
    const t = await filed();
    t.at(7 * SECOND);
    await t.adapter.reply!(t.handle, contractMessage(t.draft.ref, 1));
    expect(query(t.dataDir, 'SELECT seq, step, message_key FROM desk_events ORDER BY seq')).toEqual([
      { seq: 1, step: 'ack', message_key: null },
      { seq: 2, step: 'canned', message_key: null },
      { seq: 3, step: null, message_key: `${t.draft.ref}/1` },
    ]);
  });

  it('the same key twice is recorded once and returns the first message', async () => {
    const t = await filed();
    t.at(10 * SECOND);
    const first = await t.adapter.reply!(t.handle, contractMessage(t.draft.ref, 1));
    t.at(20 * SECOND);
    const again = await t.open().reply!(t.handle, { ...contractMessage(t.draft.ref, 1), body: 'a retry after a crash' });
    expect(again).toEqual(first);
    expect(query(t.dataDir, 'SELECT body FROM desk_events WHERE message_key = ?', `${t.draft.ref}/1`)).toEqual([{ body: contractMessage(t.draft.ref, 1).body }]);
  });

  it('findReply after a crash: a second adapter on the same file finds the message; a key never sent is null', async () => {
    const t = await filed();
    t.at(10 * SECOND);
    const sent = await t.adapter.reply!(t.handle, contractMessage(t.draft.ref, 1));
    await t.adapter.close?.();
    const restarted = t.open();
    expect(await restarted.findReply!(t.handle, `${t.draft.ref}/1`)).toEqual(sent);
    expect(await restarted.findReply!(t.handle, `${t.draft.ref}/2`)).toBeNull();
  });

  it('a file that is not there is refused, naming it, and nothing is recorded', async () => {
    const t = await filed();
    const missing = { filename: 'console.log', path: join(tempDir(), 'console.log'), contentType: 'text/plain' };
    const reply = t.adapter.reply!(t.handle, contractMessage(t.draft.ref, 1, [missing]));
    await expect(reply).rejects.toThrow(VendorRejectedError);
    await expect(t.adapter.reply!(t.handle, contractMessage(t.draft.ref, 1, [missing]))).rejects.toThrow(
      `[supportdrill] [sandbox] cannot attach 'console.log': ${missing.path} is not readable (ENOENT)`,
    );
    expect(await t.adapter.findReply!(t.handle, `${t.draft.ref}/1`)).toBeNull();
  });

  it('a message on a ticket the desk does not have names the ticket', async () => {
    const t = await filed();
    const handle = { ...t.handle, vendorTicketId: 'SBX-4242' };
    await expect(t.adapter.reply!(handle, contractMessage(t.draft.ref, 1))).rejects.toThrow('ticket SBX-4242 does not exist in the sandbox desk');
    await expect(t.adapter.findReply!(handle, `${t.draft.ref}/1`)).rejects.toThrow('ticket SBX-4242 does not exist');
    await expect(t.adapter.markSolved!(handle)).rejects.toThrow('ticket SBX-4242 does not exist');
  });

  it('a message without a key is refused', async () => {
    const t = await filed();
    await expect(t.adapter.reply!(t.handle, { key: ' ', body: 'hello', attachments: [] })).rejects.toThrow(
      `[supportdrill] [sandbox] a message on ${t.handle.vendorTicketId} needs a key`,
    );
  });
});

describe('our events and the activity cursor', () => {
  it('our messages and our solving never come back from fetchActivity, with or without a cursor', async () => {
    const t = await filed();
    t.at(13 * SECOND);
    const seen = await t.adapter.fetchActivity(t.handle);
    const sent = await t.adapter.reply!(t.handle, contractMessage(t.draft.ref, 1));
    expect(await t.adapter.markSolved!(t.handle)).toBe('solved');
    t.at(HOUR);
    const all = await t.open().fetchActivity(t.handle);
    const after = await t.adapter.fetchActivity(t.handle, seen.cursor);
    expect(all.activities.every((a) => a.authorRole !== 'end-user')).toBe(true);
    expect(ids(all.activities)).not.toContain(sent.vendorMessageId);
    expect(ids(after.activities)).toEqual(ids(all.activities).slice(3));
    expect(after.activities.filter((a) => a.statusChange === 'solved').map((a) => a.authorRole)).toEqual(['agent']);
  });

  it('a cursor moves past our own events and stays put when nothing new comes', async () => {
    const t = await filed();
    t.at(3 * SECOND);
    const first = await t.adapter.fetchActivity(t.handle);
    const sent = await t.adapter.reply!(t.handle, contractMessage(t.draft.ref, 1));
    const next = await t.adapter.fetchActivity(t.handle, first.cursor);
    expect(next.activities).toEqual([]);
    expect(next.cursor).toBe(sent.vendorMessageId.replace('sbx-event-', ''));
    expect((await t.adapter.fetchActivity(t.handle, next.cursor)).cursor).toBe(next.cursor);
  });

  it('cursors never go backwards nor skip a vendor event, whatever our messages, polls and restarts come between', async () => {
    type Step = { op: 'wait'; ms: number } | { op: 'reply'; log: boolean } | { op: 'poll' } | { op: 'restart' } | { op: 'solve' };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 9000 }) }),
      fc.record({ op: fc.constant('reply' as const), log: fc.boolean() }),
      fc.constant({ op: 'poll' as const }),
      fc.constant({ op: 'restart' as const }),
      fc.constant({ op: 'solve' as const }),
    );
    const persona = fc.constantFrom('responsive', 'asks-for-logs', 'escalates', 'silent-until-followed-up', 'needs-a-person', 're-asks') as fc.Arbitrary<SandboxOptions['persona']>;
    await fc.assert(
      fc.asyncProperty(persona, fc.array(step, { maxLength: 30 }), async (name, steps) => {
        const t = await filed({ persona: name });
        const log = file('sdk.log', 'log');
        let adapter = t.adapter;
        let clock = 0;
        let cursor: string | undefined;
        let sent = 0;
        const collected: VendorActivity[] = [];
        const poll = async () => {
          const page = await adapter.fetchActivity(t.handle, cursor);
          expect(Number(page.cursor ?? 0)).toBeGreaterThanOrEqual(Number(cursor ?? 0));
          collected.push(...page.activities);
          cursor = page.cursor;
        };
        for (const s of [...steps, { op: 'wait', ms: HOUR } as const, { op: 'poll' } as const]) {
          if (s.op === 'wait') t.at((clock += s.ms));
          else if (s.op === 'reply') await adapter.reply!(t.handle, contractMessage(t.draft.ref, ++sent, s.log ? [log] : []));
          else if (s.op === 'poll') await poll();
          else if (s.op === 'solve') await adapter.markSolved!(t.handle);
          else adapter = t.open();
        }
        const everything = await t.open().fetchActivity(t.handle);
        expect(ids(collected)).toEqual(ids(everything.activities));
        expect(everything.activities.every((a) => a.authorRole !== 'end-user')).toBe(true);
        for (const a of opened.splice(0)) await a.close?.();
      }),
      { numRuns: 40 },
    );
  });
});

describe('markSolved', () => {
  it('is not allowed before an agent has replied: an acknowledgement is no agent, and nothing changes', async () => {
    const t = await filed();
    t.at(3 * SECOND);
    expect(await t.adapter.markSolved!(t.handle)).toBe('not-allowed');
    expect((await t.adapter.fetchActivity(t.handle)).status).toBe('new');
    expect(query(t.dataDir, 'SELECT COUNT(*) AS n FROM desk_events WHERE step IS NULL')).toEqual([{ n: 0 }]);
  });

  it('solves the ticket once an agent has replied; the desk records it as ours, not as vendor activity', async () => {
    const t = await filed();
    t.at(7 * SECOND);
    expect(await t.adapter.markSolved!(t.handle)).toBe('solved');
    const page = await t.adapter.fetchActivity(t.handle);
    expect(page.status).toBe('solved');
    expect(page.activities.map((a) => a.statusChange)).toEqual([undefined, undefined]);
    expect(query(t.dataDir, 'SELECT author_role, status_change, at FROM desk_events WHERE step IS NULL')).toEqual([
      { author_role: 'end-user', status_change: 'solved', at: FILED.getTime() + 7 * SECOND },
    ]);
  });

  it('a ticket already solved stays solved, and is not recorded again', async () => {
    const t = await filed();
    t.at(HOUR);
    await t.adapter.fetchActivity(t.handle);
    expect(await t.adapter.markSolved!(t.handle)).toBe('solved');
    expect(await t.open().markSolved!(t.handle)).toBe('solved');
    expect(query(t.dataDir, 'SELECT COUNT(*) AS n FROM desk_events WHERE step IS NULL')).toEqual([{ n: 0 }]);
  });

  it('bot-only never lets us solve it', async () => {
    const t = await filed({ persona: 'bot-only' });
    t.at(30 * 24 * HOUR);
    expect(await t.adapter.markSolved!(t.handle)).toBe('not-allowed');
  });

  it('a message on a solved or pending ticket opens it again', async () => {
    const solved = await filed();
    solved.at(HOUR);
    await solved.adapter.reply!(solved.handle, contractMessage(solved.draft.ref, 1));
    expect((await solved.adapter.fetchActivity(solved.handle)).status).toBe('open');
    const pending = await filed({ persona: 're-asks' });
    pending.at(10 * SECOND);
    expect((await pending.adapter.fetchActivity(pending.handle)).status).toBe('pending');
    await pending.adapter.reply!(pending.handle, contractMessage(pending.draft.ref, 1));
    expect((await pending.adapter.fetchActivity(pending.handle)).status).toBe('open');
  });
});

/** The desk file as supportdrill wrote it before schema 2, word for word: a released schema. */
const SCHEMA_1 = `
CREATE TABLE IF NOT EXISTS desk_tickets (
  number      INTEGER PRIMARY KEY,
  title       TEXT    NOT NULL,
  body        TEXT    NOT NULL,
  priority    TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  persona     TEXT    NOT NULL,
  language    TEXT    NOT NULL,
  seed        INTEGER,
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
  UNIQUE (ticket_number, step)
);
`;

/** A desk file of schema 1 holding SBX-1001 (responsive) with its ack and canned reply written, as events 1 and 2. */
function schema1Desk(): { dataDir: string; draft: ReturnType<typeof contractDraft> } {
  const dataDir = tempDir();
  mkdirSync(dataDir, { recursive: true });
  const draft = contractDraft();
  const db = new Database(sandboxDeskPath(dataDir));
  const t0 = FILED.getTime();
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA_1);
  db.pragma('user_version = 1');
  const script = [2, 6, 12, 20, 21].map((s, i) => ({ step: ['ack', 'canned', 'human', 'resolution', 'solved'][i], at: t0 + s * SECOND }));
  db.prepare(
    `INSERT INTO desk_tickets (number, title, body, priority, status, persona, language, seed, script, facts, attachments, created_at, updated_at)
     VALUES (1001, ?, ?, 'P2', 'open', 'responsive', 'en', NULL, ?, ?, '[]', ?, ?)`,
  ).run(draft.title, draft.body, JSON.stringify(script), JSON.stringify({ ...draft.facts, ref: draft.ref }), t0, t0 + 6 * SECOND);
  const event = db.prepare('INSERT INTO desk_events (ticket_number, step, at, author_name, author_role, automated, body) VALUES (1001, ?, ?, ?, ?, ?, ?)');
  event.run('ack', t0 + 2 * SECOND, 'Sandbox Support Desk', 'system', 1, 'Your request (SBX-1001) has been received.');
  event.run('canned', t0 + 6 * SECOND, 'Jamie Park', 'agent', 0, 'Please restart the app.');
  db.close();
  return { dataDir, draft };
}

describe('desk schema', () => {
  it('a schema 1 desk file is upgraded in place: its tickets, events and event numbers kept, and it talks back', async () => {
    const { dataDir, draft } = schema1Desk();
    const d = desk({}, dataDir);
    const adapter = d.open();
    const handle = { runId: draft.runId, ref: draft.ref, vendorTicketId: 'SBX-1001' };
    d.at(7 * SECOND);
    const before = await adapter.fetchActivity(handle);
    expect(before.activities.map((a) => [a.vendorActivityId, a.text])).toEqual([
      ['sbx-event-1', 'Your request (SBX-1001) has been received.'],
      ['sbx-event-2', 'Please restart the app.'],
    ]);
    const sent = await adapter.reply!(handle, contractMessage(draft.ref, 1));
    expect(sent.vendorMessageId).toBe('sbx-event-3');
    d.at(HOUR);
    const later = await adapter.fetchActivity(handle, before.cursor);
    expect(ids(later.activities)).toEqual(['sbx-event-4', 'sbx-event-5', 'sbx-event-6']);
    expect(later.activities.map((a) => a.at.getTime() - FILED.getTime())).toEqual([12, 20, 21].map((s) => s * SECOND));
    expect(await adapter.markSolved!(handle)).toBe('solved');
    expect(query(dataDir, 'PRAGMA user_version')).toEqual([{ user_version: 2 }]);
    expect(query<{ name: string }>(dataDir, 'PRAGMA table_info(desk_events)').map((c) => c.name)).toEqual(expect.arrayContaining(['message_key', 'attachments']));
    expect(query(dataDir, "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'desk_%' ORDER BY name")).toEqual([
      { name: 'desk_events' },
      { name: 'desk_tickets' },
    ]);
    const next = await d.open().fileTicket(contractDraft());
    expect(next.vendorTicketId).toBe('SBX-1002');
  });

  it('an upgraded file that an older supportdrill set back to schema 1 keeps our messages', async () => {
    const t = await filed();
    t.at(10 * SECOND);
    const sent = await t.adapter.reply!(t.handle, contractMessage(t.draft.ref, 1));
    await t.adapter.close?.();
    const db = new Database(sandboxDeskPath(t.dataDir));
    db.pragma('user_version = 1');
    db.close();
    expect(await t.open().findReply!(t.handle, `${t.draft.ref}/1`)).toEqual(sent);
    expect(query(t.dataDir, 'PRAGMA user_version')).toEqual([{ user_version: 2 }]);
  });

  it('event numbers keep counting from the highest ever given out, across the upgrade', async () => {
    const { dataDir, draft } = schema1Desk();
    const db = new Database(sandboxDeskPath(dataDir));
    // An event written and removed by hand: its number was given out, so it must never come again.
    db.prepare("INSERT INTO desk_events (ticket_number, step, at, author_name, author_role) VALUES (1001, 'stray', 0, 'x', 'agent')").run();
    db.prepare("DELETE FROM desk_events WHERE step = 'stray'").run();
    db.close();
    const d = desk({}, dataDir);
    d.at(7 * SECOND);
    const sent = await d.open().reply!({ runId: draft.runId, ref: draft.ref, vendorTicketId: 'SBX-1001' }, contractMessage(draft.ref, 1));
    expect(sent.vendorMessageId).toBe('sbx-event-4');
  });

  it('a desk file written by a newer supportdrill is refused, naming the file, and left as it was', async () => {
    const dataDir = tempDir();
    const db = new Database(sandboxDeskPath(dataDir));
    db.pragma('user_version = 3');
    db.close();
    const adapter = desk({}, dataDir).open();
    const filing = adapter.fileTicket(contractDraft());
    await expect(filing).rejects.toThrow(VendorRejectedError);
    await expect(adapter.findTicket({ runId: 'r', ref: 'DRILL-000000' })).rejects.toThrow(
      `[supportdrill] [sandbox] the desk database ${sandboxDeskPath(dataDir)} has schema version 3, but this supportdrill knows versions up to 2`,
    );
    expect(query(dataDir, "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'")).toEqual([{ n: 0 }]);
  });

  it('a new desk file starts at schema 2', async () => {
    const t = await filed();
    expect(query(t.dataDir, 'PRAGMA user_version')).toEqual([{ user_version: 2 }]);
  });
});
