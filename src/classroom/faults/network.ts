import type { CDPSession } from 'puppeteer';
import { z } from 'zod';
import { durationMs } from '../../core/duration.ts';
import type { FaultGroundTruth, MechanismKind } from '../../core/ground-truth.ts';
import { ARMED_NETWORK } from '../network-conditions.ts';
import {
  carryingDirection,
  conditionsLabel,
  networkProfileSchema,
  profileInForce,
  RESET_NETWORK,
  roleOf,
  type CdpNetworkConditions,
  type NetworkProfileInput,
  type NetworkRole,
} from '../network-profiles.ts';
import { defineFaultKind, faultTiming, type ClearFault, type FaultContext } from './fault-kind.ts';

const profileStepSchema = z.strictObject({
  /** When this profile takes over, counted from the fault's start: the first at `'0s'`, each before the fault ends. */
  at: durationMs,
  /** A preset's name (`'4g'`, `'3g'`, `'edge'`, `'lossy-5'`, `'lossy-20'`, `'offline'`) or your own `{ up, down }`. */
  profile: networkProfileSchema,
});

const LEGACY_FIELDS = ['latency', 'downloadKbps', 'uploadKbps', 'packetLoss', 'offline'] as const;

const schema = z
  .strictObject({
    kind: z.literal('network'),
    ...faultTiming,
    /** Added delay. Chrome adds it to every packet both ways, so the round trip grows by twice this. */
    latency: durationMs.optional(),
    /** kbit/s */
    downloadKbps: z.number().positive().optional(),
    /** kbit/s */
    uploadKbps: z.number().positive().optional(),
    /** percent of packets lost, 0–100 */
    packetLoss: z.number().min(0).max(100).optional(),
    offline: z.boolean().optional(),
    /**
     * One network profile for the whole fault, per direction: a preset's name (`'4g'`, `'3g'`,
     * `'edge'`, `'lossy-5'`, `'lossy-20'`, `'offline'`) or your own
     * `{ up: { kbps, latency, loss }, down: { … } }`. Replaces `latency`, `downloadKbps`,
     * `uploadKbps`, `packetLoss` and `offline`.
     */
    profile: networkProfileSchema.optional(),
    /**
     * Profiles changing during the fault: `[{ at: '0s', profile: '4g' }, { at: '10s', profile: 'lossy-20' }]`,
     * `at` counted from the fault's start. Instead of `profile` and the single fields.
     */
    profiles: z.array(profileStepSchema).min(1, { error: "give at least one profile, the first at '0s'" }).optional(),
  })
  .superRefine((fault, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const legacy = LEGACY_FIELDS.filter((f) => fault[f] !== undefined);
    if (fault.profile !== undefined && fault.profiles !== undefined) {
      issue(['profiles'], 'give `profile` (one for the whole fault) or `profiles` (a timeline of them), not both');
    }
    if ((fault.profile !== undefined || fault.profiles !== undefined) && legacy.length > 0) {
      issue([legacy[0]!], `a network profile replaces ${LEGACY_FIELDS.join(', ')}: put ${legacy.join(', ')} into a custom profile ({ up: { kbps, latency, loss }, down: { … } }) or leave the profile out`);
    }
    const steps = fault.profiles ?? [];
    steps.forEach((step, i) => {
      if (i === 0 && step.at !== 0) issue(['profiles', 0, 'at'], `the first profile starts with the fault: write at: '0s' (got ${step.at / 1000} s)`);
      const previous = steps[i - 1];
      if (previous && step.at <= previous.at) {
        issue(['profiles', i, 'at'], `comes at ${step.at / 1000} s, not after the profile before it (${previous.at / 1000} s); list the profiles in time order`);
      }
      if (step.at >= fault.for) {
        issue(['profiles', i, 'at'], `starts ${step.at / 1000} s into the fault, which lasts ${fault.for / 1000} s (\`for\`); a change must come before the fault ends`);
      }
    });
    const role = roleOf(fault.target);
    if (fault.profile !== undefined) checkOneLatencyAndLoss(fault.profile, role, ['profile'], issue);
    steps.forEach((step, i) => checkOneLatencyAndLoss(step.profile, role, ['profiles', i, 'profile'], issue));
  });

type NetworkFault = z.output<typeof schema>;

/** Browser network conditions (CDP): armed at page start, so they act on WebRTC mid-call. */
export const network = defineFaultKind({
  kind: 'network',
  lever: 'window',
  summary: "the target's network degrades: a named profile (4g, 3g, edge, lossy-N, offline) or a timeline of them, latency, a bandwidth cap, packet loss or no network at all",
  schema,
  groundTruth: (fault) => {
    const timeline = profileTimeline(fault);
    return timeline ? profilesTruth(fault, timeline) : legacyTruth(fault);
  },
  apply: (fault, context) => applyNetwork(fault, context),
});

/** The fault's profiles with their offsets, or `undefined` for a fault written with the single fields. */
function profileTimeline(fault: NetworkFault): { at: number; profile: NetworkProfileInput }[] | undefined {
  if (fault.profiles) return fault.profiles;
  return fault.profile !== undefined ? [{ at: 0, profile: fault.profile }] : undefined;
}

/**
 * Applies the first profile now and each later one at its time, recording every change through
 * `context.note`; clearing cancels what has not happened yet, waits for a change under way (so it
 * cannot land after the reset) and puts the window back to {@link RESET_NETWORK}.
 */
async function applyNetwork(fault: NetworkFault, context: FaultContext): Promise<ClearFault> {
  const { targets, levers, note } = context;
  const startedAt = Date.now();
  const set = (conditionsOf: (participant: string) => { conditions: CdpNetworkConditions | LegacyConditions; label: string }) =>
    Promise.all(
      targets.map(async (participant) => {
        const cdp = levers.cdp(participant);
        if (!cdp) return;
        const { conditions, label } = conditionsOf(participant);
        await send(cdp, conditions);
        note?.({ at: Date.now(), participant, profile: label, conditions: { ...conditions } });
      }),
    );
  const timeline = profileTimeline(fault);
  if (!timeline) {
    const conditions = legacyConditions(fault);
    await set(() => ({ conditions, label: conditionsLabel('custom', { packetLoss: 0, ...conditions }) }));
  } else await set((p) => profileInForce(timeline[0]!.profile, roleOf(p)));

  let cleared = false;
  let changing: Promise<unknown> = Promise.resolve();
  const timers = (timeline ?? []).slice(1).map((step) =>
    setTimeout(() => {
      // A window that went away mid-run fails its change; the rollback still resets the others.
      changing = changing.then(() => (cleared ? undefined : set((p) => profileInForce(step.profile, roleOf(p))))).catch(() => undefined);
    }, Math.max(0, startedAt + step.at - Date.now())),
  );
  return async () => {
    cleared = true;
    for (const timer of timers) clearTimeout(timer);
    await changing;
    await Promise.all(targets.map(async (p) => levers.cdp(p)?.send('Network.emulateNetworkConditions' as never, RESET_NETWORK as never).catch(() => undefined)));
  };
}

function send(cdp: CDPSession, conditions: object): Promise<unknown> {
  return cdp.send('Network.emulateNetworkConditions' as never, conditions as never);
}

type LegacyConditions = Omit<CdpNetworkConditions, 'packetLoss'> & { packetLoss?: number };

/** The single fields as they always mapped: latency given to Chrome as it is, loss only when set. */
function legacyConditions(fault: NetworkFault): LegacyConditions {
  return {
    offline: fault.offline ?? false,
    latency: fault.latency ?? ARMED_NETWORK.latency,
    downloadThroughput: fault.downloadKbps ? (fault.downloadKbps * 1000) / 8 : -1,
    uploadThroughput: fault.uploadKbps ? (fault.uploadKbps * 1000) / 8 : -1,
    ...(fault.packetLoss !== undefined ? { packetLoss: fault.packetLoss } : {}),
  };
}

/**
 * Chrome gives a window one latency and one loss for both directions, taken from the direction that
 * carries the class (see `cdpConditions`): a custom profile asking the other direction for
 * something else would be silently ignored, so it is refused here, where the field can be named.
 */
function checkOneLatencyAndLoss(input: NetworkProfileInput, role: NetworkRole, path: (string | number)[], issue: (path: (string | number)[], message: string) => void): void {
  if (typeof input === 'string') return;
  const carrying = carryingDirection(role);
  const other = carrying === 'up' ? 'down' : 'up';
  const who = role === 'teacher' ? "the teacher's window only sends the class" : "a student's window only receives the class";
  for (const field of ['latency', 'loss'] as const) {
    const asked = input[other]?.[field];
    const given = input[carrying]?.[field] ?? 0;
    if (asked !== undefined && asked !== given) {
      const unit = field === 'latency' ? ' ms' : ' %';
      issue(
        [...path, other, field],
        `${who}, and Chrome gives a window one ${field} for both directions, taken from \`${carrying}\` (${given}${unit}); ` +
          `set \`${carrying}.${field}\` instead, give both the same, or leave \`${other}.${field}\` out`,
      );
    }
  }
}

/** Where the fault's profiles really put the trouble, from the conditions Chrome was given. */
function profilesTruth(fault: NetworkFault, timeline: { at: number; profile: NetworkProfileInput }[]): FaultGroundTruth {
  const steps = timeline.map((s) => ({ at: s.at, ...profileInForce(s.profile, roleOf(fault.target)) }));
  const mechanisms = [...new Set(steps.flatMap((s) => conditionMechanisms(s.conditions)))];
  const directions = new Set(steps.map((s) => conditionDirection(s.conditions)));
  const story = steps.map((s, i) => (i === 0 ? s.label : `then ${s.label} from ${s.at / 1000} s into the fault`)).join(', ');
  return {
    participant: fault.target,
    side: 'network',
    media: ['video', 'audio'],
    direction: directions.size === 1 ? [...directions][0]! : 'both',
    mechanisms: mechanisms.length > 0 ? mechanisms : ['packet-loss', 'bandwidth', 'latency'],
    mechanism: `${fault.target}'s network path: ${story}`,
  };
}

function conditionMechanisms(c: CdpNetworkConditions): MechanismKind[] {
  const out: MechanismKind[] = [];
  if (c.offline) out.push('disconnect');
  if (c.packetLoss > 0) out.push('packet-loss');
  if (c.uploadThroughput >= 0 || c.downloadThroughput >= 0) out.push('bandwidth');
  if (c.latency > ARMED_NETWORK.latency) out.push('latency');
  return out;
}

/** Latency and loss act both ways (one value per window); only a throughput cap has a direction. */
function conditionDirection(c: CdpNetworkConditions): FaultGroundTruth['direction'] {
  if (c.offline || c.packetLoss > 0 || c.latency > ARMED_NETWORK.latency) return 'both';
  const up = c.uploadThroughput >= 0;
  const down = c.downloadThroughput >= 0;
  return up && !down ? 'send' : down && !up ? 'receive' : 'both';
}

function legacyTruth(fault: NetworkFault): FaultGroundTruth {
  const parts = [
    fault.offline ? 'no network at all' : undefined,
    fault.packetLoss !== undefined ? `${fault.packetLoss} % packet loss` : undefined,
    fault.uploadKbps !== undefined ? `uplink capped at ${fault.uploadKbps} kbit/s` : undefined,
    fault.downloadKbps !== undefined ? `downlink capped at ${fault.downloadKbps} kbit/s` : undefined,
    fault.latency !== undefined ? `${fault.latency} ms added latency` : undefined,
  ].filter((p): p is string => p !== undefined);
  const onlyUp = fault.uploadKbps !== undefined && fault.downloadKbps === undefined && !fault.offline && fault.packetLoss === undefined && fault.latency === undefined;
  const onlyDown = fault.downloadKbps !== undefined && fault.uploadKbps === undefined && !fault.offline && fault.packetLoss === undefined && fault.latency === undefined;
  return {
    participant: fault.target,
    side: 'network',
    media: ['video', 'audio'],
    direction: onlyUp ? 'send' : onlyDown ? 'receive' : 'both',
    mechanisms: legacyMechanisms(fault),
    mechanism: `${fault.target}'s network path: ${parts.length ? parts.join(', ') : 'degraded'}`,
  };
}

/** What a network fault does as categories: only what it sets. */
function legacyMechanisms(fault: { offline?: boolean; packetLoss?: number; uploadKbps?: number; downloadKbps?: number; latency?: number }): MechanismKind[] {
  const out: MechanismKind[] = [];
  if (fault.offline) out.push('disconnect');
  if (fault.packetLoss !== undefined && fault.packetLoss > 0) out.push('packet-loss');
  if (fault.uploadKbps !== undefined || fault.downloadKbps !== undefined) out.push('bandwidth');
  if (fault.latency !== undefined && fault.latency > 0) out.push('latency');
  return out.length > 0 ? out : ['packet-loss', 'bandwidth', 'latency'];
}
