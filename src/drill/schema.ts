import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { timezoneSchema } from '../core/business-hours.ts';
import { durationMs } from '../core/duration.ts';

const duration = durationMs;
const TARGET = /^(teacher|students|student-[1-9]\d*)$/;

/** Who a fault hits: `teacher` (what the teacher sends), `students` (all of them), `student-N`. */
export const targetSchema = z
  .string()
  .regex(TARGET, { message: "expected 'teacher', 'students' or 'student-N' (N from 1)" });

const timing = {
  /** Whom the fault hits. Faults on the teacher act on what the teacher sends; on a student, on what it receives. */
  target: targetSchema,
  /** When the fault starts, counted from the moment the class is in session. */
  at: duration,
  /** How long it lasts. */
  for: duration,
};

export const faultSchema = z.discriminatedUnion(
  'kind',
  [
    /** Every encoded video frame the target sends or receives is dropped: the picture stops. */
    z.strictObject({ kind: z.literal('video-freeze'), ...timing }),
    /** Every encoded audio frame the target sends or receives is dropped. */
    z.strictObject({ kind: z.literal('audio-dropout'), ...timing }),
    /** A share of the encoded frames is dropped (`rate` 0–1), which breaks decoding until the next keyframe. */
    z.strictObject({
      kind: z.literal('packet-loss'),
      ...timing,
      rate: z.number().gt(0, { message: 'expected a rate above 0' }).max(1, { message: 'expected a rate of at most 1 (1 = every frame)' }),
      media: z.enum(['video', 'audio', 'both']).default('video'),
    }),
    /** Browser network conditions (CDP): armed at page start, so they act on WebRTC mid-call. */
    z.strictObject({
      kind: z.literal('network'),
      ...timing,
      latency: duration.optional(),
      /** kbit/s */
      downloadKbps: z.number().positive().optional(),
      /** kbit/s */
      uploadKbps: z.number().positive().optional(),
      /** percent of packets lost, 0–100 */
      packetLoss: z.number().min(0).max(100).optional(),
      offline: z.boolean().optional(),
    }),
    /** CPU slowdown factor (CDP). On this Chromium it barely changes WebRTC frame rates; kept for completeness. */
    z.strictObject({ kind: z.literal('cpu-throttle'), ...timing, rate: z.number().min(1) }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? "unknown fault kind; expected one of 'video-freeze', 'audio-dropout', 'packet-loss', 'network', 'cpu-throttle'"
        : undefined,
  },
);

export const FAULT_KINDS = ['video-freeze', 'audio-dropout', 'packet-loss', 'network', 'cpu-throttle'] as const;

export const classroomSchema = z.strictObject({
  /** The real-time stack the class runs on. @defaultValue `'local'` */
  provider: z.enum(['local', 'agora']).default('local'),
  /** Number of students; each is one page. @defaultValue `2` */
  students: z.number().int().min(1).max(32).default(2),
  /** How long the class lasts from the moment it is in session. */
  duration,
  /** What the teacher's camera is asked for (the fake camera gives ~20 fps whatever is asked). */
  video: z
    .strictObject({
      width: z.number().int().min(16).max(3840).default(640),
      height: z.number().int().min(16).max(2160).default(360),
      fps: z.number().int().min(1).max(60).default(20),
    })
    .default({ width: 640, height: 360, fps: 20 }),
  /** A gap between rendered frames longer than this is a freeze. @defaultValue `'500ms'` (Agora's Web definition) */
  freezeThreshold: duration.default(500),
  /** How long the class may take to be in session before the run fails as a set-up failure. @defaultValue `'30s'` (`'20s'` on Agora) */
  joinTimeout: duration.optional(),
  /** Agora client settings, for `provider: 'agora'`. @defaultValue `{ mode: 'rtc', codec: 'vp8' }` */
  agora: z
    .strictObject({
      mode: z.enum(['rtc', 'live']).default('rtc'),
      codec: z.enum(['vp8', 'vp9', 'h264', 'av1']).default('vp8'),
    })
    .optional(),
});

export const expectSchema = z.strictObject({
  /** `'none'`: no freeze anywhere (a control drill); otherwise who must see a freeze, and how long at least. */
  freeze: z.union([
    z.literal('none'),
    z.strictObject({
      on: targetSchema.default('students'),
      minDuration: duration.default(1000),
    }),
  ]),
});

export const ticketSchema = z.strictObject({
  /** The ticket's title; the `[DRILL-…]` reference tag is added in front when it is missing. */
  title: z.string().min(1).optional(),
  /** The ticket's body, replacing the default template. */
  body: z.string().min(1).optional(),
  /** Mapped to the vendor's priority field. @defaultValue `'high'` */
  severity: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
});

/** When `supportdrill serve` fires the drill. */
export const scheduleSchema = z.strictObject({
  /** node-cron expression; a leading seconds field is allowed (`'30 0 3 * * *'`: 03:00:30 daily). */
  cron: z
    .string({ error: "expected a cron expression like '0 3 * * *' (minute hour day-of-month month day-of-week)" })
    .refine((expression) => validateCron(expression), {
      error: "expected a cron expression like '0 3 * * *' (minute hour day-of-month month day-of-week, optionally a leading seconds field)",
    }),
  /** The IANA timezone the expression is read in. */
  timezone: timezoneSchema,
  /** Each firing waits a random time up to this, so drills do not land on predictable minutes. */
  maxRandomDelay: duration.optional(),
});

export const drillSchema = z
  .strictObject({
    /** Must match the file name (`drills/<name>.ts`). */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'expected a kebab-case name like freeze-midclass' }),
    /** One sentence: what the class suffers. Goes into the ticket. */
    description: z.string().min(1),
    classroom: classroomSchema,
    /** The fault timeline. @defaultValue `[]` */
    faults: z.array(faultSchema).default([]),
    /** What must hold for the run to count as reproduced. Default: a freeze on every student when there are faults, none otherwise. */
    expect: expectSchema.optional(),
    /** Overrides of the default ticket template (placeholders: see the README). */
    ticket: ticketSchema.optional(),
    /** How long a filed ticket is watched before the run is recorded as "no resolution". @defaultValue the config's `watch.timeout` (`'3d'`) */
    watchTimeout: duration.optional(),
    /** When the service (`supportdrill serve`) runs this drill; a drill without one only runs by hand. */
    schedule: scheduleSchema.optional(),
    /** The vendors a scheduled run files to, one run each. @defaultValue the config's `defaultVendor` */
    vendors: z.array(z.string().min(1, { error: 'expected a vendor name from the config' })).min(1, { error: 'name at least one vendor, or leave vendors out' }).optional(),
  })
  .superRefine((drill, ctx) => {
    drill.faults.forEach((fault, index) => {
      const end = fault.at + fault.for;
      if (end > drill.classroom.duration) {
        ctx.addIssue({
          code: 'custom',
          path: ['faults', index, 'for'],
          message: `the fault ends ${end / 1000} s into the class, after the class ends (classroom.duration is ${drill.classroom.duration / 1000} s); shorten it or lengthen the class`,
        });
      }
      checkStudent(fault.target, ['faults', index, 'target']);
    });
    if (drill.expect && drill.expect.freeze !== 'none') checkStudent(drill.expect.freeze.on, ['expect', 'freeze', 'on']);

    function checkStudent(target: string, path: (string | number)[]) {
      const n = target.startsWith('student-') ? Number(target.slice('student-'.length)) : 0;
      if (n > drill.classroom.students) {
        ctx.addIssue({ code: 'custom', path, message: `'${target}' does not exist: the class has ${drill.classroom.students} student(s)` });
      }
    }
  });

/** A drill as written in a file (durations as strings, defaults not yet applied). */
export type DrillInput = z.input<typeof drillSchema>;
/** A validated drill: durations in milliseconds, defaults applied. */
export type Drill = z.output<typeof drillSchema>;
export type Fault = z.output<typeof faultSchema>;
export type Expectation = z.output<typeof expectSchema>;
