import { describe, expect, it } from 'vitest';
import type { RtpSummary, StatsSample, VideoState } from '../../src/classroom/page/protocol.ts';
import type { StatsRecord } from '../../src/drill/page-events.ts';
import { drillSchema } from '../../src/drill/schema.ts';
import { baselinePlan, judgeSteadyState } from '../../src/drill/steady-state.ts';

// A class in session at T; the baseline is its seconds 2 to 5. Stats come every second at +0.3.
const T = Date.parse('2026-12-01T10:00:00.000Z');
const from = T + 2000;
const to = T + 5000;
const SECONDS = [1, 2, 3, 4];

interface Second {
  video?: VideoState | null;
  fps?: number;
  audio?: { dropout: boolean; concealedShare: number };
  lost?: number;
  received?: number;
}

function sample(second: number, s: Second = {}): StatsSample {
  const rtp: RtpSummary[] = [
    { direction: 'inbound', kind: 'video', packetsLost: s.lost ?? 0, packetsReceived: s.received ?? second * 100 },
    { direction: 'inbound', kind: 'audio', packetsLost: 0, packetsReceived: second * 50 },
  ];
  return {
    at: T + second * 1000 + 300,
    renderedFps: { teacher: s.fps ?? 20 },
    droppedByFault: { audio: 0, video: 0 },
    rtp,
    ...(s.video === null ? {} : { video: { teacher: { state: s.video ?? 'moving', delayMs: 90, frame: second * 20 } } }),
    ...(s.audio ? { audio: s.audio } : {}),
  };
}

/** A class where every student's every second is healthy, except what `change` says. */
function stats(change: (student: string, second: number) => Second = () => ({}), students = ['student-1', 'student-2']): StatsRecord[] {
  const records: StatsRecord[] = SECONDS.map((second) => ({
    participant: 'teacher',
    sample: { at: T + second * 1000 + 300, renderedFps: {}, droppedByFault: { audio: 0, video: 0 }, rtp: [{ direction: 'outbound', kind: 'audio', packetsSent: second * 50 }, { direction: 'outbound', kind: 'video', packetsSent: second * 100 }] },
  }));
  for (const student of students) for (const second of SECONDS) records.push({ participant: student, sample: sample(second, change(student, second)) });
  return records;
}

const judge = (records: StatsRecord[], students = ['student-1', 'student-2']) => judgeSteadyState({ students, stats: records, from, to, inSessionAt: T });

describe('the steady-state judgement', () => {
  it('finds a class healthy when every student saw moving video, heard the teacher and lost nothing', () => {
    expect(judge(stats())).toEqual({ healthy: true, problems: [] });
  });

  it('names the student, the second and the state of a picture that was not moving', () => {
    const verdict = judge(stats((student, second) => (student === 'student-2' && second === 3 ? { video: 'frozen' } : {})));
    expect(verdict.healthy).toBe(false);
    expect(verdict.problems).toEqual(["student-2 at +3.3 s (10:00:03 UTC): the teacher's video frozen"]);
  });

  it('names a problem that lasted several seconds once, with the seconds it lasted', () => {
    const verdict = judge(stats((student, second) => (student === 'student-1' && second >= 3 ? { video: 'frozen' } : {})));
    expect(verdict.problems).toEqual(["student-1 from +3.3 s (10:00:03 UTC) to +4.3 s (10:00:04 UTC): the teacher's video frozen"]);
  });

  it('counts blank and still pictures as unhealthy too', () => {
    const verdict = judge(stats((student, second) => (student === 'student-1' && second === 4 ? { video: 'blank' } : student === 'student-2' && second === 3 ? { video: 'still' } : {})));
    expect(verdict.problems).toEqual(["student-1 at +4.3 s (10:00:04 UTC): the teacher's video blank", "student-2 at +3.3 s (10:00:03 UTC): the teacher's video still"]);
  });

  it('falls back to rendered frames on a page that reports no video state', () => {
    const noState = (student: string, second: number): Second => ({ video: null, fps: student === 'student-1' && second === 3 ? 0 : 18 });
    expect(judge(stats(noState)).problems).toEqual(["student-1 at +3.3 s (10:00:03 UTC): the teacher's video frozen (no frame rendered)"]);
    expect(judge(stats(() => ({ video: null, fps: 12 }))).healthy).toBe(true);
  });

  it('judges only seconds wholly inside the baseline: a frozen second before it does not count', () => {
    // The sample at +2.3 s covers +1.3…+2.3 s, which starts before the baseline.
    expect(judge(stats((_student, second) => (second <= 2 ? { video: 'frozen' } : {}))).healthy).toBe(true);
  });

  it('never judges time before the class was in session', () => {
    const records = stats(() => ({ video: 'frozen' }));
    expect(judgeSteadyState({ students: ['student-1', 'student-2'], stats: records, from: T - 3000, to: T + 1400, inSessionAt: T }).healthy).toBe(true);
  });

  it('reports an audio dropout while the teacher publishes audio', () => {
    const records = stats((student, second) => ({ audio: { dropout: student === 'student-1' && second === 4, concealedShare: student === 'student-1' && second === 4 ? 0.62 : 0 } }));
    expect(judge(records).problems).toEqual(['student-1 at +4.3 s (10:00:04 UTC): audio dropped out']);
  });

  it('ignores audio a teacher who publishes none cannot have sent', () => {
    const records = stats(() => ({ audio: { dropout: true, concealedShare: 1 } })).map((r) =>
      r.participant === 'teacher' ? { ...r, sample: { ...r.sample, rtp: r.sample.rtp.filter((x) => x.kind === 'video') } } : r,
    );
    expect(judge(records).healthy).toBe(true);
  });

  it('takes absent audio as no information', () => {
    expect(judge(stats(() => ({})))).toMatchObject({ healthy: true });
  });

  it('reports a rise in inbound packet loss, but not the odd lost packet', () => {
    const lossy = judge(stats((student, second) => (student === 'student-2' ? { lost: second >= 4 ? 30 : 0, received: second * 100 } : {})));
    expect(lossy.problems).toEqual(["student-2 at +4.3 s (10:00:04 UTC): 30 inbound video packet(s) lost (23 % of the second's)"]);
    const odd = judge(stats((student, second) => (student === 'student-2' ? { lost: second >= 4 ? 1 : 0, received: second * 100 } : {})));
    expect(odd.healthy).toBe(true);
  });

  it('reports a student whose page sent no stats in the baseline', () => {
    const records = stats().filter((r) => r.participant !== 'student-2' || r.sample.at < from);
    expect(judge(records).problems).toEqual(['student-2 from +2.0 s (10:00:02 UTC) to +5.0 s (10:00:05 UTC): its page reported no stats']);
  });

  it('reports a student that watched no video at all', () => {
    const records = stats().map((r) => (r.participant === 'student-1' ? { ...r, sample: { ...r.sample, video: {}, renderedFps: {} } } : r));
    expect(judge(records).problems).toEqual(['student-1 from +3.3 s (10:00:03 UTC) to +4.3 s (10:00:04 UTC): no video watched']);
  });
});

describe('the baseline a drill checks', () => {
  const drill = (classroom: Record<string, unknown>, faults: unknown[]) =>
    drillSchema.safeParse({ name: 'baseline', description: 'd', classroom: { duration: '20s', ...classroom }, faults });
  const freeze = (at: string) => ({ kind: 'video-freeze', target: 'teacher', at, for: '2s' });

  it('is 3 s before the first fault by default', () => {
    expect(baselinePlan(drill({}, [freeze('12s'), freeze('8s')]).data!)).toEqual({ ms: 3000, endsAt: 8000 });
  });

  it('shrinks by default to the time before an early first fault, and is off for a fault at 0 s', () => {
    expect(baselinePlan(drill({}, [freeze('2s')]).data!)).toEqual({ ms: 2000, endsAt: 2000 });
    expect(baselinePlan(drill({}, [freeze('0s')]).data!)).toBeNull();
  });

  it("is off with '0s', and for a drill without faults", () => {
    expect(baselinePlan(drill({ baseline: '0s' }, [freeze('8s')]).data!)).toBeNull();
    expect(baselinePlan(drill({ baseline: '5s' }, []).data!)).toBeNull();
  });

  it('refuses a baseline that does not fit before the first fault, saying what would', () => {
    const parsed = drill({ baseline: '5s' }, [freeze('4s')]);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues).toMatchObject([
      { path: ['classroom', 'baseline'], message: "the baseline (5 s) must fit before the first fault, which starts 4 s into the class; shorten it to at most '4s', start the fault later, or use '0s' to check nothing" },
    ]);
    expect(baselinePlan(drill({ baseline: '4s' }, [freeze('4s')]).data!)).toEqual({ ms: 4000, endsAt: 4000 });
  });
});
