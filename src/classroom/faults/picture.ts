import { z } from 'zod';
import type { FaultGroundTruth } from '../../core/ground-truth.ts';
import type { PictureFault } from '../page/protocol.ts';
import type { ClearFault, FaultContext } from './fault-kind.ts';

/** A picture fault's target: only the teacher's camera has a picture to spoil. */
export function teacherCamera(what: string) {
  return z.literal('teacher', { error: `${what} comes from the teacher's camera: set target: 'teacher'` });
}

/** Where a picture fault's trouble is: the teacher's camera, while frames are still encoded and sent. */
export function pictureGroundTruth(mechanism: string): FaultGroundTruth {
  return { participant: 'teacher', side: 'publisher', direction: 'send', media: ['video'], mechanisms: ['bad-picture'], mechanism };
}

/**
 * The teacher's stamped camera shows `picture` instead of the live picture (the lever of the
 * picture fault kinds): the track, the encoder and the connection stay up, only what they carry
 * changes — which is what makes these failures hard to see in a vendor's connection data.
 */
export async function showPicture(context: FaultContext, picture: PictureFault['picture']): Promise<ClearFault> {
  const { targets, levers, id } = context;
  await Promise.all(targets.map((p) => levers.setPageFault(p, { id, picture })));
  return async () => {
    await Promise.all(targets.map((p) => levers.clearPageFault(p, id).catch(() => undefined)));
  };
}
