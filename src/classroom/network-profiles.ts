/**
 * Named network profiles (`4g`, `3g`, `edge`, `lossy-5`, `lossy-20`, `offline`) and custom ones,
 * per direction, and what each becomes in Chrome's network emulation. The `network` fault applies
 * them, one for the whole fault or a timeline of them.
 */
import { z } from 'zod';
import { durationMs } from '../core/duration.ts';
import { withKnownKeys } from '../core/key-hints.ts';
import { ARMED_NETWORK } from './network-conditions.ts';

/** One direction of a participant's link. */
export interface LinkConditions {
  /** Throughput cap in kbit/s; absent: no cap. */
  kbps?: number;
  /** Added delay one way, in ms. */
  latency?: number;
  /** Packets lost, percent 0–100. */
  loss?: number;
}

/** A network profile: the participant's uplink (`up`, what it sends) and downlink (`down`, what it receives). */
export interface NetworkProfile {
  up: LinkConditions;
  down: LinkConditions;
  /** No network at all. */
  offline?: boolean;
}

/**
 * The presets. The mobile ones are WebPageTest's connectivity profiles (`connectivity.ini`: 4G
 * 9/9 Mbit/s 170 ms RTT, 3G 1.6 Mbit/s down 768 kbit/s up 300 ms RTT, Edge 240/200 kbit/s 840 ms
 * RTT), the round trip split evenly over the two directions; Loadero names its profiles the same way
 * but also adds 0.2–1 % loss and jitter, which we leave out so that a mobile preset is throughput
 * and delay only and the `lossy-N` presets (Loadero's "N % packetloss": loss, nothing else) isolate
 * loss. Chrome emulates no jitter.
 */
export const NETWORK_PRESETS = {
  '4g': { up: { kbps: 9000, latency: 85, loss: 0 }, down: { kbps: 9000, latency: 85, loss: 0 } },
  '3g': { up: { kbps: 768, latency: 150, loss: 0 }, down: { kbps: 1600, latency: 150, loss: 0 } },
  edge: { up: { kbps: 200, latency: 420, loss: 0 }, down: { kbps: 240, latency: 420, loss: 0 } },
  'lossy-5': { up: { latency: 0, loss: 5 }, down: { latency: 0, loss: 5 } },
  'lossy-20': { up: { latency: 0, loss: 20 }, down: { latency: 0, loss: 20 } },
  offline: { up: {}, down: {}, offline: true },
} as const satisfies Record<string, NetworkProfile>;

export type NetworkPresetName = keyof typeof NETWORK_PRESETS;

export const NETWORK_PRESET_NAMES = Object.keys(NETWORK_PRESETS) as NetworkPresetName[];

const linkSchema = z.strictObject({
  /** Throughput cap in kbit/s. @defaultValue no cap */
  kbps: z.number({ error: 'expected kbit/s, a number above 0' }).positive({ error: 'expected kbit/s, a number above 0' }).optional(),
  /** Added delay one way (`'150ms'`). @defaultValue none */
  latency: durationMs.optional(),
  /** Packets lost, percent 0–100. @defaultValue 0 */
  loss: z.number({ error: 'expected a percentage, 0–100' }).min(0, { error: 'expected a percentage, 0–100' }).max(100, { error: 'expected a percentage, 0–100' }).optional(),
});

/** A profile of one's own: either direction, each field optional (what is left out is not limited). */
export const customNetworkProfileSchema = z.strictObject({
  /** What the participant sends. */
  up: linkSchema.optional(),
  /** What the participant receives. */
  down: linkSchema.optional(),
});

const presetList = NETWORK_PRESET_NAMES.map((n) => `'${n}'`).join(', ');
const expected = `expected a network profile: one of ${presetList}, or your own { up: { kbps, latency, loss }, down: { … } }`;
const presetNameSchema = z.enum(NETWORK_PRESET_NAMES);

type CustomProfile = z.output<typeof customNetworkProfileSchema>;

/**
 * A network profile as a drill writes it: a preset's name, or a custom `{ up?, down? }`. By hand
 * rather than a zod union, which reports a wrong field inside a custom profile (`latency: 100`
 * instead of `'100ms'`) as "not a profile" without saying which field: here a string is read as a
 * name and an object as a custom profile, each with its own messages and paths.
 */
export const networkProfileSchema = withKnownKeys(
  z.unknown().transform((value, ctx): NetworkPresetName | CustomProfile => {
    if (typeof value === 'string') {
      const name = presetNameSchema.safeParse(value);
      if (name.success) return name.data;
      ctx.addIssue({ code: 'custom', message: `${expected}; got '${value}'` });
      return z.NEVER;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: `${expected}; got ${JSON.stringify(value) ?? String(value)}` });
      return z.NEVER;
    }
    const custom = customNetworkProfileSchema.safeParse(value);
    if (custom.success) return custom.data;
    for (const issue of custom.error.issues) ctx.addIssue(issue as z.core.$ZodSuperRefineIssue);
    return z.NEVER;
  }),
  ['up', 'down'],
) as unknown as z.ZodType<NetworkPresetName | CustomProfile, NetworkPresetName | z.input<typeof customNetworkProfileSchema>>;

export type NetworkProfileInput = z.output<typeof networkProfileSchema>;

/** The preset's name, or `custom`. */
export function profileName(input: NetworkProfileInput): string {
  return typeof input === 'string' ? input : 'custom';
}

export function resolveProfile(input: NetworkProfileInput): NetworkProfile {
  return typeof input === 'string' ? NETWORK_PRESETS[input] : { up: input.up ?? {}, down: input.down ?? {} };
}

/** In this project's classrooms the teacher's window only sends the class and a student's only receives it. */
export type NetworkRole = 'teacher' | 'student';

export const roleOf = (participant: string): NetworkRole => (participant === 'teacher' ? 'teacher' : 'student');

/** The direction that carries the class for a role: the teacher's uplink, a student's downlink. */
export const carryingDirection = (role: NetworkRole): 'up' | 'down' => (role === 'teacher' ? 'up' : 'down');

/** `Network.emulateNetworkConditions` parameters (throughput in bytes/s, -1 for none). */
export interface CdpNetworkConditions {
  offline: boolean;
  latency: number;
  downloadThroughput: number;
  uploadThroughput: number;
  packetLoss: number;
}

/** What a window goes back to when a network fault clears: armed (so a later fault still acts), no loss. */
export const RESET_NETWORK: CdpNetworkConditions = { ...ARMED_NETWORK, packetLoss: 0 };

/**
 * A profile as Chrome can emulate it on one window. Chrome (services/network/throttling,
 * `ThrottlingP2PNetworkInterceptor`) throttles WebRTC with one simulated network per direction:
 * throughput is its own for each, but the single `latency` is added to every packet *both* ways and
 * the single `packetLoss` drops that share *both* ways. So throughput is exact per direction, while
 * latency and loss come from the direction that carries the class (the teacher's uplink, a
 * student's downlink): the media is delayed and lost exactly as the profile says, and the other
 * direction, which carries only RTCP feedback, gets the same (a round trip of twice the one-way
 * latency). The `network` fault refuses a custom profile whose other direction asks for something
 * else. Latency never drops below the armed 1 ms: fully neutral conditions could let Chrome stop
 * intercepting the connection, and a later profile would then do nothing.
 */
export function cdpConditions(profile: NetworkProfile, role: NetworkRole): CdpNetworkConditions {
  const carrying = profile[carryingDirection(role)];
  const bytesPerSecond = (kbps: number | undefined) => (kbps === undefined ? -1 : (kbps * 1000) / 8);
  return {
    offline: profile.offline ?? false,
    latency: Math.max(ARMED_NETWORK.latency, carrying.latency ?? 0),
    downloadThroughput: bytesPerSecond(profile.down.kbps),
    uploadThroughput: bytesPerSecond(profile.up.kbps),
    packetLoss: carrying.loss ?? 0,
  };
}

/**
 * What is in force, in words, read from the conditions Chrome was given (not from the profile), so
 * that it never claims more than was applied: `3g (768/1600 kbit/s up/down, 300 ms RTT)`.
 */
export function conditionsLabel(name: string, conditions: CdpNetworkConditions): string {
  if (conditions.offline) return name === 'offline' ? 'offline' : `${name} (offline)`;
  const kbps = (bytesPerSecond: number) => (bytesPerSecond < 0 ? undefined : Math.round((bytesPerSecond * 8) / 10) / 100);
  const up = kbps(conditions.uploadThroughput);
  const down = kbps(conditions.downloadThroughput);
  const parts = [
    up !== undefined && down !== undefined ? `${up}/${down} kbit/s up/down` : up !== undefined ? `${up} kbit/s up` : down !== undefined ? `${down} kbit/s down` : undefined,
    // The armed 1 ms is not a limit anyone asked for.
    conditions.latency > ARMED_NETWORK.latency ? `${conditions.latency * 2} ms RTT` : undefined,
    conditions.packetLoss > 0 ? `${conditions.packetLoss} % loss` : undefined,
  ].filter((p): p is string => p !== undefined);
  return `${name} (${parts.length > 0 ? parts.join(', ') : 'no limits'})`;
}

/** The profile a role's window is given: its name, Chrome's parameters and the label of what is in force. */
export function profileInForce(input: NetworkProfileInput, role: NetworkRole): { name: string; conditions: CdpNetworkConditions; label: string } {
  const name = profileName(input);
  const conditions = cdpConditions(resolveProfile(input), role);
  return { name, conditions, label: conditionsLabel(name, conditions) };
}
