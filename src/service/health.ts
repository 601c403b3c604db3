import { pauseState } from '../pipeline/pause.ts';
import type { ServiceState } from './service-state.ts';

/** A watcher loop that has not gone round for this long is stuck (a pass takes milliseconds; it waits at most 5 s). */
const WATCHER_STALE_MS = 60_000;
/** A watcher that had to be restarted this recently is crash-looping, not recovered. */
const RESTART_WINDOW_MS = 60_000;

/**
 * `/healthz`: the service can do its work. The database answers and takes a write (a read-only or
 * full disk is unhealthy, though reads work); the watcher's loop goes round and has not been
 * restarted in the last minute; the scheduler is running and each scheduled drill will fire again.
 * `detailed` (an authorised caller, or no token configured) adds what is running and each vendor's
 * last answer; without it nothing about runs, drills or vendors is shown.
 */
export async function health(service: ServiceState, options: { detailed: boolean }, now = new Date()) {
  let reads = false;
  let writes = false;
  let databaseError: string | undefined;
  try {
    reads = await service.store.ping();
    await service.store.probeWrite();
    writes = true;
  } catch (err) {
    databaseError = (err as Error).message;
  }
  const watcher = service.watcherHealth();
  const passAge = watcher.lastPassAt ? now.getTime() - watcher.lastPassAt.getTime() : null;
  const crashLooping = watcher.lastRestartAt !== null && now.getTime() - watcher.lastRestartAt.getTime() < RESTART_WINDOW_MS;
  const watcherOk = watcher.running && passAge !== null && passAge < WATCHER_STALE_MS && !crashLooping;
  const schedulerRunning = !service.stopping;
  const schedule = service.nextRuns();
  const schedulerOk = schedulerRunning && schedule.every((entry) => entry.next !== null);
  const healthy = reads && writes && watcherOk && schedulerOk;
  const paused = reads ? await pauseState(service.store).catch(() => ({ paused: false })) : { paused: false };
  const base = {
    status: healthy ? 'ok' : 'unhealthy',
    startedAt: service.startedAt.toISOString(),
    database: { ok: reads && writes, writable: writes, ...(databaseError && options.detailed ? { error: databaseError } : {}) },
    scheduler: { ok: schedulerOk, running: schedulerRunning, paused: paused.paused },
    watcher: { ok: watcherOk, running: watcher.running },
  };
  if (!options.detailed) return base;
  return {
    ...base,
    scheduler: { ...base.scheduler, dryRun: service.dryRun, drills: service.scheduledDrills, next: schedule[0] ?? null, currentRun: service.current },
    watcher: {
      ...base.watcher,
      lastPassAt: watcher.lastPassAt?.toISOString() ?? null,
      restarts: watcher.restarts,
      lastRestartAt: watcher.lastRestartAt?.toISOString() ?? null,
      ...(watcher.lastError ? { lastError: watcher.lastError } : {}),
      vendors: Object.fromEntries(
        Object.entries(watcher.vendors).map(([name, v]) => [
          name,
          { lastSuccessAt: v.lastSuccessAt?.toISOString() ?? null, lastFailureAt: v.lastFailureAt?.toISOString() ?? null, lastFailure: v.lastFailure },
        ]),
      ),
    },
  };
}

/** `/livez`: the process answers (for a supervisor that restarts it only when it is wedged). */
export function liveness(service: ServiceState) {
  return { status: 'ok', startedAt: service.startedAt.toISOString() };
}
