import type { DelaySummary } from '../core/run-result.ts';
import type { StatsRecord } from './page-events.ts';

/**
 * Each student's camera-to-screen delay over the class, from the per-second medians the page read
 * off the teacher picture's stamp (both ends on one machine clock, so no clock sync is involved).
 * Seconds in which no stamp was read — frozen, blank, before the class — do not count.
 */
export function delaySummaries(stats: readonly StatsRecord[], students: readonly string[], from: number, to: number): DelaySummary[] {
  return students.flatMap((participant) => {
    const delays = stats
      .filter((r) => r.participant === participant && r.sample.at >= from && r.sample.at <= to)
      .flatMap((r) => Object.values(r.sample.video ?? {}).flatMap((v) => (v.delayMs === null ? [] : [v.delayMs])))
      .sort((a, b) => a - b);
    if (delays.length === 0) return [];
    const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
    return [{ participant, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: delays.at(-1)!, samples: delays.length }];
  });
}
