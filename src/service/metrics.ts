import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/store.ts';
import type { TicketRow } from '../store/rows.ts';

/** The timings a ticket's JSON carries, by the metric label they get. */
const TIMINGS = {
  first_response: 'firstResponseMs',
  first_human_response: 'firstHumanResponseMs',
  first_substantive_response: 'firstSubstantiveResponseMs',
  resolution: 'resolutionMs',
} as const;

// From a minute to a week: vendor timings span hours to days.
const TIMING_BUCKETS = [60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800, 604_800];

export interface ServiceMetrics {
  registry: Registry;
  /** A ticket settled (resolved or its watch ended): its timings go into the histograms. */
  observeSettled(ticket: TicketRow): void;
  watcherError(vendor: string): void;
  scheduledFiring(drill: string, outcome: 'ran' | 'refused' | 'paused' | 'failed'): void;
}

/**
 * Counts that must survive a restart (runs, freeze episodes, open tickets) are read from the store
 * at scrape time; only what happens in this process (settled tickets, errors) is counted here.
 */
export function createMetrics(store: () => Store | null): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'supportdrill_process_' });

  new Gauge({
    name: 'supportdrill_runs',
    help: 'Runs in the store, by drill and status (result)',
    labelNames: ['drill', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await store()?.counts())?.runs ?? []) this.set({ drill: row.drill, status: row.status }, row.count);
    },
  });
  new Gauge({
    name: 'supportdrill_freeze_episodes',
    help: 'Freeze episodes recorded in the store, by drill',
    labelNames: ['drill'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await store()?.counts())?.freezeEpisodes ?? []) this.set({ drill: row.drill }, row.count);
    },
  });
  new Gauge({
    name: 'supportdrill_tickets',
    help: 'Tickets in the store, by vendor and state (state="open" is what is being watched)',
    labelNames: ['vendor', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await store()?.counts())?.tickets ?? []) this.set({ vendor: row.vendor, state: row.state }, row.count);
    },
  });
  const timings = new Histogram({
    name: 'supportdrill_ticket_timing_seconds',
    help: 'Timings of tickets settled since the service started, by vendor and timing (a moment that never came is not observed)',
    labelNames: ['vendor', 'timing'],
    buckets: TIMING_BUCKETS,
    registers: [registry],
  });
  const watcherErrors = new Counter({
    name: 'supportdrill_watcher_errors_total',
    help: 'Failed polls of a vendor by the watcher',
    labelNames: ['vendor'],
    registers: [registry],
  });
  const firings = new Counter({
    name: 'supportdrill_scheduled_firings_total',
    help: 'Scheduled drill firings, by drill and outcome (ran, refused by a guardrail, paused, failed)',
    labelNames: ['drill', 'outcome'],
    registers: [registry],
  });

  return {
    registry,
    observeSettled(ticket) {
      for (const [label, key] of Object.entries(TIMINGS)) {
        const ms = ticket.timings?.[key] ?? null;
        if (ms !== null) timings.observe({ vendor: ticket.vendor, timing: label }, ms / 1000);
      }
    },
    watcherError(vendor) {
      watcherErrors.inc({ vendor });
    },
    scheduledFiring(drill, outcome) {
      firings.inc({ drill, outcome });
    },
  };
}
