/**
 * The talking personas end to end at the adapter: file, read what the desk asks, answer through
 * `reply`, and see the next steps at the desk times the script says. Real desk files in temp dirs,
 * the desk's clock moved by the test.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/core/run-result.ts';
import { classifyReply } from '../../src/support/classifier.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import type { OutgoingMessage, TicketDraft, VendorActivity, VendorAdapter } from '../../src/vendors/adapter.ts';
import sandbox, { sandboxDeskPath, type PersonaName, type SandboxOptions } from '../../src/vendors/sandbox.ts';
import { contractMessage } from './contract.ts';

const FILED = new Date('2026-11-30T02:00:00.000Z'); // Monday 10:00 in Shanghai
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const tempDirs: string[] = [];
const opened: VendorAdapter[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-sandbox-talk-'));
  tempDirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const adapter of opened.splice(0)) await adapter.close?.();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const fixture = JSON.parse(readFileSync(new URL('../fixtures/run-result.json', import.meta.url), 'utf8')) as RunResult;
const fixtureDraft = (): TicketDraft =>
  renderTicket({
    result: fixture,
    drill: { name: 'freeze-midclass', description: "The teacher's video freezes for 10 s in the middle of a lesson" },
    vendorTimezone: 'Asia/Shanghai',
    evidenceDir: tempDir(),
  });

/** A ticket filed at a desk on a temp data dir, with a clock the test moves (ms after filing). */
async function conversation(options: SandboxOptions, draft: TicketDraft = fixtureDraft()) {
  const dataDir = tempDir();
  let now = FILED.getTime();
  const open = (opts: SandboxOptions = options) => {
    const adapter = sandbox(opts, { dataDir, vendorName: 'sandbox', now: () => new Date(now) });
    opened.push(adapter);
    return adapter;
  };
  const adapter = open();
  const ticket = await adapter.fileTicket(draft);
  const handle = { runId: draft.runId, ref: draft.ref, vendorTicketId: ticket.vendorTicketId };
  const at = (ms: number) => {
    now = FILED.getTime() + ms;
  };
  const files = tempDir();
  let sent = 0;
  return {
    dataDir,
    draft,
    handle,
    open,
    at,
    /** Everything the vendor wrote by `ms` after filing, and the desk's status then. */
    async seen(ms: number, by: VendorAdapter = adapter) {
      at(ms);
      return by.fetchActivity(handle);
    },
    /** Our next message, sent `ms` after filing, carrying files of these names. */
    async send(ms: number, filenames: string[] = [], by: VendorAdapter = adapter) {
      at(ms);
      const attachments: OutgoingMessage['attachments'] = filenames.map((filename) => {
        const path = join(files, filename);
        writeFileSync(path, `${filename}: AgoraRTC 4.24.0 [INFO] publish video track\n`);
        return { filename, path, contentType: 'text/plain' };
      });
      return by.reply!(handle, contractMessage(draft.ref, ++sent, attachments));
    },
  };
}

/** Each activity as `step@ms after filing`, the step read from the desk file. */
function timeline(dataDir: string, activities: VendorActivity[]): string[] {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const db = new Database(sandboxDeskPath(dataDir), { readonly: true });
  try {
    const step = db.prepare('SELECT step FROM desk_events WHERE seq = ?');
    return activities.map((a) => `${(step.get(Number(a.vendorActivityId.replace('sbx-event-', ''))) as { step: string }).step}@${a.at.getTime() - FILED.getTime()}`);
  } finally {
    db.close();
  }
}

const step = (dataDir: string, activities: VendorActivity[], name: string) => activities[timeline(dataDir, activities).findIndex((s) => s.startsWith(`${name}@`))]!;

const kindOf = (activity: VendorActivity, draft: TicketDraft) =>
  classifyReply({ text: activity.text ?? '', authorRole: activity.authorRole, automated: activity.automated, facts: draft.facts }).kind;

/** The sentences of a text that ask something. */
const questions = (text: string) => text.split(/(?<=[.!?])\s+|(?<=[。！？])|\n+/u).map((s) => s.trim()).filter((s) => /[?？]$/.test(s));

const s = (seconds: number) => seconds * SECOND;

describe('asks-for-logs', () => {
  it('asks for the SDK log and the browser console log at 5 s, leaves the ticket pending, and says nothing more unanswered', async () => {
    const c = await conversation({ persona: 'asks-for-logs' });
    const page = await c.seen(30 * DAY);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000', 'question@5000']);
    const question = page.activities[1]!;
    expect(question).toMatchObject({ authorRole: 'agent', statusChange: 'pending' });
    expect(questions(question.text!)).toEqual(["Could you please send us the SDK log and the browser console log from the teacher's machine?"]);
    expect(page.status).toBe('pending');
  });

  it('an answer without a log gets a short re-ask 3 s after it, and nothing else', async () => {
    const c = await conversation({ persona: 'asks-for-logs' });
    await c.seen(s(10));
    await c.send(s(20));
    const page = await c.seen(DAY);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000', 'question@5000', 're-ask@23000']);
    expect(page.activities[2]!.text).toContain('no log file came with it');
    expect(questions(page.activities[2]!.text!)).toEqual(["Could you please send us the SDK log and the browser console log from the teacher's machine?"]);
    expect(page.status).toBe('pending');
  });

  it('the answer carrying a log brings the engineer: human reply 4 s, resolution 10 s, solved 11 s after it', async () => {
    const c = await conversation({ persona: 'asks-for-logs' });
    await c.send(s(20));
    expect(timeline(c.dataDir, (await c.seen(s(30))).activities)).toEqual(['ack@2000', 'question@5000', 're-ask@23000']);
    await c.send(s(60), ['sdk-teacher.log', 'console-teacher.log', 'chart.png']);
    expect(timeline(c.dataDir, (await c.seen(s(63))).activities).slice(3)).toEqual([]);
    const page = await c.seen(HOUR);
    expect(timeline(c.dataDir, page.activities).slice(3)).toEqual(['human@64000', 'resolution@70000', 'solved@71000']);
    const human = page.activities[3]!;
    expect(human.text).toContain('Thank you for the logs (sdk-teacher.log, console-teacher.log)');
    expect(human.authorName).not.toBe(page.activities[1]!.authorName);
    expect(kindOf(human, c.draft)).toBe('human');
    expect(kindOf(page.activities[4]!, c.draft)).toBe('resolution');
    expect(page.status).toBe('solved');
  });

  it('a first answer with a log gets no re-ask', async () => {
    const c = await conversation({ persona: 'asks-for-logs' });
    await c.send(s(20), ['sdk.log']);
    const page = await c.seen(HOUR);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000', 'question@5000', 'human@24000', 'resolution@30000', 'solved@31000']);
  });

  it('a log arriving before the re-ask is due drops the re-ask', async () => {
    const c = await conversation({ persona: 'asks-for-logs' });
    await c.send(s(20));
    await c.send(s(22), ['sdk.log']);
    const page = await c.seen(HOUR);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000', 'question@5000', 'human@26000', 'resolution@32000', 'solved@33000']);
  });

  it('a file without "log" in its name is no log', async () => {
    const c = await conversation({ persona: 'asks-for-logs' });
    await c.send(s(20), ['chart.png', 'timeline.json']);
    const page = await c.seen(DAY);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000', 'question@5000', 're-ask@23000']);
  });
});

describe('re-asks', () => {
  it('asks at 5 s for the channel name, the uid and the exact time, which the ticket gave, each a question of its own', async () => {
    const c = await conversation({ persona: 're-asks' });
    expect(c.draft.facts.providedInfo).toEqual(expect.arrayContaining(['channel', 'uid', 'timestamps']));
    const page = await c.seen(30 * DAY);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000', 'question@5000']);
    expect(questions(page.activities[1]!.text!)).toEqual([
      'What is the channel name and the uid of the teacher?',
      'At what time exactly did the freeze start, and in which timezone?',
    ]);
    expect(page.status).toBe('pending');
  });

  it('after our answer: resolution 8 s and solved 9 s after it', async () => {
    const c = await conversation({ persona: 're-asks' });
    await c.seen(s(6));
    await c.send(s(30));
    const page = await c.seen(HOUR);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000', 'question@5000', 'resolution@38000', 'solved@39000']);
    expect(kindOf(page.activities[2]!, c.draft)).toBe('resolution');
    expect(page.status).toBe('solved');
  });

  it('a message sent before the question was asked is no answer to it', async () => {
    const c = await conversation({ persona: 're-asks' });
    await c.send(s(3));
    const page = await c.seen(DAY);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000', 'question@5000']);
  });
});

describe('escalates', () => {
  it('canned at 5 s; at 10 s a second-line engineer states the escalation, and at 14 s asks for the uid', async () => {
    const c = await conversation({ persona: 'escalates' });
    const page = await c.seen(DAY);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000', 'canned@5000', 'escalation@10000', 'second-line-question@14000']);
    const [, canned, escalation, question] = page.activities;
    expect(kindOf(canned!, c.draft)).toBe('canned');
    expect(escalation!.text).toContain('has been escalated to our second-line engineering team');
    expect(questions(escalation!.text!)).toEqual([]);
    expect(escalation!.authorName).not.toBe(canned!.authorName);
    expect(escalation!.text).toContain(`taking it over from my colleague ${canned!.authorName}`);
    expect(question!.authorName).toBe(escalation!.authorName);
    expect(questions(question!.text!)).toEqual(['What is the uid of the teacher?']);
    expect(page.status).toBe('pending');
  });

  it('only an answer after the second-line question counts: resolution 8 s and solved 9 s after it', async () => {
    const c = await conversation({ persona: 'escalates' });
    await c.seen(s(11));
    await c.send(s(12));
    expect(timeline(c.dataDir, (await c.seen(HOUR)).activities)).toHaveLength(4);
    await c.send(HOUR + s(10));
    const page = await c.seen(2 * HOUR);
    expect(timeline(c.dataDir, page.activities).slice(4)).toEqual([`resolution@${HOUR + s(18)}`, `solved@${HOUR + s(19)}`]);
    expect(kindOf(page.activities[4]!, c.draft)).toBe('resolution');
  });
});

describe('silent-until-followed-up', () => {
  it('acknowledges, then says nothing for thirty days', async () => {
    const c = await conversation({ persona: 'silent-until-followed-up' });
    const page = await c.seen(30 * DAY);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000']);
    expect(page.status).toBe('new');
  });

  it('a follow-up brings a human reply 5 s after it, then resolution 15 s and solved 16 s', async () => {
    const c = await conversation({ persona: 'silent-until-followed-up' });
    await c.seen(HOUR);
    await c.send(2 * HOUR);
    const page = await c.seen(3 * HOUR);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000', `human@${2 * HOUR + s(5)}`, `resolution@${2 * HOUR + s(15)}`, `solved@${2 * HOUR + s(16)}`]);
    expect(page.activities[1]!.text).toContain('sorry for the long silence');
    expect(kindOf(page.activities[1]!, c.draft)).toBe('human');
    expect(kindOf(page.activities[2]!, c.draft)).toBe('resolution');
  });
});

describe('needs-a-person', () => {
  it('an engineer engages at 8 s with the ticket specifics and asks only for a call, then waits', async () => {
    const c = await conversation({ persona: 'needs-a-person' });
    const page = await c.seen(30 * DAY);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000', 'human@8000']);
    const human = page.activities[1]!;
    expect(questions(human.text!)).toEqual(['Could we schedule a call with your engineer tomorrow?']);
    expect(human.text).toContain('run_20261129T051246Z_429c7b');
    expect(kindOf(human, c.draft)).toBe('human');
    expect(page.status).toBe('pending');
  });

  it('any customer message brings resolution 8 s and solved 9 s after it', async () => {
    const c = await conversation({ persona: 'needs-a-person' });
    await c.seen(s(9));
    await c.send(MINUTE);
    const page = await c.seen(HOUR);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@2000', 'human@8000', `resolution@${MINUTE + s(8)}`, `solved@${MINUTE + s(9)}`]);
    expect(kindOf(page.activities[2]!, c.draft)).toBe('resolution');
  });
});

/** Each talking persona's whole conversation: the answers it waits for, sent 20 s and 40 s after filing (the second with a log). */
async function wholeConversation(persona: PersonaName, options: SandboxOptions = {}) {
  const c = await conversation({ persona, ...options });
  await c.seen(s(19));
  await c.send(s(20));
  await c.seen(s(39));
  await c.send(s(40), ['sdk.log']);
  return { c, page: await c.seen(HOUR) };
}

const CJK = /[\u4e00-\u9fff]{4}/u;

describe('language', () => {
  const chineseQuestions: Record<string, string[]> = {
    'asks-for-logs': ['麻烦提供一下老师端的 SDK 日志和浏览器控制台日志？'],
    're-asks': ['请问频道名和老师的 uid 是多少？', '卡顿具体是几点开始的（哪个时区）？'],
    escalates: ['请问老师的 uid 是多少？'],
    'silent-until-followed-up': [],
    'needs-a-person': ['明天方便约个时间电话沟通吗？'],
  };

  it.each(Object.keys(chineseQuestions) as PersonaName[])("language 'zh': %s writes Chinese, the same steps at the same times", async (persona) => {
    const zh = await wholeConversation(persona, { language: 'zh' });
    const en = await wholeConversation(persona);
    expect(timeline(zh.c.dataDir, zh.page.activities)).toEqual(timeline(en.c.dataDir, en.page.activities));
    const written = zh.page.activities.filter((a) => a.text !== undefined);
    for (const activity of written) expect(activity.text).toMatch(CJK);
    expect(written.flatMap((a) => questions(a.text!))).toEqual(expect.arrayContaining(chineseQuestions[persona]!));
    expect(kindOf(step(zh.c.dataDir, zh.page.activities, 'resolution'), zh.c.draft)).toBe('resolution');
  });

  it("escalates in Chinese says the ticket went to second line", async () => {
    const { c, page } = await wholeConversation('escalates', { language: 'zh' });
    expect(step(c.dataDir, page.activities, 'escalation').text).toContain('已转交二线技术支持');
  });

  it("chinese stays Chinese; language 'en' makes it write English, and 'zh' makes responsive write Chinese", async () => {
    const chinese = await conversation({ persona: 'chinese' });
    expect((await chinese.seen(HOUR)).activities[2]!.text).toMatch(CJK);
    const english = await conversation({ persona: 'chinese', language: 'en' });
    expect((await english.seen(HOUR)).activities[2]!.text).not.toMatch(CJK);
    const responsive = await conversation({ language: 'zh' });
    const page = await responsive.seen(HOUR);
    expect(page.activities.map((a) => a.at.getTime() - FILED.getTime())).toEqual([2, 6, 12, 20, 21].map(s));
    expect(page.activities[2]!.text).toMatch(CJK);
  });

  it('an unknown language is refused, naming the field', () => {
    expect(() => sandbox({ language: 'fr' as never }, { dataDir: tempDir(), vendorName: 'helpdesk' })).toThrow(
      `[supportdrill] [sandbox] vendors.helpdesk.language: unknown language "fr"; expected 'en' or 'zh'`,
    );
  });
});

describe('timings of steps that wait on the customer', () => {
  it("a timing for a waiting step counts from the customer's message, unscaled by speed", async () => {
    const c = await conversation({ persona: 'asks-for-logs', speed: 10, timings: { human: '1m' } });
    await c.send(MINUTE, ['sdk.log']);
    const page = await c.seen(DAY);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@20000', 'question@50000', `human@${2 * MINUTE}`, `resolution@${MINUTE + s(100)}`, `solved@${MINUTE + s(110)}`]);
  });

  it("speed scales a waiting step's default delay", async () => {
    const c = await conversation({ persona: 're-asks', speed: 0.5 });
    await c.send(s(10));
    const page = await c.seen(HOUR);
    expect(timeline(c.dataDir, page.activities)).toEqual(['ack@1000', 'question@2500', 'resolution@14000', 'solved@14500']);
  });

  it('a timing for a step the persona lacks names the steps it has', () => {
    expect(() => sandbox({ persona: 're-asks', timings: { canned: '5s' } }, { dataDir: tempDir(), vendorName: 'helpdesk' })).toThrow(
      "vendors.helpdesk.timings.canned: persona 're-asks' has no 'canned' step; it has only ack, question, resolution, solved",
    );
  });
});

describe('one desk, several processes', () => {
  it('a second process sees the same script: one adapter files, another answers, a third reads', async () => {
    const c = await conversation({ persona: 'asks-for-logs', seed: 7 });
    await c.send(s(20), ['sdk.log'], c.open());
    const third = await c.seen(HOUR, c.open({ persona: 'silent' }));
    const first = await c.seen(HOUR);
    expect(timeline(c.dataDir, third.activities)).toEqual(['ack@2000', 'question@5000', 'human@24000', 'resolution@30000', 'solved@31000']);
    expect(first.activities).toEqual(third.activities);
  });

  it('what the desk writes does not depend on when or how often anyone looks', async () => {
    const run = async (pollEverySecond: boolean) => {
      const c = await conversation({ persona: 'asks-for-logs', seed: 3 });
      const pollTo = async (ms: number) => {
        if (pollEverySecond) for (let t = 0; t <= ms; t += SECOND) await c.seen(t, c.open());
      };
      await pollTo(s(20));
      await c.send(s(20));
      await pollTo(s(40));
      await c.send(s(40), ['console.log']);
      await pollTo(s(60));
      const page = await c.seen(HOUR);
      return { steps: timeline(c.dataDir, page.activities), words: page.activities.map((a) => [a.authorName, a.text, a.statusChange]) };
    };
    const polled = await run(true);
    expect(polled.steps).toEqual(['ack@2000', 'question@5000', 're-ask@23000', 'human@44000', 'resolution@50000', 'solved@51000']);
    expect(await run(false)).toEqual(polled);
  });
});
