import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CDPSession } from 'puppeteer';
import type { AppliedFault, FaultChange, FaultLevers } from '../../src/classroom/faults/fault-kind.ts';
import { applyFault, faultSchema, groundTruth } from '../../src/classroom/faults/registry.ts';
import { networkBySecond } from '../../src/classroom/network-record.ts';
import {
  cdpConditions,
  conditionsLabel,
  NETWORK_PRESET_NAMES,
  NETWORK_PRESETS,
  networkProfileSchema,
  profileInForce,
  RESET_NETWORK,
} from '../../src/classroom/network-profiles.ts';
import { formatIssues } from '../../src/core/key-hints.ts';
import { drillSchema } from '../../src/drill/schema.ts';

const issuesOf = (result: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((i) => ({ path: i.path.join('.'), message: i.message }));

describe('the network presets', () => {
  it('are the six named profiles, per direction, with WebPageTest-like mobile links and loss-only lossy ones', () => {
    expect(NETWORK_PRESET_NAMES).toEqual(['4g', '3g', 'edge', 'lossy-5', 'lossy-20', 'offline']);
    expect(NETWORK_PRESETS['3g']).toEqual({ up: { kbps: 768, latency: 150, loss: 0 }, down: { kbps: 1600, latency: 150, loss: 0 } });
    // Every mobile preset is slower up than down (or equal), and slower as the generation gets older.
    for (const name of ['4g', '3g', 'edge'] as const) expect(NETWORK_PRESETS[name].up.kbps).toBeLessThanOrEqual(NETWORK_PRESETS[name].down.kbps);
    expect(NETWORK_PRESETS['4g'].down.kbps).toBeGreaterThan(NETWORK_PRESETS['3g'].down.kbps);
    expect(NETWORK_PRESETS['3g'].down.kbps).toBeGreaterThan(NETWORK_PRESETS.edge.down.kbps);
    expect(NETWORK_PRESETS.edge.up.latency).toBeGreaterThan(NETWORK_PRESETS['3g'].up.latency);
    expect(NETWORK_PRESETS['lossy-20']).toEqual({ up: { latency: 0, loss: 20 }, down: { latency: 0, loss: 20 } });
  });

  it('label what is in force, read from what Chrome is given', () => {
    expect(profileInForce('3g', 'teacher').label).toBe('3g (768/1600 kbit/s up/down, 300 ms RTT)');
    expect(profileInForce('4g', 'student').label).toBe('4g (9000/9000 kbit/s up/down, 170 ms RTT)');
    expect(profileInForce('edge', 'teacher').label).toBe('edge (200/240 kbit/s up/down, 840 ms RTT)');
    expect(profileInForce('lossy-20', 'teacher').label).toBe('lossy-20 (20 % loss)');
    expect(profileInForce('lossy-5', 'student').label).toBe('lossy-5 (5 % loss)');
    expect(profileInForce('offline', 'student').label).toBe('offline');
    expect(profileInForce({ up: { kbps: 500 } }, 'teacher').label).toBe('custom (500 kbit/s up)');
    expect(profileInForce({}, 'teacher').label).toBe('custom (no limits)');
    expect(conditionsLabel('custom', { ...RESET_NETWORK, downloadThroughput: 12_500 })).toBe('custom (100 kbit/s down)');
  });
});

describe('networkProfileSchema', () => {
  it('takes a preset name or a profile of your own, durations as strings', () => {
    expect(networkProfileSchema.parse('edge')).toBe('edge');
    expect(networkProfileSchema.parse({ up: { kbps: 300, latency: '100ms', loss: 2 } })).toEqual({ up: { kbps: 300, latency: 100, loss: 2 } });
    expect(networkProfileSchema.parse({ down: {} })).toEqual({ down: {} });
  });

  it('lists the preset names when it does not know one, and names the field of a bad custom profile', () => {
    expect(issuesOf(networkProfileSchema.safeParse('5g'))).toEqual([
      { path: '', message: "expected a network profile: one of '4g', '3g', 'edge', 'lossy-5', 'lossy-20', 'offline', or your own { up: { kbps, latency, loss }, down: { … } }; got '5g'" },
    ]);
    expect(issuesOf(networkProfileSchema.safeParse(42))[0]!.message).toMatch(/^expected a network profile: one of '4g'.*; got 42$/);
    expect(issuesOf(networkProfileSchema.safeParse({ up: { kbps: 0 } }))).toEqual([{ path: 'up.kbps', message: 'expected kbit/s, a number above 0' }]);
    expect(issuesOf(networkProfileSchema.safeParse({ down: { loss: 120 } }))).toEqual([{ path: 'down.loss', message: 'expected a percentage, 0–100' }]);
    expect(issuesOf(networkProfileSchema.safeParse({ up: { latency: 100 } }))[0]).toMatchObject({ path: 'up.latency', message: expect.stringContaining("expected a duration like '500ms'") });
    expect(networkProfileSchema.safeParse({ upload: { kbps: 100 } }).error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['upload'] });
  });
});

describe('cdpConditions', () => {
  it('caps each direction exactly, and takes latency and loss from the direction that carries the class', () => {
    // The teacher sends: its uplink's latency and loss; a student receives: its downlink's.
    const asymmetric = { up: { kbps: 800, latency: 50, loss: 3 }, down: { kbps: 4000, latency: 200, loss: 10 } };
    expect(cdpConditions(asymmetric, 'teacher')).toEqual({ offline: false, latency: 50, uploadThroughput: 100_000, downloadThroughput: 500_000, packetLoss: 3 });
    expect(cdpConditions(asymmetric, 'student')).toEqual({ offline: false, latency: 200, uploadThroughput: 100_000, downloadThroughput: 500_000, packetLoss: 10 });
  });

  it('leaves an uncapped direction at -1, keeps the window armed (latency at least 1 ms) and maps offline', () => {
    expect(cdpConditions(NETWORK_PRESETS['lossy-20'], 'teacher')).toEqual({ offline: false, latency: 1, uploadThroughput: -1, downloadThroughput: -1, packetLoss: 20 });
    expect(cdpConditions(NETWORK_PRESETS.offline, 'student')).toEqual({ offline: true, latency: 1, uploadThroughput: -1, downloadThroughput: -1, packetLoss: 0 });
    expect(cdpConditions(NETWORK_PRESETS['3g'], 'student')).toEqual({ offline: false, latency: 150, uploadThroughput: 96_000, downloadThroughput: 200_000, packetLoss: 0 });
    expect(RESET_NETWORK).toEqual({ offline: false, latency: 1, uploadThroughput: -1, downloadThroughput: -1, packetLoss: 0 });
  });
});

const parse = (fault: object) => faultSchema.safeParse({ kind: 'network', target: 'teacher', at: '2s', for: '10s', ...fault });

describe('the network fault with profiles', () => {
  it('takes one profile or a timeline of them, and still the single fields', () => {
    expect(parse({ profile: '3g' }).data).toMatchObject({ profile: '3g' });
    expect(parse({ profiles: [{ at: '0s', profile: '4g' }, { at: '6s', profile: { up: { loss: 20 } } }] }).data).toMatchObject({
      profiles: [{ at: 0, profile: '4g' }, { at: 6000, profile: { up: { loss: 20 } } }],
    });
    expect(parse({ latency: '200ms', uploadKbps: 300, packetLoss: 5 }).success).toBe(true);
  });

  it('refuses a timeline that does not start at 0, is out of order or outlasts the fault', () => {
    expect(issuesOf(parse({ profiles: [{ at: '1s', profile: '4g' }] }))).toEqual([{ path: 'profiles.0.at', message: "the first profile starts with the fault: write at: '0s' (got 1 s)" }]);
    expect(issuesOf(parse({ profiles: [{ at: '0s', profile: '4g' }, { at: '5s', profile: '3g' }, { at: '5s', profile: 'edge' }] }))).toEqual([
      { path: 'profiles.2.at', message: 'comes at 5 s, not after the profile before it (5 s); list the profiles in time order' },
    ]);
    expect(issuesOf(parse({ profiles: [{ at: '0s', profile: '4g' }, { at: '10s', profile: 'lossy-20' }] }))).toEqual([
      { path: 'profiles.1.at', message: 'starts 10 s into the fault, which lasts 10 s (`for`); a change must come before the fault ends' },
    ]);
    expect(issuesOf(parse({ profiles: [] }))).toEqual([{ path: 'profiles', message: "give at least one profile, the first at '0s'" }]);
    expect(issuesOf(parse({ profiles: [{ at: '0s', profile: '5g' }] }))[0]).toMatchObject({ path: 'profiles.0.profile', message: expect.stringContaining("got '5g'") });
  });

  it('refuses a profile beside the single fields, and profile beside profiles', () => {
    expect(issuesOf(parse({ profile: '3g', packetLoss: 5, latency: '10ms' }))).toEqual([
      {
        path: 'latency',
        message: 'a network profile replaces latency, downloadKbps, uploadKbps, packetLoss, offline: put latency, packetLoss into a custom profile ({ up: { kbps, latency, loss }, down: { … } }) or leave the profile out',
      },
    ]);
    expect(issuesOf(parse({ profile: '3g', profiles: [{ at: '0s', profile: '4g' }] }))).toEqual([
      { path: 'profiles', message: 'give `profile` (one for the whole fault) or `profiles` (a timeline of them), not both' },
    ]);
  });

  it('refuses latency or loss on the direction that does not carry the class, which Chrome could not honour', () => {
    expect(issuesOf(parse({ profile: { down: { loss: 20 } } }))).toEqual([
      {
        path: 'profile.down.loss',
        message: "the teacher's window only sends the class, and Chrome gives a window one loss for both directions, taken from `up` (0 %); set `up.loss` instead, give both the same, or leave `down.loss` out",
      },
    ]);
    expect(issuesOf(parse({ target: 'student-1', profiles: [{ at: '0s', profile: { up: { latency: '300ms' }, down: { latency: '100ms' } } }] }))[0]).toMatchObject({
      path: 'profiles.0.profile.up.latency',
      message: expect.stringContaining("a student's window only receives the class, and Chrome gives a window one latency for both directions, taken from `down` (100 ms)"),
    });
    expect(parse({ profile: { up: { loss: 20 }, down: { loss: 20, kbps: 500 } } }).success).toBe(true);
  });

  it('reads the problems of a drill file with their full path', () => {
    const drill = drillSchema.safeParse({
      name: 'x',
      description: 'x',
      classroom: { provider: 'local', students: 1, duration: '20s' },
      faults: [{ kind: 'network', target: 'teacher', at: '2s', for: '5s', profiles: [{ at: '0s', profile: '4g' }, { at: '6s', profile: 'lossy-20' }] }],
    });
    expect(issuesOf(drill).map((i) => i.path)).toEqual(['faults.0.profiles.1.at']);

    const typos = drillSchema.safeParse({
      name: 'x',
      description: 'x',
      classroom: { provider: 'local', students: 1, duration: '20s' },
      faults: [{ kind: 'network', target: 'teacher', at: '2s', for: '5s', profile: { up: { latency: 100 }, dwn: {} } }],
    });
    expect(formatIssues('drills/x.ts', typos.error!.issues, drillSchema).split('\n').sort()).toEqual([
      "  drills/x.ts › faults[0].profile.dwn › unknown key (did you mean 'down'?)",
      "  drills/x.ts › faults[0].profile.up.latency › expected a duration like '500ms', '12s', '2m' or '1h'",
    ]);
  });

  it('declares where the trouble is: every mechanism of every profile, in the words of what was in force', () => {
    const truth = groundTruth(parse({ profiles: [{ at: '0s', profile: '4g' }, { at: '4s', profile: 'lossy-20' }] }).data!);
    expect(truth).toEqual({
      participant: 'teacher',
      side: 'network',
      media: ['video', 'audio'],
      direction: 'both',
      mechanisms: ['bandwidth', 'latency', 'packet-loss'],
      mechanism: "teacher's network path: 4g (9000/9000 kbit/s up/down, 170 ms RTT), then lossy-20 (20 % loss) from 4 s into the fault",
    });
    expect(groundTruth(parse({ profile: 'offline' }).data!)).toMatchObject({ mechanisms: ['disconnect'], direction: 'both' });
    expect(groundTruth(parse({ target: 'student-1', profile: { down: { kbps: 300 } } }).data!)).toMatchObject({ mechanisms: ['bandwidth'], direction: 'receive' });
    expect(groundTruth(parse({ profile: { up: { kbps: 300 } } }).data!)).toMatchObject({ mechanisms: ['bandwidth'], direction: 'send' });
    // The single fields keep their old words.
    expect(groundTruth(parse({ uploadKbps: 300 }).data!)).toMatchObject({ direction: 'send', mechanism: "teacher's network path: uplink capped at 300 kbit/s" });
  });
});

/** Levers that record every DevTools command each participant's window was sent. */
function recordingLevers(participants: string[]) {
  const sent: { participant: string; method: string; params: unknown }[] = [];
  const sessions = new Map(
    participants.map((participant) => [
      participant,
      {
        send: async (method: string, params: unknown) => {
          sent.push({ participant, method, params });
        },
      } as unknown as CDPSession,
    ]),
  );
  // The network kind pulls only the DevTools lever.
  const levers = { cdp: (p: string) => sessions.get(p) } satisfies Pick<FaultLevers, 'cdp'> as unknown as FaultLevers;
  return { levers, sent };
}

describe('applying network profiles', () => {
  afterEach(() => vi.useRealTimers());

  it('applies the first profile at once and the next at its time, noting each change, and clearing cancels the rest', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { levers, sent } = recordingLevers(['teacher']);
    const notes: FaultChange[] = [];
    const fault = parse({ profiles: [{ at: '0s', profile: '4g' }, { at: '4s', profile: 'lossy-20' }, { at: '8s', profile: 'edge' }] }).data!;
    const clear = await applyFault(levers, fault, 'fault-0', ['student-1'], (c) => notes.push(c));
    expect(sent).toEqual([{ participant: 'teacher', method: 'Network.emulateNetworkConditions', params: cdpConditions(NETWORK_PRESETS['4g'], 'teacher') }]);
    expect(notes).toEqual([{ at: 1_000_000, participant: 'teacher', profile: '4g (9000/9000 kbit/s up/down, 170 ms RTT)', conditions: cdpConditions(NETWORK_PRESETS['4g'], 'teacher') }]);

    await vi.advanceTimersByTimeAsync(3999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.at(-1)!.params).toEqual({ offline: false, latency: 1, uploadThroughput: -1, downloadThroughput: -1, packetLoss: 20 });
    expect(notes.map((n) => [n.at - 1_000_000, n.profile])).toEqual([
      [0, '4g (9000/9000 kbit/s up/down, 170 ms RTT)'],
      [4000, 'lossy-20 (20 % loss)'],
    ]);

    await vi.advanceTimersByTimeAsync(2000);
    await clear();
    expect(sent.at(-1)!.params).toEqual(RESET_NETWORK);
    // The edge profile at 8 s never comes: the fault was cleared at 6 s.
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent.map((s) => (s.params as { packetLoss: number }).packetLoss)).toEqual([0, 20, 0]);
    expect(notes).toHaveLength(2);
    await clear();
    expect(sent.at(-1)!.params).toEqual(RESET_NETWORK);
  });

  it("gives each targeted student its own window's conditions, and notes the single fields too", async () => {
    const { levers, sent } = recordingLevers(['student-1', 'student-2']);
    const notes: FaultChange[] = [];
    await applyFault(levers, faultSchema.parse({ kind: 'network', target: 'students', at: '0s', for: '5s', profile: '3g' }), 'fault-0', ['student-1', 'student-2'], (c) => notes.push(c));
    expect(sent.map((s) => s.participant).sort()).toEqual(['student-1', 'student-2']);
    expect(sent[0]!.params).toEqual(cdpConditions(NETWORK_PRESETS['3g'], 'student'));
    expect(notes.map((n) => n.profile)).toEqual(['3g (768/1600 kbit/s up/down, 300 ms RTT)', '3g (768/1600 kbit/s up/down, 300 ms RTT)']);

    // The old fields reach Chrome exactly as before.
    const old = recordingLevers(['teacher']);
    const oldNotes: FaultChange[] = [];
    await applyFault(old.levers, faultSchema.parse({ kind: 'network', target: 'teacher', at: '0s', for: '5s', latency: '200ms', uploadKbps: 400 }), 'fault-0', [], (c) => oldNotes.push(c));
    expect(old.sent[0]!.params).toEqual({ offline: false, latency: 200, downloadThroughput: -1, uploadThroughput: 50_000 });
    expect(oldNotes[0]!.profile).toBe('custom (400 kbit/s up, 400 ms RTT)');
  });
});

describe('networkBySecond', () => {
  const inSessionAt = 5_000_000;
  const change = (at: number, participant: string, profile: string): FaultChange => ({ at: inSessionAt + at, participant, profile, conditions: {} });
  const fault = (over: Partial<AppliedFault>): AppliedFault => ({
    index: 0,
    kind: 'network',
    target: 'teacher',
    affects: [],
    plannedAt: 0,
    plannedFor: 0,
    startedAt: inSessionAt,
    endedAt: null,
    ...over,
  });

  it('says what was in force each second of the class, none before and after the fault', () => {
    const applied = [fault({ startedAt: inSessionAt + 2003, endedAt: inSessionAt + 7004, profiles: [change(2003, 'teacher', '4g'), change(5002, 'teacher', 'lossy-20')] })];
    const record = networkBySecond(applied, inSessionAt, 9000);
    expect(record.map((r) => r.profile)).toEqual(['none', 'none', '4g', '4g', '4g', 'lossy-20', 'lossy-20', 'none', 'none']);
    expect(record[2]).toEqual({ second: 2, at: new Date(inSessionAt + 2000).toISOString(), participant: 'teacher', profile: '4g' });
  });

  it('keeps participants apart, lists only those a fault changed, and runs to the class end for a fault never cleared', () => {
    const applied = [
      fault({ index: 0, endedAt: inSessionAt + 2000, profiles: [change(1000, 'student-1', 'edge'), change(1000, 'student-2', 'edge')] }),
      fault({ index: 1, kind: 'video-freeze' }),
      fault({ index: 2, profiles: [change(3000, 'student-2', 'offline')] }),
    ];
    const record = networkBySecond(applied, inSessionAt, 4000);
    const of = (p: string) => record.filter((r) => r.participant === p).map((r) => r.profile);
    expect(of('student-1')).toEqual(['none', 'edge', 'none', 'none']);
    expect(of('student-2')).toEqual(['none', 'edge', 'none', 'offline']);
    expect(new Set(record.map((r) => r.participant))).toEqual(new Set(['student-1', 'student-2']));
  });
});
