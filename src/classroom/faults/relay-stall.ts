import { z } from 'zod';
import { targetSchema } from '../participants.ts';
import { defineFaultKind, faultTiming } from './fault-kind.ts';

/**
 * The media server stops forwarding the teacher's video (or audio) to some students, as a vendor's
 * edge node does when it stalls: the teacher keeps sending, every peer connection stays up, and
 * nothing arrives. Needs a classroom with a media server (the local SFU).
 */
export const relayStall = defineFaultKind({
  kind: 'relay-stall',
  lever: 'server',
  summary: "the media server stops forwarding the teacher's video (or audio) to the target students; every connection stays up",
  schema: z.strictObject({
    kind: z.literal('relay-stall'),
    ...faultTiming,
    /** `student-N` or `students`: the server forwards what the teacher sends, so the teacher is no target. */
    target: targetSchema.refine((t) => t !== 'teacher', { error: "a relay stall hits what the server forwards to students: expected 'students' or 'student-N'" }),
    /** What the server stops forwarding. @defaultValue `'video'` */
    media: z.enum(['video', 'audio']).default('video'),
  }),
  groundTruth: (fault) => ({
    participant: fault.target,
    side: 'server',
    media: [fault.media],
    direction: 'receive',
    mechanisms: ['relay-stall'],
    mechanism: `the media server stopped forwarding the teacher's ${fault.media} to ${fault.target === 'students' ? 'every student' : fault.target}, while the teacher kept sending and the connections stayed up`,
  }),
  apply: (fault, context) => context.levers.stopForwarding(context.targets, fault.media),
});
