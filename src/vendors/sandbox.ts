/**
 * The `sandbox` vendor: a simulated support desk with scripted agents ("personas"), the embedded
 * default. It behaves like an external system: its own ticket ids (`SBX-1001`), its own clock readings
 * and its own SQLite file, `<dataDir>/sandbox-desk.db`, which nothing else in supportdrill reads.
 *
 * No process runs the desk, so a persona's script is fixed when the ticket is filed (each step with its
 * due time) and materialised lazily: whenever a ticket is looked at, every step whose due time has
 * passed is written to the desk with the due time as its timestamp. The outcome does not depend on when
 * or how often anyone polls, survives restarts, and is the same for every process sharing the file.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { durationMs, type Duration } from '../core/duration.ts';
import { prefixed } from '../core/errors.ts';
import { openDatabase, type SqliteDatabase } from '../core/sqlite.ts';
import {
  addBusinessMs,
  createBusinessHoursSchema,
  nextBusinessOpening,
  timezoneSchema,
  type BusinessHours,
  type BusinessHoursInput,
} from '../core/business-hours.ts';
import {
  defineVendorAdapter,
  parseVendorOptions,
  VendorRejectedError,
  VendorUnavailableError,
  type ActivityPage,
  type FiledTicket,
  type Severity,
  type TicketFactsInput,
  type TicketHandle,
  type VendorActivity,
  type VendorAdapter,
  type VendorFactory,
} from './adapter.ts';
import { type AuthorRole } from '../core/reply.ts';
import {
  PERSONA_DEFINITIONS,
  PERSONA_DELAYS,
  PERSONAS,
  renderStep,
  SCRIPT_STEPS,
  type Language,
  type PersonaName,
  type PersonaTicket,
  type ScriptStep,
} from './sandbox-personas.ts';

export { PERSONA_DELAYS, PERSONAS, SCRIPT_STEPS, type PersonaName, type ScriptStep };

export const VENDOR_NAME = 'sandbox';

const DEFAULT_TIMEZONE = 'Asia/Shanghai';
const DEFAULT_BUSINESS_HOURS = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' };

/** Options of the `sandbox` vendor, as written in the config. */
export interface SandboxOptions {
  /**
   * Which scripted agents answer: `responsive` (ack, canned, human, resolution, solved within ~20 s),
   * `slow` (the same over ~26 h), `bot-only` (acknowledges, then nothing), `silent` (nothing ever),
   * `business-hours` (responsive, but agents work only inside `businessHours`), `chinese` (responsive,
   * in Chinese).
   * @defaultValue `'responsive'`
   */
  persona?: PersonaName;
  /**
   * When each step happens, counted from filing (`'2s'`, `'20m'`, `'26h'`). Overrides the persona's
   * default for that step and is not scaled by `speed`. Only steps the persona has may be given.
   * @defaultValue the persona's defaults, see {@link PERSONA_DELAYS}
   */
  timings?: Partial<Record<ScriptStep, Duration>>;
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
    return { persona: options.persona, timings, speed: options.speed, seed: options.seed, timezone: options.timezone, businessHours: hours.data };
  }) as unknown as z.ZodType<ResolvedSandboxOptions, SandboxOptions>;

/** Where the desk keeps its tickets. */
export function sandboxDeskPath(dataDir: string): string {
  return join(dataDir, 'sandbox-desk.db');
}

const TICKET_PREFIX = 'SBX-';
const FIRST_TICKET_NUMBER = 1001;
const SCHEMA_VERSION = 1;

const DESK_SCHEMA = `
CREATE TABLE IF NOT EXISTS desk_tickets (
  number      INTEGER PRIMARY KEY,
  title       TEXT    NOT NULL,
  body        TEXT    NOT NULL,
  priority    TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  persona     TEXT    NOT NULL,
  language    TEXT    NOT NULL,
  seed        INTEGER,
  -- The persona's steps with their due times, fixed at filing: a changed config does not rewrite
  -- what the desk already decided, as with a real desk.
  script      TEXT    NOT NULL,
  facts       TEXT    NOT NULL,
  attachments TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS desk_events (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  ticket_number INTEGER NOT NULL REFERENCES desk_tickets(number),
  step          TEXT    NOT NULL,
  at            INTEGER NOT NULL,
  author_name   TEXT    NOT NULL,
  author_role   TEXT    NOT NULL,
  automated     INTEGER NOT NULL DEFAULT 0,
  body          TEXT,
  status_change TEXT,
  -- Two processes materialising the same ticket at once still write each step once.
  UNIQUE (ticket_number, step)
);
`;

interface ScheduledStep {
  step: ScriptStep;
  at: number;
}

interface TicketRow {
  number: number;
  title: string;
  status: string;
  language: Language;
  seed: number | null;
  script: string;
  facts: string;
  created_at: number;
}

interface EventRow {
  seq: number;
  at: number;
  author_name: string;
  author_role: string;
  automated: number;
  body: string | null;
  status_change: string | null;
}

/** The sandbox desk as a {@link VendorFactory}; see the module comment. */
const sandbox: VendorFactory<SandboxOptions> = (rawOptions, context) => {
  const options = parseVendorOptions(sandboxOptionsSchema, rawOptions, { kind: VENDOR_NAME, vendorName: context.vendorName });
  const now = () => (context.now ? context.now() : new Date()).getTime();
  const path = sandboxDeskPath(context.dataDir);
  const fail = (message: string, cause?: unknown) =>
    new VendorRejectedError(prefixed(VENDOR_NAME, message), cause === undefined ? undefined : { cause });
  let db: SqliteDatabase | undefined;

  function desk(): SqliteDatabase {
    if (db) return db;
    try {
      mkdirSync(context.dataDir, { recursive: true });
      db = openDatabase(path);
      db.exec(DESK_SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    } catch (error) {
      db?.close();
      db = undefined;
      // The desk's file is on our own disk: a read-only, full or broken file is local trouble to retry, not the vendor refusing us.
      throw new VendorUnavailableError(prefixed(VENDOR_NAME, `cannot open the desk database ${path}: ${(error as Error).message}`), undefined, { cause: error });
    }
    return db;
  }

  function ticketNumber(vendorTicketId: string): number {
    const match = /^SBX-(\d+)$/.exec(vendorTicketId);
    if (!match) throw fail(`'${vendorTicketId}' is not a sandbox desk ticket id (expected ${TICKET_PREFIX}<number>, e.g. SBX-1001)`);
    return Number(match[1]);
  }

  function getTicket(number: number): TicketRow {
    const row = desk().prepare('SELECT * FROM desk_tickets WHERE number = ?').get(number) as TicketRow | undefined;
    if (!row) {
      throw fail(`ticket ${TICKET_PREFIX}${number} does not exist in the sandbox desk ${path}; was the data directory changed or the desk file deleted?`);
    }
    return row;
  }

  /** Writes every step that is due and not yet written; returns the ticket as it then stands. */
  function materialise(number: number): TicketRow {
    const at = now();
    const due = (row: TicketRow) => {
      const written = new Set(
        (desk().prepare('SELECT step FROM desk_events WHERE ticket_number = ?').all(number) as { step: string }[]).map((r) => r.step),
      );
      return (JSON.parse(row.script) as ScheduledStep[])
        .filter((s) => s.at <= at && !written.has(s.step))
        .sort((a, b) => a.at - b.at || SCRIPT_STEPS.indexOf(a.step) - SCRIPT_STEPS.indexOf(b.step));
    };
    const before = getTicket(number);
    // Most polls find nothing new; only those that do take the write lock.
    if (due(before).length === 0) return before;
    const write = desk().transaction(() => {
      const row = getTicket(number);
      const steps = due(row);
      const insert = desk().prepare(
        `INSERT OR IGNORE INTO desk_events (ticket_number, step, at, author_name, author_role, automated, body, status_change)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      let status = row.status;
      for (const { step, at: stepAt } of steps) {
        const event = renderStep(step, personaTicket(row));
        insert.run(number, step, stepAt, event.authorName, event.authorRole, event.automated ? 1 : 0, event.text ?? null, event.statusChange ?? null);
        status = event.statusChange ?? (event.authorRole === 'agent' && status === 'new' ? 'open' : status);
      }
      const last = steps[steps.length - 1]?.at ?? row.created_at;
      desk().prepare('UPDATE desk_tickets SET status = ?, updated_at = MAX(updated_at, ?) WHERE number = ?').run(status, last, number);
      context.logger?.debug({ vendor: context.vendorName, ticket: `${TICKET_PREFIX}${number}`, steps: steps.map((s) => s.step) }, 'sandbox desk: scripted steps due');
      return getTicket(number);
    });
    return write.immediate();
  }

  function filed(row: TicketRow, reused: boolean): FiledTicket {
    const id = `${TICKET_PREFIX}${row.number}`;
    return { vendorTicketId: id, url: `sandbox://desk/tickets/${id}`, filedAt: new Date(row.created_at), reused };
  }

  const adapter: VendorAdapter = {
    kind: VENDOR_NAME,
    defaultPollIntervalMs: 1000,

    async findTicket({ ref }) {
      const row = desk()
        .prepare('SELECT number FROM desk_tickets WHERE instr(title, ?) > 0 ORDER BY number LIMIT 1')
        .get(`[${ref}]`) as { number: number } | undefined;
      return row ? filed(materialise(row.number), true) : null;
    },

    async fileTicket(draft) {
      if (!draft.title.includes(`[${draft.ref}]`)) {
        throw fail(`the ticket title must carry its reference tag [${draft.ref}], or the desk cannot find it again; got '${draft.title}'`);
      }
      const attachments = draft.attachments.map((a) => {
        try {
          return { filename: a.filename, contentType: a.contentType, size: statSync(a.path).size };
        } catch (error) {
          throw fail(`cannot attach '${a.filename}': ${a.path} is not readable (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
        }
      });
      const filedAt = now();
      const script = buildScript(options, filedAt);
      const persona = PERSONA_DEFINITIONS[options.persona];
      const insert = desk().transaction(() => {
        const { next } = desk().prepare('SELECT COALESCE(MAX(number) + 1, ?) AS next FROM desk_tickets').get(FIRST_TICKET_NUMBER) as { next: number };
        desk()
          .prepare(
            `INSERT INTO desk_tickets (number, title, body, priority, status, persona, language, seed, script, facts, attachments, created_at, updated_at)
             VALUES (?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            next,
            draft.title,
            draft.body,
            priorityOf(draft.severity),
            options.persona,
            persona.language,
            options.seed ?? null,
            JSON.stringify(script),
            JSON.stringify({ ...draft.facts, ref: draft.ref }),
            JSON.stringify(attachments),
            filedAt,
            filedAt,
          );
        return getTicket(next);
      });
      const row = insert.immediate();
      context.logger?.info({ vendor: context.vendorName, ticket: `${TICKET_PREFIX}${row.number}`, persona: options.persona }, 'sandbox desk: ticket filed');
      return filed(row, false);
    },

    async fetchActivity(ticket: TicketHandle, cursor?: string): Promise<ActivityPage> {
      if (cursor !== undefined && !/^\d+$/.test(cursor)) {
        throw fail(`cursor '${cursor}' was not given out by the sandbox desk (its cursors are event numbers)`);
      }
      const number = ticketNumber(ticket.vendorTicketId);
      const row = materialise(number);
      const events = desk()
        .prepare('SELECT * FROM desk_events WHERE ticket_number = ? AND seq > ? ORDER BY seq')
        .all(number, Number(cursor ?? 0)) as EventRow[];
      const activities = events.map((event): VendorActivity => ({
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

    async close() {
      db?.close();
      db = undefined;
    },
  };
  return adapter;
};

export default sandbox;

/** The `sandbox` adapter's registry entry. */
export const sandboxAdapter = defineVendorAdapter({ kind: VENDOR_NAME, factory: sandbox, optionsSchema: sandboxOptionsSchema, commonOptions: ['timezone', 'businessHours'], waitByDefault: true });

function buildScript(options: ResolvedSandboxOptions, filedAt: number): ScheduledStep[] {
  const persona = PERSONA_DEFINITIONS[options.persona];
  const steps: ScheduledStep[] = [];
  for (const step of SCRIPT_STEPS) {
    const byDefault = persona.delays[step];
    if (byDefault === undefined) continue;
    const delay = options.timings[step] ?? Math.round(byDefault * options.speed);
    let at = filedAt + delay;
    if (persona.agentsInBusinessHours && step !== 'ack') {
      const from = new Date(filedAt);
      // addBusinessMs returns `from` itself for a zero delay, even when the desk is closed then.
      at = (delay > 0 ? addBusinessMs(from, delay, options.businessHours) : nextBusinessOpening(from, options.businessHours)).getTime();
    }
    steps.push({ step, at });
  }
  return steps;
}

/** The desk's own priority scale, as a help desk would show it. */
function priorityOf(severity: Severity): string {
  return { low: 'P4', normal: 'P3', high: 'P2', urgent: 'P1' }[severity] ?? 'P3';
}

/** The desk row as the personas read it. */
function personaTicket(row: TicketRow): PersonaTicket {
  return {
    deskId: `${TICKET_PREFIX}${row.number}`,
    number: row.number,
    language: row.language,
    seed: row.seed ?? undefined,
    facts: JSON.parse(row.facts) as TicketFactsInput,
  };
}
