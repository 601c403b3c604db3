/**
 * A check of an expectation measured over its window: per student, the metric's values inside the
 * window (episode durations, or one value per stats interval), made one number, held to the bounds.
 */
import type { RtpSummary, StatsSample } from '../classroom/page/protocol.ts';
import { formatMs } from '../core/duration.ts';
import { iso, type CheckResult } from '../core/run-result.ts';
import { resolveEvent, type RunClock } from './event-window.ts';
import { EPISODE_METRICS, METRIC_RULES, type Aggregate, type Check, type Metric } from './expectation.ts';

/** An episode as the verdict reads it: a freeze, or a blank or still picture or an audio dropout. */
export interface TimedEpisode {
  participant: string;
  startedAt: number;
  /** `null`: still open when the class ended. */
  endedAt: number | null;
}

export interface CheckData {
  students: readonly string[];
  clock: RunClock;
  freezes: readonly TimedEpisode[];
  states: readonly (TimedEpisode & { state: string })[];
  stats: readonly { participant: string; sample: StatsSample }[];
}

/** The source students watch: the teacher. */
const SOURCE = 'teacher';

export function evaluateCheck(check: Check, data: CheckData): CheckResult {
  const from = resolveEvent(check.from, data.clock);
  const to = resolveEvent(check.to, data.clock);
  const base = { name: check.name, level: check.level };
  if (from === undefined || to === undefined) {
    const missing = from === undefined ? check.from : check.to;
    return { ...base, passed: false, observed: `'${missing.text}' never happened in this run (the fault was not applied)`, window: { from: from === undefined ? '' : iso(from), to: to === undefined ? '' : iso(to) } };
  }
  const window = { from: iso(from), to: iso(to) };
  if (to <= from) return { ...base, passed: false, observed: `the window is empty: '${check.to.text}' came ${formatMs(from - to)} before '${check.from.text}'`, window };

  const who = check.on === 'students' ? [...data.students] : [check.on];
  const measured = who.map((student) => ({ student, value: aggregate(valuesOf(check, student, from, to, data), check.of, check.metric) }));
  const within = (v: number) => (check.max === undefined || v <= check.max) && (check.min === undefined || v >= check.min);
  const passed = measured.every((m) => m.value !== undefined && within(m.value));
  const failing = measured.filter((m) => m.value === undefined || !within(m.value));
  const shown = (passed ? measured : failing).map((m) => `${m.student} ${m.value === undefined ? 'no data in the window' : shownBeside(check, m.value)}`);
  return { ...base, passed, observed: `${shown.join(', ')} (${check.of}${passed ? '' : `; ${boundsText(check)}`})`, window };
}

/** A failing value rounded to look like its bound (9.96 fps against at least 10) is shown more finely. */
function shownBeside(check: Check, value: number): string {
  const shown = formatValue(check.metric, value);
  const bounds = [check.min, check.max].filter((b): b is number => b !== undefined && b !== value);
  if (!bounds.some((b) => formatValue(check.metric, b) === shown)) return shown;
  return METRIC_RULES[check.metric].time ? `${Math.round(value)} ms` : shown.replace(/^[\d.]+/, String(Math.round(value * 1000) / 1000));
}

function boundsText(check: Check): string {
  const parts = [check.min !== undefined ? `at least ${formatValue(check.metric, check.min)}` : undefined, check.max !== undefined ? `at most ${formatValue(check.metric, check.max)}` : undefined];
  return `expected ${parts.filter(Boolean).join(' and ')}`;
}

export function formatValue(metric: Metric, value: number): string {
  if (EPISODE_METRICS.includes(metric)) return formatMs(value);
  if (METRIC_RULES[metric].time) return `${Math.round(value)} ms`;
  switch (metric) {
    case 'fps':
      return `${round1(value)} fps`;
    case 'packet-loss':
      return `${round1(value)} % lost`;
    default:
      return `${Math.round(value)} kbit/s`;
  }
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * One student's values of the metric inside [from, to]: for episodes, how long each lasted inside
 * the window (none is a value of 0: nothing happened); for stats, one per stats interval ending in
 * the window. An empty list means nothing was measured.
 */
function valuesOf(check: Check, student: string, from: number, to: number, data: CheckData): number[] {
  if (EPISODE_METRICS.includes(check.metric)) {
    const episodes = check.metric === 'freeze' ? data.freezes : data.states.filter((e) => e.state === check.metric);
    const inside = episodes
      .filter((e) => e.participant === student)
      .map((e) => Math.min(e.endedAt ?? data.clock.classEnd, to) - Math.max(e.startedAt, from))
      .filter((ms) => ms > 0);
    return inside.length ? inside : [0];
  }
  const samples = data.stats
    .filter((r) => r.participant === student)
    .map((r) => r.sample)
    .sort((a, b) => a.at - b.at);
  const values: number[] = [];
  samples.forEach((sample, i) => {
    if (sample.at <= from || sample.at > to) return;
    const value = sampleValue(check, sample, samples[i - 1]);
    if (value !== undefined) values.push(value);
  });
  if (check.metric === 'packet-loss' && check.of === 'total') return windowLoss(check, samples, from, to);
  return values;
}

/** The metric over one stats interval (the one ending at `sample`); `undefined` when it says nothing. */
function sampleValue(check: Check, sample: StatsSample, previous: StatsSample | undefined): number | undefined {
  const seconds = previous ? (sample.at - previous.at) / 1000 : 0;
  switch (check.metric) {
    case 'fps': {
      if (!previous || seconds <= 0) return undefined;
      // A student whose page watches no video yet rendered nothing: 0 fps, not "no data".
      const frames = sample.renderedFps[SOURCE] ?? firstValue(sample.renderedFps) ?? 0;
      return check.of === 'total' ? frames : frames / seconds;
    }
    case 'delay': {
      const second = sample.video?.[SOURCE] ?? (sample.video ? Object.values(sample.video)[0] : undefined);
      return second?.delayMs ?? undefined;
    }
    case 'jitter': {
      const jitters = inbound(sample, check.media).flatMap((r) => (r.jitter === undefined ? [] : [r.jitter * 1000]));
      return jitters.length ? Math.max(...jitters) : undefined;
    }
    case 'bitrate': {
      if (!previous || seconds <= 0) return undefined;
      const delta = counterDelta(sample, previous, check.media, (r) => r.bytesReceived);
      return delta === undefined || delta < 0 ? undefined : (delta * 8) / 1000 / seconds;
    }
    case 'packet-loss': {
      if (!previous) return undefined;
      const lost = counterDelta(sample, previous, check.media, (r) => r.packetsLost);
      const received = counterDelta(sample, previous, check.media, (r) => r.packetsReceived);
      if (lost === undefined || received === undefined || received < 0 || Math.max(0, lost) + received <= 0) return undefined;
      return (Math.max(0, lost) / (Math.max(0, lost) + received)) * 100;
    }
    default:
      return undefined;
  }
}

/** The window's whole share of packets lost: what was lost of what was sent over every interval in it. */
function windowLoss(check: Check, samples: readonly StatsSample[], from: number, to: number): number[] {
  let lost = 0;
  let total = 0;
  samples.forEach((sample, i) => {
    const previous = samples[i - 1];
    if (!previous || sample.at <= from || sample.at > to) return;
    const l = counterDelta(sample, previous, check.media, (r) => r.packetsLost);
    const r = counterDelta(sample, previous, check.media, (s) => s.packetsReceived);
    if (l === undefined || r === undefined || r < 0) return;
    lost += Math.max(0, l);
    total += Math.max(0, l) + r;
  });
  return total > 0 ? [(lost / total) * 100] : [];
}

function inbound(sample: StatsSample, media: 'video' | 'audio'): RtpSummary[] {
  return sample.rtp.filter((r) => r.direction === 'inbound' && r.kind === media);
}

/**
 * How much a cumulative counter of the inbound streams changed over the interval; `undefined` when
 * either sample lacks it. A received counter that fell means a new peer connection started counting
 * again; a lost one may fall a little (duplicates make up for earlier losses).
 */
function counterDelta(sample: StatsSample, previous: StatsSample, media: 'video' | 'audio', read: (r: RtpSummary) => number | undefined): number | undefined {
  const sum = (s: StatsSample) => {
    const values = inbound(s, media).map(read);
    return values.length && values.every((v) => v !== undefined) ? (values as number[]).reduce((a, b) => a + b, 0) : undefined;
  };
  const now = sum(sample);
  const before = sum(previous);
  if (now === undefined || before === undefined) return undefined;
  return now - before;
}

function firstValue(record: Record<string, number>): number | undefined {
  return Object.values(record)[0];
}

/** One number from a student's values; `undefined` when there are none. */
export function aggregate(values: readonly number[], of: Aggregate, metric: Metric): number | undefined {
  if (values.length === 0) return undefined;
  switch (of) {
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'p95': {
      // Nearest rank: a value that was really measured.
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
    }
    case 'total':
      // packet-loss's total is already the window's share (one value); fps's is the frames rendered.
      return metric === 'packet-loss' ? values[0] : values.reduce((a, b) => a + b, 0);
  }
}
