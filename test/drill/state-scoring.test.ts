import { describe, expect, it } from 'vitest';
import type { AppliedFault } from '../../src/classroom/faults/fault-kind.ts';
import { delaySummaries } from '../../src/drill/delay.ts';
import type { StatsRecord } from '../../src/drill/page-events.ts';
import { scoreStates, type StateEpisode } from '../../src/drill/scoring.ts';

const T = 1_800_000_000_000;
const fault = (over: Partial<AppliedFault>): AppliedFault => ({
  index: 0, kind: 'black-screen', target: 'teacher', affects: ['student-1', 'student-2'], affectsAudio: [], plannedAt: 0, plannedFor: 4000, startedAt: T, endedAt: T + 4000, ...over,
});
const episode = (over: Partial<StateEpisode>): StateEpisode => ({ participant: 'student-1', source: 'teacher', state: 'blank', startedAt: T + 100, detectedAt: T + 600, endedAt: T + 4100, ...over });

describe('scoring blank, still and silent episodes', () => {
  it('puts a blank picture down to the fault that disturbs that student’s video, with onset, detection and recovery', () => {
    const [scored] = scoreStates([episode({})], [fault({})], 500, T + 10_000);
    expect(scored).toMatchObject({ state: 'blank', fault: 0, onsetDelayMs: 100, detectionOverheadMs: 0, recoveryMs: 100, durationMs: 4000 });
  });

  it('puts an audio dropout only down to a fault that disturbs the sound, never to a picture fault at the same time', () => {
    const dropout = episode({ state: 'audio-dropout', source: 'audio' });
    const picture = fault({});
    const sound = fault({ index: 1, kind: 'audio-dropout', affects: [], affectsAudio: ['student-1', 'student-2'] });
    expect(scoreStates([dropout], [picture], 500, T + 10_000)[0]!.fault).toBeNull();
    expect(scoreStates([dropout], [picture, sound], 500, T + 10_000)[0]!.fault).toBe(1);
    // And the other way: a blank picture during an audio fault alone is a false state.
    expect(scoreStates([episode({})], [sound], 500, T + 10_000)[0]!.fault).toBeNull();
  });

  it('leaves a state on a student the fault does not reach unexplained', () => {
    const [scored] = scoreStates([episode({ participant: 'student-3' })], [fault({})], 500, T + 10_000);
    expect(scored!.fault).toBeNull();
    expect(scored!.onsetDelayMs).toBeNull();
  });
});

describe('camera-to-screen delay per student', () => {
  const second = (participant: string, at: number, delayMs: number | null): StatsRecord => ({
    participant,
    sample: { at, renderedFps: {}, droppedByFault: { audio: 0, video: 0 }, rtp: [], video: { teacher: { state: delayMs === null ? 'frozen' : 'moving', delayMs, frame: 1 } } },
  });

  it('summarises the seconds with a stamp read inside the class, per student', () => {
    const stats = [
      second('student-1', T - 1000, 900), // before the class: not counted
      ...[40, 50, 60, 70, 300].map((d, i) => second('student-1', T + i * 1000, d)),
      second('student-1', T + 6000, null),
      second('student-2', T + 1000, 45),
    ];
    expect(delaySummaries(stats, ['student-1', 'student-2', 'student-3'], T, T + 10_000)).toEqual([
      { participant: 'student-1', p50Ms: 60, p95Ms: 300, maxMs: 300, samples: 5 },
      { participant: 'student-2', p50Ms: 45, p95Ms: 45, maxMs: 45, samples: 1 },
    ]);
  });
});
