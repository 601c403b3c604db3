import { describe, expect, it } from 'vitest';
import type { AppliedFault } from '../../src/classroom/faults/fault-kind.ts';
import { answerKeyOf } from '../../src/drill/answer-key.ts';
import { drillSchema } from '../../src/drill/schema.ts';
import type { ScoredEpisode } from '../../src/drill/scoring.ts';

const T0 = Date.parse('2026-11-29T14:03:12.000Z');

const drill = drillSchema.parse({
  name: 'two-faults',
  description: 'the teacher freezes, then one student loses packets',
  classroom: { students: 3, duration: '60s' },
  faults: [
    { kind: 'video-freeze', target: 'teacher', at: '10s', for: '10s' },
    { kind: 'network', target: 'student-2', at: '30s', for: '10s', packetLoss: 20, downloadKbps: 300 },
  ],
});

const applied: AppliedFault[] = [
  { index: 0, kind: 'video-freeze', target: 'teacher', affects: ['student-1', 'student-2', 'student-3'], plannedAt: T0, plannedFor: 10_000, startedAt: T0, endedAt: T0 + 10_000 },
  { index: 1, kind: 'network', target: 'student-2', affects: ['student-2'], plannedAt: T0 + 20_000, plannedFor: 10_000, startedAt: T0 + 20_000, endedAt: null },
];

const episode = (participant: string, fault: number | null): ScoredEpisode =>
  ({ participant, startedAt: T0 + 500, detectedAt: T0 + 1000, endedAt: T0 + 9000, durationMs: 8500, onsetDelayMs: 500, detectionOverheadMs: 0, recoveryMs: 100, fault }) as ScoredEpisode;

describe('the answer key of a run', () => {
  it('holds each fault’s side and mechanism, whom it really affected, and when', () => {
    const key = answerKeyOf(drill, applied, [episode('student-1', 0), episode('student-3', 0), episode('student-2', 1), episode('student-2', null)], ['student-1', 'student-2', 'student-3']);
    expect(key.faults).toEqual([
      expect.objectContaining({ index: 0, kind: 'video-freeze', participant: 'teacher', side: 'publisher', mechanisms: ['no-video-sent'], affected: ['student-1', 'student-3'], startedAt: '2026-11-29T14:03:12.000Z', endedAt: '2026-11-29T14:03:22.000Z' }),
      expect.objectContaining({ index: 1, kind: 'network', participant: 'student-2', side: 'network', direction: 'both', mechanisms: ['packet-loss', 'bandwidth'], affected: ['student-2'], endedAt: null }),
    ]);
    expect(key.faults[1]!.mechanism).toBe("student-2's network path: 20 % packet loss, downlink capped at 300 kbit/s");
  });

  it('a fault nobody saw affected nobody: the key says so rather than who was meant', () => {
    const key = answerKeyOf(drill, applied.slice(0, 1), [], ['student-1', 'student-2', 'student-3']);
    expect(key.faults[0]!.affected).toEqual([]);
  });
});
