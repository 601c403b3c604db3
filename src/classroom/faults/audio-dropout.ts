import { z } from 'zod';
import { dropFrames } from './frame-drop.ts';
import { defineFaultKind, faultTiming, sideOf } from './fault-kind.ts';

/** Every encoded audio frame the target sends or receives is dropped: the sound stops. */
export const audioDropout = defineFaultKind({
  kind: 'audio-dropout',
  summary: 'the sound stops: every encoded audio frame the target sends or receives is dropped',
  schema: z.strictObject({ kind: z.literal('audio-dropout'), ...faultTiming }),
  groundTruth: (fault) => ({
    participant: fault.target,
    ...sideOf(fault.target),
    media: ['audio'],
    mechanisms: ['audio-stopped'],
    mechanism: fault.target === 'teacher' ? 'no audio frames sent: the encoder output is dropped' : 'no audio frames received: they are dropped before decoding',
  }),
  apply: (_fault, context) => dropFrames(context, [{ id: context.id, media: 'audio', dropRate: 1 }]),
});
