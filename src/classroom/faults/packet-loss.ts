import { z } from 'zod';
import { dropFrames } from './frame-drop.ts';
import { defineFaultKind, faultTiming, sideOf } from './fault-kind.ts';

/** A share of the encoded frames is dropped (`rate` 0–1), which breaks decoding until the next keyframe. */
export const packetLoss = defineFaultKind({
  kind: 'packet-loss',
  summary: 'a share of the encoded frames is lost, which breaks decoding until the next keyframe',
  schema: z.strictObject({
    kind: z.literal('packet-loss'),
    ...faultTiming,
    /** The share of frames lost, above 0 and at most 1 (every frame). */
    rate: z.number().gt(0, { message: 'expected a rate above 0' }).max(1, { message: 'expected a rate of at most 1 (1 = every frame)' }),
    /** Which media loses frames. @defaultValue `'video'` */
    media: z.enum(['video', 'audio', 'both']).default('video'),
  }),
  groundTruth: (fault) => {
    const media = fault.media === 'both' ? (['video', 'audio'] as const) : [fault.media];
    const share = `${Math.round(fault.rate * 1000) / 10} %`;
    return {
      participant: fault.target,
      ...sideOf(fault.target),
      media,
      // Frames are dropped inside the client, not on the wire: the vendor sees frames missing, as after loss.
      mechanisms: ['packet-loss'],
      mechanism: `${share} of the encoded ${media.join(' and ')} frames ${fault.target === 'teacher' ? 'sent' : 'received'} are lost`,
    };
  },
  apply: (fault, context) => {
    const media = fault.media === 'both' ? (['video', 'audio'] as const) : [fault.media];
    return dropFrames(context, media.map((m) => ({ id: `${context.id}:${m}`, media: m, dropRate: fault.rate })));
  },
});
