import { z } from 'zod';
import { defineFaultKind, faultTiming } from './fault-kind.ts';
import { pictureGroundTruth, showPicture, teacherCamera } from './picture.ts';

/** The teacher's camera sends black frames: students see a black picture, the call itself stays up. */
export const blackScreen = defineFaultKind({
  kind: 'black-screen',
  summary: "the teacher's picture turns black: the camera track sends black frames while the connection stays up",
  schema: z.strictObject({
    kind: z.literal('black-screen'),
    ...faultTiming,
    /** Only the teacher's camera can turn black. */
    target: teacherCamera('a black screen'),
  }),
  groundTruth: () => pictureGroundTruth("the teacher's camera track delivers black frames; frames are still encoded and sent"),
  apply: (_fault, context) => showPicture(context, 'black'),
});
