import { describe, expect, it } from 'vitest';
import {
  RECOVERY_GRACE_MS,
  scoreEpisodes,
  type AppliedFault,
  type Episode,
} from '../../src/drill/scoring.ts';

const T = 1_800_000_000_000;
const fault: AppliedFault = { index: 0, kind: 'video-freeze', target: 'teacher', affects: ['student-1', 'student-2'], plannedAt: 10_000, plannedFor: 10_000, startedAt: T + 10_000, endedAt: T + 20_000 };
const episode = (over: Partial<Episode>): Episode => ({ participant: 'student-1', source: 'teacher', startedAt: T + 10_040, detectedAt: T + 10_552, endedAt: T + 22_100, ...over });

describe('scoreEpisodes', () => {
  it('measures onset, detection overhead and recovery against the fault', () => {
    const [scored] = scoreEpisodes([episode({})], [fault], 500, T + 30_000);
    expect(scored).toMatchObject({ fault: 0, onsetDelayMs: 40, detectionOverheadMs: 12, recoveryMs: 2100, durationMs: 12_060 });
  });

  it('counts an episode that overlaps no fault as a false freeze', () => {
    const [scored] = scoreEpisodes([episode({ startedAt: T + 3000, detectedAt: T + 3510, endedAt: T + 3900 })], [fault], 500, T + 30_000);
    expect(scored).toMatchObject({ fault: null, onsetDelayMs: null, recoveryMs: null, detectionOverheadMs: 10, durationMs: 900 });
  });

  it('keeps a freeze that starts during the recovery after a fault with that fault', () => {
    const start = T + 20_000 + RECOVERY_GRACE_MS - 100;
    const [scored] = scoreEpisodes([episode({ startedAt: start, detectedAt: start + 501, endedAt: start + 800 })], [fault], 500, T + 30_000);
    expect(scored!.fault).toBe(0);
  });

  it("gives an episode that starts just before a fault's recorded start to that fault, not to an earlier one still recovering", () => {
    // The second fault's lever acted before its call returned (the media server stopped forwarding,
    // then confirmed): the picture stopped 40 ms before the recorded start, inside fault 0's recovery.
    const second: AppliedFault = { ...fault, index: 1, kind: 'relay-stall', startedAt: T + 21_000, endedAt: T + 25_000 };
    const [scored] = scoreEpisodes([episode({ startedAt: T + 20_960, detectedAt: T + 21_461, endedAt: T + 25_100 })], [fault, second], 500, T + 30_000);
    expect(scored).toMatchObject({ fault: 1, onsetDelayMs: -40 });
  });

  it('does not give a fault an episode of a student it does not affect', () => {
    const narrow = { ...fault, target: 'student-2', affects: ['student-2'] };
    const [scored] = scoreEpisodes([episode({})], [narrow], 500, T + 30_000);
    expect(scored!.fault).toBeNull();
  });

  it('measures an episode still open at the end of the class up to the end', () => {
    const [scored] = scoreEpisodes([episode({ endedAt: null })], [fault], 500, T + 30_000);
    expect(scored).toMatchObject({ durationMs: 19_960, recoveryMs: null, fault: 0 });
  });

  it('orders episodes by start', () => {
    const scored = scoreEpisodes([episode({ participant: 'student-2', startedAt: T + 10_090 }), episode({})], [fault], 500, T + 30_000);
    expect(scored.map((e) => e.participant)).toEqual(['student-1', 'student-2']);
  });
});

describe('scoreEpisodes with several faults', () => {
  it('gives an episode to the fault that was on when the picture stopped, not to one recovering nearby', () => {
    const earlier: AppliedFault = { ...fault, index: 0, startedAt: T + 1000, endedAt: T + 9500 };
    const later: AppliedFault = { ...fault, index: 1, startedAt: T + 10_000, endedAt: T + 20_000 };
    const [scored] = scoreEpisodes([episode({})], [earlier, later], 500, T + 30_000);
    expect(scored!.fault).toBe(1);
  });
});
