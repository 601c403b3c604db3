import { describe, expect, it } from 'vitest';
import { businessHoursSchema } from '../../src/core/business-hours.ts';
import { computeTimings, type TimedActivity } from '../../src/support/timings.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
const shanghai = businessHoursSchema.parse({ timezone: 'Asia/Shanghai', days: WEEKDAYS, start: '09:00', end: '18:00' });

const filedAt = new Date('2026-03-09T10:00:00Z');

/** An activity `minutes` after filing, seen 5 s later. */
function activity(minutes: number, kind: TimedActivity['kind'], extra: Partial<TimedActivity> = {}): TimedActivity {
  const at = new Date(filedAt.getTime() + minutes * MINUTE);
  return { at, seenAt: new Date(at.getTime() + 5000), kind, ...extra };
}

describe('computeTimings', () => {
  it('times each moment of a responsive vendor from the filing', () => {
    const timings = computeTimings({
      filedAt,
      activities: [activity(1, 'auto'), activity(5, 'canned'), activity(12, 'human'), activity(20, 'resolution')],
    });
    expect(timings).toMatchObject({
      firstResponseMs: 1 * MINUTE,
      firstHumanResponseMs: 5 * MINUTE,
      firstSubstantiveResponseMs: 12 * MINUTE,
      resolutionMs: 20 * MINUTE,
      resolvedBy: 'reply',
      firstResponseAt: new Date(filedAt.getTime() + MINUTE),
      resolutionAt: new Date(filedAt.getTime() + 20 * MINUTE),
    });
  });

  it('leaves every moment null when the vendor has done nothing', () => {
    const timings = computeTimings({ filedAt, activities: [] });
    expect(timings).toMatchObject({
      firstResponseAt: null,
      firstResponseMs: null,
      firstHumanResponseMs: null,
      firstSubstantiveResponseMs: null,
      resolutionMs: null,
      resolvedBy: null,
      repliesBeforeSubstantive: 0,
      measurementError: null,
      clockSkew: null,
    });
  });

  it('does not count a status change to pending as a response', () => {
    const timings = computeTimings({ filedAt, activities: [activity(1, null, { status: 'pending' }), activity(9, 'auto')] });
    expect(timings.firstResponseMs).toBe(9 * MINUTE);
  });

  it('counts a solved status as both a response and the resolution', () => {
    const timings = computeTimings({ filedAt, activities: [activity(30, null, { status: 'Solved' })] });
    expect(timings).toMatchObject({ firstResponseMs: 30 * MINUTE, resolutionMs: 30 * MINUTE, resolvedBy: 'status', firstHumanResponseMs: null });
  });

  it('resolves at a closed status that comes before any resolution reply', () => {
    const timings = computeTimings({
      filedAt,
      activities: [activity(10, 'canned'), activity(60, null, { status: 'closed' }), activity(90, 'resolution')],
    });
    expect(timings).toMatchObject({ resolutionMs: 60 * MINUTE, resolvedBy: 'status' });
  });

  it('orders activities by the vendor timestamp, not by when we saw them', () => {
    const late = activity(10, 'human', { seenAt: new Date(filedAt.getTime() + 11 * MINUTE) });
    const early = activity(3, 'canned', { seenAt: new Date(filedAt.getTime() + 20 * MINUTE) });
    const timings = computeTimings({ filedAt, activities: [late, early] });
    expect(timings).toMatchObject({ firstResponseMs: 3 * MINUTE, firstHumanResponseMs: 3 * MINUTE, repliesBeforeSubstantive: 1 });
  });

  it('counts the replies that came before the first substantive one', () => {
    const timings = computeTimings({
      filedAt,
      activities: [activity(1, 'auto'), activity(2, null, { status: 'open' }), activity(5, 'canned'), activity(8, 'canned'), activity(12, 'human'), activity(15, 'canned')],
    });
    expect(timings.repliesBeforeSubstantive).toBe(3);
  });

  it('counts every reply so far when none is substantive yet', () => {
    const timings = computeTimings({ filedAt, activities: [activity(1, 'auto'), activity(5, 'canned')] });
    expect(timings).toMatchObject({ repliesBeforeSubstantive: 2, firstSubstantiveResponseMs: null });
  });

  it('counts each request for information the ticket already gave', () => {
    const timings = computeTimings({
      filedAt,
      activities: [
        activity(5, 'canned', { requestsProvidedInfo: ['sdk version', 'channel name'] }),
        activity(9, 'canned', { requestsProvidedInfo: ['sdk version'] }),
        activity(12, 'human'),
      ],
    });
    expect(timings).toMatchObject({ redundantInfoRequests: 3, redundantInfoRequested: ['sdk version', 'channel name'] });
  });

  it('reports how late activities were seen', () => {
    const timings = computeTimings({
      filedAt,
      activities: [
        activity(1, 'auto', { seenAt: new Date(filedAt.getTime() + MINUTE + 2000) }),
        activity(5, 'canned', { seenAt: new Date(filedAt.getTime() + 5 * MINUTE + 10_000) }),
      ],
    });
    expect(timings.measurementError).toEqual({ maxMs: 10_000, meanMs: 6000 });
  });

  it('clamps an activity stamped before the filing to zero and flags the skew', () => {
    const timings = computeTimings({ filedAt, activities: [activity(-0.5, 'auto'), activity(4, 'human')] });
    expect(timings).toMatchObject({ firstResponseMs: 0, firstSubstantiveResponseMs: 4 * MINUTE, clockSkew: { activities: 1, maxMs: 30_000 } });
  });

  it('measures business time across a weekend in the vendor timezone', () => {
    const friday = new Date('2026-03-06T17:30:00+08:00');
    const monday = new Date('2026-03-09T09:30:00+08:00');
    const timings = computeTimings({
      filedAt: friday,
      activities: [{ at: monday, seenAt: monday, kind: 'human' }],
      business: shanghai,
    });
    expect(timings).toMatchObject({
      firstHumanResponseMs: 64 * HOUR,
      firstHumanResponseBusinessMs: HOUR,
      firstSubstantiveResponseBusinessMs: HOUR,
      resolutionBusinessMs: null,
      filedOutsideBusinessHours: false,
    });
  });

  it('measures business time across the Europe/Berlin change from summer time', () => {
    const berlin = businessHoursSchema.parse({ timezone: 'Europe/Berlin', days: WEEKDAYS, start: '09:00', end: '18:00' });
    const friday = new Date('2026-10-23T17:00:00+02:00');
    const monday = new Date('2026-10-26T10:00:00+01:00');
    const timings = computeTimings({ filedAt: friday, activities: [{ at: monday, seenAt: monday, kind: 'resolution' }], business: berlin });
    expect(timings).toMatchObject({ resolutionMs: 66 * HOUR, resolutionBusinessMs: 2 * HOUR });
  });

  it('flags a ticket filed after the vendor closed', () => {
    const timings = computeTimings({ filedAt: new Date('2026-03-06T18:30:00+08:00'), activities: [], business: shanghai });
    expect(timings.filedOutsideBusinessHours).toBe(true);
  });

  it('measures no business time when no business hours are given', () => {
    const timings = computeTimings({ filedAt, activities: [activity(5, 'human')] });
    expect(timings).toMatchObject({ firstSubstantiveResponseBusinessMs: null, filedOutsideBusinessHours: null, businessHours: null });
  });

  it("measures business time equal to calendar time for '24x7'", () => {
    const timings = computeTimings({ filedAt, activities: [activity(90, 'human')], business: '24x7' });
    expect(timings).toMatchObject({ firstSubstantiveResponseBusinessMs: 90 * MINUTE, filedOutsideBusinessHours: false });
  });
});

describe('computeTimings: the conversation', () => {
  it('never takes our own messages for the vendor responding', () => {
    const timings = computeTimings({ filedAt, activities: [activity(3, 'customer'), activity(9, 'auto')] });
    expect(timings).toMatchObject({ firstResponseMs: 9 * MINUTE, firstHumanResponseMs: null, customerMessages: 1, repliesBeforeSubstantive: 1 });
  });

  it('stops the clock while the vendor waits on us: gross and net durations, the waits and their total', () => {
    // The vendor asks at 10 min; we answer at 40 min; it engages at 50 and resolves at 90.
    const timings = computeTimings({
      filedAt,
      activities: [activity(10, 'canned', { questions: 2 }), activity(40, 'customer'), activity(50, 'human'), activity(90, 'resolution')],
    });
    expect(timings).toMatchObject({
      firstHumanResponseMs: 10 * MINUTE,
      firstHumanResponseNetMs: 10 * MINUTE,
      firstSubstantiveResponseMs: 50 * MINUTE,
      firstSubstantiveResponseNetMs: 20 * MINUTE,
      resolutionMs: 90 * MINUTE,
      resolutionNetMs: 60 * MINUTE,
      customerWaitMs: 30 * MINUTE,
      questionRounds: 1,
      questionRoundsBeforeSubstantive: 1,
    });
    expect(timings.customerWaits).toEqual([{ from: new Date(filedAt.getTime() + 10 * MINUTE), to: new Date(filedAt.getTime() + 40 * MINUTE) }]);
  });

  it('keeps a wait open until we answer, and a second question while waiting does not start another', () => {
    const timings = computeTimings({
      filedAt,
      activities: [activity(10, 'human', { questions: 1 }), activity(20, 'human', { questions: 1 }), activity(30, 'human')],
    });
    expect(timings.customerWaits).toEqual([{ from: new Date(filedAt.getTime() + 10 * MINUTE), to: null }]);
    expect(timings.customerWaitMs).toBe(0);
    expect(timings.questionRounds).toBe(2);
  });

  it('ends the wait when the vendor resolves without our answer', () => {
    const timings = computeTimings({
      filedAt,
      activities: [activity(10, 'human', { questions: 1 }), activity(30, 'resolution'), activity(40, 'customer')],
    });
    expect(timings.customerWaits).toEqual([{ from: new Date(filedAt.getTime() + 10 * MINUTE), to: new Date(filedAt.getTime() + 30 * MINUTE) }]);
    expect(timings).toMatchObject({ customerWaitMs: 20 * MINUTE, resolutionMs: 30 * MINUTE, resolutionNetMs: 10 * MINUTE });
  });

  it('ignores questions in auto-replies and from unverified senders', () => {
    const timings = computeTimings({
      filedAt,
      activities: [activity(1, 'auto', { questions: 1 }), activity(5, 'human', { questions: 1, unverified: true }), activity(30, 'resolution')],
    });
    expect(timings).toMatchObject({ customerWaits: [], resolutionNetMs: 30 * MINUTE, questionRounds: 0 });
  });

  it('measures business time net of customer wait too', () => {
    // Filed Mon 10:00 UTC = 18:00 Shanghai (closed); asked Tue 02:00 UTC (10:00), answered 03:00 (11:00), resolved 05:00 (13:00).
    const timings = computeTimings({
      filedAt,
      business: shanghai,
      activities: [activity(16 * 60, 'human', { questions: 1 }), activity(17 * 60, 'customer'), activity(19 * 60, 'resolution')],
    });
    expect(timings.resolutionBusinessMs).toBe(4 * HOUR);
    expect(timings.resolutionNetBusinessMs).toBe(3 * HOUR);
  });

  it('notes the escalation and the information the escalated side asked for again', () => {
    const timings = computeTimings({
      filedAt,
      activities: [
        activity(5, 'canned', { requestsProvidedInfo: ['channel'] }),
        activity(20, 'human', { escalation: true }),
        activity(40, 'human', { requestsProvidedInfo: ['uid', 'timestamps'], questions: 2 }),
      ],
    });
    expect(timings).toMatchObject({ escalatedAt: new Date(filedAt.getTime() + 20 * MINUTE), redundantInfoRequests: 3, redundantInfoRequestsAfterEscalation: 2 });
  });

  it('times the vendor reply after each follow-up', () => {
    const timings = computeTimings({
      filedAt,
      activities: [activity(1, 'auto'), activity(120, 'customer', { followUp: true }), activity(125, 'auto'), activity(150, 'human'), activity(300, 'customer', { followUp: true })],
    });
    expect(timings.followUps).toEqual([
      { at: new Date(filedAt.getTime() + 120 * MINUTE), nextReplyMs: 30 * MINUTE },
      { at: new Date(filedAt.getTime() + 300 * MINUTE), nextReplyMs: null },
    ]);
  });
});
