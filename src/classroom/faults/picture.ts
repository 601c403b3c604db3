import type { PictureFault } from '../page/protocol.ts';
import type { ClearFault, FaultContext } from './fault-kind.ts';

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
