/**
 * A drill's `expect`: what must hold for a run to count as reproduced. Shorthand keys (`freeze`,
 * `video`, `audio`, `join`) say what the students must have suffered; `checks` hold metrics to
 * bounds over windows named by the run's events, each an `error` (it decides, with the shorthand
 * keys) or a `warning` (reported only).
 */
import { z } from 'zod';
import { positiveDurationMs, tryParseDuration } from '../core/duration.ts';
import { leverOf, type Fault } from '../classroom/faults/registry.ts';
import { resolveTarget, studentNames, targetSchema } from '../classroom/participants.ts';
import { eventSchema, windowProblems, type EventRef } from './event-window.ts';

/** What a check measures. */
export const METRICS = ['freeze', 'blank', 'still', 'audio-dropout', 'fps', 'delay', 'packet-loss', 'jitter', 'bitrate'] as const;
export type Metric = (typeof METRICS)[number];

/** How a student's values over the window become one number. */
export const AGGREGATES = ['max', 'min', 'total', 'mean', 'p95'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** Metrics that are episodes (their values: how long each lasted inside the window, ms). */
export const EPISODE_METRICS: readonly Metric[] = ['freeze', 'blank', 'still', 'audio-dropout'];
/** Metrics read from the inbound RTP counters, of video or audio. */
export const RTP_METRICS: readonly Metric[] = ['packet-loss', 'jitter', 'bitrate'];

interface MetricRule {
  /** How its bounds are written, for messages. */
  unit: string;
  /** Bounds may be durations (`'2s'`; a number is ms). */
  time: boolean;
  defaultOf: Aggregate;
  allowed: readonly Aggregate[];
}

const EPISODE_RULE: MetricRule = { unit: 'a duration', time: true, defaultOf: 'max', allowed: ['max', 'total', 'mean', 'p95'] };

export const METRIC_RULES: Record<Metric, MetricRule> = {
  freeze: EPISODE_RULE,
  blank: EPISODE_RULE,
  still: EPISODE_RULE,
  'audio-dropout': EPISODE_RULE,
  fps: { unit: 'frames per second', time: false, defaultOf: 'mean', allowed: ['mean', 'min', 'max', 'p95', 'total'] },
  delay: { unit: 'a duration', time: true, defaultOf: 'p95', allowed: ['p95', 'mean', 'min', 'max'] },
  'packet-loss': { unit: 'percent of the inbound packets', time: false, defaultOf: 'total', allowed: ['total', 'mean', 'min', 'max', 'p95'] },
  jitter: { unit: 'a duration', time: true, defaultOf: 'p95', allowed: ['p95', 'mean', 'min', 'max'] },
  bitrate: { unit: 'kbit/s', time: false, defaultOf: 'mean', allowed: ['mean', 'min', 'max', 'p95'] },
};

/** A student or all of them: the teacher watches and hears no one. */
const studentTarget = targetSchema.refine((t) => t !== 'teacher', { error: "the teacher receives nothing to measure: expected 'students' or 'student-N'" });

const bound = z.union([z.number(), z.string()], { error: "expected a number, or a duration like '2s' for a metric measured in time" });

/** One check of an expectation, as validated. */
export interface Check {
  /** As given, or made from the check's parts: what the results and the reason call it. */
  name: string;
  metric: Metric;
  on: string;
  from: EventRef;
  to: EventRef;
  level: 'error' | 'warning';
  /** In the metric's unit: ms for durations, fps, percent, kbit/s. */
  max?: number;
  min?: number;
  of: Aggregate;
  /** Which inbound media the RTP metrics read. */
  media: 'video' | 'audio';
}

export const checkSchema = z
  .strictObject({
    /** What the results call the check. @defaultValue made from its parts: `fps mean ≥ 15 on students, class start → fault 0 on` */
    name: z.string().min(1).optional(),
    /**
     * What is measured, per student: `freeze`, `blank`, `still`, `audio-dropout` (how long each
     * episode lasted inside the window), `fps` (frames rendered per second), `delay` (camera to
     * screen, from the teacher picture's stamp), `packet-loss` (percent of the inbound packets lost),
     * `jitter` (inbound), `bitrate` (inbound kbit/s).
     */
    metric: z.enum(METRICS, { error: `expected a metric: ${METRICS.map((m) => `'${m}'`).join(', ')}` }),
    /** Whose experience: `students` (each must pass) or `student-N`. @defaultValue `'students'` */
    on: studentTarget.default('students'),
    /** Where the window starts: `'class start'`, `'class end'`, `'fault N on'`, `'fault N off'`, with an optional offset (`'fault 0 off + 5s'`). @defaultValue `'class start'` */
    from: eventSchema.prefault('class start'),
    /** Where the window ends, named the same way. @defaultValue `'class end'` */
    to: eventSchema.prefault('class end'),
    /** `error`: the run is reproduced only if it holds; `warning`: reported, decides nothing. @defaultValue `'error'` */
    level: z.enum(['error', 'warning']).default('error'),
    /** The most the value may be: a duration (`'2s'`) for freeze, blank, still, audio-dropout, delay and jitter (a number is ms); fps; percent for packet-loss; kbit/s for bitrate. */
    max: bound.optional(),
    /** The least the value may be, in the same units. */
    min: bound.optional(),
    /**
     * How a student's values in the window become one: `max`, `min`, `total`, `mean`, `p95`.
     * @defaultValue `max` for episodes (the longest), `mean` for fps and bitrate, `p95` for delay and jitter, `total` for packet-loss (the window's share)
     */
    of: z.enum(AGGREGATES).optional(),
    /** The inbound media packet-loss, jitter and bitrate read. @defaultValue `'video'` */
    media: z.enum(['video', 'audio']).optional(),
  })
  .transform((raw, ctx): Check => {
    const rule = METRIC_RULES[raw.metric];
    const read = (key: 'max' | 'min'): number | undefined => {
      const value = raw[key];
      if (value === undefined) return undefined;
      if (typeof value === 'string') {
        const ms = rule.time ? tryParseDuration(value) : undefined;
        if (ms === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: rule.time ? `expected a duration like '2s' or '300ms', got '${value}'` : `${raw.metric} is measured in ${rule.unit}: give a number, not '${value}'`,
          });
        }
        return ms;
      }
      if (!Number.isFinite(value) || value < 0) ctx.addIssue({ code: 'custom', path: [key], message: `expected a number of at least 0, got ${value}` });
      if (raw.metric === 'packet-loss' && value > 100) ctx.addIssue({ code: 'custom', path: [key], message: `packet-loss is a percentage: expected at most 100, got ${value}` });
      return value;
    };
    const max = read('max');
    const min = read('min');
    if (raw.max === undefined && raw.min === undefined) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: `give max, min or both: the bound ${raw.metric} must stay within` });
    }
    if (max !== undefined && min !== undefined && min > max) ctx.addIssue({ code: 'custom', path: ['min'], message: `min (${raw.min}) is above max (${raw.max}): no value can pass` });
    if (raw.of !== undefined && !rule.allowed.includes(raw.of)) {
      ctx.addIssue({ code: 'custom', path: ['of'], message: `'${raw.of}' does not apply to ${raw.metric}; expected one of ${rule.allowed.map((a) => `'${a}'`).join(', ')}` });
    }
    if (raw.media !== undefined && !RTP_METRICS.includes(raw.metric)) {
      ctx.addIssue({ code: 'custom', path: ['media'], message: `media applies to ${RTP_METRICS.join(', ')}; ${raw.metric} says which media itself` });
    }
    const check: Omit<Check, 'name'> = {
      metric: raw.metric,
      on: raw.on,
      from: raw.from,
      to: raw.to,
      level: raw.level,
      ...(max !== undefined ? { max } : {}),
      ...(min !== undefined ? { min } : {}),
      of: raw.of ?? rule.defaultOf,
      media: raw.media ?? 'video',
    };
    return { name: raw.name ?? describeCheck(check), ...check };
  });

/** `fps mean ≥ 15 on students, class start → fault 0 on` */
export function describeCheck(check: Omit<Check, 'name'>): string {
  const unit = (v: number) => (METRIC_RULES[check.metric].time ? `${v} ms` : check.metric === 'packet-loss' ? `${v} %` : check.metric === 'bitrate' ? `${v} kbit/s` : String(v));
  const bounds = [check.min !== undefined ? `≥ ${unit(check.min)}` : undefined, check.max !== undefined ? `≤ ${unit(check.max)}` : undefined].filter(Boolean).join(' and ');
  const media = RTP_METRICS.includes(check.metric) && check.media === 'audio' ? ' (audio)' : '';
  return `${check.metric}${media} ${check.of} ${bounds} on ${check.on}, ${check.from.text} → ${check.to.text}`;
}

export const expectSchema = z
  .strictObject({
    /** `'none'`: no freeze anywhere (a control drill); otherwise who must see a freeze, and how long at least. */
    freeze: z
      .union([
        z.literal('none'),
        z.strictObject({
          on: targetSchema.default('students'),
          minDuration: positiveDurationMs.default(1000),
        }),
      ])
      .optional(),
    /** Who must see the picture in a state, and how long at least: `{ on: 'students', state: 'blank', minDuration: '3s' }`. */
    video: z
      .strictObject({
        /** @defaultValue `'students'` */
        on: studentTarget.default('students'),
        /** `blank` (black or one colour), `still` (frames come, the picture does not change), `frozen` (no frames: a freeze). */
        state: z.enum(['blank', 'still', 'frozen'], { error: "expected 'blank', 'still' or 'frozen'" }),
        /** @defaultValue `'1s'` */
        minDuration: positiveDurationMs.default(1000),
      })
      .optional(),
    /** Who must hear the sound drop out, and for how long at least: `{ on: 'students', dropout: { minDuration: '2s' } }`. */
    audio: z
      .strictObject({
        /** @defaultValue `'students'` */
        on: studentTarget.default('students'),
        dropout: z.strictObject({
          /** @defaultValue `'1s'` */
          minDuration: positiveDurationMs.default(1000),
        }),
      })
      .optional(),
    /** Students who must fail to join: no video from the teacher within the join timeout (`classroom.joinTimeout`). */
    join: z
      .strictObject({
        /** `student-N` or `students`. */
        fails: studentTarget,
      })
      .optional(),
    /** Metrics held to bounds over windows named by the run's events; `error` checks decide with the keys above, `warning` ones are reported. */
    checks: z.array(checkSchema).min(1, { error: 'give at least one check, or leave checks out' }).optional(),
  })
  .refine((e) => e.freeze !== undefined || e.video !== undefined || e.audio !== undefined || e.join !== undefined || (e.checks ?? []).some((c) => c.level === 'error'), {
    error: "expect decides nothing: give freeze, video, audio, join, or a check with level 'error' (warnings are only reported)",
  });

export type Expectation = z.output<typeof expectSchema>;

/** A control drill expects no failure at all: a run that holds has nothing to report, so nothing is filed. */
export function isControl(expectation: Expectation): boolean {
  return expectation.freeze === 'none' && !expectation.video && !expectation.audio && !expectation.join;
}

/** The part of a drill its expectation is checked against when it loads. */
export interface ExpectationContext {
  classroom: { duration: number; students: number };
  faults: readonly Fault[];
  expect?: Expectation;
}

/**
 * What is wrong with a drill's expectation given its class and faults: windows naming a fault the
 * drill does not have, or falling outside the class; a join block on a student the drill does not
 * expect to stay out (the class could never be in session); a fault whose lever would lift a block.
 */
export function expectationProblems(drill: ExpectationContext): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const plan = {
    duration: drill.classroom.duration,
    // A join fault is on from before the class to its end.
    faults: drill.faults.map((f) => (leverOf(f) === 'join' ? { on: 0, off: drill.classroom.duration } : { on: f.at, off: f.at + f.for })),
  };
  (drill.expect?.checks ?? []).forEach((check, index) => {
    for (const { field, message } of windowProblems(check.from, check.to, plan)) problems.push({ path: ['expect', 'checks', index, field], message });
  });

  const students = studentNames(drill.classroom.students);
  const expectedOut = new Set(drill.expect?.join ? resolveTarget(drill.expect.join.fails, students) : []);
  const blockedBy = new Map<string, number>();
  drill.faults.forEach((fault, index) => {
    if (leverOf(fault) !== 'join') return;
    const targets = resolveTarget(fault.target, students);
    const unexpected = targets.filter((s) => !expectedOut.has(s));
    if (unexpected.length) {
      problems.push({
        path: ['faults', index, 'target'],
        message: `this fault keeps ${unexpected.join(', ')} out of the class, so it could never be in session; expect it: expect: { join: { fails: '${fault.target}' } }`,
      });
    }
    for (const s of targets) {
      const earlier = blockedBy.get(s);
      if (earlier !== undefined) problems.push({ path: ['faults', index, 'target'], message: `fault ${earlier} keeps ${s} out already; one join block per student` });
      else blockedBy.set(s, index);
    }
  });
  drill.faults.forEach((fault, index) => {
    if (leverOf(fault) !== 'window' || fault.target === 'teacher') return;
    const blocked = resolveTarget(fault.target, students).filter((s) => blockedBy.has(s));
    if (blocked.length) {
      problems.push({
        path: ['faults', index, 'target'],
        message: `${blocked.join(', ')} cannot join (fault ${blockedBy.get(blocked[0]!)}), and this fault's network or CPU conditions would replace the block on ${blocked.length === 1 ? 'its' : 'their'} window; target the other students by name`,
      });
    }
  });
  return problems;
}
