import { describe, expect, it } from 'vitest';
import { formatMs, parseDuration, tryParseDuration } from '../../src/core/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['12s', 12_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['3d', 259_200_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', 's', '10 x', '10sec', '-5s', '5s garbage'])('refuses %j', (text) => {
    expect(tryParseDuration(text)).toBeUndefined();
    expect(() => parseDuration(text)).toThrow(/not a duration/);
  });
});

describe('formatMs', () => {
  it('writes short durations in ms and longer ones in s, min, h', () => {
    expect(formatMs(850)).toBe('850 ms');
    expect(formatMs(12_345)).toBe('12.3 s');
    expect(formatMs(245_000)).toBe('4 min 05 s');
    expect(formatMs(4_320_000)).toBe('1 h 12 min');
    expect(formatMs(null)).toBe('—');
  });
});
