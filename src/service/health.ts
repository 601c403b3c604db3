import { pauseState } from './guardrails.ts';
import type { ServiceState } from './service-state.ts';

/** `/healthz`: whether the database answers and the scheduler and the watcher are running. */
export async function health(service: ServiceState) {
  let database = false;
  let databaseError: string | undefined;
  try {
    database = await service.store.ping();
  } catch (err) {
    databaseError = (err as Error).message;
  }
  const paused = database ? await pauseState(service.store) : { paused: false };
  const schedulerRunning = !service.stopping;
  const healthy = database && schedulerRunning && service.watcherRunning;
  return {
    status: healthy ? 'ok' : 'unhealthy',
    startedAt: service.startedAt.toISOString(),
    database: { ok: database, ...(databaseError ? { error: databaseError } : {}) },
    scheduler: {
      running: schedulerRunning,
      paused: paused.paused,
      dryRun: service.dryRun,
      drills: service.scheduledDrills,
      next: service.nextRuns()[0] ?? null,
      currentRun: service.current,
    },
    watcher: { running: service.watcherRunning },
  };
}
