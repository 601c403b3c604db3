import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHelpDeskNotification, parseCommentDate, relayedComment, solvedNotice, vendorTicketNumber } from '../../src/vendors/email-reply.ts';

// What notifications are made of, so that random mixes reach every rule of the parser.
const NOTIFICATION_LINES = [
  '##- Please type your reply above this line -##',
  '##- 请在此行上方回复 -##',
  'Your request (5521) has been updated.',
  'Your request 5521 has been solved.',
  '您的工单 5521 已解决',
  'Alex Chen (Acme Support)',
  'Nov 29, 2026, 18:58:07 GMT+8',
  'November 29, 2026 at 6:58:07 PM UTC',
  '2026-11-29 18:58:07 +08:00',
  '2026年11月29日 18:58 (GMT+8)',
  'Nov 29, 2026, 18:58',
  '----------------------------------------------',
  'We fixed the edge node; please try again.',
  'Ticket #88231 was created for you.',
  '工单编号：20261129-0042',
  '> quoted',
  '',
];
const notificationLine = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NOTIFICATION_LINES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);
const notification = fc
  .tuple(fc.array(notificationLine, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'))
  .map(([lines, eol]) => lines.join(eol));
const anyText = fc.oneof(notification, fc.string({ unit: 'binary', maxLength: 300 }));

// Date lines with every field in and just out of range, every zone spelling and stray padding.
const pad = fc.constantFrom('', ' ', '  ', '\t');
const two = (n: number) => String(n).padStart(2, '0');
const zone = fc.constantFrom('', ' Z', ' UTC', ' GMT', ' GMT+8', ' (GMT+8)', ' +08:00', ' -0530', ' +99:99', ' UTC-12', ' (UTC)');
const dateLine = fc
  .record({
    y: fc.integer({ min: 0, max: 9999 }),
    mo: fc.integer({ min: 0, max: 13 }),
    d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 61 }),
    s: fc.integer({ min: 0, max: 61 }),
    shape: fc.constantFrom('iso', 'named', 'cjk'),
    zone,
    before: pad,
    after: pad,
  })
  .map(({ y, mo, d, h, mi, s, shape, zone, before, after }) => {
    const year = String(y).padStart(4, '0');
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Foo'][mo % 13];
    const body =
      shape === 'iso'
        ? `${year}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}:${two(s)}`
        : shape === 'named'
          ? `${month} ${d}, ${year}, ${h}:${two(mi)}:${two(s)}${h < 13 ? ' PM' : ''}`
          : `${year}年${mo}月${d}日 ${h}:${two(mi)}`;
    return `${before}${body}${zone}${after}`;
  });

describe('the e-mail reply parser on arbitrary text', () => {
  it('parseCommentDate never throws and never returns an Invalid Date', () => {
    fc.assert(
      fc.property(fc.oneof(dateLine, fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom(...NOTIFICATION_LINES)), (line) => {
        const date = parseCommentDate(line);
        if (date instanceof Date) expect(Number.isNaN(date.getTime())).toBe(false);
        else expect(date === null || date === undefined).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('vendorTicketNumber never throws and only returns a number written in the input', () => {
    fc.assert(
      fc.property(anyText, fc.option(anyText, { nil: undefined }), (text, subject) => {
        const number = vendorTicketNumber({ text, subject });
        if (number === undefined) return;
        expect(`${subject ?? ''}\n${text}`.toLowerCase()).toContain(number.toLowerCase());
        expect((number.match(/\d/g) ?? []).length).toBeGreaterThanOrEqual(3);
      }),
      { numRuns: 500 },
    );
  });

  it('relayedComment never throws, and a comment it finds has text and a valid time', () => {
    fc.assert(
      fc.property(anyText, fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), (text, ourNames) => {
        const comment = relayedComment(text, ourNames);
        if (comment === undefined) return;
        expect(comment.text.trim()).not.toBe('');
        if (comment.at) expect(Number.isNaN(comment.at.getTime())).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('solvedNotice and isHelpDeskNotification never throw', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect([undefined, 'solved', 'closed']).toContain(solvedNotice(text));
        expect(typeof isHelpDeskNotification(text)).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

// Patterns like `\s*X?\s*Y?\s*$` try every way of sharing a run of spaces between the `\s*`: a few
// hundred spaces take seconds to minutes. Linear matching takes microseconds, so the budget is loose.
const BUDGET_MS = 250;

function elapsedMs(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

describe('no pattern backtracks over a long run of spaces', () => {
  it.each([
    ['an ISO date line', `2026-11-29 13:20${' '.repeat(100)}|`],
    ['a named date line', `Nov 29, 2026, 13:20${' '.repeat(70)}|`],
    ['a Chinese date line', `2026年11月29日 13:20${' '.repeat(200)}|`],
  ])('parseCommentDate on %s padded with spaces and then text', (_, line) => {
    expect(elapsedMs(() => expect(parseCommentDate(line)).toBeUndefined())).toBeLessThan(BUDGET_MS);
  });

  // Large enough that a pattern still quadratic in the run takes seconds.
  it.each([
    ['an ISO date line', `2026-11-29 13:20${' '.repeat(40_000)}|`],
    ['an ISO date line with a zone in parentheses', `2026-11-29 13:20 (${' '.repeat(40_000)}|`],
    ['a named date line', `Nov 29, 2026, 13:20${' '.repeat(40_000)}|`],
    ['a named date line with a meridiem', `Nov 29, 2026, 1:20 PM${' '.repeat(40_000)}|`],
    ['a Chinese date line', `2026年11月29日 13:20${' '.repeat(40_000)}|`],
  ])('parseCommentDate on %s padded with 40 000 spaces and then text', (_, line) => {
    expect(elapsedMs(() => expect(parseCommentDate(line)).toBeUndefined())).toBeLessThan(BUDGET_MS);
  });

  it('still reads a date line padded with spaces at the end', () => {
    expect(parseCommentDate(`2026-11-29 13:20 UTC${' '.repeat(10_000)}`)?.toISOString()).toBe('2026-11-29T13:20:00.000Z');
  });

  it.each([
    ['a subject', { subject: `ticket${' '.repeat(120)}x` }],
    ['a Chinese subject', { subject: `工单${' '.repeat(300)}x` }],
    ['the text', { text: `Your ticket${' '.repeat(120)}x` }],
    ['a subject, 40 000 spaces', { subject: `ticket #${' '.repeat(40_000)}x` }],
    ['a Chinese subject, 40 000 spaces', { subject: `工单编号：${' '.repeat(40_000)}x` }],
  ])('vendorTicketNumber on %s with spaces after the label', (_, input) => {
    expect(elapsedMs(() => expect(vendorTicketNumber(input)).toBeUndefined())).toBeLessThan(BUDGET_MS);
  });

  it('isHelpDeskNotification on many blank lines', () => {
    expect(elapsedMs(() => expect(isHelpDeskNotification(`${'\n'.repeat(40_000)}x`)).toBe(false))).toBeLessThan(BUDGET_MS);
  });

  it('isHelpDeskNotification on a long line that looks like the marker', () => {
    const line = `##- ${'reply above this line '.repeat(5_000)}`;
    expect(elapsedMs(() => expect(isHelpDeskNotification(line)).toBe(false))).toBeLessThan(BUDGET_MS);
    expect(isHelpDeskNotification(`${line}-##`)).toBe(true);
  });
});
