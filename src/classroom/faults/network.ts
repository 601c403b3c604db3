import { z } from 'zod';
import { durationMs } from '../../core/duration.ts';
import type { MechanismKind } from '../../core/ground-truth.ts';
import { ARMED_NETWORK } from '../network-conditions.ts';
import { devtools } from './devtools.ts';
import { defineFaultKind, faultTiming } from './fault-kind.ts';

/** Browser network conditions (CDP): armed at page start, so they act on WebRTC mid-call. */
export const network = defineFaultKind({
  kind: 'network',
  lever: 'window',
  summary: "the target's network degrades: latency, a bandwidth cap, packet loss or no network at all",
  schema: z.strictObject({
    kind: z.literal('network'),
    ...faultTiming,
    /** Added round-trip latency. */
    latency: durationMs.optional(),
    /** kbit/s */
    downloadKbps: z.number().positive().optional(),
    /** kbit/s */
    uploadKbps: z.number().positive().optional(),
    /** percent of packets lost, 0–100 */
    packetLoss: z.number().min(0).max(100).optional(),
    offline: z.boolean().optional(),
  }),
  groundTruth: (fault) => {
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
      mechanisms: networkMechanisms(fault),
      mechanism: `${fault.target}'s network path: ${parts.length ? parts.join(', ') : 'degraded'}`,
    };
  },
  apply: (fault, context) =>
    devtools(
      context,
      'Network.emulateNetworkConditions',
      {
        offline: fault.offline ?? false,
        latency: fault.latency ?? ARMED_NETWORK.latency,
        downloadThroughput: fault.downloadKbps ? (fault.downloadKbps * 1000) / 8 : -1,
        uploadThroughput: fault.uploadKbps ? (fault.uploadKbps * 1000) / 8 : -1,
        ...(fault.packetLoss !== undefined ? { packetLoss: fault.packetLoss } : {}),
      },
      { ...ARMED_NETWORK, packetLoss: 0 },
    ),
});

/** What a network fault does as categories: only what it sets. */
function networkMechanisms(fault: { offline?: boolean; packetLoss?: number; uploadKbps?: number; downloadKbps?: number; latency?: number }): MechanismKind[] {
  const out: MechanismKind[] = [];
  if (fault.offline) out.push('disconnect');
  if (fault.packetLoss !== undefined && fault.packetLoss > 0) out.push('packet-loss');
  if (fault.uploadKbps !== undefined || fault.downloadKbps !== undefined) out.push('bandwidth');
  if (fault.latency !== undefined && fault.latency > 0) out.push('latency');
  return out.length > 0 ? out : ['packet-loss', 'bandwidth', 'latency'];
}
