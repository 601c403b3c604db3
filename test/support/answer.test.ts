import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerLanguage, composeAnswer, type AnswerInput } from '../../src/support/answer.ts';
import { findQuestions } from '../../src/support/questions.ts';
import { evidenceFiles } from '../../src/support/ticket-evidence.ts';
import { VendorClock } from '../../src/support/ticket-clock.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import type { RunResult } from '../../src/core/run-result.ts';
import type { TicketFacts } from '../../src/core/ticket-facts.ts';

const FIXTURE: RunResult = JSON.parse(readFileSync(new URL('../fixtures/run-result.json', import.meta.url), 'utf8'));
const TZ = 'Asia/Shanghai';
const clock = new VendorClock(TZ);

// A 1×1 PNG, so the screenshots and the chart are real images.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let dir: string;
let result: RunResult;
let facts: TicketFacts;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'supportdrill-answer-'));
  result = { ...FIXTURE, evidenceDir: dir };
  writeFileSync(join(dir, 'timeline.json'), JSON.stringify({ runId: result.runId, freezes: result.freezes, stats: [] }, null, 2));
  writeFileSync(join(dir, 'console-teacher.log'), '2026-11-29T05:12:50.800Z [log] joined room\n');
  writeFileSync(join(dir, 'console-student-1.log'), '2026-11-29T05:12:51.100Z [log] subscribed to teacher\n');
  writeFileSync(join(dir, 'console-student-2.log'), ''); // empty: left out as noise
  writeFileSync(join(dir, 'screenshot-during.png'), PNG);
  writeFileSync(join(dir, 'screenshot-before.png'), PNG);
  writeFileSync(join(dir, 'chart.png'), PNG);
  // What the default ticket template really told the vendor about this run.
  facts = renderTicket({ result, drill: { name: 'freeze-midclass', description: 'The teacher video freezes mid-class.' }, vendorTimezone: TZ, evidenceDir: dir }).facts;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function answer(text: string, extra: Partial<AnswerInput> = {}) {
  const questions = findQuestions(text, facts);
  return composeAnswer({
    questions,
    result,
    ticket: { ref: 'DRILL-429c7b', facts },
    vendorTimezone: TZ,
    language: answerLanguage(questions),
    evidence: evidenceFiles(dir),
    ...extra,
  });
}

const names = (a: { attachments: { filename: string }[] }) => a.attachments.map((f) => f.filename);

describe('each topic, answered from the run', () => {
  it('logs: attaches the console logs and the stats timeline', () => {
    const a = answer("Could you please send us the SDK log and the browser console log from the teacher's machine?");
    expect(names(a)).toEqual(['console-student-1.log', 'console-teacher.log', 'timeline.json']);
    expect(a.body).toContain('console-teacher.log');
    expect(a.pointedTo.map((q) => q.topic)).toEqual(['logs']);
  });

  it('timestamps: every freeze and the trouble window, in the vendor timezone and in UTC', () => {
    const a = answer('At what time exactly did the freeze start, and in which timezone?');
    for (const f of result.freezes) {
      expect(a.body).toContain(clock.long(Date.parse(f.startedAt)));
      expect(a.body).toContain(clock.preciseUtc(Date.parse(f.startedAt)));
    }
    expect(a.body).toContain(clock.long(Date.parse(result.faults[0]!.startedAt)));
    expect(a.body).toContain('Asia/Shanghai, UTC+08:00');
    expect(a.attachments).toEqual([]);
  });

  it('versions: the versions the ticket lists, the OS from the user agent', () => {
    const a = answer('Which SDK version and browser version were you using? What operating system was the teacher on?');
    expect(a.body).toContain('Real-time stack: local (browser WebRTC)');
    expect(a.body).toContain('Browser: Chrome/156.0.8078.108');
    expect(a.body).toContain('OS: X11; Linux x86_64 (from the user agent)');
    expect(a.body.match(/Real-time stack/g)).toHaveLength(1);
    expect([...a.answered, ...a.pointedTo].map((q) => q.topic).sort()).toEqual(['browser', 'os', 'sdk-version']);
  });

  it('screenshots: attaches them in moment order, with the chart', () => {
    const a = answer('Can you send a screenshot of what the students saw?');
    expect(names(a)).toEqual(['screenshot-before.png', 'screenshot-during.png', 'chart.png']);
  });

  it('network: the set-up and the measured stats, never what was injected (the answer key)', () => {
    const a = answer('Was the teacher on Wi-Fi?');
    expect(a.answered.map((q) => q.topic)).toEqual(['network']);
    expect(a.body).toContain('joined from one machine');
    expect(a.body).not.toMatch(/video-freeze|fault/i);
    expect(a.body).toMatch(/timeline\.json/);
    expect(names(a)).toEqual(['timeline.json']);
  });

  it("steps: the ticket's own steps to reproduce", () => {
    const a = answer('What are the steps to reproduce?');
    expect(a.body).toContain(`1. The teacher joins room ${result.runId}`);
    expect(a.body).toContain(`The class is in session from ${clock.time(Date.parse(result.inSessionAt))} (${TZ}).`);
  });

  it('app-id: given when the run recorded one, left to a person when not', () => {
    const appId = '0123456789abcdef0123456789abcdef';
    const withId = answer('Could you share your App ID?', { result: { ...result, identifiers: { ...result.identifiers, appId } } });
    expect(withId.answered.map((q) => q.topic)).toEqual(['app-id']);
    expect(withId.body).toContain(`Our App ID is ${appId}.`);
    const without = answer('Could you share your App ID?');
    expect(without.unanswered.map((q) => q.topic)).toEqual(['app-id']);
    expect(without.body).toBe('');
  });

  it('reproduce: answered from the new run when the drill was run again, else left to a person', () => {
    const again: RunResult = { ...result, runId: 'run_20261129T061246Z_5d1e0a', inSessionAt: '2026-11-29T06:12:50.751Z' };
    const rerun = answer('Can you reproduce it with debug logging enabled?', { result: again, rerun: true });
    expect(rerun.rerunRequested).toBe(true);
    expect(rerun.answered.map((q) => q.topic)).toEqual(['reproduce']);
    expect(rerun.body).toContain(`We ran the same class again with the same set-up (run ${again.runId}, in session from ${clock.long(Date.parse(again.inSessionAt))}`);
    expect(rerun.body).toContain('it happened again (frozen video)');
    expect(rerun.body).toContain(clock.long(Date.parse(again.freezes[0]!.startedAt)));
    expect(names(rerun)).toEqual(['timeline.json', 'chart.png', 'screenshot-before.png', 'screenshot-during.png', 'console-student-1.log', 'console-teacher.log']);
    const notRun = answer('Can you reproduce it with debug logging enabled?');
    expect(notRun.rerunRequested).toBe(true);
    expect(notRun.unanswered.map((q) => q.topic)).toEqual(['reproduce']);
    expect(notRun.body).toBe('');
  });
});

describe('what the students saw, in their words, never the fault kind', () => {
  const TIMES = 'At what time exactly did the freeze start, and in which timezone?';
  const AGAIN = 'Can you reproduce it with debug logging enabled?';
  const LOGS = 'Please send us the SDK log and the browser console log.';
  const ZH = '卡顿具体是几点开始的（哪个时区）？\n能否开启调试日志后再复现一次？\n麻烦提供一下老师端的 SDK 日志和浏览器控制台日志？';
  // What was injected: the vendor's diagnosis is judged against it, so no answer may name it.
  const INJECTED = /black-screen|still-picture|audio-dropout|join-block|video-freeze|lossy-20/;

  const state = (participant: string, kind: 'blank' | 'still' | 'audio-dropout', startedAt: string, durationMs: number, back = true) => ({
    participant,
    state: kind,
    startedAt,
    detectedAt: new Date(Date.parse(startedAt) + 500).toISOString(),
    endedAt: back ? new Date(Date.parse(startedAt) + durationMs).toISOString() : null,
    durationMs,
    onsetDelayMs: 120,
    detectionOverheadMs: 5,
    recoveryMs: back ? 180 : null,
    fault: 0,
  });
  const fault = (kind: string, target: string) => ({ index: 0, kind, target, startedAt: '2026-11-29T05:13:00.756Z', endedAt: '2026-11-29T05:13:10.757Z' });

  let blank: RunResult;
  let silent: RunResult;
  let outside: RunResult;
  beforeAll(() => {
    blank = {
      ...result,
      reason: 'student-1, student-2 saw a black-screen of at least 3 s',
      faults: [fault('black-screen', 'teacher')],
      freezes: [],
      states: [state('student-1', 'blank', '2026-11-29T05:13:00.900Z', 10_050), state('student-2', 'blank', '2026-11-29T05:13:00.930Z', 10_020)],
    };
    silent = {
      ...result,
      faults: [fault('audio-dropout', 'teacher')],
      freezes: [],
      states: [state('student-1', 'audio-dropout', '2026-11-29T05:13:01.100Z', 9_000), state('student-2', 'audio-dropout', '2026-11-29T05:13:01.200Z', 19_552, false)],
    };
    outside = {
      ...result,
      faults: [{ ...fault('join-block', 'student-2'), startedAt: '2026-11-29T05:12:48.000Z', endedAt: result.endedAt }],
      freezes: [],
      states: [],
      joinFailures: [{ participant: 'student-2', reason: 'no video from the teacher within 8.0 s of the class opening; its page said: signalling connection failed' }],
    };
  });

  it('a black picture: when each student saw it, and that it happened again', () => {
    const times = answer(TIMES, { result: blank });
    expect(times.body).toContain(`- student-1: the teacher's picture went black or blank at ${clock.long(Date.parse(blank.states![0]!.startedAt))}`);
    expect(times.body).toContain(`for 10.1 s (back at ${clock.time(Date.parse(blank.states![0]!.endedAt!))}).`);
    expect(times.body).not.toMatch(/No frozen|froze/);
    const again = answer(AGAIN, { result: blank, rerun: true });
    expect(again.body).toContain('it happened again (a black or blank picture)');
    expect(answer(LOGS, { result: blank }).body).toContain('with each episode the students saw or heard (frozen video, black or blank picture, still picture, no sound)');
    const zh = answer(ZH, { result: blank, rerun: true }).body;
    expect(zh).toContain(`- student-1：老师的画面在 ${clock.long(Date.parse(blank.states![0]!.startedAt))}`);
    expect(zh).toContain('变黑或变成空白，持续 10.1 s');
    expect(zh).toContain('问题再次出现（黑屏或空白画面）');
    expect(zh).toContain('学生端看到或听到的每个异常片段');
    expect(zh).not.toContain('卡顿片段');
    for (const body of [times.body, again.body, zh]) expect(body).not.toMatch(INJECTED);
  });

  it('lost sound: its times, and one that had not come back when the class ended', () => {
    const times = answer(TIMES, { result: silent });
    expect(times.body).toContain(`- student-1: the teacher's sound dropped out at ${clock.long(Date.parse(silent.states![0]!.startedAt))}`);
    expect(times.body).toContain("- student-2: the teacher's sound dropped out at");
    expect(times.body).toContain('for 19.6 s, and had not come back when the class ended.');
    expect(answer(AGAIN, { result: silent, rerun: true }).body).toContain('it happened again (no sound)');
    const zh = answer(ZH, { result: silent, rerun: true }).body;
    expect(zh).toContain(`- student-1：老师的声音在 ${clock.long(Date.parse(silent.states![0]!.startedAt))}`);
    expect(zh).toContain('，课堂结束时仍未恢复。');
    expect(zh).toContain('问题再次出现（没有声音）');
    for (const body of [times.body, zh]) expect(body).not.toMatch(INJECTED);
  });

  it('a student that could not join: said first, with what was seen', () => {
    const times = answer(TIMES, { result: outside });
    expect(times.body).toContain('- student-2 could not join the class: no video from the teacher within 8.0 s of the class opening; its page said: signalling connection failed.');
    expect(times.body).not.toContain('No frozen');
    expect(answer(AGAIN, { result: outside, rerun: true }).body).toContain('it happened again (a student who could not join)');
    const zh = answer(ZH, { result: outside, rerun: true }).body;
    expect(zh).toContain('- student-2 未能加入课堂（no video from the teacher within 8.0 s of the class opening');
    expect(zh).toContain('问题再次出现（学生无法加入课堂）');
    for (const body of [times.body, zh]) expect(body).not.toMatch(INJECTED);
  });

  it('a run made again that saw nothing says the students saw and heard the teacher', () => {
    const calm: RunResult = { ...result, reproduced: false, freezes: [], states: [] };
    const body = answer(AGAIN, { result: calm, rerun: true }).body;
    expect(body).toContain('this time the students saw and heard the teacher without trouble');
    expect(body).toContain("- No frozen, black or still video and no loss of sound was detected on the students' side.");
    const brief: RunResult = { ...result, reproduced: false, freezes: [], states: [state('student-1', 'still', '2026-11-29T05:13:02.000Z', 1_500)] };
    const still = answer(AGAIN, { result: brief, rerun: true }).body;
    expect(still).toContain('this time it did not happen as before, though there was a still picture');
    expect(still).toContain("- student-1: the teacher's picture stood still at");
    expect(still).toContain('(moving again at');
  });

  it('a network profile is not named either', () => {
    const lossy: RunResult = {
      ...result,
      faults: [{ ...fault('network', 'student-1'), profiles: [{ at: '2026-11-29T05:13:00.756Z', participant: 'student-1', profile: 'lossy-20', conditions: { packetLoss: 20 } }] }],
    };
    const body = answer(`${TIMES} ${AGAIN} Was the teacher on Wi-Fi? ${LOGS}`, { result: lossy, rerun: true }).body;
    expect(body).toContain("the teacher's video froze");
    expect(body).not.toMatch(INJECTED);
  });
});

describe('already given, only a person, no evidence', () => {
  it('points to the ticket for what it gave, and gives it again', () => {
    const a = answer('What is the channel name and the uid of the teacher?');
    expect(a.pointedTo.map((q) => q.topic)).toEqual(['channel', 'uid']);
    expect(a.answered).toEqual([]);
    expect(a.body).toContain('The channel name and the user ids were in the ticket we filed (DRILL-429c7b)');
    expect(a.body).toContain(`The channel (room) name is ${result.runId}.`);
    expect(a.body).toContain('teacher, student-1, student-2');
  });

  it("leaves 'other' unanswered and says a colleague will answer", () => {
    const a = answer('What is the channel name? Could we schedule a call with your engineer tomorrow?');
    expect(a.unanswered.map((q) => q.text)).toEqual(['Could we schedule a call with your engineer tomorrow?']);
    expect(a.body).toContain('> Could we schedule a call with your engineer tomorrow?\nA colleague will get back to you on this one.');
  });

  it('writes no body when nothing can be answered', () => {
    const a = answer('Could you try setting the parameter `videoProfile` to 720p_2 and tell us whether it helps?');
    expect(a).toMatchObject({ body: '', attachments: [], answered: [], pointedTo: [], rerunRequested: false });
    expect(a.unanswered.map((q) => q.topic)).toEqual(['other']);
  });

  it('leaves a topic unanswered when the run has no evidence for it', () => {
    const a = answer('Please send us the SDK log. What is the channel name?', { evidence: [] });
    expect(a.unanswered.map((q) => q.topic)).toEqual(['logs']);
    expect(a.body).toContain('We do not have this from this run');
    expect(a.attachments).toEqual([]);
  });

  it('carries no reference line: the caller appends it', () => {
    const a = answer('What is the channel name?');
    expect(a.body).not.toContain('Our reference');
    expect(a.body.trimEnd().endsWith('Best regards')).toBe(true);
  });
});

describe('attachments', () => {
  it('are on disk, with absolute paths, each once', () => {
    const a = answer('Please send us the logs. Can you send screenshots? Was the teacher on Wi-Fi?');
    expect(a.attachments.length).toBeGreaterThan(0);
    expect(new Set(names(a)).size).toBe(a.attachments.length);
    for (const file of a.attachments) {
      expect(isAbsolute(file.path)).toBe(true);
      expect(existsSync(file.path)).toBe(true);
    }
    expect(a.attachments.find((f) => f.filename === 'chart.png')?.contentType).toBe('image/png');
  });

  it('leave out a listed file that is no longer on disk', () => {
    const listed = evidenceFiles(dir);
    const gone = { filename: 'console-gone.log', path: join(dir, 'console-gone.log'), contentType: 'text/plain' };
    const a = answer('Please send us the logs.', { evidence: [...listed, gone] });
    expect(names(a)).not.toContain('console-gone.log');
    expect(names(a)).toContain('console-teacher.log');
  });
});

describe('never a secret', () => {
  const CERTIFICATE = 'fedcba9876543210fedcba9876543210';
  const TOKEN = `006${'0123456789abcdef'.repeat(2)}IAB${'x7Yq'.repeat(30)}`;
  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJ1aWQiOjEwMDF9.c2lnbmF0dXJlLXZhbHVl';
  const ENV_SECRET = 'env-secret-value-4711';

  it('in the body, whatever the identifiers and versions carry', () => {
    const previous = process.env.AGORA_APP_CERTIFICATE;
    process.env.AGORA_APP_CERTIFICATE = ENV_SECRET;
    try {
      const leaky: RunResult = {
        ...result,
        identifiers: {
          channel: 'class-7f3a9c',
          uids: { teacher: 1001, 'student-1': 1002, token: TOKEN },
          appId: '0123456789abcdef0123456789abcdef',
          appCertificate: CERTIFICATE,
          token: TOKEN,
          secret: 'hunter2-but-longer',
          extra: CERTIFICATE,
          session: JWT,
          note: ENV_SECRET,
          participants: ['teacher', 'student-1', TOKEN],
        },
        versions: { ...result.versions, sdk: 'agora-rtc-sdk-ng 4.24.8', build: TOKEN, signingKey: CERTIFICATE },
      };
      const a = answer(
        'What is the channel name and the uid of the teacher? Could you share your App ID? Which SDK version were you using? ' +
          'At what time exactly did the freeze start? Was the teacher on Wi-Fi? What are the steps to reproduce?',
        { result: leaky },
      );
      expect(a.body).toContain('class-7f3a9c');
      expect(a.body).toContain('teacher 1001');
      expect(a.body).toContain('Our App ID is 0123456789abcdef0123456789abcdef.');
      expect(a.body).toContain('agora-rtc-sdk-ng 4.24.8');
      for (const secret of [CERTIFICATE, TOKEN, JWT, ENV_SECRET, 'hunter2', TOKEN.slice(0, 24)]) expect(a.body).not.toContain(secret);
    } finally {
      if (previous === undefined) delete process.env.AGORA_APP_CERTIFICATE;
      else process.env.AGORA_APP_CERTIFICATE = previous;
    }
  });

  it('not even a certificate filed under the App ID key', () => {
    const a = answer('Could you share your App ID?', { result: { ...result, identifiers: { ...result.identifiers, appId: TOKEN } } });
    expect(a.unanswered.map((q) => q.topic)).toEqual(['app-id']);
    expect(a.body).not.toContain(TOKEN);
  });
});

describe('Chinese questions get a Chinese answer', () => {
  const ASKED = '您好，\n\n麻烦提供一下老师端的 SDK 日志和浏览器控制台日志？\n请问频道名和老师的 uid 是多少？\n卡顿具体是几点开始的（哪个时区）？\n方便约个时间电话沟通吗？';

  it('in Chinese, with the same evidence and times', () => {
    const questions = findQuestions(ASKED, facts);
    expect(answerLanguage(questions)).toBe('zh');
    const a = answer(ASKED);
    expect(a.body.startsWith('您好，')).toBe(true);
    expect(a.body).toContain('已附上每个参与者的浏览器控制台日志');
    expect(a.body).toContain('关于频道名、用户 ID：我们在提交的工单（DRILL-429c7b）中已经提供');
    expect(a.body).toContain(`老师的视频在 ${clock.long(Date.parse(result.freezes[0]!.startedAt))}`);
    expect(a.body).toContain('这个问题我们的同事会另行回复您。');
    expect(a.body).not.toMatch(/Thank you|Best regards|colleague/);
    expect(names(a)).toEqual(['console-student-1.log', 'console-teacher.log', 'timeline.json']);
  });

  it('English questions get an English answer', () => {
    expect(answerLanguage(findQuestions('What is the channel name?', facts))).toBe('en');
  });
});
