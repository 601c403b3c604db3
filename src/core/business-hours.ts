import { z } from 'zod';
import { prefixed } from './errors.ts';

/** A day of the week as written in config. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Index 0 is Sunday so that it lines up with `Date#getUTCDay()`. */
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKDAY_LIST = 'mon, tue, wed, thu, fri, sat, sun';
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** One weekly opening window, in the vendor's local time. */
export interface BusinessWindow {
  /** Days the window applies to (lower-case, three letters). */
  days: Weekday[];
  /** Opening time, `HH:MM`, local to the vendor's timezone. */
  start: string;
  /**
   * Closing time, `HH:MM`, after `start` on the same day; `'24:00'` closes at midnight. A window that
   * runs past midnight is written as two windows.
   */
  end: string;
}

/** A vendor's weekly opening hours in its own timezone. */
export interface WeeklyBusinessHours {
  /** IANA timezone the windows and holidays are read in, e.g. `'Asia/Shanghai'`. */
  timezone: string;
  /** Opening windows; where two overlap on a day they count once. */
  windows: BusinessWindow[];
  /**
   * Local dates (`YYYY-MM-DD`) on which the vendor is closed all day.
   * @defaultValue `[]`
   */
  holidays: string[];
}

/**
 * Business hours after validation: `'24x7'` (always open) or weekly windows. This normalised form is
 * itself valid input, so it can be stored and parsed again unchanged.
 */
export type BusinessHours = '24x7' | WeeklyBusinessHours;

/** What users may write for business hours. */
export type BusinessHoursInput =
  | '24x7'
  | {
      /** IANA timezone; may be left out when the surrounding config supplies one. */
      timezone?: string;
      days: string[];
      start: string;
      end: string;
      holidays?: string[];
    }
  | { timezone?: string; windows: Array<{ days: string[]; start: string; end: string }>; holidays?: string[] }
  | Array<{ days: string[]; start: string; end: string }>;

/** Options for {@link createBusinessHoursSchema}. */
export interface BusinessHoursSchemaOptions {
  /**
   * Timezone to use when the business hours do not name one — a vendor entry's own `timezone`, say.
   * @defaultValue none: the timezone is then required
   */
  defaultTimezone?: string;
}

/** Whether this runtime's Intl knows `timezone` (IANA names; its tz data decides). */
export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA timezone name that this runtime's Intl knows. */
export const timezoneSchema = z
  .string({ error: "timezone must be an IANA name like 'Asia/Shanghai'" })
  .refine(isValidTimezone, {
    error: (issue) =>
      `'${String(issue.input)}' is not an IANA timezone; write it like 'Asia/Shanghai', 'Europe/Berlin' or 'UTC'`,
  });

const TIME = /^(\d{1,2}):(\d{2})$/;

/** Minutes after local midnight, or `undefined` when the text is not `HH:MM` within 00:00–24:00. */
function parseClock(text: string): number | undefined {
  const match = TIME.exec(text.trim());
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return undefined;
  return hours * 60 + minutes;
}

function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const clockSchema = z
  .string({ error: "expected a time of day written as HH:MM, e.g. '09:00'" })
  .refine((text) => parseClock(text) !== undefined, {
    error: (issue) => `'${String(issue.input)}' is not a time of day; write it as HH:MM between 00:00 and 24:00`,
  });

const daySchema = z
  .string({ error: `expected a day: one of ${WEEKDAY_LIST}` })
  .transform((text, ctx) => {
    const day = text.trim().toLowerCase();
    if ((WEEKDAYS as readonly string[]).includes(day)) return day as Weekday;
    ctx.addIssue({ code: 'custom', message: `unknown day '${text}'; expected one of ${WEEKDAY_LIST}` });
    return z.NEVER;
  });

const windowShape = {
  days: z
    .array(daySchema, { error: `days must be a list like ['mon', 'tue', 'wed', 'thu', 'fri']` })
    .min(1, { error: 'days must name at least one day' }),
  start: clockSchema,
  end: clockSchema,
};

/** Adds an issue at `end` (or `start`) when the window closes before it opens. */
function checkWindowOrder(window: { start: unknown; end: unknown }, ctx: z.RefinementCtx): void {
  const start = typeof window.start === 'string' ? parseClock(window.start) : undefined;
  const end = typeof window.end === 'string' ? parseClock(window.end) : undefined;
  if (start === 24 * 60) {
    ctx.addIssue({ code: 'custom', path: ['start'], message: "start cannot be '24:00'; a window opens at 23:59 at the latest" });
  } else if (start !== undefined && end !== undefined && end <= start) {
    ctx.addIssue({
      code: 'custom',
      path: ['end'],
      message:
        `end '${String(window.end)}' is not after start '${String(window.start)}'; a window that runs past midnight ` +
        `is written as two windows (e.g. 22:00–24:00 and 00:00–06:00)`,
    });
  }
}

/** Checks the order of start and end even when another field of the window is wrong, so one pass reports every problem. */
const ALWAYS_CHECK = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

const windowSchema = z.strictObject(windowShape).superRefine(checkWindowOrder, ALWAYS_CHECK);

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

const holidaysSchema = z
  .array(
    z.string({ error: "a holiday is a date written YYYY-MM-DD, e.g. '2026-10-01'" }).refine(isCalendarDate, {
      error: (issue) => `'${String(issue.input)}' is not a date; write holidays as YYYY-MM-DD, e.g. '2026-10-01'`,
    }),
    { error: "holidays must be a list of dates like ['2026-10-01']" },
  )
  .optional();

type ParsedWindow = { days: Weekday[]; start: string; end: string };
type ParsedHours = { timezone?: string; windows: ParsedWindow[]; holidays?: string[] };

const singleWindowSchema = z
  .strictObject({ timezone: timezoneSchema.optional(), ...windowShape, holidays: holidaysSchema })
  .superRefine(checkWindowOrder, ALWAYS_CHECK)
  .transform(({ timezone, days, start, end, holidays }): ParsedHours => ({ timezone, windows: [{ days, start, end }], holidays }));

const multiWindowSchema = z.strictObject({
  timezone: timezoneSchema.optional(),
  windows: z
    .array(windowSchema, { error: "windows must be a list like [{ days: ['mon'], start: '09:00', end: '18:00' }]" })
    .min(1, { error: 'windows must list at least one window' }),
  holidays: holidaysSchema,
});

const windowListSchema = z
  .array(windowSchema)
  .min(1, { error: 'business hours need at least one window' })
  .transform((windows): ParsedHours => ({ windows }));

const SHAPE_HELP =
  "expected '24x7', { timezone, days, start, end, holidays }, or { timezone, windows: [{ days, start, end }, …], holidays }";

function normaliseWindow(window: ParsedWindow): BusinessWindow {
  return {
    days: [...new Set(window.days)],
    start: formatClock(parseClock(window.start)!),
    end: formatClock(parseClock(window.end)!),
  };
}

/**
 * Builds the business-hours schema. Use this form when the timezone may come from elsewhere (a vendor
 * entry's `timezone`); {@link businessHoursSchema} requires it inside the business hours.
 */
export function createBusinessHoursSchema(
  options: BusinessHoursSchemaOptions = {},
): z.ZodType<BusinessHours, BusinessHoursInput> {
  const { defaultTimezone } = options;
  if (defaultTimezone !== undefined && !isValidTimezone(defaultTimezone)) {
    throw new Error(prefixed('business-hours', `default timezone '${defaultTimezone}' is not an IANA timezone`));
  }
  // Dispatching on shape by hand rather than with z.union: a union that fails reports "Invalid input"
  // instead of the one field that was wrong.
  return z.unknown().transform((value, ctx): BusinessHours => {
    if (value === '24x7') return '24x7';
    let schema: z.ZodType<ParsedHours>;
    if (Array.isArray(value)) schema = windowListSchema;
    else if (typeof value === 'object' && value !== null) schema = 'windows' in value ? multiWindowSchema : singleWindowSchema;
    else {
      ctx.addIssue({ code: 'custom', message: `${SHAPE_HELP}, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    const result = schema.safeParse(value);
    const timezoneMissing =
      defaultTimezone === undefined && (Array.isArray(value) || (value as { timezone?: unknown }).timezone === undefined);
    if (timezoneMissing) {
      ctx.addIssue({
        code: 'custom',
        path: Array.isArray(value) ? [] : ['timezone'],
        message: "timezone is required: an IANA name like 'Asia/Shanghai'",
      });
    }
    if (!result.success) {
      for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
    if (!result.success || timezoneMissing) return z.NEVER;
    return {
      timezone: (result.data.timezone ?? defaultTimezone)!,
      windows: result.data.windows.map(normaliseWindow),
      holidays: [...new Set(result.data.holidays ?? [])].sort(),
    };
  }) as unknown as z.ZodType<BusinessHours, BusinessHoursInput>;
}

/**
 * A vendor's business hours: `'24x7'`, one window (`{ timezone, days, start, end, holidays }`), or
 * several (`{ timezone, windows: [{ days, start, end }, …], holidays }`). Holidays close the whole
 * local day. Times are local to `timezone`, so DST changes are followed.
 */
export const businessHoursSchema = createBusinessHoursSchema();

// ── time-zone arithmetic ────────────────────────────────────────────────────────────────────────────

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The local wall-clock reading at instant `t`, expressed as if that reading were UTC. */
export function wallClock(t: number, timezone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(new Date(t))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wholeSeconds = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wholeSeconds + (t - Math.floor(t / 1000) * 1000);
}

function offsetAt(t: number, timezone: string): number {
  return wallClock(t, timezone) - t;
}

/**
 * The instant a local wall-clock reading happens. A reading that occurs twice (autumn overlap) maps to
 * the earlier instant; one skipped by a spring-forward gap is pushed forward by the gap, the same rule
 * as Temporal's `'compatible'` disambiguation.
 */
function instantOf(wall: number, timezone: string): number {
  const before = offsetAt(wall - DAY_MS, timezone);
  const after = offsetAt(wall + DAY_MS, timezone);
  const candidates = [wall - before, wall - after].filter((t) => wallClock(t, timezone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before;
}

/** Days since 1970-01-01 of the local date at instant `t`. */
function localDayNumber(t: number, timezone: string): number {
  return Math.floor(wallClock(t, timezone) / DAY_MS);
}

interface CompiledHours {
  timezone: string;
  /** Merged, sorted [startMinute, endMinute) intervals per weekday, Sunday first. */
  byWeekday: Array<Array<[number, number]>>;
  holidays: Set<string>;
}

const compiled = new WeakMap<WeeklyBusinessHours, CompiledHours>();

function compile(hours: WeeklyBusinessHours): CompiledHours {
  const cached = compiled.get(hours);
  if (cached) return cached;
  const byWeekday: Array<Array<[number, number]>> = WEEKDAYS.map(() => []);
  for (const window of hours.windows) {
    const start = parseClock(window.start);
    const end = parseClock(window.end);
    if (start === undefined || end === undefined || end <= start) continue;
    for (const day of window.days) byWeekday[WEEKDAYS.indexOf(day)].push([start, end]);
  }
  for (const [index, intervals] of byWeekday.entries()) {
    intervals.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const interval of intervals) {
      const last = merged[merged.length - 1];
      if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
      else merged.push([interval[0], interval[1]]);
    }
    byWeekday[index] = merged;
  }
  const result: CompiledHours = { timezone: hours.timezone, byWeekday, holidays: new Set(hours.holidays) };
  compiled.set(hours, result);
  return result;
}

/** Open [from, to) instants on one local day, in order. */
function openingsOn(day: number, hours: CompiledHours): Array<[number, number]> {
  const date = new Date(day * DAY_MS);
  if (hours.holidays.has(date.toISOString().slice(0, 10))) return [];
  const midnight = day * DAY_MS;
  const openings: Array<[number, number]> = [];
  for (const [start, end] of hours.byWeekday[date.getUTCDay()]) {
    const open = instantOf(midnight + start * MINUTE_MS, hours.timezone);
    const close = instantOf(midnight + end * MINUTE_MS, hours.timezone);
    if (close > open) openings.push([open, close]);
  }
  return openings;
}

/**
 * Business hours that open somewhere in a week still leave a long closed run only through holidays;
 * ten years without an opening means the hours can never open.
 */
const SEARCH_LIMIT_DAYS = 3660;

/** Open intervals from the local day containing `from` onwards. */
function* openingsFrom(from: number, hours: CompiledHours): Generator<[number, number]> {
  const first = localDayNumber(from, hours.timezone);
  let sinceLastOpening = 0;
  for (let day = first; ; day++) {
    const openings = openingsOn(day, hours);
    if (openings.length > 0) sinceLastOpening = 0;
    else if (++sinceLastOpening > SEARCH_LIMIT_DAYS) {
      throw new Error(prefixed('business-hours', `no opening within ${SEARCH_LIMIT_DAYS} days of ${new Date(from).toISOString()}`));
    }
    yield* openings;
  }
}

/**
 * Milliseconds between `from` and `to` during which the vendor was open. Zero when `to` is not after
 * `from`. With `'24x7'` this is the calendar difference.
 */
export function businessMsBetween(from: Date, to: Date, hours: BusinessHours): number {
  const start = from.getTime();
  const end = to.getTime();
  if (!(end > start)) return 0;
  if (hours === '24x7') return end - start;
  let total = 0;
  for (const [open, close] of openingsFrom(start, compile(hours))) {
    if (open >= end) break;
    const overlap = Math.min(close, end) - Math.max(open, start);
    if (overlap > 0) total += overlap;
  }
  return total;
}

/** Whether the vendor is open at instant `at` (opening time included, closing time excluded). */
export function isWithinBusinessHours(at: Date, hours: BusinessHours): boolean {
  if (hours === '24x7') return true;
  const t = at.getTime();
  const compiledHours = compile(hours);
  return openingsOn(localDayNumber(t, hours.timezone), compiledHours).some(([open, close]) => open <= t && t < close);
}

/** `at` itself when the vendor is open then, otherwise the instant it next opens. */
export function nextBusinessOpening(at: Date, hours: BusinessHours): Date {
  if (hours === '24x7') return new Date(at.getTime());
  const t = at.getTime();
  for (const [open, close] of openingsFrom(t, compile(hours))) {
    if (close <= t) continue;
    return new Date(Math.max(open, t));
  }
  throw new Error('unreachable: openingsFrom never ends without throwing');
}

/**
 * The instant at which `ms` of business time has passed since `from` — a business-clock deadline.
 * A deadline that uses up a window exactly lands on that window's closing time.
 */
export function addBusinessMs(from: Date, ms: number, hours: BusinessHours): Date {
  const start = from.getTime();
  if (hours === '24x7' || ms <= 0) return new Date(start + Math.max(ms, 0));
  let remaining = ms;
  for (const [open, close] of openingsFrom(start, compile(hours))) {
    if (close <= start) continue;
    const begin = Math.max(open, start);
    const available = close - begin;
    if (remaining <= available) return new Date(begin + remaining);
    remaining -= available;
  }
  throw new Error('unreachable: openingsFrom never ends without throwing');
}
