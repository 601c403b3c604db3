import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { durationMs, type Duration } from './core/duration.ts';
import { UserError, prefixed } from './core/errors.ts';
import { secretSchema, type Secret } from './core/secrets.ts';
import { formatIssues, suggestKey } from './core/key-hints.ts';
import {
  createBusinessHoursSchema,
  isValidTimezone,
  timezoneSchema,
  type BusinessHours,
  type BusinessHoursInput,
} from './core/business-hours.ts';
import { slaSchema, type SlaInput, type SlaTargets } from './core/sla.ts';

// ── vendors ─────────────────────────────────────────────────────────────────────────────────────────

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
  /** The adapter's own options (`persona`, `token: env('ZENDESK_TOKEN')`, …), validated by the adapter. */
  [option: string]: unknown;
}

/** A vendor entry after validation. Adapter options are kept as written; see {@link vendorOptions}. */
export interface VendorConfig {
  adapter: string;
  /** Milliseconds; `null` means the adapter's default. */
  pollInterval: number | null;
  sla: SlaTargets;
  timezone: string;
  /** `null` when none are configured: calendar time only. */
  businessHours: BusinessHours | null;
  [option: string]: unknown;
}

/** The keys every vendor entry has; any other key is the adapter's. */
export const VENDOR_KEYS = ['adapter', 'pollInterval', 'sla', 'timezone', 'businessHours'] as const;

/**
 * Vendor keys long enough that a near miss is surely a typo rather than an adapter option of its own;
 * `sla` is left out, since a short adapter option (`tls`) can be two edits from it.
 */
const TYPO_PRONE_VENDOR_KEYS = ['adapter', 'pollInterval', 'timezone', 'businessHours'];

const duration = z
  .string({ error: "expected a duration like '500ms', '30s', '5m' or '1h'" })
  .pipe(durationMs);

const vendorBaseSchema = z.looseObject({
  adapter: z
    .string({ error: "expected the adapter kind, e.g. 'sandbox', 'email' or 'zendesk'" })
    .min(1, { error: "expected the adapter kind, e.g. 'sandbox', 'email' or 'zendesk'" }),
  pollInterval: duration.refine((ms) => ms > 0, { error: 'the poll interval must be longer than 0' }).optional(),
  sla: slaSchema.optional(),
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
export const vendorSchema = z.unknown().transform((value, ctx): VendorConfig => {
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
  if (!base.success || typos.length > 0 || (raw.businessHours !== undefined && businessHours === null)) return z.NEVER;

  const vendor: VendorConfig = {
    ...base.data,
    pollInterval: base.data.pollInterval ?? null,
    sla: base.data.sla ?? slaSchema.parse(DEFAULT_SLA),
    timezone,
    businessHours,
  };
  writtenEntries.set(vendor, { ...raw });
  return vendor;
}) as unknown as z.ZodType<VendorConfig, VendorConfigInput>;

// ── the config ──────────────────────────────────────────────────────────────────────────────────────

export const DEFAULT_DISCLOSURE =
  'Disclosure: this ticket comes from a scheduled support drill. The failure was reproduced on purpose in a test ' +
  'classroom to evaluate support during our trial; the details and evidence are real, and we would like it handled ' +
  'as any customer report would be.';

/** The built-in simulated support desk: always configured, so a drill can file with no config at all. */
export const SANDBOX_VENDOR: VendorConfigInput = { adapter: 'sandbox', persona: 'responsive' };

const WATCH_TIMEOUT = '3d';

// ── mail and scorecards ─────────────────────────────────────────────────────────────────────────────

/** SMTP server settings as written. */
export interface SmtpConfigInput {
  /** The SMTP server, e.g. `'smtp.example.com'`. */
  host: string;
  /**
   * @defaultValue 465 when `secure`, else 587
   */
  port?: number;
  /**
   * TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it.
   * @defaultValue `true` on port 465, else `false`
   */
  secure?: boolean;
  /** Login; leave out for a relay that needs none. */
  auth?: {
    user: string;
    /** The password, preferably `env('SMTP_PASSWORD')`: read only when an e-mail is sent. */
    pass: Secret;
  };
}

/** SMTP settings after validation. `auth.pass` is left unresolved (see {@link resolveSecret}). */
export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  auth: { user: string; pass: Secret } | null;
}

/** Mail settings after validation. */
export interface MailConfig {
  /** The From header, e.g. `'supportdrill <drills@school.example>'`. */
  from: string;
  /** Recipients; at least one. */
  to: string[];
  /** `null`: write each e-mail to `<dataDir>/outbox/` instead of sending it. */
  smtp: SmtpConfig | null;
}

/** Which run scorecards are e-mailed when a run's ticket resolves or its watch ends. */
export type ScorecardEmailPolicy = 'every-run' | 'sla-misses' | 'none';

/** Scorecard settings after validation. */
export interface ScorecardsConfig {
  email: ScorecardEmailPolicy;
  /** When the trial scorecard is sent; `null` for never. Read by the service. */
  schedule: { cron: string; timezone: string } | null;
}

/** Used when `mail` is absent or leaves them out: the outbox needs addresses, nothing is sent to them. */
export const DEFAULT_MAIL_FROM = 'supportdrill <supportdrill@localhost>';
export const DEFAULT_MAIL_TO = 'trial-team@localhost';

const ADDRESS_HELP = "expected an e-mail address like 'ops@school.example' or 'Ops <ops@school.example>'";
// Deliberately loose: the server has the last word; this only catches a name without an address.
const address = z.string({ error: ADDRESS_HELP }).trim().regex(/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/, { error: ADDRESS_HELP });

const smtpSchema = z
  .strictObject({
    host: z.string({ error: "expected the SMTP server's host name, e.g. 'smtp.example.com'" }).min(1, { error: "expected the SMTP server's host name, e.g. 'smtp.example.com'" }),
    port: z.number({ error: 'expected a port number, e.g. 587 or 465' }).int().min(1).max(65_535, { error: 'expected a port number between 1 and 65535' }).optional(),
    secure: z.boolean({ error: 'expected true (TLS from the start, port 465) or false (STARTTLS)' }).optional(),
    auth: z
      .strictObject({
        user: z.string({ error: 'expected the SMTP user name' }).min(1, { error: 'expected the SMTP user name' }),
        pass: secretSchema,
      })
      .optional(),
  })
  .transform(
    (smtp): SmtpConfig => ({
      host: smtp.host,
      port: smtp.port ?? (smtp.secure ? 465 : 587),
      secure: smtp.secure ?? smtp.port === 465,
      auth: smtp.auth ?? null,
    }),
  );

const mailSchema = z
  .strictObject({
    from: address.optional(),
    to: z.union([address, z.array(address).min(1, { error: 'name at least one recipient' })], { error: `${ADDRESS_HELP}, or a list of them` }).optional(),
    smtp: smtpSchema.optional(),
  })
  .superRefine((mail, ctx) => {
    // Real SMTP with placeholder addresses would only bounce; the outbox is fine with them.
    if (mail.smtp === undefined) return;
    if (mail.to === undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: `mail.smtp is set, so name the recipients: ${ADDRESS_HELP}` });
    if (mail.from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: `mail.smtp is set, so name the sender: ${ADDRESS_HELP}` });
  })
  .transform(
    (mail): MailConfig => ({
      from: mail.from ?? DEFAULT_MAIL_FROM,
      to: mail.to === undefined ? [DEFAULT_MAIL_TO] : typeof mail.to === 'string' ? [mail.to] : mail.to,
      smtp: mail.smtp ?? null,
    }),
  );

const scorecardsSchema = z
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

const DEFAULT_SCORECARDS: ScorecardsConfig = { email: 'every-run', schedule: null };

// ── the service ─────────────────────────────────────────────────────────────────────────────────────

/** The HTTP endpoint of `supportdrill serve` after validation. */
export interface HttpConfig {
  host: string;
  port: number;
  /** Required for a non-loopback host: every path but `/healthz` then needs `Authorization: Bearer <token>`. */
  token: Secret | null;
}

/** Quiet hours after validation: minutes after midnight in `timezone`; `end` before `start` spans midnight. */
export interface QuietHours {
  start: number;
  end: number;
  timezone: string;
}

/** The limits a scheduled drill must pass before it fires; `null` means no limit. */
export interface GuardrailRules {
  /** Drills filed to the vendor per calendar day (in the quiet hours' timezone, else UTC). */
  maxDrillsPerDay: number | null;
  /** Drill tickets open at the vendor at once. */
  maxOpenTickets: number | null;
  quietHours: QuietHours | null;
}

export interface GuardrailsConfig {
  /** What applies to every vendor. */
  defaults: GuardrailRules;
  /** Per vendor, the defaults with that vendor's own entries on top. */
  vendors: Record<string, GuardrailRules>;
}

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const clockTime = z
  .string({ error: "expected a time of day like '22:00'" })
  .regex(CLOCK_TIME, { error: "expected a time of day like '22:00' (24-hour HH:MM)" })
  .transform((time) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));

const quietHoursSchema = z
  .strictObject({
    /** When the quiet starts, `'HH:MM'`. */
    start: clockTime,
    /** When it ends, `'HH:MM'`; earlier than `start` means the next day. */
    end: clockTime,
    /** @defaultValue `'UTC'` */
    timezone: timezoneSchema.optional(),
  })
  .refine((quiet) => quiet.start !== quiet.end, { error: 'start and end are the same time; leave quietHours out instead', path: ['end'] })
  .transform((quiet): QuietHours => ({ start: quiet.start, end: quiet.end, timezone: quiet.timezone ?? 'UTC' }));

const limit = z.number({ error: 'expected a whole number, 0 or more' }).int({ error: 'expected a whole number, 0 or more' }).min(0, { error: 'expected a whole number, 0 or more' });

const guardrailRulesShape = {
  /** Most drills filed to a vendor per day. @defaultValue no limit */
  maxDrillsPerDay: limit.optional(),
  /** Most drill tickets open at a vendor at once; a drill is refused while that many are open. @defaultValue no limit */
  maxOpenTickets: limit.optional(),
  /** No drill fires between these times, e.g. `{ start: '22:00', end: '07:00', timezone: 'Asia/Shanghai' }`. */
  quietHours: quietHoursSchema.optional(),
};

const guardrailsSchema = z
  .strictObject({
    ...guardrailRulesShape,
    /** Per vendor name, rules replacing the ones above for that vendor; `quietHours: false` lifts them. */
    vendors: z
      .record(
        z.string(),
        z.strictObject({ ...guardrailRulesShape, quietHours: z.union([quietHoursSchema, z.literal(false)]).optional() }),
      )
      .optional(),
  })
  .transform((guardrails): GuardrailsConfig => {
    const defaults: GuardrailRules = {
      maxDrillsPerDay: guardrails.maxDrillsPerDay ?? null,
      maxOpenTickets: guardrails.maxOpenTickets ?? null,
      quietHours: guardrails.quietHours ?? null,
    };
    const vendors: Record<string, GuardrailRules> = {};
    for (const [name, own] of Object.entries(guardrails.vendors ?? {})) {
      vendors[name] = {
        maxDrillsPerDay: own.maxDrillsPerDay ?? defaults.maxDrillsPerDay,
        maxOpenTickets: own.maxOpenTickets ?? defaults.maxOpenTickets,
        quietHours: own.quietHours === false ? null : (own.quietHours ?? defaults.quietHours),
      };
    }
    return { defaults, vendors };
  });

const NO_GUARDRAILS: GuardrailsConfig = { defaults: { maxDrillsPerDay: null, maxOpenTickets: null, quietHours: null }, vendors: {} };

/** The guardrails that apply to a vendor; `null` (a dry run, which files nothing) gets the defaults. */
export function guardrailsFor(config: Config, vendor: string | null): GuardrailRules {
  return (vendor !== null && Object.hasOwn(config.guardrails.vendors, vendor) ? config.guardrails.vendors[vendor] : undefined) ?? config.guardrails.defaults;
}

export const DEFAULT_HTTP_PORT = 8080;

const httpSchema = z
  .strictObject({
    /** The address to listen on. Anything but loopback needs `token`. @defaultValue `'127.0.0.1'` */
    host: z.string({ error: "expected an address to listen on, e.g. '127.0.0.1' or '0.0.0.0'" }).min(1).optional(),
    /** @defaultValue 8080; 0 picks a free port */
    port: z.number({ error: 'expected a port number, e.g. 8080' }).int().min(0).max(65_535, { error: 'expected a port number between 0 and 65535' }).optional(),
    /** A bearer token for everything but `/healthz`, preferably `env('SUPPORTDRILL_HTTP_TOKEN')`. */
    token: secretSchema.optional(),
  })
  .transform((http): HttpConfig => ({ host: http.host ?? '127.0.0.1', port: http.port ?? DEFAULT_HTTP_PORT, token: http.token ?? null }));

const configObjectSchema = z.strictObject({
  /**
   * Where the database, evidence and outbox live; relative to the config file's directory.
   * @defaultValue `'var'`
   */
  dataDir: z.string({ error: "expected a directory path, e.g. 'var'" }).min(1, { error: "expected a directory path, e.g. 'var'" }).default('var'),
  /**
   * The vendor a drill files to unless `--vendor` names another; must be a key of `vendors`.
   * @defaultValue `'sandbox'`
   */
  defaultVendor: z.string({ error: 'expected the name of a vendor in vendors' }).min(1).default('sandbox'),
  /**
   * Path to the Chrome or Chromium executable the classroom runs in.
   * @defaultValue the browser installed by `npm run setup`
   */
  chrome: z.string({ error: 'expected the path to a Chrome or Chromium executable' }).min(1).optional(),
  /**
   * A line added to every ticket saying it comes from a scheduled support drill; `false` leaves it out.
   * @defaultValue an English sentence to that effect ({@link DEFAULT_DISCLOSURE})
   */
  disclosure: z
    .union([z.string().min(1), z.literal(false)], { error: 'expected the disclosure line as text, or false to leave it out' })
    .default(DEFAULT_DISCLOSURE),
  /**
   * Support channels by name: `{ zendesk: { adapter: 'zendesk', subdomain: 'acme', token: env('ZENDESK_TOKEN') } }`.
   * The built-in `sandbox` vendor is always there unless an entry of that name replaces it.
   * @defaultValue `{ sandbox: { adapter: 'sandbox', persona: 'responsive' } }`
   */
  vendors: z.record(z.string().min(1, { error: 'a vendor needs a name' }), vendorSchema).optional(),
  /** How tickets are watched. */
  watch: z
    .strictObject({
      /**
       * How long a ticket is watched before it is recorded as "no resolution".
       * @defaultValue `'3d'`
       */
      timeout: duration.refine((ms) => ms > 0, { error: 'the watch timeout must be longer than 0' }).optional(),
    })
    .optional(),
  /**
   * Where scorecards are e-mailed from and to. Without `smtp`, each e-mail is written as an `.eml` file
   * under `<dataDir>/outbox/` instead of being sent.
   * @defaultValue none: e-mails go to the outbox, from and to placeholder addresses
   */
  mail: mailSchema.optional(),
  /** When scorecards are e-mailed. */
  scorecards: scorecardsSchema.optional(),
  /**
   * Agora credentials for `classroom.provider: 'agora'`; secrets through `env()`. Without this entry,
   * the environment variables AGORA_APP_ID, AGORA_APP_CERTIFICATE and AGORA_TOKEN_SERVER are read.
   */
  agora: z
    .strictObject({
      /** The project's App ID from Agora's console. */
      appId: secretSchema,
      /** Tokens are built here (agora-token, 1 h expiry) when set. */
      appCertificate: secretSchema.optional(),
      /** Else tokens come from this URL: `?channel=…&uid=…&role=publisher|subscriber` → `{ "token": "…" }`. */
      tokenServer: z.url({ error: 'expected the token server URL, e.g. https://tokens.example/rtc' }).optional(),
    })
    .optional(),
  /**
   * Where `supportdrill serve` listens: `{ host, port, token }`.
   * @defaultValue `{ host: '127.0.0.1', port: 8080 }`
   */
  http: httpSchema.optional(),
  /** Limits on scheduled drills, for every vendor and per vendor. @defaultValue none */
  guardrails: guardrailsSchema.optional(),
  /**
   * The service runs its scheduled drills without filing anything (as `serve --dry-run`).
   * @defaultValue `false`
   */
  dryRun: z.boolean({ error: 'expected true or false' }).optional(),
});

/** A config file's contents as written. */
export type ConfigInput = z.input<typeof configObjectSchema>;

/** A config after validation and defaults. Durations are milliseconds. */
export interface Config {
  /** Absolute. */
  dataDir: string;
  defaultVendor: string;
  /** Absolute when written as a relative path; `null` means the browser `npm run setup` installed. */
  chrome: string | null;
  disclosure: string | false;
  /** Always has `sandbox`. */
  vendors: Record<string, VendorConfig>;
  watch: { timeout: number };
  /** `null` when the config has no `mail`: e-mails go to the outbox (see {@link MailConfig}). */
  mail: MailConfig | null;
  scorecards: ScorecardsConfig;
  /** `null` when the config has no `agora`: the provider reads AGORA_* environment variables. */
  agora: { appId: Secret; appCertificate?: Secret; tokenServer?: string } | null;
  http: HttpConfig;
  guardrails: GuardrailsConfig;
  dryRun: boolean;
}

function vendorNames(vendors: unknown): string[] | null {
  if (vendors === undefined) return ['sandbox'];
  if (typeof vendors !== 'object' || vendors === null || Array.isArray(vendors)) return null;
  return [...new Set(['sandbox', ...Object.keys(vendors)])];
}

/** Checked even when another field is wrong, so that one pass reports every problem. */
const ALWAYS_CHECK = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

/** The config schema. `dataDir` comes out as written; {@link parseConfig} makes it absolute. */
export const configSchema = configObjectSchema
  .superRefine((config, ctx) => {
    const names = vendorNames(config.vendors);
    if (names !== null && typeof config.guardrails === 'object' && config.guardrails !== null) {
      for (const name of Object.keys((config.guardrails as { vendors?: object }).vendors ?? {})) {
        if (!names.includes(name)) {
          const hint = suggestKey(name, names);
          ctx.addIssue({ code: 'custom', path: ['guardrails', 'vendors', name], message: `'${name}' is not one of the vendors (${names.join(', ')})` + (hint ? `; did you mean '${hint}'?` : '') });
        }
      }
    }
    if (typeof config.defaultVendor !== 'string' || names === null || names.includes(config.defaultVendor)) return;
    const hint = suggestKey(config.defaultVendor, names);
    ctx.addIssue({
      code: 'custom',
      path: ['defaultVendor'],
      message:
        `'${config.defaultVendor}' is not one of the vendors (${names.join(', ')})` + (hint ? `; did you mean '${hint}'?` : ''),
    });
  }, ALWAYS_CHECK)
  .transform(
    (config): Config => ({
      dataDir: config.dataDir,
      defaultVendor: config.defaultVendor,
      chrome: config.chrome ?? null,
      disclosure: config.disclosure,
      vendors: { sandbox: vendorSchema.parse(SANDBOX_VENDOR), ...config.vendors },
      watch: { timeout: config.watch?.timeout ?? durationMs.parse(WATCH_TIMEOUT) },
      mail: config.mail ?? null,
      scorecards: config.scorecards ?? { ...DEFAULT_SCORECARDS },
      agora: config.agora ?? null,
      http: config.http ?? { host: '127.0.0.1', port: DEFAULT_HTTP_PORT, token: null },
      guardrails: config.guardrails ?? NO_GUARDRAILS,
      dryRun: config.dryRun ?? false,
    }),
  );

/**
 * Declares the config. It returns its argument unchanged: it exists so that `supportdrill.config.ts`
 * is typed in the editor. The file is validated when it is loaded.
 */
export function defineConfig(config: ConfigInput): ConfigInput {
  // Not generic like defineDrill on purpose: through a type parameter the editor shows no TSDoc for
  // nested options, and a config gains nothing from literal types.
  return config;
}

/** The keys allowed at a path of the config, for "did you mean" hints on typos. */
function knownConfigKeys(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return Object.keys(configObjectSchema.shape);
  if (path.length === 1 && path[0] === 'watch') return ['timeout'];
  if (path.length === 1 && path[0] === 'mail') return ['from', 'to', 'smtp'];
  if (path.length === 2 && path[0] === 'mail' && path[1] === 'smtp') return ['host', 'port', 'secure', 'auth'];
  if (path.length === 1 && path[0] === 'scorecards') return ['email', 'schedule'];
  if (path.length === 2 && path[0] === 'vendors') return VENDOR_KEYS;
  if (path.length === 1 && path[0] === 'http') return ['host', 'port', 'token'];
  if (path.length === 1 && path[0] === 'guardrails') return ['maxDrillsPerDay', 'maxOpenTickets', 'quietHours', 'vendors'];
  if (path.length === 3 && path[0] === 'guardrails') return ['maxDrillsPerDay', 'maxOpenTickets', 'quietHours'];
  if (path.at(-1) === 'quietHours') return ['start', 'end', 'timezone'];
  return [];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Validates a config and applies defaults; `baseDir` is what relative paths are read against (the
 * config file's directory). Throws a {@link UserError} listing every problem, each as
 * `file › field › what was wrong`.
 */
export function parseConfig(input: unknown, options: { baseDir: string; file?: string }): Config {
  const shown = options.file ?? 'config';
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    throw new UserError(
      prefixed(
        undefined,
        `Config file '${shown}' is not valid (${plural(issues.length, 'problem')}):\n${formatIssues(shown, issues, knownConfigKeys)}`,
      ),
    );
  }
  const config = parsed.data;
  const chrome = config.chrome;
  return {
    ...config,
    dataDir: resolve(options.baseDir, config.dataDir),
    // A bare name (`chromium`) is left alone; only something written as a path is read against the file.
    chrome: chrome !== null && !isAbsolute(chrome) && /[\\/]/.test(chrome) ? resolve(options.baseDir, chrome) : chrome,
  };
}

/** The names a config file may have in the project root, in the order they are tried. */
export const CONFIG_FILES = [
  'supportdrill.config.ts',
  'supportdrill.config.mts',
  'supportdrill.config.js',
  'supportdrill.config.mjs',
  'supportdrill.config.json',
] as const;

const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

export interface LoadConfigOptions {
  /** `--config PATH`, relative to `cwd`; wins over `SUPPORTDRILL_CONFIG` and the project root. */
  configPath?: string;
  /** The project root. @defaultValue `process.cwd()` */
  cwd?: string;
}

export interface LoadedConfig {
  config: Config;
  /** The file the config came from (absolute), or `null` when the defaults apply. */
  file: string | null;
}

/** The config file to load, or `null` for none; an explicitly named file that does not exist is an error. */
function findConfigFile(cwd: string, configPath: string | undefined): string | null {
  const fromEnv = process.env.SUPPORTDRILL_CONFIG;
  const [explicit, source] =
    configPath !== undefined && configPath !== ''
      ? [configPath, '--config']
      : fromEnv !== undefined && fromEnv !== ''
        ? [fromEnv, 'SUPPORTDRILL_CONFIG']
        : [undefined, undefined];
  if (explicit === undefined) return CONFIG_FILES.map((name) => join(cwd, name)).find((file) => existsSync(file)) ?? null;

  const file = resolve(cwd, explicit);
  if (!existsSync(file)) throw new UserError(prefixed(undefined, `The config file given by ${source} does not exist: ${file}`));
  if (!statSync(file).isFile()) throw new UserError(prefixed(undefined, `The config file given by ${source} is not a file: ${file}`));
  const ext = extname(file);
  if (ext !== '.json' && !MODULE_EXTENSIONS.includes(ext)) {
    throw new UserError(
      prefixed(undefined, `The config file given by ${source} must be TypeScript, JavaScript or JSON (${['.json', ...MODULE_EXTENSIONS].join(', ')}): ${file}`),
    );
  }
  return file;
}

async function readConfigFile(file: string, shown: string): Promise<unknown> {
  if (extname(file) === '.json') {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (error) {
      throw new UserError(prefixed(undefined, `Error loading config file '${shown}': ${(error as Error).message}`), { cause: error });
    }
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new UserError(prefixed(undefined, `Error loading config file '${shown}': ${(error as Error).message}`), { cause: error });
  }
  if (module.default === undefined) {
    throw new UserError(
      prefixed(undefined, `Config file '${shown}' has no default export. Write \`export default defineConfig({ … })\`.`),
    );
  }
  return module.default;
}

/**
 * Finds, loads and validates the config: `configPath` (`--config`), else `SUPPORTDRILL_CONFIG`, else
 * the first of {@link CONFIG_FILES} in `cwd`; with none, the defaults. Secrets stay unresolved (see
 * {@link resolveSecret}), so a vendor's missing variable only matters when that vendor is used.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const file = findConfigFile(cwd, options.configPath);
  if (file === null) return { config: parseConfig({}, { baseDir: cwd }), file: null };
  const shown = relative(cwd, file) || file;
  const input = await readConfigFile(file, shown);
  return { config: parseConfig(input, { baseDir: dirname(file), file: shown }), file };
}

// ── vendors of a loaded config ──────────────────────────────────────────────────────────────────────

/** The vendor named `name`; an unknown name is a {@link UserError} listing the configured vendors. */
export function getVendor(config: Config, name: string): VendorConfig {
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
export function vendorOptions(config: Config, name: string): Record<string, unknown> {
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
export function vendorEntry(config: Config, name: string): Record<string, unknown> {
  const vendor = getVendor(config, name);
  const written = writtenEntries.get(vendor);
  return written ? { ...written } : { adapter: vendor.adapter, ...vendorOptions(config, name) };
}
