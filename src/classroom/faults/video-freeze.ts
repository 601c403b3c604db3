import { z } from 'zod';
import { dropFrames } from './frame-drop.ts';
import { defineFaultKind, faultTiming, sideOf } from './fault-kind.ts';

/** Every encoded video frame the target sends or receives is dropped: the picture stops. */
export const videoFreeze = defineFaultKind({
  kind: 'video-freeze',
  summary: "the teacher's picture stops: every encoded video frame the target sends or receives is dropped",
  schema: z.strictObject({ kind: z.literal('video-freeze'), ...faultTiming }),
  groundTruth: (fault) => ({
    participant: fault.target,
    ...sideOf(fault.target),
    media: ['video'],
    mechanisms: fault.target === 'teacher' ? ['no-video-sent'] : ['no-video-received', 'decode-failure'],
    mechanism: fault.target === 'teacher' ? 'no video frames sent: the encoder output is dropped' : 'no video frames received: they are dropped before decoding',
  }),
  apply: (_fault, context) => dropFrames(context, [{ id: context.id, media: 'video', dropRate: 1 }]),
});
