import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * A duration as users write it: `'500ms'`, `'12s'`, `'2m'`, `'1h'`, `'3d'`, or combined (`'1h30m'`).
 * Bare numbers are refused because `10` could mean seconds or milliseconds.
 */
export type Duration = `${number}${'ms' | 's' | 'm' | 'h' | 'd'}` | (string & {});

/** Milliseconds in a duration string, or `undefined` when it is not one. */
export function tryParseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < trimmed.length) {
    const start = PART.lastIndex;
    const match = PART.exec(trimmed);
    if (!match || match.index !== start) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

export function parseDuration(text: string): number {
  const ms = tryParseDuration(text);
  if (ms === undefined) throw new Error(`'${text}' is not a duration; write it like '500ms', '12s', '2m', '1h' or '1h30m'`);
  return ms;
}

/** A zod schema that accepts a duration string and yields milliseconds. */
export const durationMs = z.string({ error: "expected a duration like '500ms', '12s', '2m' or '1h'" }).transform((text, ctx) => {
  const ms = tryParseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like '500ms', '12s', '2m' or '1h', got '${text}'` });
    return z.NEVER;
  }
  return ms;
});

/** Human form of a number of milliseconds: `850 ms`, `12.3 s`, `4 min 05 s`, `1 h 12 min`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  if (abs < 3_600_000) {
    const m = Math.floor(abs / 60_000);
    const s = Math.floor((abs % 60_000) / 1000);
    return `${sign}${m} min ${String(s).padStart(2, '0')} s`;
  }
  if (abs < 86_400_000) {
    const h = Math.floor(abs / 3_600_000);
    const m = Math.floor((abs % 3_600_000) / 60_000);
    return `${sign}${h} h ${String(m).padStart(2, '0')} min`;
  }
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  return `${sign}${d} d ${h} h`;
}
