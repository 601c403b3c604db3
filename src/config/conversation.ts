/**
 * How supportdrill takes part in a ticket's conversation: answering the vendor's questions from the
 * run's evidence, following up after silence, closing out. Set once for every vendor (`conversation`)
 * and overridden per vendor (`vendors.<name>.conversation`), key by key.
 */
import { z } from 'zod';
import { durationMs, positiveDurationMs, type Duration } from '../core/duration.ts';

/** When the first follow-up goes out: when the first-human-response target passes without one, or a fixed time after our last message. */
export type FollowUpStart = 'first-human-target' | number;

/** The conversation settings of one vendor after validation. Durations are milliseconds. */
export interface ConversationConfig {
  /** Answer the vendor's questions from the run's evidence; `false` hands every question to the operator. */
  answer: boolean;
  /** How long after a vendor's reply our answer goes out, so that it arrives like a person's. */
  answerDelayMs: number;
  /** Follow-ups after silence; `null` for none. */
  followUp: { after: FollowUpStart; everyMs: number; max: number } | null;
  /** Once the vendor resolved it: thank and confirm (`confirm`), then mark it solved where the channel allows (`markSolved`). */
  closeOut: { confirm: boolean; markSolved: boolean };
  /** Run the drill again when the vendor asks us to reproduce it, and answer with the new run's evidence. */
  rerun: boolean;
  /** Automatic messages on one ticket, at most; past it, what is left waits for the operator. */
  maxMessagesPerTicket: number;
  /** Automatic messages to one vendor in 24 hours, at most. */
  maxMessagesPerDay: number;
  /** Who is told when a question needs a person; `null`: the scorecard recipients (`mail.to`). */
  operator: string[] | null;
}

/** As written in a config file. */
export interface ConversationInput {
  /** @defaultValue `true` */
  answer?: boolean;
  /** @defaultValue `'3m'` (`'2s'` for a `sandbox` vendor, whose desk answers in seconds) */
  answerDelay?: Duration;
  /**
   * `false`, or `{ after: 'first-human-target' | '4h', every: '24h', max: 3 }`.
   * @defaultValue `{ after: 'first-human-target', every: '24h', max: 3 }` (`false` for a `sandbox` vendor)
   */
  followUp?: false | { after?: 'first-human-target' | Duration; every?: Duration; max?: number };
  /** @defaultValue `{ confirm: false, markSolved: false }` */
  closeOut?: { confirm?: boolean; markSolved?: boolean };
  /** @defaultValue `false` */
  rerun?: boolean;
  /** @defaultValue `8` */
  maxMessagesPerTicket?: number;
  /** @defaultValue `20` */
  maxMessagesPerDay?: number;
  /** One address or a list. @defaultValue `mail.to` */
  operator?: string | string[];
}

const count = (what: string) => z.number({ error: `expected a whole number of ${what}` }).int({ error: `expected a whole number of ${what}` }).min(0).max(1000);

/** One level of conversation settings, every key optional (the vendor's level overrides the global one key by key). */
export const conversationSchema = z.strictObject({
  /** Answer the vendor's questions from the run's evidence. @defaultValue `true` */
  answer: z.boolean({ error: 'expected true or false' }).optional(),
  /** How long after a vendor reply the answer goes out. @defaultValue `'3m'` (`'2s'` for a `sandbox` vendor) */
  answerDelay: durationMs.optional(),
  /** Follow-ups after silence, or `false`. @defaultValue `{ after: 'first-human-target', every: '24h', max: 3 }` (`false` for a `sandbox` vendor) */
  followUp: z
    .union(
      [
        z.literal(false),
        z.strictObject({
          after: z.union([z.literal('first-human-target'), positiveDurationMs]).optional(),
          every: positiveDurationMs.optional(),
          max: count('follow-ups').optional(),
        }),
      ],
      { error: "expected false or { after: 'first-human-target' | '4h', every: '24h', max: 3 }" },
    )
    .optional(),
  /** What happens once the vendor resolved the ticket. @defaultValue `{ confirm: false, markSolved: false }` */
  closeOut: z.strictObject({ confirm: z.boolean().optional(), markSolved: z.boolean().optional() }).optional(),
  /** Run the drill again when the vendor asks to reproduce it. @defaultValue `false` */
  rerun: z.boolean({ error: 'expected true or false' }).optional(),
  /** @defaultValue `8` */
  maxMessagesPerTicket: count('messages').optional(),
  /** @defaultValue `20` */
  maxMessagesPerDay: count('messages').optional(),
  /** Who is told when a question needs a person. @defaultValue `mail.to` */
  operator: z
    .union([z.email({ error: 'expected an e-mail address' }), z.array(z.email({ error: 'expected an e-mail address' })).min(1)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
});

export type ConversationLevel = z.output<typeof conversationSchema>;

const DEFAULT_FOLLOW_UP = { after: 'first-human-target' as const, everyMs: 24 * 3600_000, max: 3 };

/**
 * A vendor's effective settings: its own level over the global one over the defaults. A `sandbox`
 * desk answers in seconds, so by default it is answered in seconds and never followed up: a demo
 * must not wait minutes for an answer.
 */
export function conversationFor(adapter: string, global: ConversationLevel | undefined, vendor: ConversationLevel | undefined): ConversationConfig {
  const demo = adapter === 'sandbox';
  const pick = <K extends keyof ConversationLevel>(key: K): ConversationLevel[K] => vendor?.[key] ?? global?.[key];
  const followUp = pick('followUp');
  return {
    answer: pick('answer') ?? true,
    answerDelayMs: pick('answerDelay') ?? (demo ? 2000 : 3 * 60_000),
    followUp:
      followUp === false || (followUp === undefined && demo)
        ? null
        : {
            after: followUp?.after ?? DEFAULT_FOLLOW_UP.after,
            everyMs: followUp?.every ?? DEFAULT_FOLLOW_UP.everyMs,
            max: followUp?.max ?? DEFAULT_FOLLOW_UP.max,
          },
    closeOut: { confirm: pick('closeOut')?.confirm ?? false, markSolved: pick('closeOut')?.markSolved ?? false },
    rerun: pick('rerun') ?? false,
    maxMessagesPerTicket: pick('maxMessagesPerTicket') ?? 8,
    maxMessagesPerDay: pick('maxMessagesPerDay') ?? 20,
    operator: pick('operator') ?? null,
  };
}
