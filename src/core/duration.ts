import { z } from 'zod';
import { prefixed, UserError } from './errors.ts';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * A duration as users write it: `'500ms'`, `'12s'`, `'2m'`, `'1h'`, `'3d'`, or combined (`'1h30m'`).
 * Bare numbers are refused because `10` could mean seconds or milliseconds.
 */
export type Duration = `${number}${'ms' | 's' | 'm' | 'h' | 'd'}` | (string & {});

const DAY_MS = UNIT_MS.d;

/**
 * The longest duration a drill or config file may give: 366 days, a year with room for a leap day.
 * Nothing supportdrill times (a class, a poll, a watch, an SLA target) comes near it, and every
 * date computed from it (`Date.now() + ms`) stays a valid date; a typo of a few extra digits is
 * refused here, where the file and field can be named, instead of crashing a run later.
 */
export const MAX_DURATION_MS = 366 * DAY_MS;

/**
 * The duration's total in milliseconds, which may be too large to compute with (`Infinity` or
 * beyond 2^53), or `undefined` when the text is not written as a duration.
 */
function durationTotal(text: string): number | undefined {
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

/**
 * Milliseconds in a duration string, or `undefined` when it is not one or its total is not a safe
 * integer (beyond about 285 000 years, where milliseconds no longer add up exactly).
 */
export function tryParseDuration(text: string): number | undefined {
  const ms = durationTotal(text);
  return ms !== undefined && Number.isSafeInteger(ms) ? ms : undefined;
}

export function parseDuration(text: string): number {
  const total = durationTotal(text);
  if (total === undefined) {
    throw new UserError(prefixed('duration', `'${text}' is not a duration; write it like '500ms', '12s', '2m', '1h' or '1h30m'`));
  }
  if (!Number.isSafeInteger(total)) {
    const days = Math.floor(Number.MAX_SAFE_INTEGER / DAY_MS);
    throw new UserError(prefixed('duration', `'${text}' is too large to compute with; durations go up to ${days}d`));
  }
  return total;
}

const DURATION_EXAMPLES = "'500ms', '12s', '2m' or '1h'";

/** A duration schema refusing what is not a duration, what exceeds MAX_DURATION_MS, and below `min`. */
function durationSchema(min: { ms: number; message: (text: string) => string } | undefined) {
  return z.string({ error: `expected a duration like ${DURATION_EXAMPLES}` }).transform((text, ctx) => {
    const ms = durationTotal(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a duration like ${DURATION_EXAMPLES}, got '${text}'` });
      return z.NEVER;
    }
    // `!(ms <= max)` also refuses a total that overflowed to Infinity.
    if (!(ms <= MAX_DURATION_MS)) {
      ctx.addIssue({ code: 'custom', message: `expected a duration of at most ${MAX_DURATION_MS / DAY_MS}d, got '${text}'` });
      return z.NEVER;
    }
    if (min && ms < min.ms) {
      ctx.addIssue({ code: 'custom', message: min.message(text) });
      return z.NEVER;
    }
    return ms;
  });
}

/**
 * A zod schema that accepts a duration string of at most MAX_DURATION_MS and yields milliseconds.
 * Zero is allowed: a fault `at: '0s'` starts with the class.
 */
export const durationMs = durationSchema(undefined);

/** Like `durationMs`, but refuses zero: for what must last or wait (a class, a poll interval, a timeout). */
export const positiveDurationMs = durationSchema({ ms: 1, message: (text) => `expected a duration longer than 0, got '${text}'` });

/** Human form of a number of milliseconds: `850 ms`, `12.3 s`, `4 min 05 s`, `1 h 12 min`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
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
