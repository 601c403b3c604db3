import { z } from 'zod';
import { defineFaultKind, faultTiming } from './fault-kind.ts';
import { showPicture } from './picture.ts';

/** The teacher's camera repeats one frame: frames keep arriving, the picture does not change. */
export const stillPicture = defineFaultKind({
  kind: 'still-picture',
  summary: "the teacher's picture stands still: the camera repeats one frame while frames keep flowing",
  schema: z.strictObject({
    kind: z.literal('still-picture'),
    ...faultTiming,
    /** Only the teacher's camera can stand still. */
    target: z.literal('teacher', { error: "a still picture comes from the teacher's camera: set target: 'teacher'" }),
  }),
  groundTruth: () => ({
    participant: 'teacher',
    side: 'publisher',
    direction: 'send',
    media: ['video'],
    mechanisms: ['bad-picture'],
    mechanism: "the teacher's camera track repeats one frame; frames are still encoded and sent at the full rate",
  }),
  apply: (_fault, context) => showPicture(context, 'still'),
});
