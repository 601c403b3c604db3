import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { businessHoursSchema } from '../../src/core/business-hours.ts';
import { latestSlaDeadline, resolveSla, slaSchema, SLA_TIERS } from '../../src/core/sla.ts';
import { slaVerdict, type SlaTimings } from '../../src/support/sla.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const shanghai = businessHoursSchema.parse({
  timezone: 'Asia/Shanghai',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '09:00',
  end: '18:00',
});

/** Filed Friday 17:30 in Shanghai, half an hour before the vendor closes for the weekend. */
const fridayEvening = new Date('2026-03-06T17:30:00+08:00');

function timings(overrides: Partial<SlaTimings> = {}): SlaTimings {
  return {
    filedAt: fridayEvening,
    businessHours: shanghai,
    firstResponseAt: null,
    firstHumanResponseAt: null,
    firstSubstantiveResponseAt: null,
    resolutionAt: null,
    ...overrides,
  };
}

const local = (text: string): Date => new Date(`${text}+08:00`);

function issues(input: unknown): string[] {
  const result = slaSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('slaSchema', () => {
  it('resolves starter to 8 business hours for a first human response and 40 for resolution', () => {
    expect(slaSchema.parse('starter')).toEqual({
      tier: 'starter',
      clock: 'business',
      firstResponseMs: null,
      firstHumanResponseMs: 8 * HOUR,
      firstSubstantiveResponseMs: null,
      resolutionMs: 40 * HOUR,
    });
  });

  it('resolves growth to 2 business hours for a first human response and 16 for resolution', () => {
    expect(slaSchema.parse('growth')).toMatchObject({ clock: 'business', firstHumanResponseMs: 2 * HOUR, resolutionMs: 16 * HOUR });
  });

  it('resolves mature to 30 calendar minutes for a first human response and 24 hours for resolution', () => {
    expect(slaSchema.parse('mature')).toMatchObject({ clock: 'calendar', firstHumanResponseMs: 30 * MINUTE, resolutionMs: 24 * HOUR });
  });

  it('parses explicit duration strings into milliseconds on the calendar clock by default', () => {
    expect(slaSchema.parse({ firstResponse: '15m', firstHumanResponse: '2h', firstSubstantiveResponse: '1h30m', resolution: '3d' })).toEqual({
      tier: null,
      clock: 'calendar',
      firstResponseMs: 15 * MINUTE,
      firstHumanResponseMs: 2 * HOUR,
      firstSubstantiveResponseMs: 90 * MINUTE,
      resolutionMs: 72 * HOUR,
    });
  });

  it('keeps a business clock asked for by explicit targets', () => {
    expect(slaSchema.parse({ resolution: '24h', clock: 'business' })).toMatchObject({ clock: 'business', resolutionMs: 24 * HOUR });
  });

  it('rejects an unknown tier and lists the built-in ones', () => {
    expect(issues('platinum')).toEqual([
      ": unknown SLA tier 'platinum'; expected a tier ('starter', 'growth', 'mature') or targets like { firstHumanResponse: '2h', resolution: '24h', clock: 'business' }",
    ]);
  });

  it('rejects a target that is not a duration, naming the field', () => {
    expect(issues({ firstHumanResponse: '2 hours' })).toEqual([
      "firstHumanResponse: expected a duration like '500ms', '12s', '2m' or '1h', got '2 hours'",
    ]);
  });

  it('rejects a zero target', () => {
    expect(issues({ resolution: '0s' })).toEqual(["resolution: expected a duration longer than 0, got '0s'"]);
  });

  it('rejects explicit targets that name none', () => {
    expect(issues({ clock: 'business' })).toEqual([
      ': name at least one target: firstResponse, firstHumanResponse, firstSubstantiveResponse or resolution',
    ]);
  });

  it('rejects an unknown clock', () => {
    expect(issues({ resolution: '1d', clock: 'wall' })).toEqual(["clock: clock must be 'business' or 'calendar'"]);
  });

  it('rejects a misspelt target instead of ignoring it', () => {
    expect(issues({ firstHumanReponse: '2h', resolution: '1d' })).toEqual([': Unrecognized key: "firstHumanReponse"']);
  });
});

describe('resolveSla', () => {
  it('returns the targets of a tier', () => {
    expect(resolveSla('mature')).toEqual(SLA_TIERS.mature);
  });

  it('throws a user error naming the field and the problem', () => {
    expect(() => resolveSla({ resolution: 'soon' })).toThrow(UserError);
    expect(() => resolveSla({ resolution: 'soon' })).toThrow(
      "[supportdrill] [sla] invalid SLA: resolution: expected a duration like '500ms', '12s', '2m' or '1h', got 'soon'",
    );
  });
});

describe('slaVerdict with the starter tier', () => {
  const starter = resolveSla('starter');

  it('meets the first human response when a Monday 09:30 reply is 1 business hour after Friday 17:30', () => {
    const verdict = slaVerdict(timings({ firstHumanResponseAt: local('2026-03-09T09:30:00') }), starter, local('2026-03-09T10:00:00'));
    expect(verdict.firstHumanResponse).toBe('met');
    expect(verdict.checks.find((check) => check.target === 'firstHumanResponse')?.elapsedMs).toBe(HOUR);
  });

  it('misses the first human response answered after 10.5 business hours', () => {
    const verdict = slaVerdict(timings({ firstHumanResponseAt: local('2026-03-10T09:30:00') }), starter, local('2026-03-10T10:00:00'));
    expect(verdict.firstHumanResponse).toBe('missed');
  });

  it('keeps an unanswered ticket pending within its 8 business hours', () => {
    const verdict = slaVerdict(timings(), starter, local('2026-03-09T12:00:00'));
    expect(verdict).toMatchObject({ firstHumanResponse: 'pending', resolution: 'pending', overall: 'pending' });
  });

  it('misses an unanswered ticket once 8 business hours have passed', () => {
    const verdict = slaVerdict(timings(), starter, local('2026-03-09T16:31:00'));
    expect(verdict).toMatchObject({ firstHumanResponse: 'missed', resolution: 'pending', overall: 'missed' });
  });

  it('stays pending over a weekend when the target runs out at Friday closing time', () => {
    const verdict = slaVerdict(timings({ filedAt: local('2026-03-06T10:00:00') }), starter, local('2026-03-07T12:00:00'));
    expect(verdict.firstHumanResponse).toBe('pending');
    expect(verdict.checks.find((check) => check.target === 'firstHumanResponse')?.dueAt).toEqual(local('2026-03-09T09:00:00'));
  });

  it('meets a resolution 40 business hours after filing', () => {
    // 0.5 h Friday + 4 × 9 h Monday–Thursday + 3.5 h Friday = 40 h.
    const verdict = slaVerdict(
      timings({ firstHumanResponseAt: local('2026-03-09T09:30:00'), resolutionAt: local('2026-03-13T12:30:00') }),
      starter,
      local('2026-03-13T13:00:00'),
    );
    expect(verdict).toMatchObject({ resolution: 'met', overall: 'met' });
  });

  it('judges only first human response and resolution', () => {
    const verdict = slaVerdict(timings({ firstResponseAt: local('2026-03-06T17:30:05') }), starter, local('2026-03-06T17:31:00'));
    expect(verdict.checks.map((check) => check.target)).toEqual(['firstHumanResponse', 'resolution']);
    expect(verdict).not.toHaveProperty('firstResponse');
  });
});

describe('slaVerdict with the growth tier', () => {
  const growth = resolveSla('growth');

  it('meets a first human response 1 business hour after filing', () => {
    expect(slaVerdict(timings({ firstHumanResponseAt: local('2026-03-09T09:30:00') }), growth, local('2026-03-09T10:00:00')).firstHumanResponse).toBe('met');
  });

  it('misses a first human response 2.5 business hours after filing', () => {
    expect(slaVerdict(timings({ firstHumanResponseAt: local('2026-03-09T11:00:00') }), growth, local('2026-03-09T12:00:00')).firstHumanResponse).toBe('missed');
  });

  it('is pending through the weekend with 30 business minutes used', () => {
    expect(slaVerdict(timings(), growth, local('2026-03-08T20:00:00')).firstHumanResponse).toBe('pending');
  });
});

describe('slaVerdict with the mature tier', () => {
  const mature = resolveSla('mature');

  it('meets a first human response 20 minutes after filing, even outside business hours', () => {
    const verdict = slaVerdict(timings({ firstHumanResponseAt: local('2026-03-06T17:50:00') }), mature, local('2026-03-06T18:00:00'));
    expect(verdict).toMatchObject({ clock: 'calendar', firstHumanResponse: 'met' });
  });

  it('misses a first human response on Monday morning that a business clock would have counted as 1 hour', () => {
    const verdict = slaVerdict(timings({ firstHumanResponseAt: local('2026-03-09T09:30:00') }), mature, local('2026-03-09T10:00:00'));
    expect(verdict.firstHumanResponse).toBe('missed');
  });

  it('is pending 10 minutes after filing with no reply', () => {
    expect(slaVerdict(timings(), mature, local('2026-03-06T17:40:00')).firstHumanResponse).toBe('pending');
  });

  it('misses the resolution when nothing is solved 24 hours later', () => {
    const verdict = slaVerdict(timings({ firstHumanResponseAt: local('2026-03-06T17:45:00') }), mature, local('2026-03-07T17:31:00'));
    expect(verdict).toMatchObject({ firstHumanResponse: 'met', resolution: 'missed', overall: 'missed' });
  });
});

describe('slaVerdict with explicit targets', () => {
  it('judges exactly the targets that were set', () => {
    const targets = resolveSla({ firstResponse: '1m', firstSubstantiveResponse: '1h' });
    const filedAt = new Date('2026-03-09T10:00:00Z');
    const verdict = slaVerdict(
      timings({ filedAt, businessHours: null, firstResponseAt: new Date('2026-03-09T10:00:02Z'), firstSubstantiveResponseAt: new Date('2026-03-09T11:30:00Z') }),
      targets,
      new Date('2026-03-09T12:00:00Z'),
    );
    expect(verdict).toEqual(expect.objectContaining({ tier: null, firstResponse: 'met', firstSubstantiveResponse: 'missed', overall: 'missed' }));
    expect(verdict.checks).toHaveLength(2);
  });

  it('meets a target reached exactly at its deadline', () => {
    const filedAt = new Date('2026-03-09T10:00:00Z');
    const verdict = slaVerdict(
      timings({ filedAt, businessHours: null, firstHumanResponseAt: new Date('2026-03-09T12:00:00Z') }),
      resolveSla({ firstHumanResponse: '2h' }),
      new Date('2026-03-09T13:00:00Z'),
    );
    expect(verdict.firstHumanResponse).toBe('met');
  });

  it('falls back to calendar time on a business clock when the vendor has no business hours, and says so', () => {
    const verdict = slaVerdict(
      timings({ businessHours: null, firstHumanResponseAt: local('2026-03-09T09:30:00') }),
      resolveSla({ firstHumanResponse: '2h', clock: 'business' }),
      local('2026-03-09T10:00:00'),
    );
    expect(verdict).toMatchObject({ clock: 'calendar', firstHumanResponse: 'missed' });
    expect(verdict.notes[0]).toContain('calendar time was used');
  });

  it('counts only open hours on an explicit business clock', () => {
    const verdict = slaVerdict(
      timings({ firstHumanResponseAt: local('2026-03-09T09:30:00') }),
      resolveSla({ firstHumanResponse: '2h', clock: 'business' }),
      local('2026-03-09T10:00:00'),
    );
    expect(verdict).toMatchObject({ clock: 'business', firstHumanResponse: 'met' });
  });
});

describe('latestSlaDeadline', () => {
  /** What slaVerdict says is each target's deadline: the one a watch must outlast. */
  const verdictDeadlines = (targets: ReturnType<typeof resolveSla>, hours: SlaTimings['businessHours']) =>
    slaVerdict(timings({ businessHours: hours }), targets, fridayEvening).checks.map((check) => check.dueAt.getTime());

  it('is the starter tier’s resolution deadline, 40 business hours on, the same instant the verdict gives', () => {
    const latest = latestSlaDeadline(fridayEvening, SLA_TIERS.starter, shanghai);
    // Friday 0.5 h, Monday to Thursday 4 × 9 h, then 3.5 h on the next Friday.
    expect(latest).toEqual(local('2026-03-13T12:30:00'));
    expect(latest!.getTime()).toBe(Math.max(...verdictDeadlines(SLA_TIERS.starter, shanghai)));
  });

  it('carries a deadline used up at closing time to the next opening, as the verdict does', () => {
    const targets = resolveSla({ firstHumanResponse: '30m', clock: 'business' });
    expect(latestSlaDeadline(fridayEvening, targets, shanghai)).toEqual(local('2026-03-09T09:00:00'));
    expect(verdictDeadlines(targets, shanghai)).toEqual([local('2026-03-09T09:00:00').getTime()]);
  });

  it('counts calendar time on a calendar clock, and on a business clock without business hours', () => {
    expect(latestSlaDeadline(fridayEvening, SLA_TIERS.mature, shanghai)).toEqual(new Date(fridayEvening.getTime() + 24 * HOUR));
    expect(latestSlaDeadline(fridayEvening, SLA_TIERS.growth, null)).toEqual(new Date(fridayEvening.getTime() + 16 * HOUR));
    expect(latestSlaDeadline(fridayEvening, SLA_TIERS.growth, null)!.getTime()).toBe(Math.max(...verdictDeadlines(SLA_TIERS.growth, null)));
  });

  it('is null for an SLA without targets', () => {
    const none = { ...SLA_TIERS.mature, firstHumanResponseMs: null, resolutionMs: null };
    expect(latestSlaDeadline(fridayEvening, none, shanghai)).toBeNull();
  });
});
