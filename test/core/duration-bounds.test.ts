import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { durationMs, formatMs, MAX_DURATION_MS, parseDuration, positiveDurationMs, tryParseDuration } from '../../src/core/duration.ts';

const DAY = 86_400_000;

function issueOf(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues.map((i) => i.message).join('; ');
}

describe('tryParseDuration bounds', () => {
  it.each([
    ['18 nines of days', '999999999999999999d'],
    ['400 nines of seconds (Infinity)', `${'9'.repeat(400)}s`],
    ['just over 2^53 ms in days', '104249991375d'],
    ['an exponent', '1e3s'],
    ['Infinity', 'Infinityms'],
    ['NaN', 'NaNs'],
  ])('refuses %s', (_, text) => {
    expect(tryParseDuration(text)).toBeUndefined();
  });

  it('accepts the largest whole number of milliseconds it can compute with exactly', () => {
    expect(tryParseDuration(`${Number.MAX_SAFE_INTEGER}ms`)).toBe(Number.MAX_SAFE_INTEGER);
    expect(tryParseDuration(`${Number.MAX_SAFE_INTEGER + 1}ms`)).toBeUndefined();
  });

  it('still reads 0s, which is a legitimate time for a fault to start', () => {
    expect(tryParseDuration('0s')).toBe(0);
  });
});

describe('parseDuration bounds', () => {
  it('says a duration is too large to compute with, not that it is not a duration', () => {
    expect(() => parseDuration('999999999999999999d')).toThrow(
      "[supportdrill] [duration] '999999999999999999d' is too large to compute with; durations go up to 104249991d",
    );
  });
});

describe('durationMs', () => {
  it('allows up to 366 days', () => {
    expect(MAX_DURATION_MS).toBe(366 * DAY);
    expect(durationMs.parse('366d')).toBe(366 * DAY);
    expect(durationMs.parse('365d23h59m59s999ms')).toBe(366 * DAY - 1);
  });

  it.each([
    ['366d1ms', '366d1ms'],
    ['367d', '367d'],
    ['9000h', '9000h'],
    ['18 nines of days', '999999999999999999d'],
    ['400 nines of seconds (Infinity)', `${'9'.repeat(400)}s`],
  ])('refuses %s as over the maximum', (_, text) => {
    expect(issueOf(durationMs, text)).toBe(`expected a duration of at most 366d, got '${text}'`);
  });

  it('still accepts 0s (a fault at the very start of the class)', () => {
    expect(durationMs.parse('0s')).toBe(0);
  });

  it('keeps its message for what is not a duration at all', () => {
    expect(issueOf(durationMs, '10')).toBe("expected a duration like '500ms', '12s', '2m' or '1h', got '10'");
    expect(issueOf(durationMs, 10)).toBe("expected a duration like '500ms', '12s', '2m' or '1h'");
  });
});

describe('positiveDurationMs', () => {
  it.each(['0s', '0ms', '0d0h', '0.4ms'])('refuses %j', (text) => {
    expect(issueOf(positiveDurationMs, text)).toBe(`expected a duration longer than 0, got '${text}'`);
  });

  it('accepts what durationMs accepts above 0, and the same maximum', () => {
    expect(positiveDurationMs.parse('1ms')).toBe(1);
    expect(positiveDurationMs.parse('2m')).toBe(120_000);
    expect(issueOf(positiveDurationMs, '367d')).toBe("expected a duration of at most 366d, got '367d'");
    expect(issueOf(positiveDurationMs, 'soon')).toBe("expected a duration like '500ms', '12s', '2m' or '1h', got 'soon'");
  });

  it('composes like durationMs (optional, default)', () => {
    const schema = z.object({ every: positiveDurationMs.optional(), wait: positiveDurationMs.default(5_000) });
    expect(schema.parse({})).toEqual({ every: undefined, wait: 5_000 });
    expect(schema.parse({ every: '1m', wait: '2s' })).toEqual({ every: 60_000, wait: 2_000 });
  });
});

describe('formatMs on what is not a finite number', () => {
  it.each([Infinity, -Infinity, NaN])('writes %d as a dash', (ms) => {
    expect(formatMs(ms)).toBe('—');
  });
});
