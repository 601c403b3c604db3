import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { timezoneSchema } from '../core/business-hours.ts';
import { durationMs, positiveDurationMs } from '../core/duration.ts';
import { classroomSchema } from '../classroom/classroom-schema.ts';
import { faultSchema, timedFaults, type Fault } from '../classroom/faults/registry.ts';
import { studentNumber } from '../classroom/participants.ts';
import { expectationProblems, expectSchema } from './expectation.ts';

const duration = durationMs;

export { expectSchema };

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
    watchTimeout: positiveDurationMs.optional(),
    /**
     * How many times a run that did not reproduce (or whose class was unhealthy before the first
     * fault: a probe's hiccup is the usual cause) is run again before it counts. Each attempt is a
     * run of its own; a control drill (`expect: { freeze: 'none' }`) is never run again.
     * @defaultValue `1`
     */
    retries: z.number().int().min(0).max(3).default(1),
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
    if (drill.expect?.freeze && drill.expect.freeze !== 'none') checkStudent(drill.expect.freeze.on, ['expect', 'freeze', 'on']);
    for (const [path, target] of expectedTargets(drill.expect)) checkStudent(target, path);
    for (const problem of expectationProblems(drill)) ctx.addIssue({ code: 'custom', ...problem });
    const baseline = drill.classroom.baseline;
    const timed = timedFaults(drill.faults);
    const firstFaultAt = timed.length ? Math.min(...timed.map((f) => f.at)) : undefined;
    if (baseline !== undefined && firstFaultAt !== undefined && baseline > firstFaultAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['classroom', 'baseline'],
        message: `the baseline (${baseline / 1000} s) must fit before the first fault, which starts ${firstFaultAt / 1000} s into the class; shorten it to at most '${firstFaultAt / 1000}s', start the fault later, or use '0s' to check nothing`,
      });
    }

    function checkStudent(target: string, path: (string | number)[]) {
      if (studentNumber(target) > drill.classroom.students) {
        ctx.addIssue({ code: 'custom', path, message: `'${target}' does not exist: the class has ${drill.classroom.students} student(s)` });
      }
    }
  });

/** A drill as written in a file (durations as strings, defaults not yet applied). */
export type DrillInput = z.input<typeof drillSchema>;
/** A validated drill: durations in milliseconds, defaults applied. */
export type Drill = z.output<typeof drillSchema>;
export type { Fault };
export type { Expectation } from './expectation.ts';

/** The students an expectation names beside `freeze`, with where. */
function expectedTargets(expect: z.output<typeof expectSchema> | undefined): [(string | number)[], string][] {
  if (!expect) return [];
  return [
    ...(expect.video ? [[['expect', 'video', 'on'], expect.video.on] as [(string | number)[], string]] : []),
    ...(expect.audio ? [[['expect', 'audio', 'on'], expect.audio.on] as [(string | number)[], string]] : []),
    ...(expect.join ? [[['expect', 'join', 'fails'], expect.join.fails] as [(string | number)[], string]] : []),
    ...(expect.checks ?? []).map((c, i) => [['expect', 'checks', i, 'on'], c.on] as [(string | number)[], string]),
  ];
}
