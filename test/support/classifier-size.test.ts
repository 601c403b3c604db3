import { describe, expect, it } from 'vitest';
import { CLASSIFIED_TEXT_LIMIT, classifyReply } from '../../src/support/classifier.ts';
import { detectAutoReply } from '../../src/support/auto-reply.ts';
import type { TicketFacts } from '../../src/core/ticket-facts.ts';
import { expectLinearGrowth } from '../core/linear-growth.ts';

const FACTS: TicketFacts = {
  ref: 'DRILL-7f3a9c',
  identifiers: ['drill-7f3a9c', '1001', '1002'],
  times: ['14:03:12'],
  numbers: ['10.2 s'],
  providedInfo: ['sdk-version', 'browser', 'channel', 'uid', 'timestamps', 'logs'],
};

/** Log lines as vendors paste them: none ends a sentence, so they all unwrap into one paragraph. */
function pastedLogs(size: number, separator = '\n'): string {
  const lines: string[] = [];
  for (let i = 0, length = 0; length < size; i++) {
    const line = `2026-11-29 14:03:${String(i % 60).padStart(2, '0')} uid ${1001 + (i % 3)} sendBitrate ${300 + (i % 97)} kbps fps ${i % 31}`;
    lines.push(line);
    length += line.length + 1;
  }
  return `Hello,\n\nhere is what our logs show:\n\n${lines.join(separator)}\n`;
}

const reasonsOf = (text: string) => classifyReply({ text, facts: FACTS }).reasons;

describe('the size of what is classified', () => {
  it('is 64 KB of the reply’s own text', () => {
    expect(CLASSIFIED_TEXT_LIMIT).toBe(64 * 1024);
  });

  it('reads only the first 64 KB of a longer reply, and says so', () => {
    const filler = 'Please clear your browser cache and try again.\n'.repeat(Math.ceil((CLASSIFIED_TEXT_LIMIT + 1024) / 47));
    const result = classifyReply({ text: `${filler}\nThe root cause was a bug in the edge node; we fixed it in release 4.24.1.`, facts: FACTS });
    expect(result.kind).toBe('canned');
    expect(result.reasons.at(-1)).toBe(`text cut at 64 KB: only the first 64 KB of the reply's own 66 KB were classified`);
  });

  it('classifies what is within the limit as before and adds no note', () => {
    const text = 'The root cause was a bug in the edge node; we fixed it in release 4.24.1.';
    expect(classifyReply({ text, facts: FACTS }).kind).toBe('resolution');
    expect(reasonsOf(text).join('\n')).not.toContain('text cut');
  });

  it('measures the limit after removing quoted history and the signature', () => {
    const history = `On Sat, 29 Nov 2026 at 14:05, Drill <d@x.example> wrote:\n${'> froze at 14:03:12 for 10.2 s\n'.repeat(10_000)}`;
    const signature = `-- \n${'Alex | Agora Support | https://agora.example\n'.repeat(5_000)}`;
    const reasons = reasonsOf(`We fixed it: the root cause was the edge node in Frankfurt.\n${signature}\n${history}`);
    expect(reasons.join('\n')).not.toContain('text cut');
  });

  it('does not cut a character in half', () => {
    const text = `${'a'.repeat(CLASSIFIED_TEXT_LIMIT - 1)}😀 tail`;
    const reasons = reasonsOf(text);
    expect(reasons.join('\n')).toContain('text cut at 64 KB');
    expect(reasons.join('\n')).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/u);
  });

  it('reads the whole text when the sender signals already decide, and does not claim a cut', () => {
    const result = classifyReply({ text: 'x'.repeat(CLASSIFIED_TEXT_LIMIT * 2), headers: { 'auto-submitted': 'auto-replied' } });
    expect(result.kind).toBe('auto');
    expect(result.reasons.join('\n')).not.toContain('text cut');
  });
});

describe('classifyReply takes time linear in the size of the reply', () => {
  it('on short lines that unwrap into one growing paragraph', () => {
    expectLinearGrowth((text) => classifyReply({ text, facts: FACTS }), pastedLogs(100 * 1024), pastedLogs(1024 * 1024));
  });

  it('on one long line', () => {
    expectLinearGrowth((text) => classifyReply({ text, facts: FACTS }), pastedLogs(100 * 1024, ' '), pastedLogs(1024 * 1024, ' '));
  });

  // Within the limit, so this measures the reading itself rather than the cut.
  it('on replies within the limit', () => {
    expectLinearGrowth((text) => classifyReply({ text, facts: FACTS }), pastedLogs(6 * 1024), pastedLogs(60 * 1024));
  });
});

// A pattern with two quantifiers that can share the same characters (`\s*X?\s*`) tries every split of
// a run of them: a long run of spaces after "your request" takes seconds. Linear matching takes well
// under a millisecond here, so the budget below is loose on any machine.
const BUDGET_MS = 250;

function elapsedMs(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

describe('no pattern backtracks over a long run of one character', () => {
  it.each([
    ['spaces after an acknowledgement opening', `Your request${' '.repeat(30_000)}x`],
    ['spaces after a ticket number label', `Your ticket number is${' '.repeat(30_000)}!`],
    ['spaces after "uid"', `We checked the data of uid${' '.repeat(30_000)}x`],
    ['spaces after "error"', `We checked the logs: error${' '.repeat(30_000)}x`],
    ['a run of digits without a unit', `We checked the data: ${'1'.repeat(20_000)}x`],
    ['spaces after a ticket number in parentheses', `Your request (${' '.repeat(30_000)}x`],
    ['spaces after a status notification opening', `Your ticket #5521${' '.repeat(30_000)}x`],
  ])('%s', (_, text) => {
    classifyReply({ text: 'warm up', facts: FACTS });
    expect(elapsedMs(() => classifyReply({ text, facts: FACTS }))).toBeLessThan(BUDGET_MS);
  });

  it('spaces in a subject after "your request"', () => {
    expect(elapsedMs(() => detectAutoReply({ subject: `your request${' '.repeat(30_000)}x` }))).toBeLessThan(BUDGET_MS);
  });
});
