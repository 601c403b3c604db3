import type { ClearFault, FaultContext } from './fault-kind.ts';

/**
 * Sends a DevTools command to every targeted page, and returns how to undo it with `reset`: the
 * lever of the page-level fault kinds (network conditions, CPU throttling).
 */
export async function devtools(context: FaultContext, method: string, apply: object, reset: object): Promise<ClearFault> {
  const { targets, levers } = context;
  await Promise.all(targets.map(async (p) => levers.cdp(p)?.send(method as never, apply as never)));
  return async () => {
    await Promise.all(targets.map(async (p) => levers.cdp(p)?.send(method as never, reset as never).catch(() => undefined)));
  };
}
