import type { Config } from '../config/config.ts';
import type { Logger } from '../core/log.ts';
import type { Store } from '../store/store.ts';
import type { WatcherHealth } from '../support/watcher.ts';
import type { ServiceMetrics } from './metrics.ts';

/** The run the service is in the middle of. */
export interface CurrentRun {
  drill: string;
  vendor: string | null;
  runId: string | null;
  startedAt: Date;
  phase: string;
}

/** A scheduled drill's next firing. */
export interface NextRun {
  drill: string;
  vendors: (string | null)[];
  cron: string;
  timezone: string;
  /** ISO-8601, or `null` when it will not fire (the service is stopping). */
  next: string | null;
}

/** What the service knows of its watcher, for `/healthz`. */
export interface ServiceWatcherHealth extends WatcherHealth {
  running: boolean;
  restarts: number;
  lastRestartAt: Date | null;
  lastError: string | null;
}

/**
 * What the HTTP side (health, metrics, API, status page) reads of the running service. The service
 * implements it; the HTTP side is handed one and knows nothing else about the service.
 */
export interface ServiceState {
  readonly startedAt: Date;
  readonly config: Config;
  readonly store: Store;
  /** The project root: evidence paths are relative to it. */
  readonly cwd: string;
  readonly dryRun: boolean;
  readonly stopping: boolean;
  readonly watcherRunning: boolean;
  readonly current: CurrentRun | null;
  /** The watcher's loop: running, when it last went round, how often it had to be restarted, each vendor's last answer. */
  watcherHealth(): ServiceWatcherHealth;
  /** How many drills have a schedule. */
  readonly scheduledDrills: number;
  nextRuns(): NextRun[];
  readonly metrics: ServiceMetrics;
  readonly log: Logger;
}
