import { describe, expect, it } from 'vitest';
import type { FaultLevers } from '../../../src/classroom/faults/fault-kind.ts';
import { applyFault, faultSchema, groundTruth, leverOf, studentsNeedingOwnWindow } from '../../../src/classroom/faults/registry.ts';
import { ARMED_NETWORK } from '../../../src/classroom/network-conditions.ts';

const students = ['student-1', 'student-2', 'student-3'];
const parse = (fault: object) => faultSchema.parse({ kind: 'join-block', target: 'student-2', block: 'signalling', ...fault });

/** Levers that record what a join block asks of them. */
function recorder() {
  const calls: string[] = [];
  const levers = {
    cdp: (p: string) => ({ send: async (method: string, params: object) => void calls.push(`${p} ${method} ${JSON.stringify(params)}`) }),
    signallingUrls: () => ['ws://127.0.0.1:4000/signal*'],
    useWrongCredentials: (p: string) => void calls.push(`${p} wrong credentials`),
  } as unknown as FaultLevers;
  return { calls, levers };
}

describe('join-block', () => {
  it('acts before the window opens and lasts the whole class: no at, no for', () => {
    expect(parse({})).toEqual({ kind: 'join-block', target: 'student-2', block: 'signalling', at: 0, for: 0 });
    expect(parse({ at: '0s' }).at).toBe(0);
    const timed = faultSchema.safeParse({ kind: 'join-block', target: 'student-2', block: 'media', at: '2s', for: '5s' });
    expect(timed.error?.issues.map((i) => i.message)).toEqual(["a join block acts before the student's window opens: leave 'at' out", "a join block lasts the whole class: leave 'for' out"]);
    expect(faultSchema.safeParse({ kind: 'join-block', target: 'teacher', block: 'media' }).error?.issues[0]?.message).toMatch(/expected 'students' or 'student-N'/);
    expect(faultSchema.safeParse({ kind: 'join-block', target: 'student-2', block: 'dns' }).error?.issues[0]?.message).toBe("expected 'signalling', 'media' or 'credentials'");
  });

  it('is a join lever, which gives its students windows of their own', () => {
    expect(leverOf(parse({}))).toBe('join');
    expect(studentsNeedingOwnWindow([parse({})], students)).toEqual(new Set(['student-2']));
  });

  it('says where the trouble really is for each block', () => {
    expect(groundTruth(parse({}))).toMatchObject({ participant: 'student-2', side: 'network', mechanisms: ['disconnect'] });
    expect(groundTruth(parse({ block: 'media' }))).toMatchObject({ side: 'network', mechanisms: ['packet-loss', 'disconnect'] });
    expect(groundTruth(parse({ block: 'credentials' }))).toMatchObject({ side: 'subscriber', mechanism: 'student-2 joined with wrong credentials, which the provider rejected' });
  });

  it("takes the provider's signalling offline by URL rule, and clears the rule and re-arms the window after", async () => {
    const { calls, levers } = recorder();
    const clear = await applyFault(levers, parse({}), 'fault-0', ['student-2']);
    expect(calls).toEqual([
      `student-2 Network.emulateNetworkConditionsByRule ${JSON.stringify({ offline: true, matchedNetworkConditions: [{ urlPattern: 'ws://127.0.0.1:4000/signal*', latency: 0, downloadThroughput: -1, uploadThroughput: -1 }] })}`,
    ]);
    await clear();
    expect(calls.slice(1)).toEqual([
      `student-2 Network.emulateNetworkConditionsByRule ${JSON.stringify({ offline: false, matchedNetworkConditions: [] })}`,
      `student-2 Network.emulateNetworkConditions ${JSON.stringify(ARMED_NETWORK)}`,
    ]);
  });

  it('loses every media packet, or hands out wrong credentials, for each student it keeps out', async () => {
    const media = recorder();
    await applyFault(media.levers, parse({ block: 'media', target: 'students' }), 'fault-0', ['student-1', 'student-3']);
    expect(media.calls).toEqual(['student-1', 'student-3'].map((p) => `${p} Network.emulateNetworkConditions ${JSON.stringify({ ...ARMED_NETWORK, packetLoss: 100 })}`));
    const credentials = recorder();
    await applyFault(credentials.levers, parse({ block: 'credentials' }), 'fault-0', students);
    expect(credentials.calls).toEqual(['student-2 wrong credentials']);
  });
});
