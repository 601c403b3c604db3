import { describe, expect, it } from 'vitest';
import { slaSchema } from '../../src/core/sla.ts';
import { slaVerdict, type SlaTimings } from '../../src/support/sla.ts';

const MINUTE = 60_000;
const filedAt = new Date('2026-03-09T10:00:00Z');
const at = (minutes: number) => new Date(filedAt.getTime() + minutes * MINUTE);
// Calendar targets: a resolution within 2 h.
const targets = slaSchema.parse({ resolution: '2h', clock: 'calendar' });

/** Resolved at 2 h 30 min after filing, after the vendor waited 1 h on our answer. */
const waited: SlaTimings = {
  filedAt,
  businessHours: null,
  firstResponseAt: at(5),
  firstHumanResponseAt: at(5),
  firstSubstantiveResponseAt: at(5),
  resolutionAt: at(150),
  customerWaits: [{ from: at(10), to: at(70) }],
};

describe('slaVerdict net or gross of customer wait', () => {
  it('judges net by default: the hour the vendor waited on us does not count against it', () => {
    const verdict = slaVerdict(waited, targets, at(200));
    expect(verdict.resolution).toBe('met');
    expect(verdict.checks[0]).toMatchObject({ elapsedMs: 90 * MINUTE, dueAt: at(180) });
    expect(verdict.notes.join(' ')).toMatch(/net of customer wait: the clock stopped for 1 h 00 min/);
  });

  it('judges gross when the vendor contract says its clock runs while it waits on the customer', () => {
    const verdict = slaVerdict(waited, targets, at(200), 'gross');
    expect(verdict.resolution).toBe('missed');
    expect(verdict.checks[0]).toMatchObject({ elapsedMs: 150 * MINUTE, dueAt: at(120) });
    expect(verdict.notes.join(' ')).toMatch(/judged gross/);
  });

  it('keeps a pending target pending while the vendor is still waiting on us', () => {
    const open: SlaTimings = { ...waited, resolutionAt: null, customerWaits: [{ from: at(10), to: null }] };
    // 3 h after filing, but the vendor has waited on us since minute 10.
    expect(slaVerdict(open, targets, at(180)).resolution).toBe('pending');
    expect(slaVerdict(open, targets, at(180), 'gross').resolution).toBe('missed');
    expect(slaVerdict(open, targets, at(180)).checks[0]!.elapsedMs).toBe(10 * MINUTE);
  });
});
