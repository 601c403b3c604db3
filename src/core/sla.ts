import { z } from 'zod';
import { addBusinessMs, nextBusinessOpening, type BusinessHours } from './business-hours.ts';
import { positiveDurationMs } from './duration.ts';
import { prefixed, UserError } from './errors.ts';

/** A built-in SLA tier. */
export type SlaTierName = 'starter' | 'growth' | 'mature';

/**
 * How SLA time is counted: `business` counts only the vendor's business hours (calendar time when the
 * vendor has none configured), `calendar` counts every hour, 7×24.
 */
export type SlaClock = 'business' | 'calendar';

/** The moments an SLA can set a target for (glossary words). */
export type SlaTargetName = 'firstResponse' | 'firstHumanResponse' | 'firstSubstantiveResponse' | 'resolution';

export const SLA_TARGET_NAMES: readonly SlaTargetName[] = [
  'firstResponse',
  'firstHumanResponse',
  'firstSubstantiveResponse',
  'resolution',
];

/** Resolved SLA targets in milliseconds on `clock`; `null` means the moment is not judged. */
export interface SlaTargets {
  /** The built-in tier these targets come from, or `null` for explicit targets. */
  tier: SlaTierName | null;
  clock: SlaClock;
  firstResponseMs: number | null;
  firstHumanResponseMs: number | null;
  firstSubstantiveResponseMs: number | null;
  resolutionMs: number | null;
}

const HOUR = 3_600_000;

/**
 * The built-in tiers. First-human-response targets are the article's table. None sets a first-response
 * target: an auto-acknowledgement meets any such target within seconds, so judging it would only
 * flatter the vendor. Resolution targets are ours, reading "business day" as 8 business hours:
 * - `starter`: 40 business hours (5 business days) — the usual "within a working week" of entry plans;
 * - `growth`: 16 business hours (2 business days) — a paid plan should fix a class-breaking freeze
 *   within the week it was reported, with a day to spare for a follow-up;
 * - `mature`: 24 calendar hours — a 7×24 desk that answers in 30 min should have a fix or workaround
 *   before the same lesson slot comes round the next day.
 */
export const SLA_TIERS: Readonly<Record<SlaTierName, Readonly<SlaTargets>>> = {
  starter: {
    tier: 'starter',
    clock: 'business',
    firstResponseMs: null,
    firstHumanResponseMs: 8 * HOUR,
    firstSubstantiveResponseMs: null,
    resolutionMs: 40 * HOUR,
  },
  growth: {
    tier: 'growth',
    clock: 'business',
    firstResponseMs: null,
    firstHumanResponseMs: 2 * HOUR,
    firstSubstantiveResponseMs: null,
    resolutionMs: 16 * HOUR,
  },
  mature: {
    tier: 'mature',
    clock: 'calendar',
    firstResponseMs: null,
    firstHumanResponseMs: 30 * 60_000,
    firstSubstantiveResponseMs: null,
    resolutionMs: 24 * HOUR,
  },
};

const TIER_NAMES = Object.keys(SLA_TIERS) as SlaTierName[];

/** Explicit SLA targets as users write them. At least one target is required. */
export interface ExplicitSlaInput {
  /** Deadline for the first activity of any kind, e.g. `'15m'`. */
  firstResponse?: string;
  /** Deadline for the first `canned`, `human` or `resolution` reply, e.g. `'2h'`. */
  firstHumanResponse?: string;
  /** Deadline for the first `human` or `resolution` reply. */
  firstSubstantiveResponse?: string;
  /** Deadline for a `resolution` reply or the ticket being solved/closed, e.g. `'24h'`. */
  resolution?: string;
  /**
   * How the deadlines are counted.
   * @defaultValue `'calendar'` — a bare `'2h'` reads as two hours on the wall clock; say `'business'`
   * to count only the vendor's business hours.
   */
  clock?: SlaClock;
}

/** What users may write for an SLA: a built-in tier name or explicit targets. */
export type SlaInput = SlaTierName | ExplicitSlaInput;

const targetDuration = positiveDurationMs.optional();

const explicitSchema = z
  .strictObject({
    firstResponse: targetDuration,
    firstHumanResponse: targetDuration,
    firstSubstantiveResponse: targetDuration,
    resolution: targetDuration,
    clock: z
      .enum(['business', 'calendar'], { error: "clock must be 'business' or 'calendar'" })
      .default('calendar'),
  })
  .refine((value) => SLA_TARGET_NAMES.some((name) => value[name] !== undefined), {
    error: 'name at least one target: firstResponse, firstHumanResponse, firstSubstantiveResponse or resolution',
  });

const SHAPE_HELP =
  `expected a tier (${TIER_NAMES.map((name) => `'${name}'`).join(', ')}) or targets like ` +
  `{ firstHumanResponse: '2h', resolution: '24h', clock: 'business' }`;

/**
 * An SLA: a built-in tier name (`'starter'`, `'growth'`, `'mature'`) or explicit targets
 * (`{ firstResponse?, firstHumanResponse?, firstSubstantiveResponse?, resolution?, clock? }`, durations
 * like `'30m'`). Parses to {@link SlaTargets}.
 */
export const slaSchema = z.unknown().transform((value, ctx): SlaTargets => {
  // By hand rather than z.union, whose failure would say only "Invalid input".
  if (typeof value === 'string') {
    const tier = SLA_TIERS[value.trim().toLowerCase() as SlaTierName];
    if (tier) return { ...tier };
    ctx.addIssue({ code: 'custom', message: `unknown SLA tier '${value}'; ${SHAPE_HELP}` });
    return z.NEVER;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: `${SHAPE_HELP}, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  const result = explicitSchema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  }
  return {
    tier: null,
    clock: result.data.clock,
    firstResponseMs: result.data.firstResponse ?? null,
    firstHumanResponseMs: result.data.firstHumanResponse ?? null,
    firstSubstantiveResponseMs: result.data.firstSubstantiveResponse ?? null,
    resolutionMs: result.data.resolution ?? null,
  };
}) as unknown as z.ZodType<SlaTargets, SlaInput>;

/** Resolves a tier name or explicit targets; throws a {@link UserError} naming every problem. */
export function resolveSla(input: SlaInput): SlaTargets {
  const result = slaSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  throw new UserError(prefixed('sla', `invalid SLA: ${problems.join('; ')}`));
}

/** `pending`: not happened yet and still within the target. */
export type SlaOutcome = 'met' | 'missed' | 'pending';

/** The judgement of one target. */
export interface SlaCheck {
  target: SlaTargetName;
  outcome: SlaOutcome;
  targetMs: number;
  /** Time on the SLA's clock until the moment happened, or until `now` while it has not. */
  elapsedMs: number;
  /** The vendor's timestamp of the moment, or `null` while it has not happened. */
  at: Date | null;
  /**
   * The last instant at which the moment still meets the target. On a business clock a target used up
   * at closing time stays met until the next opening, since no business time passes in between.
   */
  dueAt: Date;
}

/** SLA judgement of one ticket; also carries one outcome per judged target, keyed by its name. */
export interface SlaVerdict extends Partial<Record<SlaTargetName, SlaOutcome>> {
  tier: SlaTierName | null;
  /** The clock actually used (a business clock falls back to calendar without business hours). */
  clock: SlaClock;
  /** `missed` if any target was missed, else `pending` if any is pending, else `met`. */
  overall: SlaOutcome;
  checks: SlaCheck[];
  /** Plain-language remarks a reader needs, e.g. that the business clock fell back to calendar time. */
  notes: string[];
}

/**
 * The deadline of one target for a ticket filed at `filedAt`: the last instant at which the moment
 * still meets it (see {@link SlaCheck.dueAt}). On a business clock with business hours it is counted
 * in business time, so a target used up at closing time stays met until the next opening; otherwise
 * (a calendar clock, or a business clock without business hours, which falls back to calendar time)
 * it is `filedAt + targetMs`.
 */
export function slaDeadline(filedAt: Date, targetMs: number, clock: SlaClock, businessHours: BusinessHours | null): Date {
  if (clock === 'business' && businessHours) {
    return nextBusinessOpening(addBusinessMs(filedAt, targetMs, businessHours), businessHours);
  }
  return new Date(filedAt.getTime() + targetMs);
}

/**
 * The latest deadline of every target the SLA sets, for a ticket filed at `filedAt`: until then some
 * target may still be met, so a watch that ends earlier leaves it unjudged. `null` when the SLA sets
 * no target.
 */
export function latestSlaDeadline(filedAt: Date, targets: SlaTargets, businessHours: BusinessHours | null): Date | null {
  let latest: Date | null = null;
  for (const name of SLA_TARGET_NAMES) {
    const targetMs = targets[`${name}Ms`];
    if (targetMs === null) continue;
    const due = slaDeadline(filedAt, targetMs, targets.clock, businessHours);
    if (!latest || due.getTime() > latest.getTime()) latest = due;
  }
  return latest;
}

/**
 * How long a watch goes on past the SLA's last deadline at least: a poll after the deadline must see
 * an activity the vendor stamped just before it. The longer of this and two poll intervals.
 */
export const SLA_WATCH_MARGIN_MS = 15 * 60_000;
