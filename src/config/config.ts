import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { PROVIDER_SETTINGS, type ProviderSettingShapes } from '../classroom/providers/registry.ts';
import { positiveDurationMs } from '../core/duration.ts';
import { UserError, prefixed } from '../core/errors.ts';
import { formatIssues, suggestKey } from '../core/key-hints.ts';
import { conversationFor, conversationSchema, type ConversationConfig, type ConversationLevel } from './conversation.ts';
import { guardrailsSchema, NO_GUARDRAILS, type GuardrailsConfig } from './guardrails.ts';
import { DEFAULT_HTTP_PORT, httpSchema, type HttpConfig } from './http.ts';
import { mailSchema, type MailConfig } from './mail.ts';
import { DEFAULT_SCORECARDS, scorecardsSchema, type ScorecardsConfig } from './scorecards.ts';
import { SANDBOX_VENDOR, vendorSchema, type VendorConfig } from './vendor-entry.ts';

export const DEFAULT_DISCLOSURE =
  'Disclosure: this ticket comes from a scheduled support drill. The failure was reproduced on purpose in a test ' +
  'classroom to evaluate support during our trial; the details and evidence are real, and we would like it handled ' +
  'as any customer report would be.';

/** What the vendor is told after the resolution when `disclosure.after` is `true`. */
export const DEFAULT_DISCLOSURE_AFTER =
  'Thank you for resolving this. For transparency: this ticket came from a scheduled support drill in our trial — the ' +
  'failure was reproduced on purpose in a test classroom to see how support handles a live-class incident. Everything ' +
  'in it was real, and your answers helped us. No further action is needed.';

const WATCH_TIMEOUT = '3d';

const disclosureText = z.union([z.string().min(1), z.literal(false)], { error: 'expected the disclosure line as text, or false to leave it out' });

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
    .union(
      [
        disclosureText,
        z.strictObject({
          /** The line in every ticket, or `false`. @defaultValue {@link DEFAULT_DISCLOSURE} */
          ticket: disclosureText.optional(),
          /**
           * A message sent after the resolution saying the ticket was a drill: text, `true` for
           * {@link DEFAULT_DISCLOSURE_AFTER}, or `false`. @defaultValue `false`
           */
          after: z.union([z.string().min(1), z.boolean()], { error: 'expected the message as text, true for the default one, or false' }).optional(),
        }),
      ],
      { error: "expected the disclosure line as text, false, or { ticket: '…', after: true }" },
    )
    .default(DEFAULT_DISCLOSURE),
  /**
   * How supportdrill takes part in the ticket's conversation (answers, follow-ups, close-out), for
   * every vendor; `vendors.<name>.conversation` overrides it key by key.
   * @defaultValue answers after 3 minutes, follow-ups at the first-human-response target then daily (3 at most)
   */
  conversation: conversationSchema.optional(),
  /**
   * Support channels by name: `{ acme: { adapter: 'zendesk', url: 'https://acme.zendesk.com', email: 'trial@school.example', token: env('ZENDESK_TOKEN') } }`.
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
      timeout: positiveDurationMs.optional(),
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
   * Each classroom provider's settings under its name, e.g. `agora: { appId: env('AGORA_APP_ID') }`;
   * secrets through `env()`. Without an entry, the provider reads its environment variables.
   */
  ...PROVIDER_SETTINGS,
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

/**
 * Each classroom provider's settings as validated (secrets unresolved), `null` when the config has
 * none: the provider then reads its environment variables.
 */
export type ProviderSettings = { [K in keyof ProviderSettingShapes]: z.output<NonNullable<ProviderSettingShapes[K]>> | null };

/** A config after validation and defaults. Durations are milliseconds. */
export interface Config extends ProviderSettings {
  /** Absolute. */
  dataDir: string;
  defaultVendor: string;
  /** Absolute when written as a relative path; `null` means the browser `npm run setup` installed. */
  chrome: string | null;
  /** The line in every ticket, or `false`. */
  disclosure: string | false;
  /** What the vendor is told after the resolution, or `null` for nothing. */
  disclosureAfter: string | null;
  /** The global conversation settings as written; {@link conversationOf} gives a vendor's effective ones. */
  conversation: ConversationLevel;
  /** Always has `sandbox`. */
  vendors: Record<string, VendorConfig>;
  watch: { timeout: number };
  /** `null` when the config has no `mail`: e-mails go to the outbox (see {@link MailConfig}). */
  mail: MailConfig | null;
  scorecards: ScorecardsConfig;
  http: HttpConfig;
  guardrails: GuardrailsConfig;
  dryRun: boolean;
}

function vendorNames(vendors: unknown): string[] | null {
  if (vendors === undefined) return ['sandbox'];
  if (typeof vendors !== 'object' || vendors === null || Array.isArray(vendors)) return null;
  return [...new Set(['sandbox', ...Object.keys(vendors)])];
}

function providerSettings(config: Record<string, unknown>): ProviderSettings {
  return Object.fromEntries(Object.keys(PROVIDER_SETTINGS).map((name) => [name, config[name] ?? null])) as ProviderSettings;
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
      disclosure: typeof config.disclosure === 'object' ? (config.disclosure.ticket ?? DEFAULT_DISCLOSURE) : config.disclosure,
      disclosureAfter:
        typeof config.disclosure === 'object' && config.disclosure.after
          ? config.disclosure.after === true
            ? DEFAULT_DISCLOSURE_AFTER
            : config.disclosure.after
          : null,
      conversation: config.conversation ?? {},
      vendors: { sandbox: vendorSchema.parse(SANDBOX_VENDOR), ...config.vendors },
      watch: { timeout: config.watch?.timeout ?? positiveDurationMs.parse(WATCH_TIMEOUT) },
      mail: config.mail ?? null,
      scorecards: config.scorecards ?? { ...DEFAULT_SCORECARDS },
      ...providerSettings(config as Record<string, unknown>),
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
        `Config file '${shown}' is not valid (${plural(issues.length, 'problem')}):\n${formatIssues(shown, issues, configObjectSchema)}`,
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

/** A vendor's effective conversation settings: its own, over the config's, over the defaults. */
export function conversationOf(config: Pick<Config, 'conversation' | 'vendors'>, vendor: string): ConversationConfig {
  const entry = config.vendors[vendor];
  return conversationFor(entry?.adapter ?? '', config.conversation, entry?.conversation ?? undefined);
}
