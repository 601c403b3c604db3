import { expect } from 'vitest';

/**
 * Asserts that `run` takes time linear in its input: on `large` (about k times `small`) its median
 * time stays below 3·k times its median time on `small`. Linear code stays near k; quadratic code
 * is near k² (100 for k = 10), so the check is a ratio on this machine, never an absolute time, and
 * holds on a slow or a busy machine alike.
 *
 * Small inputs are timed in batches of at least MIN_SAMPLE_MS, so that the timer's resolution and a
 * stray pause do not decide the ratio; a large run far beyond the bound ends the check at once, so
 * that a quadratic step fails in seconds rather than minutes.
 */
export function expectLinearGrowth<T>(run: (input: T) => unknown, small: T & { length: number }, large: T & { length: number }): void {
  const sizeRatio = large.length / small.length;
  const allowed = 3 * sizeRatio;
  for (let i = 0; i < WARM_UP_RUNS; i++) run(small);
  const smallMs = median(Array.from({ length: SAMPLES }, () => batchMs(run, small)));
  const bound = allowed * smallMs;
  const largeTimes: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    run(large);
    largeTimes.push(performance.now() - start);
    if (largeTimes[i]! > 10 * bound) break;
  }
  const largeMs = median(largeTimes);
  const growth = largeMs / smallMs;
  expect(
    growth,
    `${Math.round(large.length / 1024)} KB took ${largeMs.toFixed(1)} ms, ${growth.toFixed(0)}× the ${smallMs.toFixed(2)} ms of ` +
      `${Math.round(small.length / 1024)} KB; linear time allows ${allowed.toFixed(0)}×`,
  ).toBeLessThan(allowed);
}

const WARM_UP_RUNS = 3;
const SAMPLES = 5;
const MIN_SAMPLE_MS = 20;

/** Mean time of one run over a batch of runs lasting at least MIN_SAMPLE_MS. */
function batchMs<T>(run: (input: T) => unknown, input: T): number {
  let runs = 0;
  const start = performance.now();
  for (;;) {
    run(input);
    runs++;
    const elapsed = performance.now() - start;
    if (elapsed >= MIN_SAMPLE_MS) return elapsed / runs;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
