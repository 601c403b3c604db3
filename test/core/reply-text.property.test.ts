import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractReplyText, stripQuotedHistory, stripSignature } from '../../src/core/reply-text.ts';
import { expectLinearGrowth } from './linear-growth.ts';

// Every kind of line a rule of the reader looks at, so random mixes reach every branch.
const MARKER_LINES = [
  'On Sat, 29 Nov 2026 at 14:05, Drill <d@x.example> wrote:',
  'On Sat, 29 Nov 2026 at 14:05, Drill Bot <drills@school.example>',
  'wrote:',
  '-----Original Message-----',
  '------------------ 原始邮件 ------------------',
  'Begin forwarded message:',
  'From: Drill Bot <drills@school.example>',
  '*From:* Drill Bot',
  'Sent: Saturday, November 29, 2026 2:05 PM',
  'To: Support',
  'Subject: froze',
  '发件人：Drill Bot',
  '发送时间：2026年11月29日',
  '在 2026年11月29日 14:05，Drill Bot <drills@school.example> 写道：',
  '________________________________',
  '> froze at 14:03:12',
  '>> older quote',
  '##- Please type your reply above this line -##',
  '##- 请在此行上方回复 -##',
  '-- ',
  '--',
  'Sent from my iPhone',
  '发自我的iPhone',
  'Best regards,',
  'Thanks,',
  '此致',
  '谢谢！',
  'Alex',
  'Agora Support | https://agora.example',
  '',
  '   ',
  '\u00a0\u3000',
  'Please restart the app.',
  'We checked channel drill-7f3a9c at 14:03 and uid 1001 dropped to 0 fps.',
];

const line = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...MARKER_LINES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 15 }) },
);
const mixedReply = fc
  .tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, eol]) => lines.join(eol));
const anyText = fc.oneof(mixedReply, fc.string({ unit: 'binary', maxLength: 200 }));

/** The input's lines as the reader sees them (line ends and wide spaces normalized), trimmed. */
function inputLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u3000]/g, ' ')
    .split('\n')
    .map((l) => l.trim());
}

/** Whether every line of `part` is a line of `whole`, in the same order. */
function isOrderedSubset(part: string, whole: string): boolean {
  if (part === '') return true;
  const source = inputLines(whole);
  let at = 0;
  for (const l of part.split('\n').map((x) => x.trim())) {
    while (at < source.length && source[at] !== l) at++;
    if (at === source.length) return false;
    at++;
  }
  return true;
}

/** Whether every line of `part` is some line of `whole` (in any order). */
function isLineSubset(part: string, whole: string): boolean {
  if (part === '') return true;
  const source = new Set(inputLines(whole));
  return part.split('\n').every((l) => source.has(l.trim()));
}

/** What every output of the reader looks like: trimmed, no CR, no runs of blank lines. */
function isTidy(text: string): boolean {
  return text === text.trim() && !text.includes('\r') && !text.includes('\n\n\n') && !/[\u00a0\u3000]/.test(text);
}

describe('the reply reader on arbitrary text', () => {
  it('never throws and always returns tidy strings', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const reply = extractReplyText(text);
        const history = stripQuotedHistory(text);
        const signed = stripSignature(text);
        for (const part of [reply.body, reply.quoted, reply.signature, history.body, history.quoted, signed.body, signed.signature]) {
          expect(typeof part).toBe('string');
          expect(isTidy(part)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('takes every line of the body from the input, in order, and every removed line too', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const reply = extractReplyText(text);
        expect(isOrderedSubset(reply.body, text)).toBe(true);
        expect(isLineSubset(reply.quoted, text)).toBe(true);
        expect(isLineSubset(reply.signature, text)).toBe(true);
        const history = stripQuotedHistory(text);
        expect(isOrderedSubset(history.body, text)).toBe(true);
        expect(isOrderedSubset(history.quoted, text) || isLineSubset(history.quoted, text)).toBe(true);
        const signed = stripSignature(text);
        expect(isOrderedSubset(signed.body, text)).toBe(true);
        expect(isOrderedSubset(signed.signature, text)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps no quoted line and no reply-above-this-line marker in the body', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const body of [extractReplyText(text).body, stripQuotedHistory(text).body]) {
          for (const l of body.split('\n')) {
            expect(l).not.toMatch(/^\s*>/);
            expect(l).not.toMatch(/^\s*##-.*-##\s*$/);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  // A closing formula counts only near the end, and cutting one moves the end; every other cut is final.
  it('finds no signature left in a body it split at the delimiter or a mobile footer, or left whole', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { body, signature } = stripSignature(text);
        if (signature !== '' && !/^(--|sent from|get outlook|发自|来自|从我的)/iu.test(signature)) return;
        expect(stripSignature(body)).toEqual({ body, signature: '' });
      }),
      { numRuns: 500 },
    );
  });
});

// A reply as people write them: their own words, then perhaps a signature, then perhaps history.
const PROSE = [
  'We checked the logs of channel drill-7f3a9c.',
  'The teacher (uid 1001) lost the uplink at 14:03:12 for 10.2 s',
  'and the edge node in Frankfurt restarted at that time',
  'Could you tell us which network the teacher was on?',
  '我们查看了频道 drill-7f3a9c 的日志。',
  '老师端在14:03上行中断',
  '',
];
const SIGNATURES = ['', '-- \nAlex | Agora Support', 'Best regards,\nAlex\nAgora Support', '谢谢\n声网技术支持', 'Sent from my iPhone'];
const HISTORIES = [
  '',
  'On Sat, 29 Nov 2026 at 14:05, Drill <d@x.example> wrote:\n> froze at 14:03:12\n> channel drill-7f3a9c',
  '-----Original Message-----\nFrom: Drill\nSent: Saturday\nfroze at 14:03:12',
  '在 2026年11月29日 14:05，Drill Bot 写道：\n老师视频冻结',
];
const ownWords = fc
  .array(fc.constantFrom(...PROSE), { minLength: 1, maxLength: 12 })
  .map((ls) => ls.join('\n'))
  .filter((own) => own.trim() !== '');
const wellFormed = fc.tuple(ownWords, fc.constantFrom(...SIGNATURES), fc.constantFrom(...HISTORIES));

function tidy(text: string): string {
  return text.replace(/\n{3,}/g, '\n\n').trim();
}

describe('the reply reader on well-formed replies', () => {
  it('returns exactly the own words, and reading them again changes nothing', () => {
    fc.assert(
      fc.property(wellFormed, ([own, signature, history]) => {
        const text = [own, signature, history].filter((p) => p !== '').join('\n\n');
        const reply = extractReplyText(text);
        expect(reply.body).toBe(tidy(own));
        expect(reply.signature).toBe(tidy(signature));
        expect(extractReplyText(reply.body)).toEqual({ body: reply.body, quoted: '', signature: '' });
        expect(stripQuotedHistory(reply.body).body).toBe(reply.body);
        expect(stripSignature(reply.body).body).toBe(reply.body);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the quoted history in reading order', () => {
    const { quoted } = stripQuotedHistory('> first question\nmy answer\n> second question\nmy other answer\n\nOn Sat, Drill wrote:\n> the ticket');
    expect(quoted).toBe('> first question\n> second question\nOn Sat, Drill wrote:\n> the ticket');
  });
});

/** Sizes in bytes of the two inputs the growth checks compare: large enough to measure. */
const SMALL = 100 * 1024;
const LARGE = 10 * SMALL;

function repeatTo(size: number, unit: string): string {
  return unit.repeat(Math.ceil(size / unit.length));
}

// Each shape feeds one rule of the reader a lot of what it scans: if a rule rescans the rest of
// the text (or a line) for every line it looks at, ten times the input takes a hundred times as long.
const SHAPES: Record<string, (size: number) => string> = {
  'short lines': (size) => repeatTo(size, 'we checked the logs at 14:03\n'),
  'one long line': (size) => repeatTo(size, 'we checked the logs at 14:03 '),
  'quoted lines': (size) => repeatTo(size, '> ok\n'),
  'interleaved quotes': (size) => repeatTo(size, '> which uid froze?\nthe teacher, uid 1001\n'),
  'rules not followed by a header': (size) => repeatTo(size, '__________\nnot a header\n\n'),
  'a long line that looks like a marker': (size) => `${repeatTo(size * 0.9, 'text\n')}##- ${repeatTo(size * 0.1, 'reply above this line ')}`,
  'blank lines': (size) => `Thanks,\n${'\n'.repeat(size)}Alex`,
};

describe('the reply reader takes time linear in the size of the reply', () => {
  it.each(Object.keys(SHAPES))('%s', (shape) => {
    const make = SHAPES[shape]!;
    expectLinearGrowth((text) => extractReplyText(text), make(SMALL), make(LARGE));
  });
});
