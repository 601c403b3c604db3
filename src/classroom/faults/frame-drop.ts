import type { PageFault } from '../page/protocol.ts';
import type { ClearFault, FaultContext } from './fault-kind.ts';

/**
 * Drops a share of the encoded frames on every targeted page (the transform every peer connection
 * carries), and returns how to stop: the lever of the frame-dropping fault kinds.
 */
export async function dropFrames(context: FaultContext, faults: PageFault[]): Promise<ClearFault> {
  const { targets, levers } = context;
  await Promise.all(targets.flatMap((p) => faults.map((f) => levers.setPageFault(p, f))));
  return async () => {
    await Promise.all(targets.flatMap((p) => faults.map((f) => levers.clearPageFault(p, f.id).catch(() => undefined))));
  };
}
