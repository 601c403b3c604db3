/**
 * One entry of the config's `vendors`: the keys every vendor has (adapter, poll interval, SLA,
 * timezone, business hours) and the adapter's own options, which are checked against the adapter's
 * schema when the config loads, so that a wrong option is reported with every other problem.
 */
import { z } from 'zod';
import {
  createBusinessHoursSchema,
  isValidTimezone,
  timezoneSchema,
  type BusinessHours,
  type BusinessHoursInput,
} from '../core/business-hours.ts';
import { positiveDurationMs, type Duration } from '../core/duration.ts';
import { UserError, prefixed } from '../core/errors.ts';
import { suggestKey, withKnownKeys } from '../core/key-hints.ts';
import { slaSchema, type SlaInput, type SlaTargets } from '../core/sla.ts';
import { conversationSchema, type ConversationInput, type ConversationLevel } from './conversation.ts';
import { COMMON_VENDOR_KEYS } from '../vendors/adapter.ts';
import { adapterOptionProblems } from '../vendors/registry.ts';

/** A vendor entry as users write it: the options every vendor has, plus its adapter's own options. */
export interface VendorConfigInput {
  /** The adapter kind: `'sandbox'`, `'email'`, `'zendesk'`, … */
  adapter: string;
  /**
   * How often the watcher polls this vendor's open tickets, e.g. `'30s'` or `'5m'`.
   * @defaultValue the adapter's own default
   */
  pollInterval?: Duration;
  /**
   * The SLA the vendor is judged against: a built-in tier (`'starter'`, `'growth'`, `'mature'`) or
   * explicit targets such as `{ firstHumanResponse: '2h', resolution: '24h', clock: 'business' }`.
   * @defaultValue `'mature'`
   */
  sla?: SlaInput;
  /**
   * Whether the SLA's clock stops while the vendor waits on us (a question of its, until our answer),
   * as Zendesk's and Freshdesk's do while a ticket is pending on the customer: `'net'` judges the
   * targets net of that customer wait, `'gross'` on the calendar from filing. Both are reported.
   * @defaultValue `'net'`
   */
  slaClock?: 'net' | 'gross';
  /** This vendor's conversation settings, over the config's `conversation`, key by key. */
  conversation?: ConversationInput;
  /**
   * The vendor's IANA timezone: tickets show times in it, and business hours are read in it.
   * @defaultValue `'UTC'`
   */
  timezone?: string;
  /**
   * When the vendor's support desk is open: `'24x7'`, or e.g.
   * `{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00', holidays: ['2026-10-01'] }`.
   * Read in `timezone` unless it names its own. Durations are then also measured in business time.
   * @defaultValue none: calendar time only
   */
  businessHours?: BusinessHoursInput;
  /** The adapter's own options (`persona`, `token: env('ZENDESK_TOKEN')`, …), checked against the adapter's schema. */
  [option: string]: unknown;
}

/** A vendor entry after validation. Adapter options are kept as written; see {@link vendorOptions}. */
export interface VendorConfig {
  adapter: string;
  /** Milliseconds; `null` means the adapter's default. */
  pollInterval: number | null;
  sla: SlaTargets;
  /** Which durations the SLA is judged on: net of customer wait (the default) or gross. */
  slaClock: 'net' | 'gross';
  /** The vendor's own conversation settings as written, `null` for none (see `conversationOf`). */
  conversation: ConversationLevel | null;
  timezone: string;
  /** `null` when none are configured: calendar time only. */
  businessHours: BusinessHours | null;
  [option: string]: unknown;
}

/** The keys every vendor entry has; any other key is the adapter's. */
export const VENDOR_KEYS = COMMON_VENDOR_KEYS;

/**
 * Vendor keys long enough that a near miss is surely a typo rather than an adapter option of its own;
 * `sla` is left out, since a short adapter option (`tls`) can be two edits from it.
 */
const TYPO_PRONE_VENDOR_KEYS = ['adapter', 'pollInterval', 'timezone', 'businessHours', 'conversation'];

const vendorBaseSchema = z.looseObject({
  adapter: z
    .string({ error: "expected the adapter kind, e.g. 'sandbox', 'email' or 'zendesk'" })
    .min(1, { error: "expected the adapter kind, e.g. 'sandbox', 'email' or 'zendesk'" }),
  pollInterval: positiveDurationMs.optional(),
  sla: slaSchema.optional(),
  slaClock: z.enum(['net', 'gross'], { error: "expected 'net' (the SLA clock stops while the vendor waits on us) or 'gross'" }).optional(),
  conversation: conversationSchema.optional(),
  timezone: timezoneSchema.optional(),
  businessHours: z.unknown().optional(),
});

/** Each parsed vendor entry's input as written, for adapters that read common keys themselves. */
const writtenEntries = new WeakMap<VendorConfig, Readonly<Record<string, unknown>>>();

const DEFAULT_SLA: SlaInput = 'mature';
const DEFAULT_TIMEZONE = 'UTC';

/**
 * One vendor entry. By hand rather than a plain object schema because the business hours are read in
 * the entry's own timezone, which is only known while parsing.
 */
export const vendorSchema = withKnownKeys(z.unknown().transform((value, ctx): VendorConfig => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: `expected a vendor entry like { adapter: 'sandbox' }, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  const raw = value as Record<string, unknown>;
  const base = vendorBaseSchema.safeParse(raw);
  if (!base.success) for (const issue of base.error.issues) ctx.addIssue(issue as z.core.$ZodSuperRefineIssue);

  const typos = Object.keys(raw).filter(
    (key) => !(VENDOR_KEYS as readonly string[]).includes(key) && key.length >= 5 && suggestKey(key, TYPO_PRONE_VENDOR_KEYS),
  );
  if (typos.length > 0) ctx.addIssue({ code: 'unrecognized_keys', keys: typos, input: raw, path: [] });

  const timezone = typeof raw.timezone === 'string' && isValidTimezone(raw.timezone) ? raw.timezone : DEFAULT_TIMEZONE;
  let businessHours: BusinessHours | null = null;
  if (raw.businessHours !== undefined) {
    const hours = createBusinessHoursSchema({ defaultTimezone: timezone }).safeParse(raw.businessHours);
    if (hours.success) businessHours = hours.data;
    else {
      for (const issue of hours.error.issues) ctx.addIssue({ code: 'custom', path: ['businessHours', ...issue.path], message: issue.message });
    }
  }
  const adapterProblems = base.success ? adapterOptionProblems(base.data.adapter, raw) : [];
  for (const problem of adapterProblems) ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.message });
  if (!base.success || typos.length > 0 || adapterProblems.length > 0 || (raw.businessHours !== undefined && businessHours === null)) return z.NEVER;

  const vendor: VendorConfig = {
    ...base.data,
    pollInterval: base.data.pollInterval ?? null,
    sla: base.data.sla ?? slaSchema.parse(DEFAULT_SLA),
    slaClock: base.data.slaClock ?? 'net',
    conversation: base.data.conversation ?? null,
    timezone,
    businessHours,
  };
  writtenEntries.set(vendor, { ...raw });
  return vendor;
}), VENDOR_KEYS) as unknown as z.ZodType<VendorConfig, VendorConfigInput>;

/** The built-in simulated support desk: always configured, so a drill can file with no config at all. */
export const SANDBOX_VENDOR: VendorConfigInput = { adapter: 'sandbox', persona: 'responsive' };

// ── vendors of a loaded config ──────────────────────────────────────────────────────────────────────

/** What the lookups below read of a config. */
export interface VendorsOf {
  vendors: Record<string, VendorConfig>;
}

/** The vendor named `name`; an unknown name is a {@link UserError} listing the configured vendors. */
export function getVendor(config: VendorsOf, name: string): VendorConfig {
  const vendor = Object.hasOwn(config.vendors, name) ? config.vendors[name] : undefined;
  if (vendor) return vendor;
  const names = Object.keys(config.vendors);
  const hint = suggestKey(name, names);
  throw new UserError(
    prefixed(undefined, `No vendor '${name}' in the config${hint ? ` (did you mean '${hint}'?)` : ''}. Vendors: ${names.join(', ')}.`),
  );
}

/**
 * The adapter's own options of a vendor, as written (secrets unresolved): the entry without
 * {@link VENDOR_KEYS}. The adapter validates them with its own schema.
 */
export function vendorOptions(config: VendorsOf, name: string): Record<string, unknown> {
  const options: Record<string, unknown> = { ...getVendor(config, name) };
  for (const key of VENDOR_KEYS) delete options[key];
  return options;
}

/**
 * A vendor's entry exactly as written, common keys included and unparsed (`pollInterval: '30s'`, no
 * defaults filled in): what the vendor registry takes, so that an adapter which reads `timezone` or
 * `businessHours` itself can tell whether the user set them. For a config that did not come from
 * {@link loadConfig} or {@link parseConfig}, it falls back to the adapter options plus `adapter`.
 */
export function vendorEntry(config: VendorsOf, name: string): Record<string, unknown> {
  const vendor = getVendor(config, name);
  const written = writtenEntries.get(vendor);
  return written ? { ...written } : { adapter: vendor.adapter, ...vendorOptions(config, name) };
}

/**
 * Sets one adapter option of a loaded vendor for this process only (`drill --persona`), in the
 * parsed entry and in the entry as written, which is what the adapter is created from.
 */
export function overrideVendorOption(config: VendorsOf, name: string, key: string, value: unknown): void {
  const vendor = getVendor(config, name);
  vendor[key] = value;
  const written = writtenEntries.get(vendor);
  if (written) writtenEntries.set(vendor, { ...written, [key]: value });
}
