import { z } from 'zod';
import { durationMs } from '../../core/duration.ts';
import type { FaultGroundTruth } from '../../core/ground-truth.ts';
import { ARMED_NETWORK } from '../network-conditions.ts';
import { targetSchema } from '../participants.ts';
import { defineFaultKind, type ClearFault, type FaultContext, type FaultLevers } from './fault-kind.ts';

/**
 * Some students cannot join the class at all, as when a school's firewall blocks the vendor's
 * gateway, its UDP is blocked, or the app hands out a wrong token. The block is in place before the
 * student's window loads the class and stays for the whole class; a drill that uses it expects the
 * failure (`expect: { join: { fails: 'student-N' } }`).
 */
export const joinBlock = defineFaultKind({
  kind: 'join-block',
  lever: 'join',
  summary: "the target students cannot join: their signalling is unreachable, no media flows, or the provider rejects their credentials",
  schema: z.strictObject({
    kind: z.literal('join-block'),
    /** `student-N` or `students`: the teacher's window has to be in the class for anyone to join. */
    target: targetSchema.refine((t) => t !== 'teacher', { error: "a join block keeps students out: expected 'students' or 'student-N'" }),
    /** A join block acts before the student's window opens: leave `at` out (or give `'0s'`). */
    at: durationMs.default(0).refine((at) => at === 0, { error: "a join block acts before the student's window opens: leave 'at' out" }),
    /** A join block lasts the whole class: leave `for` out (it is recorded as 0). */
    for: z
      .never({ error: "a join block lasts the whole class: leave 'for' out" })
      .optional()
      .transform((): number => 0),
    /**
     * What keeps the student out: `signalling` (its window cannot reach the provider's signalling
     * server), `media` (signalling works, every media packet is lost), `credentials` (the provider
     * is given credentials for it that its servers reject).
     */
    block: z.enum(['signalling', 'media', 'credentials'], { error: "expected 'signalling', 'media' or 'credentials'" }),
  }),
  groundTruth: (fault): FaultGroundTruth => {
    const who = fault.target === 'students' ? 'the students' : fault.target;
    switch (fault.block) {
      case 'signalling':
        return {
          participant: fault.target,
          side: 'network',
          media: ['video', 'audio'],
          direction: 'both',
          mechanisms: ['disconnect'],
          mechanism: `${who}'s browser could not reach the classroom's signalling server (its connections were refused), so ${fault.target === 'students' ? 'they' : 'it'} never joined`,
        };
      case 'media':
        return {
          participant: fault.target,
          side: 'network',
          media: ['video', 'audio'],
          direction: 'both',
          mechanisms: ['packet-loss', 'disconnect'],
          mechanism: `${who} reached the signalling server, but every media packet to and from ${fault.target === 'students' ? 'them' : 'it'} was lost (100 % loss from the start), so no media connection came up`,
        };
      case 'credentials':
        return {
          participant: fault.target,
          side: 'subscriber',
          media: ['video', 'audio'],
          direction: 'receive',
          mechanisms: ['disconnect'],
          mechanism: `${who} joined with wrong credentials, which the provider rejected`,
        };
    }
  },
  apply: (fault, context) => {
    switch (fault.block) {
      case 'signalling':
        return blockSignalling(context);
      case 'media':
        return blockMedia(context);
      case 'credentials':
        for (const participant of context.targets) levers(context).useWrongCredentials(participant);
        // Credentials a window joined with cannot be taken back; the window closes with the class.
        return Promise.resolve(async () => undefined);
    }
  },
});

/**
 * Requests to the provider's signalling fail as if the network were down (CDP network conditions
 * by URL rule, which reach WebSockets: blocked-URL lists do not), while the page itself loads.
 */
async function blockSignalling(context: FaultContext): Promise<ClearFault> {
  const patterns = levers(context).signallingUrls();
  const offline = { offline: true, matchedNetworkConditions: patterns.map((urlPattern) => ({ urlPattern, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })) };
  await sendAll(context, 'Network.emulateNetworkConditionsByRule', offline);
  return () => sendAll(context, 'Network.emulateNetworkConditionsByRule', { offline: false, matchedNetworkConditions: [] }).then(() => sendAll(context, 'Network.emulateNetworkConditions', ARMED_NETWORK));
}

/** Every WebRTC packet is lost from before the first peer connection exists, when CDP conditions reach WebRTC; HTTP and WebSockets are untouched. */
async function blockMedia(context: FaultContext): Promise<ClearFault> {
  await sendAll(context, 'Network.emulateNetworkConditions', { ...ARMED_NETWORK, packetLoss: 100 });
  return () => sendAll(context, 'Network.emulateNetworkConditions', { ...ARMED_NETWORK, packetLoss: 0 });
}

/** The join levers, which only a classroom session has. */
function levers(context: FaultContext): Required<Pick<FaultLevers, 'signallingUrls' | 'useWrongCredentials'>> {
  const { signallingUrls, useWrongCredentials } = context.levers;
  if (!signallingUrls || !useWrongCredentials) throw new Error('a join block needs the classroom session\'s join levers');
  return { signallingUrls: signallingUrls.bind(context.levers), useWrongCredentials: useWrongCredentials.bind(context.levers) };
}

async function sendAll(context: FaultContext, method: string, params: object): Promise<void> {
  await Promise.all(
    context.targets.map(async (participant) => {
      const cdp = context.levers.cdp(participant);
      if (!cdp) throw new Error(`no DevTools session for ${participant}'s window: a join block acts once its window is instrumented`);
      await cdp.send(method as never, params as never);
    }),
  );
}
