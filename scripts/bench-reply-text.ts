/**
 * `npm run bench:reply-text` — how the time to read one vendor reply grows with its size.
 *
 * Times extractReplyText (quoted history and signature removed) and classifyReply (the whole
 * verdict) on 10 KB, 100 KB, 300 KB and 1 MB replies, built two ways: short lines (a vendor pasting
 * log lines, none ending a sentence, so they all unwrap into one paragraph) and the same text on
 * one long line. Prints the median of 3 runs per cell. Everything here runs on the service's event
 * loop, so a cell in seconds is a frozen service. A script, not a test: the times depend on the
 * machine; the tests check how they grow (test/core/linear-growth.ts).
 *
 *   npm run bench:reply-text                    all sizes
 *   npm run bench:reply-text -- --sizes 10,100  sizes in KB
 *   npm run bench:reply-text -- --give-up 20    one run only for a cell whose first run takes longer (s)
 */
import { parseArgs } from 'node:util';
import { extractReplyText } from '../src/core/reply-text.ts';
import { classifyReply } from '../src/support/classifier.ts';
import type { TicketFacts } from '../src/core/ticket-facts.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,100,300,1024' },
    'give-up': { type: 'string', default: '20' },
  },
});
const SIZES_KB = values.sizes.split(',').map(Number);
const GIVE_UP_MS = Number(values['give-up']) * 1000;
const RUNS = 3;

const FACTS: TicketFacts = {
  ref: 'DRILL-7f3a9c',
  identifiers: ['drill-7f3a9c', '1001', '1002', '4.24.0'],
  times: ['14:03:12'],
  numbers: ['10.2 s', '3 freezes'],
  providedInfo: ['sdk-version', 'browser', 'channel', 'uid', 'timestamps', 'logs'],
};

const OPENING = 'Hello,\n\nwe checked the server side logs for your channel, here is what we see:\n\n';
const CLOSING = '\n\nBest regards,\nAlex\nAgora Support\n';

/** A log line as vendors paste them: no sentence ends on it, so the unwrapper keeps joining. */
function logLine(i: number): string {
  const second = String(i % 60).padStart(2, '0');
  return `2026-11-29 14:03:${second} uid ${1001 + (i % 3)} sendBitrate ${300 + (i % 97)} kbps fps ${i % 31} rtt ${40 + (i % 50)} ms`;
}

function reply(kb: number, shape: 'short lines' | 'one long line'): string {
  const separator = shape === 'short lines' ? '\n' : ' ';
  const lines: string[] = [];
  let size = OPENING.length + CLOSING.length;
  for (let i = 0; size < kb * 1024; i++) {
    const line = logLine(i);
    lines.push(line);
    size += line.length + 1;
  }
  return OPENING + lines.join(separator) + CLOSING;
}

/** Median of RUNS runs in ms; a single run when the first already takes longer than GIVE_UP_MS. */
function measure(run: () => unknown): { ms: number; runs: number } {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
    if (times[0]! > GIVE_UP_MS) break;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor((times.length - 1) / 2)]!, runs: times.length };
}

function format({ ms, runs }: { ms: number; runs: number }): string {
  const text = ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
  return runs < RUNS ? `${text} (1 run)` : text;
}

// Warm-up, so the first cell does not pay for compiling the regexes and the JIT.
for (let i = 0; i < 5; i++) classifyReply({ text: reply(10, 'short lines'), facts: FACTS });

const header = ['shape', 'size', 'extractReplyText', 'classifyReply'];
const rows: string[][] = [];
for (const shape of ['short lines', 'one long line'] as const) {
  for (const kb of SIZES_KB) {
    const text = reply(kb, shape);
    const extract = measure(() => extractReplyText(text));
    const classify = measure(() => classifyReply({ text, facts: FACTS }));
    const row = [shape, kb >= 1024 ? `${kb / 1024} MB` : `${kb} KB`, format(extract), format(classify)];
    rows.push(row);
    process.stderr.write(`${row.join('  ')}\n`);
  }
}

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`\nNode ${process.version}, median of ${RUNS} runs\n`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
