import { z } from 'zod';
import { defineFaultKind, faultTiming } from './fault-kind.ts';
import { pictureGroundTruth, showPicture, teacherCamera } from './picture.ts';

/** The teacher's camera repeats one frame: frames keep arriving, the picture does not change. */
export const stillPicture = defineFaultKind({
  kind: 'still-picture',
  summary: "the teacher's picture stands still: the camera repeats one frame while frames keep flowing",
  schema: z.strictObject({
    kind: z.literal('still-picture'),
    ...faultTiming,
    /** Only the teacher's camera can stand still. */
    target: teacherCamera('a still picture'),
  }),
  groundTruth: () => pictureGroundTruth("the teacher's camera track repeats one frame; frames are still encoded and sent at the full rate"),
  apply: (_fault, context) => showPicture(context, 'still'),
});
