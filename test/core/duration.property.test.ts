import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationMs, formatMs, MAX_DURATION_MS, parseDuration, positiveDurationMs, tryParseDuration } from '../../src/core/duration.ts';

const UNITS = ['ms', 's', 'm', 'h', 'd'] as const;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

// Strings close to the grammar (digits, units, dots, signs, spaces) find its edges far more often
// than arbitrary text; arbitrary text checks that nothing else throws.
const durationish = fc
  .array(fc.constantFrom('0', '1', '9', '12', '999999999999', '.', '.5', 'ms', 's', 'm', 'h', 'd', ' ', '-', '+', 'e', 'x'), { maxLength: 12 })
  .map((parts) => parts.join(''));
const anyString = fc.oneof(durationish, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 }));

const parts = fc.array(fc.tuple(fc.nat({ max: 1_000_000 }), fc.constantFrom(...UNITS)), { minLength: 1, maxLength: 5 });
const written = (ps: Array<[number, (typeof UNITS)[number]]>) => ps.map(([n, u]) => `${n}${u}`).join('');
const total = (ps: Array<[number, (typeof UNITS)[number]]>) => ps.reduce((sum, [n, u]) => sum + n * UNIT_MS[u], 0);

/** Back to the input grammar from formatMs's `4 min 05 s`: `4m05s`. */
const compact = (shown: string) => shown.replace(/(\d) (ms|s|min|h|d)\b/g, (_, digit: string, unit: string) => digit + (unit === 'min' ? 'm' : unit)).replace(/ /g, '');

/** How much formatMs rounds a value of `ms` away. */
function shownPrecision(ms: number): number {
  if (ms < 1000) return 0.5;
  if (ms < 60_000) return 50;
  if (ms < 3_600_000) return 1000;
  if (ms < 86_400_000) return 60_000;
  return 3_600_000;
}

describe('durations on arbitrary strings', () => {
  it('tryParseDuration never throws and yields undefined or a safe whole number of milliseconds ≥ 0', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const ms = tryParseDuration(text);
        if (ms === undefined) return;
        expect(Number.isSafeInteger(ms)).toBe(true);
        expect(ms).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('parseDuration agrees with tryParseDuration and throws only a readable error', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const ms = tryParseDuration(text);
        if (ms !== undefined) expect(parseDuration(text)).toBe(ms);
        else expect(() => parseDuration(text)).toThrow(/^\[supportdrill\] \[duration\] '.*' is (not a duration|too large to compute with)/su);
      }),
      { numRuns: 1000 },
    );
  });

  it('durationMs and positiveDurationMs never throw and yield only milliseconds within their bounds', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.anything()), (value) => {
        const any = durationMs.safeParse(value);
        const positive = positiveDurationMs.safeParse(value);
        if (any.success) {
          expect(Number.isSafeInteger(any.data)).toBe(true);
          expect(any.data).toBeGreaterThanOrEqual(0);
          expect(any.data).toBeLessThanOrEqual(MAX_DURATION_MS);
        }
        if (positive.success) expect(positive.data).toBeGreaterThan(0);
        expect(positive.success).toBe(any.success && any.data > 0);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('durations round trip', () => {
  it('reads back the milliseconds of any duration written in its parts', () => {
    fc.assert(
      fc.property(parts, (ps) => {
        expect(tryParseDuration(written(ps))).toBe(total(ps));
        expect(tryParseDuration(`  ${written(ps)}\t`)).toBe(total(ps));
      }),
    );
  });

  it('durationMs reads `${ms}ms` back as ms up to the maximum, and refuses it beyond', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 * MAX_DURATION_MS }), (ms) => {
        const parsed = durationMs.safeParse(`${ms}ms`);
        expect(parsed.success).toBe(ms <= MAX_DURATION_MS);
        if (parsed.success) expect(parsed.data).toBe(ms);
      }),
    );
  });

  it('reads what formatMs writes back to within what formatMs rounds away', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_DURATION_MS }), (ms) => {
        const back = tryParseDuration(compact(formatMs(ms)));
        expect(back).toBeDefined();
        expect(Math.abs(back! - ms)).toBeLessThanOrEqual(shownPrecision(ms));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatMs', () => {
  it('never throws and never writes NaN, Infinity or undefined', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.constantFrom(null, undefined)), (ms) => {
        const shown = formatMs(ms);
        expect(shown).not.toMatch(/NaN|Infinity|undefined/);
        if (typeof ms === 'number' && ms >= 0) expect(shown.startsWith('-')).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
