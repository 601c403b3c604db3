import type { AppliedFault } from './faults/fault-kind.ts';

/** The network profile in force on one participant during one second of the class. */
export interface NetworkSecond {
  /** Seconds since the class was in session: this entry covers [second, second + 1). */
  second: number;
  /** The second's start, ISO-8601. */
  at: string;
  participant: string;
  /** The label of what was in force (`lossy-20 (20 % loss)`), or `none`. */
  profile: string;
}

/**
 * Second by second, from the class in session to its end, the profile in force on each participant
 * a fault changed the network of, read at the middle of the second: a change lands a few ms after
 * its planned time, and read at the second's start it would show one second late. A fault's end
 * puts `none` back, since clearing any network fault resets the whole window.
 */
export function networkBySecond(applied: readonly AppliedFault[], inSessionAt: number, durationMs: number): NetworkSecond[] {
  const changes = new Map<string, { at: number; profile: string }[]>();
  for (const fault of applied) {
    const participants = new Set<string>();
    for (const change of fault.profiles ?? []) {
      participants.add(change.participant);
      getOrAdd(changes, change.participant).push({ at: change.at, profile: change.profile });
    }
    if (fault.endedAt !== null) for (const p of participants) getOrAdd(changes, p).push({ at: fault.endedAt, profile: 'none' });
  }
  const out: NetworkSecond[] = [];
  for (const [participant, list] of changes) {
    // Stable: a fault that ends and another that starts at the same instant keep their order.
    const sorted = [...list].sort((a, b) => a.at - b.at);
    for (let second = 0; second * 1000 < durationMs; second++) {
      const middle = inSessionAt + second * 1000 + 500;
      const current = sorted.filter((c) => c.at <= middle).at(-1);
      out.push({ second, at: new Date(inSessionAt + second * 1000).toISOString(), participant, profile: current?.profile ?? 'none' });
    }
  }
  return out;
}

function getOrAdd<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
