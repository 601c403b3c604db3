import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RtpSummary } from '../../src/classroom/page/protocol.ts';
import { runDrill } from '../../src/drill/runner.ts';
import { drillSchema } from '../../src/drill/schema.ts';

interface StatsRow {
  participant: string;
  at: string;
  rtp: RtpSummary[];
}

describe('network profiles on a real classroom (mesh)', () => {
  it("records the teacher's 4g then lossy-20 each second and at each change, and the student loses packets only under lossy-20", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'supportdrill-profiles-'));
    const drill = drillSchema.parse({
      name: 'uplink-4g-to-lossy',
      description: "the teacher's uplink goes from 4G to 20 % loss",
      classroom: { provider: 'local', students: 1, duration: '14s', local: { topology: 'mesh' } },
      faults: [{ kind: 'network', target: 'teacher', at: '2s', for: '9s', profiles: [{ at: '0s', profile: '4g' }, { at: '4s', profile: 'lossy-20' }] }],
    });
    const result = await runDrill(drill, { dataDir, cwd: dataDir });
    const dir = join(dataDir, result.evidenceDir);
    const injected = JSON.parse(readFileSync(join(dir, 'injected.json'), 'utf8'));
    const timelineText = readFileSync(join(dir, 'timeline.json'), 'utf8');
    const timeline = JSON.parse(timelineText);

    // Each change, with what Chrome was given, 4 s apart.
    const changes = result.faults[0]!.profiles!;
    expect(changes.map((c) => [c.participant, c.profile])).toEqual([
      ['teacher', '4g (9000/9000 kbit/s up/down, 170 ms RTT)'],
      ['teacher', 'lossy-20 (20 % loss)'],
    ]);
    expect(changes[1]!.conditions).toMatchObject({ packetLoss: 20, uploadThroughput: -1, latency: 1 });
    const apart = Date.parse(changes[1]!.at) - Date.parse(changes[0]!.at);
    expect(apart).toBeGreaterThan(3800);
    expect(apart).toBeLessThan(4500);

    // Second by second, for the teacher only: none, 4g from 2 s, lossy-20 from 6 s, none again from 11 s.
    const seconds = injected.network as { second: number; participant: string; profile: string }[];
    expect(new Set(seconds.map((s) => s.participant))).toEqual(new Set(['teacher']));
    expect(seconds.map((s) => s.profile.split(' ')[0])).toEqual([
      'none', 'none', '4g', '4g', '4g', '4g', 'lossy-20', 'lossy-20', 'lossy-20', 'lossy-20', 'lossy-20', 'none', 'none', 'none',
    ]);
    // What was injected stays out of what the vendor is sent.
    expect(timelineText).not.toContain('lossy-20');
    expect(timeline.network).toBeUndefined();

    // The student's inbound packets lost (audio and video), counted from its own stats.
    const inSessionAt = Date.parse(result.inSessionAt);
    const lostAt = (second: number) => {
      const rows = (timeline.stats as StatsRow[]).filter((s) => s.participant === 'student-1' && Date.parse(s.at) <= inSessionAt + second * 1000);
      const row = rows.at(-1);
      expect(row, `a stats sample by ${second} s`).toBeDefined();
      return row!.rtp.filter((r) => r.direction === 'inbound').reduce((sum, r) => sum + (r.packetsLost ?? 0), 0);
    };
    const under4g = lostAt(6) - lostAt(2.5);
    const underLoss = lostAt(11) - lostAt(6.5);
    expect(under4g).toBeLessThanOrEqual(2);
    expect(underLoss).toBeGreaterThan(20);

    // The answer key says what was really put on the teacher's network.
    expect(result.answerKey!.faults[0]).toMatchObject({ side: 'network', participant: 'teacher', mechanisms: ['bandwidth', 'latency', 'packet-loss'] });
  }, 90_000);
});
