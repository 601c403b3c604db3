import { mkdtempSync, readFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FreezeResult } from '../../src/core/run-result.ts';
import { drillSchema } from '../../src/drill/schema.ts';
import { runDrill } from '../../src/drill/runner.ts';

// The local classroom as an SFU, end to end: a real Janus on this machine, a real headless Chromium,
// the teacher publishing once and three students subscribing (two sharing a window, one alone).

const scratch = () => mkdtempSync(join(tmpdir(), 'supportdrill-sfu-'));
const ms = (iso: string) => Date.parse(iso);
const STUDENTS = ['student-1', 'student-2', 'student-3'];
const machineAddresses = new Set(Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address)));

interface IceEvent {
  participant: string;
  name: string;
  data: {
    local?: { address: string; type: string };
    remote?: { address: string; type: string };
    remoteCandidates: { address: string; type: string; protocol: string }[];
  };
}

describe('the local classroom on Janus (SFU)', () => {
  it('reproduces a freeze the teacher sends for everyone, and a relay stall for the students it hits only', async () => {
    const drill = drillSchema.parse({
      name: 'sfu-relay-stall',
      description: "The teacher's video stops, then the media server stops forwarding it to one student, then to all",
      classroom: { provider: 'local', students: 3, studentsPerWindow: 2, duration: '16s', local: { topology: 'sfu' } },
      // More than the scoring's 3 s recovery grace between one fault's end and the next one's start:
      // a picture that stops a frame before a fault is recorded as on is still that fault's.
      faults: [
        { kind: 'video-freeze', target: 'teacher', at: '1s', for: '1500ms' },
        { kind: 'relay-stall', target: 'student-2', at: '6500ms', for: '1500ms' },
        { kind: 'relay-stall', target: 'students', at: '12s', for: '1500ms' },
      ],
      expect: { freeze: { on: 'students', minDuration: '1s' } },
    });
    const dataDir = scratch();
    const result = await runDrill(drill, { dataDir, cwd: dataDir });

    expect(result).toMatchObject({ provider: 'local', reproduced: true, falseFreezes: 0 });
    expect(result.versions.provider).toMatch(/^local SFU \(janus \d+\.\d+\.\d+ videoroom/);
    expect(result.versions.janus).toMatch(/^\d+\.\d+\.\d+$/);
    expect(result.identifiers).toMatchObject({ room: expect.any(Number), feeds: { teacher: 1000 } });
    expect(Object.keys(result.identifiers.handles as object)).toEqual(['teacher', ...STUDENTS]);

    const episodes = (fault: number) => result.freezes.filter((f) => f.fault === fault);
    const who = (list: FreezeResult[]) => [...new Set(list.map((f) => f.participant))].sort();
    expect(who(episodes(0))).toEqual(STUDENTS);
    expect(who(episodes(1))).toEqual(['student-2']);
    expect(who(episodes(2))).toEqual(STUDENTS);
    // A stall shows when the server stops, and ends when it forwards again (it asks for a keyframe).
    for (const index of [1, 2]) {
      const fault = result.faults[index]!;
      for (const episode of episodes(index)) {
        expect(ms(episode.startedAt)).toBeGreaterThanOrEqual(ms(fault.startedAt) - 300);
        expect(ms(episode.startedAt)).toBeLessThan(ms(fault.startedAt) + 1000);
        expect(episode.durationMs).toBeGreaterThanOrEqual(1000);
        expect(episode.recoveryMs).toBeLessThan(1500);
      }
    }

    const dir = join(dataDir, result.evidenceDir);
    // Nothing was dropped in the pages: the stall happened at the server.
    const injected = JSON.parse(readFileSync(join(dir, 'injected.json'), 'utf8'));
    const dropped = (participant: string) => injected.droppedByFault.filter((s: { participant: string }) => s.participant === participant).at(-1);
    for (const student of STUDENTS) expect(dropped(student).video, student).toBe(0);
    expect(dropped('teacher').video).toBeGreaterThan(10);

    // The students' peer connections stayed up through the stalls; Janus confirmed each change.
    const consoles = Object.fromEntries(['teacher', 'student-1+student-2', 'student-3'].map((w) => [w, readFileSync(join(dir, `console-${w}.log`), 'utf8')]));
    for (const student of STUDENTS) {
      const log = consoles[student === 'student-3' ? 'student-3' : 'student-1+student-2']!;
      expect(log.match(new RegExp(`${student}: connection with Janus: connected`, 'g')), student).toHaveLength(1);
      expect(log).not.toMatch(new RegExp(`${student}: connection with Janus: (disconnected|failed)`));
      expect(log.match(new RegExp(`${student}: Janus: .*"configured":"ok"`, 'g')), student).toHaveLength(student === 'student-2' ? 4 : 2);
    }

    // ICE: Janus offers one host candidate, an address of this machine; no STUN, no TURN, no other interface.
    const timeline = JSON.parse(readFileSync(join(dir, 'timeline.json'), 'utf8'));
    const ice = (timeline.providerEvents as IceEvent[]).filter((e) => e.name === 'ice');
    expect(ice.map((e) => e.participant).sort()).toEqual([...STUDENTS, 'teacher']);
    const offered = new Set(ice.flatMap((e) => e.data.remoteCandidates.map((c) => `${c.address} ${c.type} ${c.protocol}`)));
    expect(offered.size).toBe(1);
    const [address] = [...offered][0]!.split(' ');
    expect([...offered][0]).toBe(`${address} host udp`);
    expect(machineAddresses.has(address!)).toBe(true);
    for (const event of ice) {
      expect(event.data.remote).toMatchObject({ address, type: 'host' });
      expect(machineAddresses.has(event.data.local!.address), event.participant).toBe(true);
    }
  }, 120_000);

  it('refuses a relay stall on the mesh before anything starts: there is no media server to stall', async () => {
    const drill = drillSchema.parse({
      name: 'mesh-relay-stall',
      description: 'A relay stall where there is no relay',
      classroom: { provider: 'local', students: 2, duration: '5s', local: { topology: 'mesh' } },
      faults: [{ kind: 'relay-stall', target: 'student-1', at: '1s', for: '1s' }],
    });
    const dataDir = scratch();
    await expect(runDrill(drill, { dataDir, cwd: dataDir })).rejects.toThrow(/Fault 0 \(relay-stall\) acts on the media server, and this classroom \(mesh\) has none/);
  });

  it("stops before anything starts when the SFU is asked for and SUPPORTDRILL_JANUS names no janus", async () => {
    const drill = drillSchema.parse({
      name: 'sfu-without-janus',
      description: 'The SFU without its server',
      classroom: { provider: 'local', students: 2, duration: '5s', local: { topology: 'sfu' } },
    });
    const saved = process.env.SUPPORTDRILL_JANUS;
    process.env.SUPPORTDRILL_JANUS = '/nonexistent/janus';
    try {
      const dataDir = scratch();
      await expect(runDrill(drill, { dataDir, cwd: dataDir })).rejects.toThrow(/\[janus\] SUPPORTDRILL_JANUS names '\/nonexistent\/janus'.*sudo apt-get install -y janus/);
    } finally {
      if (saved === undefined) delete process.env.SUPPORTDRILL_JANUS;
      else process.env.SUPPORTDRILL_JANUS = saved;
    }
  });
});
