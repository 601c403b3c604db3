import { z } from 'zod';
import { timezoneSchema } from '../core/business-hours.ts';

export interface QuietHours {
  start: number;
  end: number;
  timezone: string;
}

/** The limits a scheduled drill must pass before it fires; `null` means no limit. */
export interface GuardrailRules {
  /** Drills filed to the vendor per calendar day (in the quiet hours' timezone, else UTC). */
  maxDrillsPerDay: number | null;
  /** Drill tickets open at the vendor at once. */
  maxOpenTickets: number | null;
  quietHours: QuietHours | null;
}

export interface GuardrailsConfig {
  /** What applies to every vendor. */
  defaults: GuardrailRules;
  /** Per vendor, the defaults with that vendor's own entries on top. */
  vendors: Record<string, GuardrailRules>;
}

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const clockTime = z
  .string({ error: "expected a time of day like '22:00'" })
  .regex(CLOCK_TIME, { error: "expected a time of day like '22:00' (24-hour HH:MM)" })
  .transform((time) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));

const quietHoursSchema = z
  .strictObject({
    /** When the quiet starts, `'HH:MM'`. */
    start: clockTime,
    /** When it ends, `'HH:MM'`; earlier than `start` means the next day. */
    end: clockTime,
    /** @defaultValue `'UTC'` */
    timezone: timezoneSchema.optional(),
  })
  .refine((quiet) => quiet.start !== quiet.end, { error: 'start and end are the same time; leave quietHours out instead', path: ['end'] })
  .transform((quiet): QuietHours => ({ start: quiet.start, end: quiet.end, timezone: quiet.timezone ?? 'UTC' }));

const limit = z.number({ error: 'expected a whole number, 0 or more' }).int({ error: 'expected a whole number, 0 or more' }).min(0, { error: 'expected a whole number, 0 or more' });

const guardrailRulesShape = {
  /** Most drills filed to a vendor per day. @defaultValue no limit */
  maxDrillsPerDay: limit.optional(),
  /** Most drill tickets open at a vendor at once; a drill is refused while that many are open. @defaultValue no limit */
  maxOpenTickets: limit.optional(),
  /** No drill fires between these times, e.g. `{ start: '22:00', end: '07:00', timezone: 'Asia/Shanghai' }`. */
  quietHours: quietHoursSchema.optional(),
};

export const guardrailsSchema = z
  .strictObject({
    ...guardrailRulesShape,
    /** Per vendor name, rules replacing the ones above for that vendor; `quietHours: false` lifts them. */
    vendors: z
      .record(
        z.string(),
        z.strictObject({ ...guardrailRulesShape, quietHours: z.union([quietHoursSchema, z.literal(false)]).optional() }),
      )
      .optional(),
  })
  .transform((guardrails): GuardrailsConfig => {
    const defaults: GuardrailRules = {
      maxDrillsPerDay: guardrails.maxDrillsPerDay ?? null,
      maxOpenTickets: guardrails.maxOpenTickets ?? null,
      quietHours: guardrails.quietHours ?? null,
    };
    const vendors: Record<string, GuardrailRules> = {};
    for (const [name, own] of Object.entries(guardrails.vendors ?? {})) {
      vendors[name] = {
        maxDrillsPerDay: own.maxDrillsPerDay ?? defaults.maxDrillsPerDay,
        maxOpenTickets: own.maxOpenTickets ?? defaults.maxOpenTickets,
        quietHours: own.quietHours === false ? null : (own.quietHours ?? defaults.quietHours),
      };
    }
    return { defaults, vendors };
  });

export const NO_GUARDRAILS: GuardrailsConfig = { defaults: { maxDrillsPerDay: null, maxOpenTickets: null, quietHours: null }, vendors: {} };

/** The guardrails that apply to a vendor; `null` (a dry run, which files nothing) gets the defaults. */
export function guardrailsFor(config: { guardrails: GuardrailsConfig }, vendor: string | null): GuardrailRules {
  return (vendor !== null && Object.hasOwn(config.guardrails.vendors, vendor) ? config.guardrails.vendors[vendor] : undefined) ?? config.guardrails.defaults;
}
