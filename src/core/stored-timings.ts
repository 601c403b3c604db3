/**
 * A ticket's timings and SLA verdict as the store keeps them (instants as ISO-8601 strings), and the
 * one place they are decoded: whatever a row holds, readers get these shapes, a field the row lacks
 * or holds in the wrong form reading as "not known" (`null`, `0`, `[]`).
 */
import { z } from 'zod';
import type { BusinessHours } from './business-hours.ts';
import type { SlaCheck, SlaVerdict } from './sla.ts';
import type { Timings } from './timings.ts';

/** A value as the store keeps it: instants become ISO-8601 strings, and may be missing from an old or damaged row. */
type Stored<T> = {
  [K in keyof T]: T[K] extends Date
    ? string | null
    : T[K] extends Date | null
      ? string | null
      : T[K] extends readonly (infer E)[]
        ? E extends object ? { [F in keyof E]: E[F] extends Date ? string : E[F] extends Date | null ? string | null : E[F] }[] : T[K]
        : T[K];
};

/** The four timed moments and what surrounds them, as last computed for a ticket (see {@link Timings}). */
export type StoredTimings = Stored<Timings>;

/** One SLA target's judgement, as stored (see {@link SlaCheck}). */
export type StoredSlaCheck = Stored<SlaCheck>;

/** A ticket's SLA verdict, as stored (see {@link SlaVerdict}). */
export type StoredSlaVerdict = Omit<SlaVerdict, 'checks'> & { checks: StoredSlaCheck[] };

const instant = z.string().nullable().catch(null).default(null);
const ms = z.number().refine(Number.isFinite).nullable().catch(null).default(null);
const count = z.number().int().nonnegative().catch(0).default(0);
const outcome = z.enum(['met', 'missed', 'pending']);

const timingsSchema = z.object({
  filedAt: instant,
  firstResponseAt: instant,
  firstHumanResponseAt: instant,
  firstSubstantiveResponseAt: instant,
  resolutionAt: instant,
  resolvedBy: z.enum(['reply', 'status']).nullable().catch(null).default(null),
  firstResponseMs: ms,
  firstHumanResponseMs: ms,
  firstSubstantiveResponseMs: ms,
  resolutionMs: ms,
  firstResponseBusinessMs: ms,
  firstHumanResponseBusinessMs: ms,
  firstSubstantiveResponseBusinessMs: ms,
  resolutionBusinessMs: ms,
  repliesBeforeSubstantive: count,
  redundantInfoRequests: count,
  redundantInfoRequested: z.array(z.string()).catch([]).default([]),
  unverifiedActivities: count,
  measurementError: z.object({ maxMs: z.number(), meanMs: z.number() }).nullable().catch(null).default(null),
  filedOutsideBusinessHours: z.boolean().nullable().catch(null).default(null),
  clockSkew: z.object({ activities: z.number(), maxMs: z.number() }).nullable().catch(null).default(null),
  firstResponseNetMs: ms,
  firstHumanResponseNetMs: ms,
  firstSubstantiveResponseNetMs: ms,
  resolutionNetMs: ms,
  firstResponseNetBusinessMs: ms,
  firstHumanResponseNetBusinessMs: ms,
  firstSubstantiveResponseNetBusinessMs: ms,
  resolutionNetBusinessMs: ms,
  customerWaits: z.array(z.object({ from: z.string(), to: z.string().nullable() })).catch([]).default([]),
  customerWaitMs: count,
  questionRounds: count,
  questionRoundsBeforeSubstantive: count,
  escalatedAt: instant,
  redundantInfoRequestsAfterEscalation: count,
  followUps: z.array(z.object({ at: z.string(), nextReplyMs: z.number().nullable() })).catch([]).default([]),
  customerMessages: count,
  // Stored in its normalised form by the watcher; passed through as it is.
  businessHours: z.custom<BusinessHours>((v) => v === '24x7' || (typeof v === 'object' && v !== null)).nullable().catch(null).default(null),
});

const checkSchema = z.object({
  target: z.enum(['firstResponse', 'firstHumanResponse', 'firstSubstantiveResponse', 'resolution']),
  outcome,
  targetMs: z.number(),
  elapsedMs: z.number().catch(0).default(0),
  at: instant,
  dueAt: instant,
});

const verdictSchema = z.object({
  tier: z.enum(['starter', 'growth', 'mature']).nullable().catch(null).default(null),
  clock: z.enum(['business', 'calendar']).catch('calendar').default('calendar'),
  overall: outcome.catch('pending').default('pending'),
  // A check that cannot be read is left out rather than guessed at.
  checks: z.array(z.unknown()).catch([]).default([]).transform((checks) => checks.flatMap((c) => {
    const parsed = checkSchema.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  })),
  notes: z.array(z.string()).catch([]).default([]),
  firstResponse: outcome.optional().catch(undefined),
  firstHumanResponse: outcome.optional().catch(undefined),
  firstSubstantiveResponse: outcome.optional().catch(undefined),
  resolution: outcome.optional().catch(undefined),
});

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A stored timings column as {@link StoredTimings}; `null` when there is none or it is not an object. */
export function decodeTimings(json: string | null): StoredTimings | null {
  const value = parseJson(json);
  if (typeof value !== 'object' || value === null) return null;
  return timingsSchema.parse(value) as StoredTimings;
}

/** A stored SLA column as {@link StoredSlaVerdict}; `null` when there is none or it is not an object. */
export function decodeSlaVerdict(json: string | null): StoredSlaVerdict | null {
  const value = parseJson(json);
  if (typeof value !== 'object' || value === null) return null;
  return verdictSchema.parse(value) as StoredSlaVerdict;
}

export { parseJson as parseStoredJson };
