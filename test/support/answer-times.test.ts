import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeAnswer, type AnswerLanguage } from '../../src/support/answer.ts';
import { findQuestions } from '../../src/support/questions.ts';
import { VendorClock } from '../../src/support/ticket-clock.ts';
import type { RunResult } from '../../src/core/run-result.ts';

const FIXTURE: RunResult = JSON.parse(readFileSync(new URL('../fixtures/run-result.json', import.meta.url), 'utf8'));

const ASKED: Record<AnswerLanguage, { when: string; again: string }> = {
  en: { when: 'At what time exactly did the freeze start, and in which timezone?', again: 'Can you reproduce it with debug logging enabled?' },
  zh: { when: '卡顿具体是几点开始的（哪个时区）？', again: '能否开启调试日志后再复现一次？' },
};

function answer(timezone: string, language: AnswerLanguage, ask: 'when' | 'again', result: RunResult = FIXTURE): string {
  const body = composeAnswer({
    questions: findQuestions(ASKED[language][ask]),
    result,
    ticket: { ref: 'DRILL-429c7b' },
    vendorTimezone: timezone,
    language,
    evidence: [],
    rerun: ask === 'again',
  }).body;
  expect(body).not.toBe('');
  return body;
}

/** The answer's lines that give times: the run line and one line per fault, freeze and the class. */
const timeLines = (body: string) => body.split('\n').filter((line) => /\d\d:\d\d:\d\d/.test(line));

/** Each time of day a line writes, to the second: one instant written twice shows up twice. */
const clockReadings = (line: string) => line.match(/\d\d:\d\d:\d\d/g) ?? [];

/** The run with every instant moved by `ms`. */
function shifted(result: RunResult, ms: number): RunResult {
  const move = (iso: string) => new Date(Date.parse(iso) + ms).toISOString();
  const moveOrNull = (iso: string | null) => (iso === null ? null : move(iso));
  return {
    ...result,
    startedAt: move(result.startedAt),
    inSessionAt: move(result.inSessionAt),
    endedAt: move(result.endedAt),
    faults: result.faults.map((f) => ({ ...f, startedAt: move(f.startedAt), endedAt: moveOrNull(f.endedAt) })),
    freezes: result.freezes.map((f) => ({ ...f, startedAt: move(f.startedAt), detectedAt: move(f.detectedAt), endedAt: moveOrNull(f.endedAt) })),
  };
}

describe.each(['en', 'zh'] as const)('times in an answer (%s)', (language) => {
  it('a vendor on UTC gets each time once, in UTC', () => {
    for (const ask of ['when', 'again'] as const) {
      const body = answer('UTC', language, ask);
      expect(body).not.toContain('UTC+00:00');
      expect(body).not.toContain('(UTC,');
      for (const line of timeLines(body)) expect(new Set(clockReadings(line)).size, line).toBe(clockReadings(line).length);
    }
    const body = answer('UTC', language, 'when');
    for (const f of FIXTURE.freezes) expect(body.split(new VendorClock('UTC').preciseUtc(Date.parse(f.startedAt)))).toHaveLength(2);
    expect(body).toContain(language === 'en' ? 'All times in UTC:' : '以下时间均为 UTC 时间：');
    expect(body).not.toMatch(/and in UTC|并附 UTC/);
  });

  it('any name of UTC reads as UTC', () => {
    expect(answer('Etc/UTC', language, 'when')).toBe(answer('UTC', language, 'when'));
  });

  it.each(['Asia/Shanghai', 'America/New_York'])('a vendor on %s gets its local time with its zone, and UTC once', (timezone) => {
    const clock = new VendorClock(timezone);
    const body = answer(timezone, language, 'when');
    for (const f of FIXTURE.freezes) {
      const start = Date.parse(f.startedAt);
      expect(body).toContain(clock.long(start));
      expect(body.split(clock.preciseUtc(start))).toHaveLength(2);
    }
    for (const line of timeLines(body)) expect(new Set(clockReadings(line)).size, line).toBe(clockReadings(line).length);
    expect(body).toContain(language === 'en' ? `All times in ${timezone} and in UTC:` : `以下时间均为 ${timezone} 时间，并附 UTC 时间：`);
    const rerun = answer(timezone, language, 'again');
    const inSession = Date.parse(FIXTURE.inSessionAt);
    expect(rerun).toContain(clock.long(inSession));
    expect(rerun.split(clock.utc(inSession))).toHaveLength(2);
  });

  it('a zone at offset 0 that is not UTC by name writes UTC once and names the zone', () => {
    // 29 November: London is on GMT.
    const body = answer('Europe/London', language, 'when');
    expect(body).not.toContain('UTC+00:00');
    expect(body).toContain(language === 'en' ? 'All times in UTC (also Europe/London time):' : '以下时间均为 UTC 时间（也是 Europe/London 时间）：');
    for (const line of timeLines(body)) expect(new Set(clockReadings(line)).size, line).toBe(clockReadings(line).length);
    expect(answer('Europe/London', language, 'again')).toContain(language === 'en' ? '05:12:50 UTC (also Europe/London time)' : '05:12:50 UTC（也是 Europe/London 时间）');
  });

  it('a class across a clock change gives every time both readings, so none at offset 0 reads as UTC alone', () => {
    // London goes to BST at 01:00 UTC on 29 March 2026: the class is in session just before it, the freeze after.
    const acrossChange = shifted(FIXTURE, Date.parse('2026-03-29T00:59:50.751Z') - Date.parse(FIXTURE.inSessionAt));
    const body = answer('Europe/London', language, 'when', acrossChange);
    expect(body).toContain('(Europe/London, UTC+00:00)');
    expect(body).toContain('(Europe/London, UTC+01:00)');
    expect(body).toContain(language === 'en' ? 'All times in Europe/London and in UTC:' : '以下时间均为 Europe/London 时间，并附 UTC 时间：');
  });
});
