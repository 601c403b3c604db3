/**
 * Statistics for scorecards, as pure functions. Samples of response times may contain `Infinity`: a
 * ticket whose watch ended without the moment happening is known to be slower than every ticket
 * where it happened, so it still counts towards n and pushes the median up, as it should.
 */

/** Sorted copy, ascending; `NaN` is dropped since it carries no order. */
export function sortedSample(values: readonly number[]): number[] {
  return values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
}

/**
 * The `p` quantile (0…1) of an ascending sample by linear interpolation between order statistics
 * (Hyndman & Fan type 7, what spreadsheets call PERCENTILE). `null` for an empty sample. When the
 * interpolation touches an infinite value with a non-zero weight the result is `Infinity`.
 */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be within 0…1, got ${p}`);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const weight = h - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  if (weight === 0 || a === b) return a;
  // 0 × Infinity would be NaN: an infinite upper neighbour with any weight makes the quantile infinite.
  if (!Number.isFinite(b) || !Number.isFinite(a)) return b;
  return a + (b - a) * weight;
}

export function median(sorted: readonly number[]): number | null {
  return quantile(sorted, 0.5);
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2), exactly (sums of binomial coefficients over 2^n, in log space). */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let logCoef = 0; // log C(n, 0)
  let sum = 0;
  const logHalfN = n * Math.log(0.5);
  for (let i = 0; i <= k; i++) {
    if (i > 0) logCoef += Math.log(n - i + 1) - Math.log(i);
    sum += Math.exp(logCoef + logHalfN);
  }
  return Math.min(1, sum);
}

/** A confidence interval and the confidence it actually has. */
export interface Interval {
  low: number;
  high: number;
  /** The exact coverage, e.g. 0.961 — with few runs it is below the level asked for. */
  confidence: number;
}

/**
 * A distribution-free confidence interval for the median: the order statistics x(k) … x(n+1−k) with
 * the largest k whose coverage 1 − 2·P(B ≤ k−1), B ~ Binomial(n, ½), is at least `level`. It assumes
 * nothing about the shape of response times (which are skewed and heavy-tailed). Below 6 values no
 * interval reaches 95 %, so the widest one, min…max, is returned with its lower confidence. `null`
 * under 2 values, where min…max says nothing.
 */
export function medianInterval(sorted: readonly number[], level = 0.95): Interval | null {
  const n = sorted.length;
  if (n < 2) return null;
  // P(B ≤ k) accumulated term by term: one pass, where calling binomialHalfCdf per k would be O(n²).
  const logHalfN = n * Math.log(0.5);
  let logCoef = 0;
  let cdfBelow = Math.exp(logHalfN); // P(B ≤ k − 1) for k = 1
  let k = 1;
  while (k + 1 <= Math.floor((n + 1) / 2)) {
    logCoef += Math.log(n - k + 1) - Math.log(k);
    const cdfAt = cdfBelow + Math.exp(logCoef + logHalfN); // P(B ≤ k)
    if (1 - 2 * cdfAt < level) break;
    cdfBelow = cdfAt;
    k++;
  }
  return { low: sorted[k - 1]!, high: sorted[n - k]!, confidence: 1 - 2 * cdfBelow };
}

/** A proportion with its Wilson score interval (sensible at 0 %, 100 % and with few trials). */
export interface Proportion {
  successes: number;
  trials: number;
  /** `null` with no trials. */
  rate: number | null;
  /** 95 % Wilson interval; `null` with no trials. */
  low: number | null;
  high: number | null;
}

const Z95 = 1.959963984540054;

export function proportion(successes: number, trials: number): Proportion {
  if (trials <= 0) return { successes: 0, trials: 0, rate: null, low: null, high: null };
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return { successes, trials, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** What a scorecard says about one timing across tickets. Values are milliseconds. */
export interface SampleSummary {
  /** Tickets judged: those where the moment happened plus those whose watch ended without it. */
  n: number;
  /** Of `n`, tickets whose watch ended without the moment (counted as slower than every other). */
  never: number;
  /** `Infinity` when more than half never saw the moment; `null` with n = 0. */
  median: number | null;
  p90: number | null;
  /** Distribution-free interval for the median; `null` under 2 values. */
  medianInterval: Interval | null;
  min: number | null;
  max: number | null;
}

/** Summarises a sample that may contain `Infinity` (see the module comment). */
export function summarize(values: readonly number[]): SampleSummary {
  const sorted = sortedSample(values);
  return {
    n: sorted.length,
    never: sorted.filter((value) => value === Infinity).length,
    median: median(sorted),
    p90: quantile(sorted, 0.9),
    medianInterval: medianInterval(sorted),
    min: sorted.length ? sorted[0]! : null,
    max: sorted.length ? sorted[sorted.length - 1]! : null,
  };
}

/**
 * Whether two medians are told apart: their intervals do not overlap. Conservative on purpose (two
 * non-overlapping 95 % intervals is a stricter test than 5 %), since a trial decision rests on it.
 */
export function mediansDiffer(a: SampleSummary, b: SampleSummary): -1 | 0 | 1 {
  if (!a.medianInterval || !b.medianInterval) return 0;
  if (a.medianInterval.high < b.medianInterval.low) return -1;
  if (b.medianInterval.high < a.medianInterval.low) return 1;
  return 0;
}

/** Whether two proportions are told apart: their Wilson intervals do not overlap. */
export function proportionsDiffer(a: Proportion, b: Proportion): -1 | 0 | 1 {
  if (a.low === null || a.high === null || b.low === null || b.high === null) return 0;
  if (a.high < b.low) return -1;
  if (b.high < a.low) return 1;
  return 0;
}
