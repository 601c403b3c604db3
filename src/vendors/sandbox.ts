/**
 * The `sandbox` vendor: a simulated support desk with scripted agents ("personas"), the embedded
 * default. It behaves like an external system: its own ticket ids (`SBX-1001`), its own clock readings
 * and its own SQLite file, `<dataDir>/sandbox-desk.db`, which nothing else in supportdrill reads.
 *
 * No process runs the desk, so a persona's script is fixed when the ticket is filed (each step with its
 * due time, or, for a step that waits on the customer, its delay from the customer's message) and
 * materialised lazily: whenever a ticket is looked at or written on, every step whose due time has
 * passed is written to the desk with the due time as its timestamp. The outcome does not depend on when
 * or how often anyone polls, survives restarts, and is the same for every process sharing the file.
 *
 * The customer (we) writes back: `reply` records a message once per key, `markSolved` solves a ticket
 * an agent has answered. Those are desk events too, never returned as vendor activity.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { durationMs, type Duration } from '../core/duration.ts';
import { prefixed } from '../core/errors.ts';
import { openDatabase, type SqliteDatabase } from '../core/sqlite.ts';
import { createBusinessHoursSchema, timezoneSchema, type BusinessHours, type BusinessHoursInput } from '../core/business-hours.ts';
import {
  defineVendorAdapter,
  parseVendorOptions,
  VendorRejectedError,
  VendorUnavailableError,
  type ActivityPage,
  type FiledTicket,
  type SentMessage,
  type Severity,
  type TicketHandle,
  type VendorActivity,
  type VendorAdapter,
  type VendorFactory,
} from './adapter.ts';
import { type AuthorRole } from '../core/reply.ts';
import { PERSONA_DEFINITIONS, PERSONA_DELAYS, PERSONAS, SCRIPT_STEPS, type Language, type PersonaName, type ScriptStep } from './sandbox-personas.ts';
import { buildScript } from './sandbox-script.ts';
import { DESK_SCHEMA_VERSION, migrateDesk, SandboxDesk, type DeskAttachment, type DeskEventRow, type DeskTicketRow } from './sandbox-desk.ts';

export { PERSONA_DELAYS, PERSONAS, SCRIPT_STEPS, type PersonaName, type ScriptStep };

export const VENDOR_NAME = 'sandbox';

const DEFAULT_TIMEZONE = 'Asia/Shanghai';
const DEFAULT_BUSINESS_HOURS = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' };

/** Options of the `sandbox` vendor, as written in the config. */
export interface SandboxOptions {
  /**
   * Which scripted agents answer. Delays are the defaults at `speed` 1, counted from filing unless
   * they say "after" a customer message.
   * - `responsive`: acknowledgement 2 s, canned reply 6 s, human reply 12 s, resolution 20 s, solved 21 s.
   * - `slow`: the same over ~26 h (1 min, 20 min, 2 h, 26 h, 26 h 5 min).
   * - `bot-only`: acknowledges, then nothing. `silent`: nothing ever.
   * - `business-hours`: responsive, but agents work only inside `businessHours`.
   * - `chinese`: responsive, in Chinese.
   * - `asks-for-logs`: acknowledgement 2 s; a first-line agent asks for the SDK log and the browser
   *   console log 5 s (the ticket goes `pending`); engages only once a customer message carrying a
   *   file whose name contains `log` arrives: human reply 4 s, resolution 10 s, solved 11 s after it.
   *   A first answer without a log gets a short re-ask 3 s after it (dropped if a log came meanwhile).
   * - `re-asks`: acknowledgement 2 s; asks 5 s for the channel name, the teacher's uid and the exact
   *   time, which the ticket already gave; resolution 8 s and solved 9 s after our answer.
   * - `escalates`: acknowledgement 2 s, canned reply 5 s; at 10 s an engineer says the ticket was
   *   escalated to second-line engineering, and at 14 s asks one more question (the teacher's uid,
   *   which the ticket gave); resolution 8 s and solved 9 s after our answer.
   * - `silent-until-followed-up`: acknowledgement 2 s, then nothing until a customer message (a
   *   follow-up): human reply 5 s, resolution 15 s, solved 16 s after it.
   * - `needs-a-person`: acknowledgement 2 s; a human reply 8 s that asks what only a person can
   *   answer ("Could we schedule a call with your engineer tomorrow?"); resolution 8 s and solved 9 s
   *   after any customer message.
   * - `diagnoses-correctly`, `diagnoses-partly`, `diagnoses-wrongly`: acknowledgement 2 s, an
   *   engineer's reply stating a cause 12 s, resolution 20 s, solved 21 s; the cause is the teacher's
   *   client no longer sending video on a clean network (after checking the call quality records),
   *   the teacher's device and browser with no mechanism, or the network, respectively.
   *
   * A question leaves the ticket `pending`; a customer message on a `pending` or `solved` ticket sets
   * it `open` again.
   * @defaultValue `'responsive'`
   */
  persona?: PersonaName;
  /**
   * When each step happens (`'2s'`, `'20m'`, `'26h'`), counted from filing, or for a step that waits
   * on the customer, from the customer's message it waits for. Overrides the persona's default for
   * that step and is not scaled by `speed`. Only steps the persona has may be given.
   * @defaultValue the persona's defaults, see {@link PERSONA_DELAYS}
   */
  timings?: Partial<Record<ScriptStep, Duration>>;
  /**
   * The language the agents write in, whatever the persona.
   * @defaultValue the persona's: `'zh'` for `chinese`, else `'en'`
   */
  language?: Language;
  /**
   * Multiplies the persona's default delays: `0.1` runs a demo ten times faster, `10` makes a soak.
   * @defaultValue `1`
   */
  speed?: number;
  /**
   * Picks agent names and phrasings, varying them from ticket to ticket (deterministically). Without a
   * seed every ticket gets the first agent and phrasing.
   * @defaultValue none
   */
  seed?: number;
  /**
   * The desk's timezone: where `businessHours` are read when they do not name one.
   * @defaultValue `'Asia/Shanghai'`
   */
  timezone?: string;
  /**
   * The desk's opening hours; only the `business-hours` persona keeps them.
   * @defaultValue Mon–Fri 09:00–18:00 in `timezone`
   */
  businessHours?: BusinessHoursInput;
}

/** {@link SandboxOptions} after validation: delays in ms, defaults applied. */
export interface ResolvedSandboxOptions {
  persona: PersonaName;
  /** Absent: the persona's own. */
  language?: Language;
  timings: Partial<Record<ScriptStep, number>>;
  speed: number;
  seed?: number;
  timezone: string;
  businessHours: BusinessHours;
}

const stepDelay = z.string({ error: "expected a duration from filing, like '2s', '20m' or '26h'" }).pipe(durationMs);

/** Validates {@link SandboxOptions}; strict, and every error names its field. */
export const sandboxOptionsSchema: z.ZodType<ResolvedSandboxOptions, SandboxOptions> = z
  .strictObject({
    persona: z
      .enum(PERSONAS, { error: (issue) => `unknown persona ${JSON.stringify(issue.input)}; expected one of ${PERSONAS.join(', ')}` })
      .default('responsive'),
    language: z.enum(['en', 'zh'], { error: (issue) => `unknown language ${JSON.stringify(issue.input)}; expected 'en' or 'zh'` }).optional(),
    timings: z
      .strictObject(Object.fromEntries(SCRIPT_STEPS.map((step) => [step, stepDelay.optional()])) as Record<ScriptStep, z.ZodOptional<typeof stepDelay>>, {
        error: (issue) => (issue.code === 'invalid_type' ? `expected an object like { ack: '2s', human: '1m' }` : undefined),
      })
      .optional(),
    speed: z
      .number({ error: 'expected a number, e.g. 0.1 to run ten times faster' })
      .positive({ error: 'expected a number above 0 (0.1 runs ten times faster, 10 ten times slower)' })
      .finite({ error: 'expected a finite number' })
      .default(1),
    seed: z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).optional(),
    timezone: timezoneSchema.default(DEFAULT_TIMEZONE),
    businessHours: z.custom<BusinessHoursInput>().optional(),
  }, { error: (issue) => (issue.code === 'invalid_type' ? "expected the sandbox options as an object, e.g. { persona: 'responsive' }" : undefined) })
  .transform((options, ctx): ResolvedSandboxOptions => {
    const delays = PERSONA_DELAYS[options.persona];
    const timings: Partial<Record<ScriptStep, number>> = {};
    for (const step of SCRIPT_STEPS) {
      const value = options.timings?.[step];
      if (value === undefined) continue;
      if (delays[step] === undefined) {
        const has = SCRIPT_STEPS.filter((s) => delays[s] !== undefined);
        ctx.addIssue({
          code: 'custom',
          path: ['timings', step],
          message: `persona '${options.persona}' has no '${step}' step; ${has.length > 0 ? `it has only ${has.join(', ')}` : 'it never answers'}`,
        });
      }
      timings[step] = value;
    }
    const hours = createBusinessHoursSchema({ defaultTimezone: options.timezone }).safeParse(options.businessHours ?? DEFAULT_BUSINESS_HOURS);
    if (!hours.success) {
      for (const issue of hours.error.issues) ctx.addIssue({ code: 'custom', path: ['businessHours', ...issue.path], message: issue.message });
      return z.NEVER;
    }
    return {
      persona: options.persona,
      ...(options.language === undefined ? {} : { language: options.language }),
      timings,
      speed: options.speed,
      seed: options.seed,
      timezone: options.timezone,
      businessHours: hours.data,
    };
  }) as unknown as z.ZodType<ResolvedSandboxOptions, SandboxOptions>;

/** Where the desk keeps its tickets. */
export function sandboxDeskPath(dataDir: string): string {
  return join(dataDir, 'sandbox-desk.db');
}

const TICKET_PREFIX = 'SBX-';

/** The sandbox desk as a {@link VendorFactory}; see the module comment. */
const sandbox: VendorFactory<SandboxOptions> = (rawOptions, context) => {
  const options = parseVendorOptions(sandboxOptionsSchema, rawOptions, { kind: VENDOR_NAME, vendorName: context.vendorName });
  const now = () => (context.now ? context.now() : new Date()).getTime();
  const path = sandboxDeskPath(context.dataDir);
  const fail = (message: string, cause?: unknown) =>
    new VendorRejectedError(prefixed(VENDOR_NAME, message), cause === undefined ? undefined : { cause });
  let db: SqliteDatabase | undefined;
  let opened: SandboxDesk | undefined;

  function desk(): SandboxDesk {
    if (opened) return opened;
    const tooNew = (version: number) =>
      fail(`the desk database ${path} has schema version ${version}, but this supportdrill knows versions up to ${DESK_SCHEMA_VERSION}: it was written by a newer supportdrill; upgrade this one, or give it another data directory`);
    try {
      mkdirSync(context.dataDir, { recursive: true });
      db = openDatabase(path);
      migrateDesk(db, tooNew);
    } catch (error) {
      db?.close();
      db = undefined;
      if (error instanceof VendorRejectedError) throw error;
      // The desk's file is on our own disk: a read-only, full or broken file is local trouble to retry, not the vendor refusing us.
      throw new VendorUnavailableError(prefixed(VENDOR_NAME, `cannot open the desk database ${path}: ${(error as Error).message}`), undefined, { cause: error });
    }
    opened = new SandboxDesk(db, { now, fail, ticketId: (n) => `${TICKET_PREFIX}${n}`, logger: context.logger, vendorName: context.vendorName });
    return opened;
  }

  function ticketNumber(vendorTicketId: string): number {
    const match = /^SBX-(\d+)$/.exec(vendorTicketId);
    if (!match) throw fail(`'${vendorTicketId}' is not a sandbox desk ticket id (expected ${TICKET_PREFIX}<number>, e.g. SBX-1001)`);
    return Number(match[1]);
  }

  /** Name, type and size of each file, or the desk's refusal naming the one it cannot read. */
  function attachmentsOf(files: { filename: string; path: string; contentType: string }[]): DeskAttachment[] {
    return files.map((a) => {
      try {
        return { filename: a.filename, contentType: a.contentType, size: statSync(a.path).size };
      } catch (error) {
        throw fail(`cannot attach '${a.filename}': ${a.path} is not readable (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
      }
    });
  }

  function filed(row: DeskTicketRow, reused: boolean): FiledTicket {
    const id = `${TICKET_PREFIX}${row.number}`;
    return { vendorTicketId: id, url: `sandbox://desk/tickets/${id}`, filedAt: new Date(row.created_at), reused };
  }

  const sent = (event: DeskEventRow): SentMessage => ({ vendorMessageId: `sbx-event-${event.seq}`, at: new Date(event.at) });

  const adapter: VendorAdapter = {
    kind: VENDOR_NAME,
    defaultPollIntervalMs: 1000,

    async findTicket({ ref }) {
      const number = desk().findTicket(ref);
      return number === undefined ? null : filed(desk().materialise(number), true);
    },

    async fileTicket(draft) {
      if (!draft.title.includes(`[${draft.ref}]`)) {
        throw fail(`the ticket title must carry its reference tag [${draft.ref}], or the desk cannot find it again; got '${draft.title}'`);
      }
      const attachments = attachmentsOf(draft.attachments);
      const filedAt = now();
      const persona = PERSONA_DEFINITIONS[options.persona];
      const row = desk().fileTicket({
        title: draft.title,
        body: draft.body,
        priority: priorityOf(draft.severity),
        persona: options.persona,
        language: options.language ?? persona.language,
        seed: options.seed,
        script: buildScript(persona, options, filedAt),
        facts: { ...draft.facts, ref: draft.ref },
        attachments,
        filedAt,
      });
      context.logger?.info({ vendor: context.vendorName, ticket: `${TICKET_PREFIX}${row.number}`, persona: options.persona }, 'sandbox desk: ticket filed');
      return filed(row, false);
    },

    async fetchActivity(ticket: TicketHandle, cursor?: string): Promise<ActivityPage> {
      if (cursor !== undefined && !/^\d+$/.test(cursor)) {
        throw fail(`cursor '${cursor}' was not given out by the sandbox desk (its cursors are event numbers)`);
      }
      const number = ticketNumber(ticket.vendorTicketId);
      const row = desk().materialise(number);
      const events = desk().events(number, Number(cursor ?? 0));
      // The customer's own events (no script step) are ours, never the vendor's activity; the cursor
      // still moves past them, since every event numbered below one read is already on the desk.
      const activities = events
        .filter((event) => event.step !== null)
        .map((event): VendorActivity => ({
          vendorActivityId: `sbx-event-${event.seq}`,
          at: new Date(event.at),
          authorName: event.author_name,
          authorRole: event.author_role as AuthorRole,
          ...(event.body === null ? {} : { text: event.body }),
          ...(event.automated ? { automated: true } : {}),
          ...(event.status_change === null ? {} : { statusChange: event.status_change }),
        }));
      const last = events[events.length - 1];
      return { activities, cursor: last ? String(last.seq) : cursor, status: row.status };
    },

    async reply(ticket, message) {
      const number = ticketNumber(ticket.vendorTicketId);
      if (message.key.trim() === '') throw fail(`a message on ${ticket.vendorTicketId} needs a key (like ${ticket.ref}/1) to be recorded once`);
      const attachments = attachmentsOf(message.attachments);
      return sent(desk().postMessage(number, { key: message.key, body: message.body, attachments }));
    },

    async findReply(ticket, key) {
      const event = desk().findMessage(ticketNumber(ticket.vendorTicketId), key);
      return event ? sent(event) : null;
    },

    async markSolved(ticket) {
      return desk().markSolved(ticketNumber(ticket.vendorTicketId));
    },

    async close() {
      db?.close();
      db = undefined;
      opened = undefined;
    },
  };
  return adapter;
};

export default sandbox;

/** The `sandbox` adapter's registry entry. */
export const sandboxAdapter = defineVendorAdapter({ kind: VENDOR_NAME, factory: sandbox, optionsSchema: sandboxOptionsSchema, commonOptions: ['timezone', 'businessHours'], waitByDefault: true });

/** The desk's own priority scale, as a help desk would show it. */
function priorityOf(severity: Severity): string {
  return { low: 'P4', normal: 'P3', high: 'P2', urgent: 'P1' }[severity] ?? 'P3';
}
