import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { timezoneSchema } from '../core/business-hours.ts';

/** Which run scorecards are e-mailed when a run's ticket resolves or its watch ends. */
export type ScorecardEmailPolicy = 'every-run' | 'sla-misses' | 'none';

/** Scorecard settings after validation. */
export interface ScorecardsConfig {
  email: ScorecardEmailPolicy;
  /** When the trial scorecard is sent; `null` for never. Read by the service. */
  schedule: { cron: string; timezone: string } | null;
}

export const scorecardsSchema = z
  .strictObject({
    /**
     * Which run scorecards are e-mailed when a run's ticket resolves or its watch ends.
     * @defaultValue `'every-run'`
     */
    email: z.enum(['every-run', 'sla-misses', 'none'], { error: "expected 'every-run', 'sla-misses' or 'none'" }).optional(),
    /** When the trial scorecard is e-mailed, e.g. `{ cron: '0 8 * * mon', timezone: 'Europe/Paris' }`. */
    schedule: z
      .strictObject({
        cron: z
          .string({ error: "expected a cron expression like '0 8 * * mon'" })
          .refine((expression) => validateCron(expression), { error: "expected a cron expression like '0 8 * * mon' (minute hour day-of-month month day-of-week)" }),
        timezone: timezoneSchema,
      })
      .optional(),
  })
  .transform(
    (scorecards): ScorecardsConfig => ({
      email: scorecards.email ?? 'every-run',
      schedule: scorecards.schedule ?? null,
    }),
  );

export const DEFAULT_SCORECARDS: ScorecardsConfig = { email: 'every-run', schedule: null };
