import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/core/run-result.ts';
import { classifyReply } from '../../src/support/classifier.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import type { TicketDraft, TicketFactsInput, VendorActivity, VendorAdapter } from '../../src/vendors/adapter.ts';
import sandbox, { PERSONAS, VENDOR_NAME, sandboxDeskPath, type SandboxOptions } from '../../src/vendors/sandbox.ts';
import { contractDraft, testVendor } from './contract.ts';

const FILED = new Date('2026-11-30T02:00:00.000Z'); // Monday 10:00 in Shanghai
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-sandbox-'));
  tempDirs.push(dir);
  return dir;
}

/** A desk on a temp data dir with a clock the test moves. */
function desk(options: SandboxOptions = {}, start = FILED) {
  const dataDir = tempDir();
  let now = start.getTime();
  const opened: VendorAdapter[] = [];
  const open = (opts: SandboxOptions = options) => {
    const adapter = sandbox(opts, { dataDir, vendorName: 'sandbox', now: () => new Date(now) });
    opened.push(adapter);
    return adapter;
  };
  return {
    dataDir,
    open,
    at: (ms: number) => (now = start.getTime() + ms),
    close: async () => Promise.all(opened.map(async (a) => a.close?.())),
  };
}

const openDesks: Array<{ close(): Promise<unknown> }> = [];
function newDesk(options: SandboxOptions = {}, start = FILED) {
  const d = desk(options, start);
  openDesks.push(d);
  return d;
}

afterEach(async () => {
  for (const d of openDesks.splice(0)) await d.close();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function fileAndFetchAt(options: SandboxOptions, offsets: number[], start = FILED, draft: TicketDraft = contractDraft()) {
  const d = newDesk(options, start);
  const adapter = d.open();
  d.at(0);
  const ticket = await adapter.fileTicket(draft);
  const handle = { runId: draft.runId, ref: draft.ref, vendorTicketId: ticket.vendorTicketId };
  const pages = [];
  for (const offset of offsets) {
    d.at(offset);
    pages.push(await adapter.fetchActivity(handle));
  }
  return { ticket, pages, draft };
}

/** What the classifier makes of a reply, given the facts the ticket told the vendor. */
const kindOf = (activity: VendorActivity, facts: TicketFactsInput) =>
  classifyReply({ text: activity.text ?? '', authorRole: activity.authorRole, automated: activity.automated, facts }).kind;

const sinceFiling = (activities: VendorActivity[], filed = FILED) => activities.map((a) => a.at.getTime() - filed.getTime());

const fixture = JSON.parse(readFileSync(new URL('../fixtures/run-result.json', import.meta.url), 'utf8')) as RunResult;
const fixtureDraft = () =>
  renderTicket({
    result: fixture,
    drill: { name: 'freeze-midclass', description: "The teacher's video freezes for 10 s in the middle of a lesson" },
    vendorTimezone: 'Asia/Shanghai',
    evidenceDir: tempDir(),
  });

testVendor({
  kind: VENDOR_NAME,
  setup() {
    const dataDir = tempDir();
    let now = FILED.getTime();
    return {
      adapter: () => sandbox({}, { dataDir, vendorName: 'sandbox', now: () => new Date(now) }),
      produceActivity: () => {
        now += MINUTE;
      },
      now: () => new Date(now),
      missingTicketId: 'SBX-999999',
      attachmentsOf: (_ticket, sent) => {
        const Database = createRequire(import.meta.url)('better-sqlite3');
        const db = new Database(sandboxDeskPath(dataDir), { readonly: true });
        try {
          const row = db.prepare('SELECT attachments FROM desk_events WHERE seq = ?').get(Number(sent.vendorMessageId.replace('sbx-event-', ''))) as { attachments: string };
          return (JSON.parse(row.attachments) as { filename: string }[]).map((a) => a.filename);
        } finally {
          db.close();
        }
      },
    };
  },
});

describe('sandbox desk', () => {
  it('files tickets under its own numbers and URLs', async () => {
    const d = newDesk();
    const adapter = d.open();
    const first = await adapter.fileTicket(contractDraft());
    const second = await adapter.fileTicket(contractDraft());
    expect([first.vendorTicketId, second.vendorTicketId]).toEqual(['SBX-1001', 'SBX-1002']);
    expect(second.url).toBe('sandbox://desk/tickets/SBX-1002');
  });

  it('keeps its tickets in its own SQLite file in WAL mode, severity stored as the desk priority', async () => {
    const d = newDesk();
    await d.open().fileTicket({ ...contractDraft(), severity: 'urgent' });
    const Database = createRequire(import.meta.url)('better-sqlite3');
    const db = new Database(sandboxDeskPath(d.dataDir), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT number, priority FROM desk_tickets').all()).toEqual([{ number: 1001, priority: 'P1' }]);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'desk_%' ORDER BY name").all()).toEqual([
        { name: 'desk_events' },
        { name: 'desk_tickets' },
      ]);
    } finally {
      db.close();
    }
  });

  it('findTicket writes the steps that have fallen due', async () => {
    const d = newDesk();
    const draft = contractDraft();
    const ticket = await d.open().fileTicket(draft);
    d.at(7 * SECOND);
    await d.open().findTicket({ runId: draft.runId, ref: draft.ref });
    const Database = createRequire(import.meta.url)('better-sqlite3');
    const db = new Database(sandboxDeskPath(d.dataDir), { readonly: true });
    try {
      const rows = db.prepare('SELECT step, at FROM desk_events ORDER BY seq').all();
      expect(rows).toEqual([
        { step: 'ack', at: ticket.filedAt.getTime() + 2 * SECOND },
        { step: 'canned', at: ticket.filedAt.getTime() + 6 * SECOND },
      ]);
    } finally {
      db.close();
    }
  });

  it('refuses a ticket whose title lacks its reference tag', async () => {
    const adapter = newDesk().open();
    const draft = { ...contractDraft(), title: 'Video froze' };
    await expect(adapter.fileTicket(draft)).rejects.toThrow(`[supportdrill] [sandbox] the ticket title must carry its reference tag [${draft.ref}]`);
  });

  it('refuses an attachment that is not there, naming it', async () => {
    const adapter = newDesk().open();
    const draft = { ...contractDraft(), attachments: [{ filename: 'chart.png', path: join(tempDir(), 'chart.png'), contentType: 'image/png' }] };
    await expect(adapter.fileTicket(draft)).rejects.toThrow("cannot attach 'chart.png'");
  });

  it('accepts an attachment that is there', async () => {
    const adapter = newDesk().open();
    const path = join(tempDir(), 'chart.png');
    writeFileSync(path, 'png');
    const ticket = await adapter.fileTicket({ ...contractDraft(), attachments: [{ filename: 'chart.png', path, contentType: 'image/png' }] });
    expect(ticket.vendorTicketId).toBe('SBX-1001');
  });

  it('refuses a cursor it did not give out', async () => {
    const adapter = newDesk().open();
    const draft = contractDraft();
    const ticket = await adapter.fileTicket(draft);
    await expect(adapter.fetchActivity({ runId: draft.runId, ref: draft.ref, vendorTicketId: ticket.vendorTicketId }, 'abc')).rejects.toThrow(
      "[supportdrill] [sandbox] cursor 'abc' was not given out by the sandbox desk",
    );
  });

  it('refuses a ticket id of another shape', async () => {
    const adapter = newDesk().open();
    await expect(adapter.fetchActivity({ runId: 'r', ref: 'DRILL-000000', vendorTicketId: '12345' })).rejects.toThrow(
      "'12345' is not a sandbox desk ticket id",
    );
  });

  it('a new adapter on the same data dir sees the same activity ids and writes nothing twice', async () => {
    const d = newDesk();
    const draft = contractDraft();
    const ticket = await d.open().fileTicket(draft);
    const handle = { runId: draft.runId, ref: draft.ref, vendorTicketId: ticket.vendorTicketId };
    d.at(7 * SECOND);
    const early = await d.open().fetchActivity(handle);
    d.at(HOUR);
    const restarted = d.open();
    const all = await restarted.fetchActivity(handle);
    await d.open().fetchActivity(handle);
    const again = await restarted.fetchActivity(handle);
    expect(all.activities.slice(0, 2)).toEqual(early.activities);
    expect(all.activities).toHaveLength(5);
    expect(again.activities).toEqual(all.activities);
  });

  it('keeps the script a ticket was filed with when the options change', async () => {
    const d = newDesk({ persona: 'responsive' });
    const draft = contractDraft();
    const ticket = await d.open().fileTicket(draft);
    d.at(HOUR);
    const page = await d.open({ persona: 'silent' }).fetchActivity({ runId: draft.runId, ref: draft.ref, vendorTicketId: ticket.vendorTicketId });
    expect(page.activities).toHaveLength(5);
  });
});

describe('responsive persona', () => {
  it('has said nothing one second after filing', async () => {
    const { pages } = await fileAndFetchAt({}, [SECOND]);
    expect(pages[0]!.activities).toEqual([]);
    expect(pages[0]!.status).toBe('new');
  });

  it('has acknowledged and sent the canned reply by seven seconds, stamped +2 s and +6 s', async () => {
    const { pages } = await fileAndFetchAt({}, [7 * SECOND]);
    expect(sinceFiling(pages[0]!.activities)).toEqual([2 * SECOND, 6 * SECOND]);
  });

  it('runs ack, canned, human, resolution and solved, in that order, with the default delays', async () => {
    const { pages } = await fileAndFetchAt({}, [HOUR]);
    const page = pages[0]!;
    expect(sinceFiling(page.activities)).toEqual([2, 6, 12, 20, 21].map((s) => s * SECOND));
    expect(page.activities.map((a) => a.authorRole)).toEqual(['system', 'agent', 'agent', 'agent', 'agent']);
    expect(page.activities[4]!.statusChange).toBe('solved');
    expect(page.status).toBe('solved');
  });

  it('the acknowledgement is automated and carries the desk ticket number', async () => {
    const { pages, ticket } = await fileAndFetchAt({}, [HOUR]);
    const ack = pages[0]!.activities[0]!;
    expect(ack).toMatchObject({ authorRole: 'system', automated: true });
    expect(ack.text).toContain(`Your request (${ticket.vendorTicketId}) has been received`);
  });

  it("the human reply refers to the ticket's channel, freeze time and freeze duration", async () => {
    const draft = fixtureDraft();
    const { pages } = await fileAndFetchAt({}, [HOUR], FILED, draft);
    const human = pages[0]!.activities[2]!.text!;
    expect(human).toContain('run_20261129T051246Z_429c7b');
    expect(human).toContain('13:13:00');
    expect(human).toContain('12.2 s');
    expect(human).toContain('?');
  });

  it.each([undefined, 1, 2, 3, 4, 5, 6, 7])('replies are classified auto, canned, human, resolution (seed %s)', async (seed) => {
    const draft = fixtureDraft();
    const { pages } = await fileAndFetchAt({ seed }, [HOUR], FILED, draft);
    const kinds = pages[0]!.activities
      .filter((a) => a.text !== undefined)
      .map((a) => kindOf(a, draft.facts));
    expect(kinds).toEqual(['auto', 'canned', 'human', 'resolution']);
  });

  it('replies to a ticket without facts are still classified canned, human, resolution', async () => {
    const bare = { ...contractDraft(), facts: { ref: 'DRILL-c0ffee', identifiers: [], times: [], numbers: [], providedInfo: [] } };
    for (const seed of [1, 2, 3, 4]) {
      const { pages } = await fileAndFetchAt({ seed }, [HOUR], FILED, bare);
      const kinds = pages[0]!.activities
        .slice(1, 4)
        .map((a) => kindOf(a, bare.facts));
      expect(kinds).toEqual(['canned', 'human', 'resolution']);
    }
  });

  it('the same seed gives the same agents and words on every read', async () => {
    const draft = contractDraft();
    const one = await fileAndFetchAt({ seed: 42 }, [HOUR], FILED, draft);
    const two = await fileAndFetchAt({ seed: 42 }, [HOUR], FILED, draft);
    expect(two.pages[0]!.activities).toEqual(one.pages[0]!.activities);
  });
});

describe('other personas', () => {
  it('slow: only the ack and the canned reply after an hour', async () => {
    const { pages } = await fileAndFetchAt({ persona: 'slow' }, [HOUR]);
    expect(sinceFiling(pages[0]!.activities)).toEqual([MINUTE, 20 * MINUTE]);
  });

  it('slow: the human reply at 2 h and the resolution at 26 h', async () => {
    const { pages } = await fileAndFetchAt({ persona: 'slow' }, [2 * DAY]);
    expect(sinceFiling(pages[0]!.activities).slice(2, 4)).toEqual([2 * HOUR, 26 * HOUR]);
  });

  it('bot-only never goes past the acknowledgement', async () => {
    const { pages } = await fileAndFetchAt({ persona: 'bot-only' }, [30 * DAY]);
    expect(pages[0]!.activities.map((a) => a.authorRole)).toEqual(['system']);
    expect(pages[0]!.status).toBe('new');
  });

  it('silent never says anything', async () => {
    const { pages } = await fileAndFetchAt({ persona: 'silent' }, [30 * DAY]);
    expect(pages[0]!.activities).toEqual([]);
  });

  it('business-hours: filed Friday 20:00 in Shanghai, acknowledged at once, agents reply from Monday 09:00', async () => {
    const friday = new Date('2026-11-27T12:00:00.000Z'); // Friday 20:00 Asia/Shanghai
    const { pages } = await fileAndFetchAt({ persona: 'business-hours' }, [2 * DAY, 3 * DAY], friday);
    expect(sinceFiling(pages[0]!.activities, friday)).toEqual([2 * SECOND]);
    const monday9 = Date.parse('2026-11-30T01:00:00.000Z');
    expect(pages[1]!.activities.slice(1).map((a) => a.at.getTime() - monday9)).toEqual([6, 12, 20, 21].map((s) => s * SECOND));
  });

  it('business-hours: filed inside the hours, replies like responsive', async () => {
    const { pages } = await fileAndFetchAt({ persona: 'business-hours' }, [HOUR]);
    expect(sinceFiling(pages[0]!.activities)).toEqual([2, 6, 12, 20, 21].map((s) => s * SECOND));
  });

  it('business-hours follows the configured hours and timezone', async () => {
    const options: SandboxOptions = {
      persona: 'business-hours',
      timezone: 'Europe/Berlin',
      businessHours: { days: ['sat'], start: '10:00', end: '12:00' },
    };
    const { pages } = await fileAndFetchAt(options, [7 * DAY]);
    const saturday10Berlin = Date.parse('2026-12-05T09:00:00.000Z');
    expect(pages[0]!.activities[1]!.at.getTime() - saturday10Berlin).toBe(6 * SECOND);
  });

  it('chinese: the same flow, written in Chinese', async () => {
    const draft = fixtureDraft();
    const { pages } = await fileAndFetchAt({ persona: 'chinese' }, [HOUR], FILED, draft);
    const written = pages[0]!.activities.filter((a) => a.text !== undefined);
    expect(sinceFiling(pages[0]!.activities)).toEqual([2, 6, 12, 20, 21].map((s) => s * SECOND));
    for (const activity of written) expect(activity.text).toMatch(/[\u4e00-\u9fff]{4}/u);
    const kinds = written.map((a) => kindOf(a, draft.facts));
    expect(kinds).toEqual(['auto', 'canned', 'human', 'resolution']);
  });

  it('every persona is listed', () => {
    expect([...PERSONAS]).toEqual([
      'responsive',
      'slow',
      'bot-only',
      'silent',
      'business-hours',
      'chinese',
      'asks-for-logs',
      're-asks',
      'escalates',
      'silent-until-followed-up',
      'needs-a-person',
      'diagnoses-correctly',
      'diagnoses-partly',
      'diagnoses-wrongly',
    ]);
  });
});

describe('timing options', () => {
  it('timings move the steps they name and leave the others at their defaults', async () => {
    const { pages } = await fileAndFetchAt({ timings: { ack: '5s', human: '1m' } }, [HOUR]);
    expect(sinceFiling(pages[0]!.activities)).toEqual([5 * SECOND, 6 * SECOND, 20 * SECOND, 21 * SECOND, MINUTE]);
  });

  it('speed scales the default delays', async () => {
    const { pages } = await fileAndFetchAt({ speed: 0.1 }, [HOUR]);
    expect(sinceFiling(pages[0]!.activities)).toEqual([200, 600, 1200, 2000, 2100]);
  });

  it('speed leaves explicit timings as written', async () => {
    const { pages } = await fileAndFetchAt({ speed: 10, timings: { ack: '1s' } }, [HOUR]);
    expect(sinceFiling(pages[0]!.activities).slice(0, 2)).toEqual([SECOND, MINUTE]);
  });
});

describe('sandbox options', () => {
  const context = () => ({ dataDir: tempDir(), vendorName: 'helpdesk' });

  it('an unknown persona names the field and the personas', () => {
    expect(() => sandbox({ persona: 'fast' as never }, context())).toThrow(
      '[supportdrill] [sandbox] vendors.helpdesk.persona: unknown persona "fast"; expected one of responsive, slow, bot-only, silent, business-hours, chinese',
    );
  });

  it('a timing that is not a duration names its field', () => {
    expect(() => sandbox({ timings: { ack: '2 seconds' } }, context())).toThrow('vendors.helpdesk.timings.ack: expected a duration');
  });

  it('a timing for a step the persona does not have is refused', () => {
    expect(() => sandbox({ persona: 'bot-only', timings: { canned: '5s' } }, context())).toThrow(
      "vendors.helpdesk.timings.canned: persona 'bot-only' has no 'canned' step; it has only ack",
    );
  });

  it('a mistyped option is refused with a suggestion', () => {
    expect(() => sandbox({ persnoa: 'slow' } as never, context())).toThrow(
      "vendors.helpdesk.persnoa: unknown option (did you mean 'persona'?)",
    );
  });

  it('a speed of zero is refused', () => {
    expect(() => sandbox({ speed: 0 }, context())).toThrow('vendors.helpdesk.speed: expected a number above 0');
  });

  it('bad business hours name the field inside them', () => {
    expect(() => sandbox({ persona: 'business-hours', businessHours: { days: ['mon'], start: '9am', end: '18:00' } }, context())).toThrow(
      "vendors.helpdesk.businessHours.start: '9am' is not a time of day",
    );
  });

  it('creating the adapter writes nothing until the desk is used', () => {
    const ctx = context();
    sandbox({}, ctx);
    expect(() => readFileSync(sandboxDeskPath(ctx.dataDir))).toThrow();
  });
});
