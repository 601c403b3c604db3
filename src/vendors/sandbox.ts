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
import { defineVendorAdapter, parseVendorOptions, VendorRejectedError, type ActivityPage, type FiledTicket, type Severity, type TicketFactsInput, type TicketHandle, type VendorActivity, type VendorAdapter, type VendorFactory } from './adapter.ts';
import { type AuthorRole } from '../core/reply.ts';

export const VENDOR_NAME = 'sandbox';

/** The scripted agents the desk can play. */
export const PERSONAS = ['responsive', 'slow', 'bot-only', 'silent', 'business-hours', 'chinese'] as const;
export type PersonaName = (typeof PERSONAS)[number];

/** A persona's script, in order: auto-acknowledgement, canned reply, substantive reply, resolution, status `solved`. */
export const SCRIPT_STEPS = ['ack', 'canned', 'human', 'resolution', 'solved'] as const;
export type ScriptStep = (typeof SCRIPT_STEPS)[number];

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const RESPONSIVE_DELAYS = { ack: 2 * SECOND, canned: 6 * SECOND, human: 12 * SECOND, resolution: 20 * SECOND, solved: 21 * SECOND };

interface PersonaDefinition {
  /** Default delay of each step from filing; a step left out never happens. */
  delays: Partial<Record<ScriptStep, number>>;
  language: Language;
  /** Agents' delays count business time only; the auto-acknowledgement still comes at once. */
  agentsInBusinessHours: boolean;
}

const PERSONA_DEFINITIONS: Record<PersonaName, PersonaDefinition> = {
  responsive: { delays: RESPONSIVE_DELAYS, language: 'en', agentsInBusinessHours: false },
  slow: {
    delays: { ack: 1 * MINUTE, canned: 20 * MINUTE, human: 2 * HOUR, resolution: 26 * HOUR, solved: 26 * HOUR + 5 * MINUTE },
    language: 'en',
    agentsInBusinessHours: false,
  },
  'bot-only': { delays: { ack: RESPONSIVE_DELAYS.ack }, language: 'en', agentsInBusinessHours: false },
  silent: { delays: {}, language: 'en', agentsInBusinessHours: false },
  'business-hours': { delays: RESPONSIVE_DELAYS, language: 'en', agentsInBusinessHours: true },
  chinese: { delays: RESPONSIVE_DELAYS, language: 'zh', agentsInBusinessHours: false },
};

/** Each persona's default delays from filing, in ms, before `speed` and `timings` apply. */
export const PERSONA_DELAYS: Readonly<Record<PersonaName, Readonly<Partial<Record<ScriptStep, number>>>>> = Object.fromEntries(
  PERSONAS.map((name) => [name, { ...PERSONA_DEFINITIONS[name].delays }]),
) as Record<PersonaName, Partial<Record<ScriptStep, number>>>;

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
    const { delays } = PERSONA_DEFINITIONS[options.persona];
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
      throw fail(`cannot open the desk database ${path}: ${(error as Error).message}`, error);
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
        const event = renderStep(step, row);
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

// ── what the personas write ──────────────────────────────────────────────────────────────────────────

type Language = 'en' | 'zh';

interface StepEvent {
  authorName: string;
  authorRole: AuthorRole;
  automated?: boolean;
  text?: string;
  statusChange?: string;
}

/** What a reply may refer to; each piece is absent when the ticket did not give it. */
interface ReplyContext {
  deskId: string;
  ref: string;
  agent: string;
  channel?: string;
  time?: string;
  duration?: string;
}

const DESK_NAME: Record<Language, string> = { en: 'Sandbox Support Desk', zh: '沙箱技术支持中心' };
const FIRST_LINE: Record<Language, string[]> = { en: ['Jamie Park', 'Priya Nair', 'Tom Becker'], zh: ['王芳', '刘洋', '陈静'] };
const ENGINEERS: Record<Language, string[]> = { en: ['Alex Chen', 'Maria Lopez', 'Daniel Okafor'], zh: ['李娜', '张伟', '赵磊'] };

type Template = (c: ReplyContext) => string;

const ACK: Record<Language, Template[]> = {
  en: [
    (c) =>
      `Your request (${c.deskId}) has been received and is being reviewed by our support staff.\n\n` +
      `To add additional comments, reply to this message. This is an automated message.`,
  ],
  zh: [(c) => `您的工单（${c.deskId}）已收到，我们的技术支持团队将尽快处理。\n\n此消息为系统自动发送，请勿直接回复。`],
};

// Generic on purpose: nothing from the ticket, the advice every first line gives.
const CANNED: Record<Language, Template[]> = {
  en: [
    (c) =>
      `Hello,\n\nThank you for contacting us. Please check your network connection and make sure it is stable, ` +
      `then restart the app and rejoin the class. Clearing the browser cache and updating to the latest SDK version ` +
      `also helps in most cases.\n\nLet us know if the issue persists.\n\nBest regards,\n${c.agent}`,
    (c) =>
      `Hi there,\n\nSorry to hear about the trouble. Please try a different network or device, close other applications, ` +
      `and make sure you are on the latest version of the SDK. A restart of the browser also clears most of these problems.\n\n` +
      `Thank you for your patience,\n${c.agent}`,
  ],
  zh: [
    (c) =>
      `您好，\n\n感谢您的反馈。请检查您的网络连接是否稳定，然后重启应用并重新加入课堂。清除浏览器缓存、升级到最新版本的 SDK 通常也能改善这类问题。\n\n` +
      `如问题仍然存在，请随时与我们联系。\n\n${c.agent}`,
    (c) => `您好，\n\n建议您更换网络或设备后再试，并关闭其他后台应用，同时升级到最新版本的 SDK。\n\n感谢您的耐心与理解！\n\n${c.agent}`,
  ],
};

// Engages with the ticket: its channel, time and freeze duration, and a question the ticket leaves open.
const HUMAN: Record<Language, Template[]> = {
  en: [
    (c) =>
      `Hi,\n\nThis is ${c.agent} from the media engineering team; I have taken over ${c.deskId} (${c.ref}). ` +
      `I went through our records for ${c.channel ? `channel ${c.channel}` : 'the channel in your ticket'}` +
      `${c.time ? ` around ${c.time}` : ''}: the teacher's connection stayed up, but no video frames reached the students ` +
      `for ${c.duration ?? 'the whole episode'}, which matches the freeze episodes table in your ticket.\n\n` +
      `One question to narrow it down: did the teacher's own local preview also stop${c.time ? ` at ${c.time}` : ''}, ` +
      `or only what the students received?\n\n${c.agent}`,
    (c) =>
      `Hello,\n\n${c.agent} here, media engineering, on ${c.deskId} (${c.ref}). Our server-side stats for ` +
      `${c.channel ? `channel ${c.channel}` : 'the channel in your ticket'} show the teacher's video bitrate dropping to 0 kbps` +
      `${c.time ? ` at ${c.time}` : ''} for ${c.duration ? `about ${c.duration}` : 'the whole episode'} while audio kept flowing, ` +
      `which points at the sending side rather than the students' networks.\n\n` +
      `Which camera was the teacher using, and was the teacher's tab in the background at that moment?\n\n${c.agent}`,
  ],
  zh: [
    (c) =>
      `您好，我是媒体技术工程师${c.agent}，${c.deskId}（${c.ref}）由我跟进。\n\n` +
      `我们查看了${c.channel ? `频道 ${c.channel} ` : '该频道'}${c.time ? `在 ${c.time} 前后` : '当时'}的服务端数据：老师端连接一直正常，` +
      `但学生端${c.duration ? `有 ${c.duration} ` : '在整个卡顿期间'}没有收到任何视频帧，与您工单中的卡顿记录一致。\n\n` +
      `请问卡顿期间老师端本地预览画面是否也停住了，还是只有学生端看到的画面停住？\n\n${c.agent}`,
    (c) =>
      `您好，我是${c.agent}，负责跟进 ${c.deskId}（${c.ref}）。\n\n` +
      `从服务端统计来看，${c.channel ? `频道 ${c.channel} ` : '该频道'}中老师的视频码率${c.time ? `在 ${c.time} ` : ''}降为 0 kbps，` +
      `持续${c.duration ? `约 ${c.duration}` : '了整个卡顿期间'}，音频没有中断，更像是发送端的问题，而不是学生的网络。\n\n` +
      `请问老师当时使用的是哪一款摄像头？该标签页当时是否处于后台？\n\n${c.agent}`,
  ],
};

// States a root cause and a fix, unhedged, so it reads as a resolution.
const RESOLUTION: Record<Language, Template[]> = {
  en: [
    (c) =>
      `Hi,\n\n${c.agent} again with the outcome for ${c.deskId}. Root cause: a video forwarding worker on the edge node ` +
      `serving ${c.channel ? `channel ${c.channel}` : 'your channel'} stalled${c.time ? ` at ${c.time}` : ''} ` +
      `and held back the teacher's frames for ${c.duration ?? 'the whole episode'}. We have deployed a fix to that edge cluster, ` +
      `so new classes are no longer affected.\n\nI am marking this ticket as solved; reply here if you see it again.\n\n${c.agent}`,
    (c) =>
      `Hello,\n\nWe have identified the root cause of the freeze in ${c.channel ? `channel ${c.channel}` : 'your channel'}: ` +
      `the teacher's video track was renegotiated by our gateway${c.time ? ` at ${c.time}` : ''}, and the students' ` +
      `subscriptions stayed on the old track for ${c.duration ?? 'the whole episode'}. The fix has been deployed to all regions.\n\n` +
      `I am setting ${c.deskId} to solved.\n\n${c.agent}`,
  ],
  zh: [
    (c) =>
      `您好，${c.deskId} 的排查结果如下。\n\n根本原因是服务${c.channel ? `频道 ${c.channel} ` : '该频道'}的边缘节点上视频转发进程` +
      `${c.time ? `在 ${c.time} ` : ''}发生阻塞，导致老师的视频帧${c.duration ? `被积压了 ${c.duration}` : '在整个卡顿期间被积压'}。` +
      `我们已经修复该问题并部署到所有边缘节点，新的课堂不会再受影响。\n\n本工单将标记为已解决，如再次出现请直接回复。\n\n${c.agent}`,
    (c) =>
      `您好，\n\n问题已定位：原因是我们的网关${c.time ? `在 ${c.time} ` : ''}对${c.channel ? `频道 ${c.channel} ` : '该频道'}中老师的视频轨道做了重新协商，` +
      `学生端的订阅停留在旧轨道上，画面因此停住了${c.duration ? ` ${c.duration}` : ''}。修复已经上线到所有区域。\n\n${c.agent}`,
  ],
};

function renderStep(step: ScriptStep, row: TicketRow): StepEvent {
  const language = row.language;
  const facts = JSON.parse(row.facts) as TicketFactsInput;
  const seed = row.seed ?? undefined;
  const choose = <T>(list: T[], salt: string): T => list[seed === undefined ? 0 : hash(`${seed}:${row.number}:${salt}`) % list.length]!;
  const engineer = choose(ENGINEERS[language], 'engineer');
  const context = (agent: string): ReplyContext => ({
    deskId: `${TICKET_PREFIX}${row.number}`,
    ref: facts.ref,
    agent,
    // The template lists the room or channel first among the identifiers.
    channel: facts.identifiers.find((id) => id !== facts.ref && id.length >= 3),
    time: facts.times.map((t) => /\d{1,2}:\d{2}(?::\d{2})?/.exec(t)?.[0]).find((t) => t !== undefined),
    duration: facts.numbers[0],
  });
  switch (step) {
    case 'ack':
      return { authorName: DESK_NAME[language], authorRole: 'system', automated: true, text: choose(ACK[language], step)(context(DESK_NAME[language])) };
    case 'canned': {
      const agent = choose(FIRST_LINE[language], 'first-line');
      return { authorName: agent, authorRole: 'agent', text: choose(CANNED[language], step)(context(agent)) };
    }
    case 'human':
      return { authorName: engineer, authorRole: 'agent', text: choose(HUMAN[language], step)(context(engineer)) };
    case 'resolution':
      return { authorName: engineer, authorRole: 'agent', text: choose(RESOLUTION[language], step)(context(engineer)) };
    case 'solved':
      return { authorName: engineer, authorRole: 'agent', statusChange: 'solved' };
  }
}

/** FNV-1a: small, stable across runs and platforms. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
