import { describe, expect, it } from 'vitest';
import {
  addBusinessMs,
  businessHoursSchema,
  businessMsBetween,
  createBusinessHoursSchema,
  isWithinBusinessHours,
  nextBusinessOpening,
  type BusinessHours,
} from '../../src/core/business-hours.ts';

const HOUR = 3_600_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

function hours(input: unknown): BusinessHours {
  return businessHoursSchema.parse(input);
}

function messages(input: unknown): string[] {
  const result = businessHoursSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const shanghai = hours({ timezone: 'Asia/Shanghai', days: WEEKDAYS, start: '09:00', end: '18:00' });

describe('businessHoursSchema', () => {
  it('normalises a single window into the windows form', () => {
    expect(hours({ timezone: 'Asia/Shanghai', days: ['Mon', 'tue'], start: '9:00', end: '18:00' })).toEqual({
      timezone: 'Asia/Shanghai',
      windows: [{ days: ['mon', 'tue'], start: '09:00', end: '18:00' }],
      holidays: [],
    });
  });

  it('accepts several windows with holidays', () => {
    const parsed = hours({
      timezone: 'Asia/Shanghai',
      windows: [
        { days: WEEKDAYS, start: '09:00', end: '18:00' },
        { days: ['sat'], start: '10:00', end: '14:00' },
      ],
      holidays: ['2026-10-02', '2026-10-01'],
    });
    expect(parsed).toEqual({
      timezone: 'Asia/Shanghai',
      windows: [
        { days: WEEKDAYS, start: '09:00', end: '18:00' },
        { days: ['sat'], start: '10:00', end: '14:00' },
      ],
      holidays: ['2026-10-01', '2026-10-02'],
    });
  });

  it("accepts '24x7' as always open", () => {
    expect(hours('24x7')).toBe('24x7');
  });

  it('parses its own output to the same value', () => {
    const parsed = hours({ timezone: 'Europe/Berlin', days: ['fri', 'mon'], start: '8:30', end: '24:00', holidays: ['2026-12-25'] });
    expect(hours(parsed)).toEqual(parsed);
  });

  it('takes the timezone from the surrounding config when the hours name none', () => {
    const schema = createBusinessHoursSchema({ defaultTimezone: 'America/New_York' });
    const parsed = schema.parse([{ days: WEEKDAYS, start: '09:00', end: '17:00' }]);
    expect(parsed).toMatchObject({ timezone: 'America/New_York' });
  });

  it('requires a timezone when nothing supplies one', () => {
    expect(messages({ days: WEEKDAYS, start: '09:00', end: '18:00' })).toEqual([
      "timezone: timezone is required: an IANA name like 'Asia/Shanghai'",
    ]);
  });

  it('rejects an end before the start and says how to cross midnight', () => {
    expect(messages({ timezone: 'UTC', days: ['mon'], start: '18:00', end: '09:00' })).toEqual([
      "end: end '09:00' is not after start '18:00'; a window that runs past midnight is written as two windows (e.g. 22:00–24:00 and 00:00–06:00)",
    ]);
  });

  it('rejects a window that closes when it opens', () => {
    expect(messages({ timezone: 'UTC', windows: [{ days: ['mon'], start: '09:00', end: '09:00' }] })[0]).toMatch(
      /^windows\.0\.end: end '09:00' is not after start '09:00'/,
    );
  });

  it("rejects '25:00' as a time of day", () => {
    expect(messages({ timezone: 'UTC', days: ['mon'], start: '25:00', end: '26:00' })).toEqual([
      "start: '25:00' is not a time of day; write it as HH:MM between 00:00 and 24:00",
      "end: '26:00' is not a time of day; write it as HH:MM between 00:00 and 24:00",
    ]);
  });

  it('rejects an unknown day and lists the valid ones', () => {
    expect(messages({ timezone: 'UTC', days: ['mon', 'funday'], start: '09:00', end: '18:00' })).toEqual([
      "days.1: unknown day 'funday'; expected one of mon, tue, wed, thu, fri, sat, sun",
    ]);
  });

  it('rejects a timezone Intl does not know', () => {
    expect(messages({ timezone: 'Asia/Shangai', days: ['mon'], start: '09:00', end: '18:00' })).toEqual([
      "timezone: 'Asia/Shangai' is not an IANA timezone; write it like 'Asia/Shanghai', 'Europe/Berlin' or 'UTC'",
    ]);
  });

  it('rejects a holiday that is not a calendar date', () => {
    expect(messages({ timezone: 'UTC', days: ['mon'], start: '09:00', end: '18:00', holidays: ['2026-02-30'] })).toEqual([
      "holidays.0: '2026-02-30' is not a date; write holidays as YYYY-MM-DD, e.g. '2026-10-01'",
    ]);
  });

  it('reports every problem of a window in one pass', () => {
    expect(messages({ days: ['mnd'], start: '10:00', end: '09:00' })).toHaveLength(3);
  });

  it('rejects a misspelt key instead of ignoring it', () => {
    expect(messages({ timezone: 'UTC', days: ['mon'], start: '09:00', end: '18:00', hollidays: [] })).toEqual([
      ': Unrecognized key: "hollidays"',
    ]);
  });

  it('names the accepted shapes when given something else', () => {
    expect(messages('weekdays')[0]).toContain("expected '24x7', { timezone, days, start, end, holidays }");
  });
});

describe('businessMsBetween', () => {
  it('counts one business hour from Friday 17:30 to Monday 09:30 in Asia/Shanghai', () => {
    const from = new Date('2026-03-06T17:30:00+08:00');
    const to = new Date('2026-03-09T09:30:00+08:00');
    expect(businessMsBetween(from, to, shanghai)).toBe(HOUR);
    expect(to.getTime() - from.getTime()).toBe(64 * HOUR);
  });

  it('skips holidays', () => {
    const withHolidays = hours({
      timezone: 'Asia/Shanghai',
      days: WEEKDAYS,
      start: '09:00',
      end: '18:00',
      holidays: ['2026-10-01', '2026-10-02'],
    });
    const from = new Date('2026-09-30T17:00:00+08:00');
    const to = new Date('2026-10-05T10:00:00+08:00');
    expect(businessMsBetween(from, to, withHolidays)).toBe(2 * HOUR);
    expect(businessMsBetween(from, to, shanghai)).toBe(20 * HOUR);
  });

  it('adds the hours of every window a span crosses', () => {
    const withSaturday = hours({
      timezone: 'Asia/Shanghai',
      windows: [
        { days: WEEKDAYS, start: '09:00', end: '18:00' },
        { days: ['sat'], start: '10:00', end: '14:00' },
      ],
    });
    const from = new Date('2026-03-06T17:00:00+08:00');
    const to = new Date('2026-03-09T10:00:00+08:00');
    expect(businessMsBetween(from, to, withSaturday)).toBe(6 * HOUR);
  });

  it('counts overlapping windows once', () => {
    const overlapping = hours({
      timezone: 'UTC',
      windows: [
        { days: ['mon'], start: '09:00', end: '13:00' },
        { days: ['mon'], start: '12:00', end: '18:00' },
      ],
    });
    expect(businessMsBetween(new Date('2026-03-09T00:00:00Z'), new Date('2026-03-10T00:00:00Z'), overlapping)).toBe(9 * HOUR);
  });

  it('is zero when the end is not after the start', () => {
    expect(businessMsBetween(new Date('2026-03-09T03:00:00Z'), new Date('2026-03-09T02:00:00Z'), shanghai)).toBe(0);
  });

  it("equals calendar time for '24x7'", () => {
    expect(businessMsBetween(new Date('2026-03-06T10:00:00Z'), new Date('2026-03-09T10:00:00Z'), '24x7')).toBe(72 * HOUR);
  });

  it('counts 25 hours in a whole-day window on the Sunday Europe/Berlin leaves summer time', () => {
    const sundays = hours({ timezone: 'Europe/Berlin', days: ['sun'], start: '00:00', end: '24:00' });
    expect(businessMsBetween(new Date('2026-10-24T00:00:00Z'), new Date('2026-10-27T00:00:00Z'), sundays)).toBe(25 * HOUR);
  });

  it('counts 23 hours in a whole-day window on the Sunday Europe/Berlin enters summer time', () => {
    const sundays = hours({ timezone: 'Europe/Berlin', days: ['sun'], start: '00:00', end: '24:00' });
    expect(businessMsBetween(new Date('2026-03-28T00:00:00Z'), new Date('2026-03-31T00:00:00Z'), sundays)).toBe(23 * HOUR);
  });

  it('opens a window that starts in the repeated autumn hour at its first occurrence', () => {
    // 2026-10-25 in Berlin: 02:00–03:00 happens twice, first in summer time (00:00–01:00 UTC).
    const early = hours({ timezone: 'Europe/Berlin', days: ['sun'], start: '02:30', end: '04:00' });
    expect(businessMsBetween(new Date('2026-10-24T12:00:00Z'), new Date('2026-10-26T00:00:00Z'), early)).toBe(2.5 * HOUR);
  });

  it('opens a window that starts in the skipped spring hour after the gap', () => {
    // 2026-03-29 in Berlin: 02:00–03:00 does not exist, so 02:30 reads as 03:30 summer time.
    const early = hours({ timezone: 'Europe/Berlin', days: ['sun'], start: '02:30', end: '04:00' });
    expect(businessMsBetween(new Date('2026-03-28T12:00:00Z'), new Date('2026-03-30T00:00:00Z'), early)).toBe(0.5 * HOUR);
  });

  it('keeps America/New_York hours at local 09:00–17:00 across the end of daylight time', () => {
    const newYork = hours({ timezone: 'America/New_York', days: WEEKDAYS, start: '09:00', end: '17:00' });
    const from = new Date('2026-10-30T16:00:00-04:00');
    const to = new Date('2026-11-02T10:00:00-05:00');
    expect(businessMsBetween(from, to, newYork)).toBe(2 * HOUR);
    expect(to.getTime() - from.getTime()).toBe(67 * HOUR);
  });
});

describe('isWithinBusinessHours', () => {
  it('is open at the opening minute', () => {
    expect(isWithinBusinessHours(new Date('2026-03-09T09:00:00+08:00'), shanghai)).toBe(true);
  });

  it('is closed at the closing minute', () => {
    expect(isWithinBusinessHours(new Date('2026-03-09T18:00:00+08:00'), shanghai)).toBe(false);
  });

  it('reads the time in the vendor timezone, not UTC', () => {
    // 02:00 UTC on a Monday is 10:00 in Shanghai.
    expect(isWithinBusinessHours(new Date('2026-03-09T02:00:00Z'), shanghai)).toBe(true);
  });

  it('is closed all day on a holiday', () => {
    const withHoliday = hours({ timezone: 'Asia/Shanghai', days: WEEKDAYS, start: '09:00', end: '18:00', holidays: ['2026-10-01'] });
    expect(isWithinBusinessHours(new Date('2026-10-01T11:00:00+08:00'), withHoliday)).toBe(false);
  });

  it("is always open for '24x7'", () => {
    expect(isWithinBusinessHours(new Date('2026-03-07T03:00:00Z'), '24x7')).toBe(true);
  });
});

describe('nextBusinessOpening', () => {
  it('returns the instant itself while open', () => {
    const at = new Date('2026-03-09T11:15:00+08:00');
    expect(nextBusinessOpening(at, shanghai)).toEqual(at);
  });

  it('returns Monday 09:00 from a Saturday', () => {
    expect(nextBusinessOpening(new Date('2026-03-07T12:00:00+08:00'), shanghai)).toEqual(new Date('2026-03-09T09:00:00+08:00'));
  });

  it('skips a holiday', () => {
    const withHoliday = hours({ timezone: 'Asia/Shanghai', days: WEEKDAYS, start: '09:00', end: '18:00', holidays: ['2026-03-09'] });
    expect(nextBusinessOpening(new Date('2026-03-07T12:00:00+08:00'), withHoliday)).toEqual(new Date('2026-03-10T09:00:00+08:00'));
  });

  it('opens at 09:00 local time after America/New_York leaves daylight time', () => {
    const newYork = hours({ timezone: 'America/New_York', days: WEEKDAYS, start: '09:00', end: '17:00' });
    expect(nextBusinessOpening(new Date('2026-10-31T12:00:00Z'), newYork)).toEqual(new Date('2026-11-02T14:00:00Z'));
  });
});

describe('addBusinessMs', () => {
  it('carries a deadline over the weekend', () => {
    expect(addBusinessMs(new Date('2026-03-06T17:30:00+08:00'), HOUR, shanghai)).toEqual(new Date('2026-03-09T09:30:00+08:00'));
  });

  it('lands on closing time when the budget ends with a window', () => {
    expect(addBusinessMs(new Date('2026-03-06T10:00:00+08:00'), 8 * HOUR, shanghai)).toEqual(new Date('2026-03-06T18:00:00+08:00'));
  });

  it("adds calendar time for '24x7'", () => {
    expect(addBusinessMs(new Date('2026-03-07T00:00:00Z'), 30 * 60_000, '24x7')).toEqual(new Date('2026-03-07T00:30:00Z'));
  });
});
