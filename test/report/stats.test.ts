import { describe, expect, it } from 'vitest';
import {
  binomialHalfCdf,
  median,
  medianInterval,
  mediansDiffer,
  proportion,
  quantile,
  sortedSample,
  summarize,
} from '../../src/report/stats.ts';

describe('quantile and median', () => {
  it('gives null for an empty sample', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(median([])).toBeNull();
  });

  it('gives the only value of a one-value sample at every p', () => {
    expect(quantile([7], 0)).toBe(7);
    expect(quantile([7], 0.9)).toBe(7);
  });

  it('averages the two middle values of an even sample', () => {
    expect(median([1, 2, 3, 10])).toBe(2.5);
  });

  it('interpolates p90 between order statistics', () => {
    // (n − 1) · 0.9 = 3.6 → 40 + 0.6 × (50 − 40)
    expect(quantile([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46, 10);
  });

  it('is infinite when more than half the tickets never saw the moment', () => {
    expect(median(sortedSample([5, Infinity, Infinity]))).toBe(Infinity);
    expect(median(sortedSample([5, 6, Infinity]))).toBe(6);
  });

  it('refuses a p outside 0…1', () => {
    expect(() => quantile([1], 1.5)).toThrow(/0…1/);
  });
});

describe('medianInterval', () => {
  it('has no interval under two values', () => {
    expect(medianInterval([])).toBeNull();
    expect(medianInterval([3])).toBeNull();
  });

  it('falls back to min…max with its lower exact confidence below six values', () => {
    expect(medianInterval([1, 2, 3])).toEqual({ low: 1, high: 3, confidence: expect.closeTo(0.75, 10) });
    expect(medianInterval([1, 2, 3, 4, 5])!.confidence).toBeCloseTo(0.9375, 10);
  });

  it('uses the 2nd and 9th of ten values, which cover the median 97.9 % of the time', () => {
    const interval = medianInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])!;
    expect([interval.low, interval.high]).toEqual([2, 9]);
    expect(interval.confidence).toBeCloseTo(1 - (2 * 11) / 1024, 10);
  });

  it('narrows around the median as the sample grows', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const interval = medianInterval(values)!;
    expect(interval.low).toBeGreaterThan(35);
    expect(interval.high).toBeLessThan(65);
    expect(interval.confidence).toBeGreaterThanOrEqual(0.95);
  });
});

describe('binomialHalfCdf', () => {
  it('matches exact binomial sums', () => {
    expect(binomialHalfCdf(0, 3)).toBeCloseTo(0.125, 12);
    expect(binomialHalfCdf(1, 10)).toBeCloseTo(11 / 1024, 12);
    expect(binomialHalfCdf(-1, 10)).toBe(0);
    expect(binomialHalfCdf(10, 10)).toBe(1);
  });
});

describe('proportion', () => {
  it('has no rate or interval with no trials', () => {
    expect(proportion(0, 0)).toEqual({ successes: 0, trials: 0, rate: null, low: null, high: null });
  });

  it('keeps a Wilson interval off the edge at 100 % of a few trials', () => {
    const p = proportion(3, 3);
    expect(p.rate).toBe(1);
    expect(p.high).toBe(1);
    expect(p.low).toBeCloseTo(0.4385, 3);
  });
});

describe('summarize', () => {
  it('summarises an empty sample as n 0 with no figures', () => {
    expect(summarize([])).toEqual({ n: 0, never: 0, median: null, p90: null, medianInterval: null, min: null, max: null });
  });

  it('counts tickets that never saw the moment in n and in never', () => {
    const s = summarize([3000, Infinity, 1000]);
    expect(s).toMatchObject({ n: 3, never: 1, median: 3000, min: 1000, max: Infinity });
  });
});

describe('mediansDiffer', () => {
  it('tells apart only medians whose intervals do not overlap', () => {
    const fast = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const slow = summarize([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    const close = summarize([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(mediansDiffer(fast, slow)).toBe(-1);
    expect(mediansDiffer(slow, fast)).toBe(1);
    expect(mediansDiffer(fast, close)).toBe(0);
    expect(mediansDiffer(fast, summarize([1]))).toBe(0);
  });
});
