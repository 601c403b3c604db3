import { describe, expect, it } from 'vitest';
import type { PageEvent, RtpSummary, StatsSample } from '../../src/classroom/page/protocol.ts';
import type { StatsRecord } from '../../src/drill/page-events.ts';
import { freezeSignals } from '../../src/drill/signals.ts';

const T0 = Date.parse('2026-11-29T05:13:00.000Z');

/** A 10 s freeze of the teacher's picture on student-1, from T0 + 0.5 s. */
const episode = { participant: 'student-1', source: 'teacher', startedAt: T0 + 500, durationMs: 10_000 };

/** student-1's inbound video at T0 + `s` seconds. */
function sample(s: number, video: Partial<RtpSummary>, participant = 'student-1'): StatsRecord {
  const rtp: RtpSummary[] = [
    { direction: 'inbound', kind: 'audio', packetsReceived: 50 * s },
    { direction: 'inbound', kind: 'video', freezeCount: 0, pauseCount: 0, totalFreezesDuration: 0, totalPausesDuration: 0, ...video },
  ];
  const stats: StatsSample = { at: T0 + s * 1000, renderedFps: {}, droppedByFault: { audio: 0, video: 0 }, rtp };
  return { participant, sample: stats };
}

/** A receiver decoding 20 frames a second from s = 0, none while frozen (1–10), as Chrome reports it. */
const decoded = (s: number) => 20 * Math.min(s, 1) + 20 * Math.max(0, s - 11);

const agora = (participant: string, name: string, at: number, data: Record<string, unknown>): PageEvent => ({ type: 'provider', participant, name, at, data });

describe('freeze signals', () => {
  it('counts Chrome stats as confirming when the pause counters rose after the picture came back', () => {
    // No interval lies inside the episode (a sample every 6 s), but Chrome counts the pause at 12 s.
    const stats = [
      sample(0, { framesDecoded: 0 }),
      sample(6, { framesDecoded: 20 }),
      sample(12, { framesDecoded: 40, pauseCount: 1, totalPausesDuration: 12.1 }),
    ];
    expect(freezeSignals(episode, { stats, events: [] })).toEqual({ rendered: true, stats: true, provider: null });
  });

  it('counts Chrome stats as confirming when framesDecoded stayed flat across an interval inside the episode', () => {
    const stats = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => sample(s, { framesDecoded: decoded(s) }));
    expect(freezeSignals(episode, { stats, events: [] }).stats).toBe(true);
  });

  it('says Chrome stats did not confirm when decoding went on and no counter rose', () => {
    const stats = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map((s) => sample(s, { framesDecoded: 20 * s }));
    expect(freezeSignals(episode, { stats, events: [] }).stats).toBe(false);
  });

  it('ignores counters that rose more than 3 s after the episode, and other students’ samples', () => {
    const stats = [
      sample(0, { framesDecoded: 0 }),
      sample(12, { framesDecoded: 40 }),
      sample(15, { framesDecoded: 100, freezeCount: 1, totalFreezesDuration: 0.8 }),
      sample(5, { framesDecoded: 20 }, 'student-2'),
      sample(6, { framesDecoded: 20, pauseCount: 1 }, 'student-2'),
    ];
    expect(freezeSignals(episode, { stats, events: [] }).stats).toBe(false);
  });

  it('is null when no sample covers the episode', () => {
    // The samples stopped well before the freeze: nothing after its start to compare with.
    const stale = [sample(-30, { framesDecoded: 0 }), sample(-29, { framesDecoded: 20 })];
    expect(freezeSignals(episode, { stats: [], events: [] }).stats).toBeNull();
    expect(freezeSignals(episode, { stats: stale, events: [] }).stats).toBeNull();
    // Samples without inbound video (the student's connection not up) cover nothing either.
    const noVideo: StatsRecord[] = [0, 5, 11].map((s) => ({ participant: 'student-1', sample: { at: T0 + s * 1000, renderedFps: {}, droppedByFault: { audio: 0, video: 0 }, rtp: [] } }));
    expect(freezeSignals(episode, { stats: noVideo, events: [] }).stats).toBeNull();
  });

  it('counts an Agora video-state-changed to frozen on the student as the provider confirming', () => {
    const events = [
      agora('student-1', 'video-state-changed', T0 - 20_000, { uid: 1001, state: 2 }),
      agora('student-1', 'video-state-changed', T0 + 1200, { uid: 1001, state: 3 }),
    ];
    expect(freezeSignals(episode, { stats: [], events })).toEqual({ rendered: true, stats: null, provider: true });
  });

  it('counts a publisher exception on the teacher within a second of the episode', () => {
    const events = [agora('teacher', 'exception', T0 - 300, { code: 1002, msg: 'FRAMERATE_SENT_TOO_LOW', uid: 1000 })];
    expect(freezeSignals(episode, { stats: [], events }).provider).toBe(true);
  });

  it('says the provider did not confirm when its events are elsewhere in time or about someone else', () => {
    const events = [
      agora('student-1', 'video-state-changed', T0 - 20_000, { uid: 1001, state: 2 }),
      agora('student-1', 'video-state-changed', T0 + 12_000, { uid: 1001, state: 3 }),
      agora('student-2', 'video-state-changed', T0 + 1000, { uid: 1001, state: 3 }),
      agora('student-1', 'exception', T0 + 2000, { code: 1003, msg: 'SEND_VIDEO_BITRATE_TOO_LOW', uid: 1001 }),
    ];
    expect(freezeSignals(episode, { stats: [], events }).provider).toBe(false);
  });

  it('is null for a provider whose pages report no such events (the local classroom)', () => {
    const events: PageEvent[] = [agora('student-1', 'joined', T0 - 20_000, { room: 'r' }), { type: 'fault', participant: 'teacher', id: 'f0', state: 'applied', at: T0 }];
    expect(freezeSignals(episode, { stats: [], events }).provider).toBeNull();
  });
});
