import { describe, expect, it } from 'vitest';
import type { StatsSample } from '../../src/classroom/page/protocol.ts';
import { checkSchema, expectSchema } from '../../src/drill/expectation.ts';
import { scoreEpisodes, type AppliedFault, type Episode } from '../../src/drill/scoring.ts';
import { effectiveExpectation, isControl, verdict, type Observed } from '../../src/drill/verdict.ts';

const T = 1_800_000_000_000;
const students = ['student-1', 'student-2'];
const fault: AppliedFault = { index: 0, kind: 'video-freeze', target: 'teacher', affects: students, plannedAt: 10_000, plannedFor: 10_000, startedAt: T + 10_000, endedAt: T + 20_000 };
const episode = (over: Partial<Episode>): Episode => ({ participant: 'student-1', source: 'teacher', startedAt: T + 10_040, detectedAt: T + 10_552, endedAt: T + 22_100, ...over });
const freezes = scoreEpisodes([episode({}), episode({ participant: 'student-2' })], [fault], 500, T + 30_000);

/** What a run saw: the class in session at T for 30 s, the fault above, nothing else unless given. */
function observed(over: Partial<Observed> = {}): Observed {
  return { students, clock: { classStart: T, classEnd: T + 30_000, faults: [fault] }, freezes: [], states: [], stats: [], ...over };
}

/**
 * One stats sample a second per student from `from` to `to` (seconds into the class), with
 * `values(second)` filling it; counters are cumulative, as getStats gives them.
 */
function samples(participant: string, from: number, to: number, values: (second: number) => { fps?: number; delayMs?: number | null; lost?: number; received?: number; bytes?: number; jitter?: number; media?: 'video' | 'audio' }) {
  const out: { participant: string; sample: StatsSample }[] = [];
  for (let second = from; second <= to; second++) {
    const v = values(second);
    out.push({
      participant,
      sample: {
        at: T + second * 1000,
        renderedFps: v.fps === undefined ? {} : { teacher: v.fps },
        droppedByFault: { audio: 0, video: 0 },
        rtp: [{ direction: 'inbound', kind: v.media ?? 'video', packetsLost: v.lost, packetsReceived: v.received, bytesReceived: v.bytes, jitter: v.jitter }],
        ...(v.delayMs !== undefined ? { video: { teacher: { state: 'moving', delayMs: v.delayMs, frame: second * 20 } } } : {}),
      },
    });
  }
  return out;
}

const check = (input: object) => checkSchema.parse(input);
const expectation = (input: object) => expectSchema.parse(input);

describe('verdict: freeze (as before)', () => {
  it('holds when every student saw a long enough freeze', () => {
    expect(verdict({ freeze: { on: 'students', minDuration: 3000 } }, observed({ freezes }))).toEqual({ reproduced: true, reason: 'student-1, student-2 saw a freeze of at least 3 s' });
  });

  it('fails and names the students who saw no long enough freeze', () => {
    expect(verdict({ freeze: { on: 'students', minDuration: 3000 } }, observed({ freezes: freezes.slice(0, 1) }))).toEqual({ reproduced: false, reason: 'no freeze of at least 3 s seen by student-2' });
    expect(verdict({ freeze: { on: 'student-1', minDuration: 20_000 } }, observed({ freezes })).reproduced).toBe(false);
  });

  it('holds for a control drill only when there is no freeze at all', () => {
    expect(verdict({ freeze: 'none' }, observed()).reproduced).toBe(true);
    expect(verdict({ freeze: 'none' }, observed({ freezes })).reason).toBe('2 freeze episode(s) where none was expected');
  });
});

describe('effectiveExpectation and isControl', () => {
  it('expects a freeze on the students when the drill injects faults and none otherwise', () => {
    expect(effectiveExpectation({ faults: [{ kind: 'video-freeze', target: 'teacher', at: 1, for: 1 }] })).toEqual({ freeze: { on: 'students', minDuration: 1000 } });
    expect(effectiveExpectation({ faults: [] })).toEqual({ freeze: 'none' });
  });

  it('keeps the expectation a drill states', () => {
    expect(effectiveExpectation({ faults: [], expect: { freeze: { on: 'student-1', minDuration: 5 } } })).toEqual({ freeze: { on: 'student-1', minDuration: 5 } });
  });

  it("calls a drill a control only when it expects no failure: freeze 'none' and nothing else the students must suffer", () => {
    expect(isControl({ freeze: 'none' })).toBe(true);
    expect(isControl(expectation({ freeze: 'none', checks: [{ metric: 'fps', min: 15 }] }))).toBe(true);
    expect(isControl(expectation({ freeze: 'none', join: { fails: 'student-2' } }))).toBe(false);
    expect(isControl(expectation({ video: { state: 'blank' } }))).toBe(false);
    expect(isControl(expectation({ checks: [{ metric: 'freeze', min: '2s' }] }))).toBe(false);
  });
});

describe('verdict: video, audio and join', () => {
  const states = [
    { participant: 'student-1', state: 'blank', startedAt: T + 10_000, endedAt: T + 14_000, durationMs: 4000 },
    { participant: 'student-2', state: 'blank', startedAt: T + 10_000, endedAt: T + 11_500, durationMs: 1500 },
    { participant: 'student-1', state: 'audio-dropout', startedAt: T + 5000, endedAt: T + 8000, durationMs: 3000 },
    { participant: 'student-2', state: 'audio-dropout', startedAt: T + 5000, endedAt: null, durationMs: 25_000 },
  ];

  it('holds a picture state to every student it names, each with an episode long enough', () => {
    expect(verdict(expectation({ video: { on: 'student-1', state: 'blank', minDuration: '3s' } }), observed({ states }))).toEqual({ reproduced: true, reason: 'student-1 saw a blank picture of at least 3 s' });
    expect(verdict(expectation({ video: { state: 'blank', minDuration: '3s' } }), observed({ states }))).toEqual({ reproduced: false, reason: 'no blank picture of at least 3 s seen by student-2' });
    expect(verdict(expectation({ video: { state: 'still' } }), observed({ states })).reason).toBe('no still picture of at least 1 s seen by student-1, student-2');
    // frozen is the freeze episodes
    expect(verdict(expectation({ video: { state: 'frozen', minDuration: '3s' } }), observed({ freezes })).reproduced).toBe(true);
  });

  it('holds an audio dropout the same way', () => {
    expect(verdict(expectation({ audio: { dropout: { minDuration: '2s' } } }), observed({ states }))).toEqual({ reproduced: true, reason: 'student-1, student-2 heard the sound drop out for at least 2 s' });
    expect(verdict(expectation({ audio: { dropout: { minDuration: '4s' } } }), observed({ states })).reason).toBe('no audio dropout of at least 4 s heard by student-1');
  });

  it('reads "students could not join" with what was seen when every student expected out stayed out', () => {
    const joinFailures = [{ participant: 'student-2', reason: 'no video from the teacher within 8.0 s of the class opening; its page said: signaling connection failed' }];
    expect(verdict(expectation({ join: { fails: 'student-2' } }), observed({ joinFailures }))).toEqual({
      reproduced: true,
      reason: 'students could not join: student-2 (no video from the teacher within 8.0 s of the class opening; its page said: signaling connection failed)',
    });
  });

  it('does not hold when a student expected out joined', () => {
    const v = verdict(expectation({ join: { fails: 'students' } }), observed({ joinFailures: [{ participant: 'student-2', reason: 'no video' }] }));
    expect(v).toEqual({ reproduced: false, reason: 'student-1 joined the class (video from the teacher arrived), though the drill expects it not to' });
  });

  it('needs every shorthand key to hold', () => {
    const both = expectation({ join: { fails: 'student-2' }, freeze: { on: 'student-1', minDuration: '20s' } });
    const v = verdict(both, observed({ freezes, joinFailures: [{ participant: 'student-2', reason: 'no video' }] }));
    expect(v).toEqual({ reproduced: false, reason: 'no freeze of at least 20 s seen by student-1' });
  });
});

describe('verdict: checks over event windows', () => {
  const steady = [...samples('student-1', 0, 30, (s) => ({ fps: s > 10 && s <= 20 ? 2 : 20 })), ...samples('student-2', 0, 30, () => ({ fps: 20 }))];

  it('measures fps per student over the window the events name', () => {
    const before = check({ metric: 'fps', from: 'class start', to: 'fault 0 on', min: 15 });
    const during = check({ metric: 'fps', from: 'fault 0 on', to: 'fault 0 off', min: 15 });
    const v = verdict(expectation({ checks: [before, during].map(reinput) }), observed({ stats: steady }));
    expect(v.checks).toEqual([
      { name: 'fps mean ≥ 15 on students, class start → fault 0 on', level: 'error', passed: true, observed: 'student-1 20 fps, student-2 20 fps (mean)', window: { from: '2027-01-15T08:00:00.000Z', to: '2027-01-15T08:00:10.000Z' } },
      { name: 'fps mean ≥ 15 on students, fault 0 on → fault 0 off', level: 'error', passed: false, observed: 'student-1 2 fps (mean; expected at least 15 fps)', window: { from: '2027-01-15T08:00:10.000Z', to: '2027-01-15T08:00:20.000Z' } },
    ]);
    expect(v.reproduced).toBe(false);
    expect(v.reason).toBe('check failed: fps mean ≥ 15 on students, fault 0 on → fault 0 off: student-1 2 fps (mean; expected at least 15 fps)');
  });

  it('lets a failing warning be reported without deciding anything', () => {
    const v = verdict(
      expectation({ checks: [{ metric: 'fps', from: 'class start', to: 'fault 0 on', min: 15 }, { metric: 'fps', on: 'student-1', from: 'fault 0 off + 2s', min: 15, of: 'min', level: 'warning', name: 'recovered fps' }] }),
      observed({ stats: [...samples('student-1', 0, 30, (s) => ({ fps: s === 25 ? 10 : 20 })), ...samples('student-2', 0, 30, () => ({ fps: 20 }))] }),
    );
    expect(v.reproduced).toBe(true);
    expect(v.checks!.map((c) => [c.name, c.passed])).toEqual([['fps mean ≥ 15 on students, class start → fault 0 on', true], ['recovered fps', false]]);
    expect(v.reason).toBe('the error check held; warning: recovered fps: student-1 10 fps (min; expected at least 15 fps)');
  });

  it('decides with the shorthand keys: both must hold', () => {
    const e = expectation({ freeze: { on: 'students', minDuration: '3s' }, checks: [{ metric: 'fps', from: 'class start', to: 'fault 0 on', min: 15 }] });
    expect(verdict(e, observed({ freezes, stats: steady }))).toMatchObject({ reproduced: true, reason: 'student-1, student-2 saw a freeze of at least 3 s; the error check held' });
    expect(verdict(e, observed({ freezes: [], stats: steady }))).toMatchObject({ reproduced: false, reason: 'no freeze of at least 3 s seen by student-1, student-2' });
  });

  it('measures episodes inside the window: the longest by default, or their total', () => {
    // student-1's freeze runs from +10.04 s to +22.1 s: 2.1 s of it after the fault's end.
    const after = { metric: 'freeze', from: 'fault 0 off', to: 'class end' };
    expect(verdict(expectation({ checks: [{ ...after, max: '2s' }] }), observed({ freezes })).checks![0]).toMatchObject({ passed: false, observed: 'student-1 2.1 s, student-2 2.1 s (max; expected at most 2.0 s)' });
    expect(verdict(expectation({ checks: [{ ...after, max: '3s' }] }), observed({ freezes })).checks![0]).toMatchObject({ passed: true });
    const two = [{ participant: 'student-1', state: 'still', startedAt: T + 1000, endedAt: T + 2000, durationMs: 1000 }, { participant: 'student-1', state: 'still', startedAt: T + 4000, endedAt: T + 5500, durationMs: 1500 }];
    const total = verdict(expectation({ checks: [{ metric: 'still', on: 'student-1', of: 'total', max: '2s' }] }), observed({ states: two }));
    expect(total.checks![0]).toMatchObject({ passed: false, observed: 'student-1 2.5 s (total; expected at most 2.0 s)' });
    // No episode at all is 0, not "no data": nothing went wrong.
    const none = verdict(expectation({ checks: [{ metric: 'blank', max: '500ms' }] }), observed());
    expect(none.checks![0]).toMatchObject({ passed: true, observed: 'student-1 0 ms, student-2 0 ms (max)' });
  });

  it('reads camera-to-screen delay from the stamp, p95 by default', () => {
    const stats = samples('student-1', 0, 30, (s) => ({ delayMs: s === 5 ? 900 : s === 6 ? null : 120 }));
    const one = (over: object) => verdict(expectation({ checks: [{ metric: 'delay', on: 'student-1', ...over }] }), observed({ stats })).checks![0]!;
    expect(one({ max: 400 })).toMatchObject({ passed: true, observed: 'student-1 120 ms (p95)' });
    expect(one({ max: '400ms', of: 'max' })).toMatchObject({ passed: false, observed: 'student-1 900 ms (max; expected at most 400 ms)' });
    // A student without a stamp read has no data: the check cannot be said to hold.
    expect(verdict(expectation({ checks: [{ metric: 'delay', max: 400 }] }), observed({ stats })).checks![0]).toMatchObject({ passed: false, observed: 'student-2 no data in the window (p95; expected at most 400 ms)' });
  });

  it('reads packet loss from the deltas of the inbound counters: the window share by default', () => {
    // 100 packets a second; from +10 s to +20 s, 10 of them lost each second.
    const stats = samples('student-1', 0, 30, (s) => {
      const lossy = Math.max(0, Math.min(s, 20) - 10);
      return { lost: lossy * 10, received: s * 100 - lossy * 10 };
    });
    const one = (over: object) => verdict(expectation({ checks: [{ metric: 'packet-loss', on: 'student-1', ...over }] }), observed({ stats })).checks![0]!;
    expect(one({ from: 'fault 0 on', to: 'fault 0 off', max: 5 })).toMatchObject({ passed: false, observed: 'student-1 10 % lost (total; expected at most 5 % lost)' });
    expect(one({ max: 5 })).toMatchObject({ passed: true, observed: 'student-1 3.3 % lost (total)' });
    expect(one({ max: 5, of: 'max' })).toMatchObject({ passed: false, observed: 'student-1 10 % lost (max; expected at most 5 % lost)' });
    expect(one({ to: 'fault 0 on', max: 0 })).toMatchObject({ passed: true, observed: 'student-1 0 % lost (total)' });
  });

  it('reads jitter in milliseconds and bitrate in kbit/s, of video unless told', () => {
    // One sample a second holds both streams, as a student's page reports them.
    const audio = samples('student-1', 0, 30, (s) => ({ media: 'audio', jitter: 0.002, bytes: s * 4000 }));
    const stats = samples('student-1', 0, 30, (s) => ({ jitter: s > 10 && s <= 20 ? 0.08 : 0.004, bytes: s * 62_500 })).map((r, i) => ({
      ...r,
      sample: { ...r.sample, rtp: [...r.sample.rtp, ...audio[i]!.sample.rtp] },
    }));
    const one = (over: object) => verdict(expectation({ checks: [{ on: 'student-1', ...over }] }), observed({ stats })).checks![0]!;
    expect(one({ metric: 'jitter', from: 'fault 0 on', to: 'fault 0 off', max: '30ms' })).toMatchObject({ passed: false, observed: 'student-1 80 ms (p95; expected at most 30 ms)' });
    expect(one({ metric: 'jitter', to: 'fault 0 on', max: '30ms' })).toMatchObject({ passed: true, observed: 'student-1 4 ms (p95)' });
    expect(one({ metric: 'bitrate', min: 300 })).toMatchObject({ passed: true, observed: 'student-1 500 kbit/s (mean)' });
    expect(one({ metric: 'bitrate', media: 'audio', min: 48 })).toMatchObject({ passed: false, observed: 'student-1 32 kbit/s (mean; expected at least 48 kbit/s)' });
  });

  it('shows a failing value finely when rounding would make it look like its bound', () => {
    const stats = samples('student-1', 0, 30, () => ({ fps: 9.96 }));
    expect(verdict(expectation({ checks: [{ metric: 'fps', on: 'student-1', min: 10 }] }), observed({ stats })).checks![0]!.observed).toBe('student-1 9.96 fps (mean; expected at least 10 fps)');
  });

  it('says so when the window is empty or names a fault that never went on', () => {
    const late: AppliedFault = { ...fault, startedAt: T + 10_000, endedAt: T + 10_000 };
    const v = verdict(expectation({ checks: [{ metric: 'fps', from: 'fault 0 on + 1s', to: 'fault 0 off', min: 1 }] }), observed({ clock: { classStart: T, classEnd: T + 30_000, faults: [late] } }));
    expect(v.checks![0]).toMatchObject({ passed: false, observed: "the window is empty: 'fault 0 off' came 1.0 s before 'fault 0 on + 1s'" });
    const never = verdict(expectation({ checks: [{ metric: 'fps', from: 'fault 0 on', min: 1 }] }), observed({ clock: { classStart: T, classEnd: T + 30_000, faults: [] } }));
    expect(never.checks![0]).toMatchObject({ passed: false, observed: "'fault 0 on' never happened in this run (the fault was not applied)" });
  });
});

/** A parsed check written back as a drill file gives it, so the expectation schema reads it again. */
function reinput(c: ReturnType<typeof check>): object {
  return { metric: c.metric, from: c.from.text, to: c.to.text, ...(c.min !== undefined ? { min: c.min } : {}), ...(c.max !== undefined ? { max: c.max } : {}) };
}
