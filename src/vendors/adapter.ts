import type { z } from 'zod';
import { UserError, prefixed } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { TicketFacts } from '../core/ticket-facts.ts';
import type { AuthorRole } from '../core/reply.ts';
import { formatPath, knownKeys, suggestKey } from '../core/key-hints.ts';

export type Severity = 'low' | 'normal' | 'high' | 'urgent';

/** What the ticket told the vendor, in a form a reply can be checked against (see the classifier). */
export type TicketFactsInput = Required<TicketFacts>;

/** A ticket ready to file: rendered from the drill's template and the run's facts. */
export interface TicketDraft {
  runId: string;
  /** The reference tag without brackets, e.g. `DRILL-7f3a9c`; the title carries it as `[DRILL-7f3a9c]`. */
  ref: string;
  title: string;
  /** Plain text. */
  body: string;
  severity: Severity;
  attachments: { filename: string; path: string; contentType: string }[];
  facts: TicketFactsInput;
  /** When the drill ran (epoch ms) — for personas and templates. */
  incidentAt: number;
}

/** A ticket as the vendor has it. */
export interface FiledTicket {
  vendorTicketId: string;
  url: string | null;
  /** The vendor's own timestamp of the filing. */
  filedAt: Date;
  /** True when an earlier filing for the same run was found at the vendor and reused. */
  reused: boolean;
}

/** Anything the vendor did on a ticket: a reply or a status change, with the vendor's own id and time. */
export interface VendorActivity {
  vendorActivityId: string;
  /** The vendor's timestamp: timings are measured against this, never against when we polled. */
  at: Date;
  authorName?: string;
  authorRole?: AuthorRole;
  subject?: string;
  text?: string;
  /** Lower-case e-mail headers, for the classifier's auto-reply signals. */
  headers?: Record<string, string | string[]>;
  /** The vendor says a trigger, automation or bot wrote it. */
  automated?: boolean;
  /** For a status change: the new status (`solved`, `closed`, `pending`, …). */
  statusChange?: string;
  /**
   * When it reached us by the channel's own record, beside the vendor's `at` (e-mail: the IMAP
   * INTERNALDATE). Never used for timings.
   */
  receivedAt?: Date;
  /** What the adapter noticed that a reader of the activity should know (e.g. clocks that disagree); added to its reasons. */
  notes?: string[];
  /**
   * Why the activity cannot be shown to come from the vendor (an e-mail from a sender the vendor's
   * config does not list, or one that failed DMARC): it is kept, marked, and counts in no timing.
   */
  unverified?: string;
}

export interface TicketHandle {
  runId: string;
  ref: string;
  vendorTicketId: string;
}

/**
 * A message we send on a ticket: an answer to the vendor's questions, a follow-up after silence, the
 * operator's reply, a close-out. Recorded in the store before it is sent; sent exactly once.
 */
export interface OutgoingMessage {
  /**
   * The message's identity, stable across retries and unique on the ticket, e.g. `DRILL-783902/3`.
   * The body's last line carries it; an adapter may also build its own handle from it (an e-mail's
   * Message-ID), and `findReply` looks for it to tell whether a send that was cut off arrived.
   */
  key: string;
  /** Plain text, complete: it already carries the ticket's reference and `key`. */
  body: string;
  /** Files attached to it, in order; an adapter that must leave some out lists them in the body. */
  attachments: { filename: string; path: string; contentType: string }[];
}

/** A message as the vendor received it. */
export interface SentMessage {
  /**
   * The vendor's id for the message, in the same form `fetchActivity` gives its activities
   * (`comment:9004`, `sbx-event-12`, an e-mail's Message-ID): the customer activity's id.
   */
  vendorMessageId: string;
  /** The vendor's timestamp of it when the vendor says, else when it was sent. */
  at: Date;
}

/** What {@link VendorAdapter.markSolved} did. */
export type MarkSolvedOutcome =
  /** The vendor now shows the ticket solved (or closed). */
  | 'solved'
  /** The vendor does not let us solve it now (e.g. Zendesk's `can_be_solved_by_me` is false); nothing changed. */
  | 'not-allowed';

export interface ActivityPage {
  activities: VendorActivity[];
  /** Opaque position to pass back next time (the adapter's own, e.g. a cursor or last id). */
  cursor?: string;
  /** The vendor's current status of the ticket, when it tells. */
  status?: string;
  /**
   * The vendor's own ticket id, when it only becomes known from the activity (an e-mail vendor's
   * acknowledgement: "Your request (5521) has been received"); the watcher records it as the
   * ticket's vendor id.
   */
  vendorTicketId?: string;
}

/**
 * One vendor's support channel. Filing is made idempotent by the caller: `findTicket` for the run's
 * reference first, `fileTicket` only when nothing is found.
 */
export interface VendorAdapter {
  /** The adapter kind (`sandbox`, `email`, `zendesk`, …). */
  readonly kind: string;
  readonly defaultPollIntervalMs: number;
  findTicket(ticket: { runId: string; ref: string }): Promise<FiledTicket | null>;
  fileTicket(draft: TicketDraft): Promise<FiledTicket>;
  /** Activity after `cursor` (all of it when absent), oldest first. The same activity may come back twice; the store keeps one. */
  fetchActivity(ticket: TicketHandle, cursor?: string): Promise<ActivityPage>;
  /**
   * Resolves every secret the adapter will need and checks what can be checked without calling the
   * vendor, throwing a clear error for what is missing: run before a drill's class, so that an unset
   * variable fails the run in a second instead of after it.
   */
  preflight?(): Promise<void>;
  /**
   * Sends a message on the ticket, once: the caller has recorded it and asked `findReply` first when
   * an earlier attempt may have reached the vendor. Our own messages never come back from
   * `fetchActivity` (the caller records them as `customer` activities). Absent when the channel
   * cannot write back; then nothing is answered automatically.
   */
  reply?(ticket: TicketHandle, message: OutgoingMessage): Promise<SentMessage>;
  /** The message with this `key` when the vendor has it (a send cut off by a crash did arrive), else `null`. */
  findReply?(ticket: TicketHandle, key: string): Promise<SentMessage | null>;
  /** Marks the ticket solved on our side, where the channel allows it (a Zendesk request, not an e-mail thread). */
  markSolved?(ticket: TicketHandle): Promise<MarkSolvedOutcome>;
  close?(): Promise<void>;
}

export interface VendorContext {
  /** The config's data directory (absolute). */
  dataDir: string;
  /** The vendor's name in the config (`sandbox`, `agora-email`, …). */
  vendorName: string;
  logger?: Logger;
  /** Replaceable clock, for tests. */
  now?: () => Date;
}

export type VendorFactory<O> = (options: O, context: VendorContext) => VendorAdapter;

/**
 * Keys every vendor entry in the config accepts, whatever its adapter: the config reads them itself.
 * They reach an adapter's options only when its registration lists them in `commonOptions`.
 */
export const COMMON_VENDOR_KEYS = ['adapter', 'pollInterval', 'sla', 'slaClock', 'timezone', 'businessHours', 'conversation'] as const;
export type CommonVendorKey = (typeof COMMON_VENDOR_KEYS)[number];

/** One entry of the adapter registry (`src/vendors/registry.ts`); each adapter's file exports its own. */
export interface VendorRegistration<S extends z.ZodType = z.ZodType, K extends string = string> {
  /** The adapter kind a vendor entry names in `adapter`. */
  kind: K;
  /** Takes the options as written (the schema's input) and validates them itself too. */
  factory: VendorFactory<z.input<S>>;
  /** Validates the adapter's own options; strict, so a typo is an error. */
  optionsSchema: S;
  /** Common vendor-entry keys this adapter also reads (the sandbox desk keeps business hours, say). */
  commonOptions?: readonly CommonVendorKey[];
  /**
   * Whether `drill` waits for this vendor's ticket to resolve unless `--no-wait` (a desk that
   * answers in seconds, like the sandbox) rather than leaving it to `tickets watch`.
   * @defaultValue `false`
   */
  waitByDefault?: boolean;
}

/** Declares an adapter's registry entry; the types make its schema and factory agree. */
export function defineVendorAdapter<const K extends string, S extends z.ZodType>(registration: VendorRegistration<S, K>): VendorRegistration<S, K> {
  return registration;
}

/** One problem of an adapter's options: where (relative to the vendor entry) and what. */
export interface OptionProblem {
  path: readonly PropertyKey[];
  message: string;
}

/** Every problem of an adapter's options, an unknown option with its nearest known one. */
export function optionProblems(schema: z.ZodType, raw: unknown): OptionProblem[] {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return [];
  return result.error.issues.flatMap((issue): OptionProblem[] => {
    if (issue.code !== 'unrecognized_keys') return [{ path: issue.path, message: issue.message }];
    const known = knownKeys(schema, issue.path);
    return issue.keys.map((key) => {
      const hint = suggestKey(key, known);
      const list = known.length > 0 ? `; known options: ${known.join(', ')}` : '';
      return { path: [...issue.path, key], message: `unknown option${hint ? ` (did you mean '${hint}'?)` : ''}${list}` };
    });
  });
}

/**
 * Validates an adapter's options, failing with one line per problem, each naming the field the way the
 * config spells it: `[supportdrill] [sandbox] vendors.sandbox.timings.ack: expected a duration …`.
 */
export function parseVendorOptions<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  where: { kind: string; vendorName: string },
): z.output<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const base = `vendors.${where.vendorName}`;
  const field = (path: readonly PropertyKey[]) =>
    path.length === 0 ? base : `${base}${typeof path[0] === 'number' ? '' : '.'}${formatPath(path)}`;
  const lines = optionProblems(schema, raw).map((problem) => `${field(problem.path)}: ${problem.message}`);
  throw new UserError(lines.map((line) => prefixed(where.kind, line)).join('\n'));
}

/** A vendor-side failure worth retrying later (network, 5xx, 429). `retryAfterMs` when the vendor says. */
export class VendorUnavailableError extends Error {
  constructor(message: string, readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VendorUnavailableError';
  }
}

/** A failure retrying will not fix (401/403, bad configuration): the watcher stops for that vendor. */
export class VendorRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VendorRejectedError';
  }
}
