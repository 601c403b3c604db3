/**
 * `parseRetryAfter`: the two forms RFC 9110 allows, capped, and nothing else — whatever a desk or a
 * proxy in front of it sends.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/core/retry-after.ts';

const NOW = Date.parse('2026-11-29T06:00:00.000Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds as milliseconds', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('  120 ', NOW)).toBe(120_000);
  });

  it('caps delta-seconds at ten minutes', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(10 * 60_000);
    expect(parseRetryAfter('601', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('86400', NOW)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('refuses delta-seconds too long to be meant, rather than turning them into a date that does not exist', () => {
    expect(parseRetryAfter(`1${'0'.repeat(20)}`, NOW)).toBeUndefined();
    expect(parseRetryAfter('9'.repeat(400), NOW)).toBeUndefined();
  });

  it('reads an HTTP-date as the time until it, capped', () => {
    expect(parseRetryAfter('Sun, 29 Nov 2026 06:00:42 GMT', NOW)).toBe(42_000);
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', NOW)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('reads the two obsolete date forms recipients must still accept', () => {
    expect(parseRetryAfter('Sunday, 29-Nov-26 06:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Sun Nov 29 06:00:30 2026', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sun Nov  1 06:00:30 2026', NOW)).toBe(0);
  });

  it('a date already past means now', () => {
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', NOW)).toBe(0);
    // The year 50, not 1950, which would be a minute after this clock.
    expect(parseRetryAfter('Sat, 01 Jan 0050 00:00:00 GMT', Date.UTC(1949, 11, 31, 23, 59))).toBe(0);
  });

  it('anything else is not a Retry-After', () => {
    for (const value of [null, '', ' ', '-30', '3.5', '1e9', 'Infinity', 'NaN', '0x7fffffff', 'soon', '+5', '5 s', 'Sun, 31 Feb 2026 06:00:00 GMT', 'Sun, 29 Nov 2026 25:00:00 GMT', '2026-11-29T06:10:00Z']) {
      expect(parseRetryAfter(value, NOW), String(value)).toBeUndefined();
    }
    // Date.parse('1') is a day in 2001 to V8: a lenient date parser would read this as long past.
    expect(parseRetryAfter('1', NOW)).toBe(1000);
  });

  it('a clock that is not a number gives no answer rather than NaN', () => {
    expect(parseRetryAfter('Sun, 29 Nov 2026 06:00:42 GMT', Number.NaN)).toBeUndefined();
  });

  it('for any string and clock the answer is nothing or a whole number of milliseconds in [0, 10 min]', () => {
    const dateLike = fc
      .tuple(fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }), fc.constantFrom('utc', 'rfc850', 'asctime'))
      .map(([date, form]) => {
        const utc = date.toUTCString();
        if (form === 'utc') return utc;
        const [day, dd, mon, yyyy, time] = utc.replace(',', '').split(' ');
        return form === 'rfc850' ? `${day}day, ${dd}-${mon}-${yyyy!.slice(-2)} ${time} GMT` : `${day} ${mon} ${dd!.replace(/^0/, ' ')} ${time} ${yyyy}`;
      });
    const value = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^\s*\d{0,30}\s*$/), dateLike, fc.constant(null));
    const clock = fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.double());
    fc.assert(
      fc.property(value, clock, (header, now) => {
        const ms = parseRetryAfter(header, now);
        return ms === undefined || (Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_RETRY_AFTER_MS);
      }),
      { numRuns: 2000 },
    );
  });
});
