/**
 * Finding the ticket's replies in the watched mailbox, a page at a time, and the newest of them that
 * our own reply answers. A message is looked at when it is threaded to the ticket or to one of our
 * replies on it, or carries the ticket's tag in its subject. A cursor is
 * `UIDVALIDITY:UID`, the last message looked at; a new UIDVALIDITY renumbers the mailbox, so it is
 * read again from the start (the store keeps one copy per Message-ID). Under IDLE, a poll with
 * nothing announced since the last scan answers without asking the server.
 */
import type { ImapFlow, SearchObject } from 'imapflow';
import type { ActivityPage, TicketHandle, VendorActivity } from './adapter.ts';
import type { ActivityReader, ReadActivity } from './email-activity.ts';
import { fail } from './email-errors.ts';
import type { ImapSession } from './email-imap.ts';
import { vendorTicketNumber } from './email-reply.ts';

/** The most of one message read: a reply is kilobytes; a 50 MB attachment bomb must not fill memory. */
export const MAX_MESSAGE_BYTES = 8 * 1000 ** 2;
/** The most messages read in one poll. */
export const MAX_MESSAGES_PER_POLL = 200;

/** While IDLE says nothing arrived, a poll answers without asking the server, but not for longer than this. */
const IDLE_TRUST_MS = 5 * 60_000;
/** Replies are searched from a day before the ticket, which allows for clocks that disagree. */
const SINCE_SLACK_MS = 24 * 3600_000;
/** The most of the thread's newest messages looked through for the one a reply answers (headers only). */
const MAX_THREAD_MESSAGES = 500;

export interface ReplySettings {
  /** The folder the vendor's answers arrive in. */
  mailbox: string;
  /** Our address: what we sent is never the vendor's answer. */
  from: string;
  idle: boolean;
  messageIdOf: (runId: string) => string;
  now: () => Date;
  read: ActivityReader;
}

export interface CursorPosition {
  validity: string;
  uid: number;
}

export interface ReplyScan {
  /** The ticket's activity after `cursor`; `sentAt`, when known, bounds the search. */
  page(handle: TicketHandle, cursor: string | undefined, position: CursorPosition | undefined, sentAt: Date | undefined): Promise<ActivityPage>;
  /**
   * Whether someone other than us has answered the message with this Message-ID (no angle brackets):
   * then it was sent, whatever our flags say.
   */
  answered(messageId: string): Promise<boolean>;
  /**
   * The newest message of the ticket's thread (by its Date) shown to come from the vendor, read from
   * its headers alone; `null` when the vendor has written nothing that is verified.
   */
  latestFromVendor(handle: TicketHandle, sentAt: Date | undefined): Promise<ReadActivity | null>;
  /** Forgets what earlier scans saw, so the next poll searches. */
  forget(): void;
}

/** A cursor as given out by {@link ReplyScan.page}, or a refusal of one that was not. */
export function parseCursor(cursor: string | undefined): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  const m = /^(\d+):(\d+)$/.exec(cursor);
  if (!m) throw fail(`cursor '${cursor}' was not given out by the email adapter (its cursors are UIDVALIDITY:UID)`);
  return { validity: m[1]!, uid: Number(m[2]) };
}

export function replyScan(session: ImapSession, settings: ReplySettings): ReplyScan {
  /** Per run: what the last full scan saw, so an unchanged mailbox under IDLE needs no search. */
  const lastScan = new Map<string, { epoch: number; cursor: string | undefined; at: number; client: ImapFlow }>();

  async function page(handle: TicketHandle, cursor: string | undefined, position: CursorPosition | undefined, sentAt: Date | undefined): Promise<ActivityPage> {
    const c = await session.connection();
    const memo = lastScan.get(handle.runId);
    if (
      settings.idle &&
      memo &&
      memo.client === c &&
      c.idling &&
      memo.epoch === session.epoch &&
      memo.cursor === cursor &&
      settings.now().getTime() - memo.at < IDLE_TRUST_MS
    ) {
      return { activities: [], cursor };
    }
    const epoch = session.epoch;
    const since = sentAt ? new Date(sentAt.getTime() - SINCE_SLACK_MS) : undefined;
    const result = await session.inMailbox(settings.mailbox, (c2) => scan(c2, handle, cursor, position, since, settings));
    lastScan.set(handle.runId, { epoch, cursor: result.cursor, at: settings.now().getTime(), client: c });
    return result;
  }

  async function answered(messageId: string): Promise<boolean> {
    const id = `<${messageId}>`;
    return session.inMailbox(settings.mailbox, async (c) => {
      const query: SearchObject = { or: [{ header: { 'in-reply-to': id } }, { header: { references: id } }], not: { from: settings.from } };
      const uids = (await c.search(query, { uid: true })) || [];
      return uids.length > 0;
    });
  }

  async function latestFromVendor(handle: TicketHandle, sentAt: Date | undefined): Promise<ReadActivity | null> {
    const since = sentAt ? new Date(sentAt.getTime() - SINCE_SLACK_MS) : undefined;
    return session.inMailbox(settings.mailbox, async (c) => {
      const query: SearchObject = { ...(since ? { since } : {}), or: threadTerms(handle, settings) };
      const uids = ((await c.search(query, { uid: true })) || []).sort((a, b) => a - b).slice(-MAX_THREAD_MESSAGES);
      const messages = uids.length ? await c.fetchAll(uids, { uid: true, internalDate: true, headers: true }, { uid: true }) : [];
      let newest: ReadActivity | null = null;
      for (const message of messages.sort((a, b) => a.uid - b.uid)) {
        if (!message.headers) continue;
        const read = await settings.read({ ...message, source: message.headers }, handle, { quiet: true });
        if (!read || read.activity.unverified) continue;
        // Equal Dates: the later arrival is the newer.
        if (!newest || read.activity.at.getTime() >= newest.activity.at.getTime()) newest = read;
      }
      return newest;
    });
  }

  return {
    page,
    answered,
    latestFromVendor,
    forget() {
      lastScan.clear();
    },
  };
}

/**
 * Messages threaded to the ticket or to a reply of ours on it, or tagged with its reference. IMAP
 * matches header text as a substring, so `<run_…` finds the ticket's Message-ID and every
 * `<run_…-reply-…>` at once; the reader keeps only what is exactly ours.
 */
function threadTerms(handle: TicketHandle, settings: ReplySettings): SearchObject[] {
  const ticketId = settings.messageIdOf(handle.runId);
  const prefix = `<${ticketId.slice(0, ticketId.lastIndexOf('@'))}`;
  return [{ header: { 'in-reply-to': prefix } }, { header: { references: prefix } }, { subject: handle.ref }];
}

/** One search of the selected watched mailbox for the ticket's messages after `position`. */
async function scan(
  c: ImapFlow,
  handle: TicketHandle,
  cursor: string | undefined,
  position: CursorPosition | undefined,
  since: Date | undefined,
  settings: ReplySettings,
): Promise<ActivityPage> {
  const ours = settings.messageIdOf(handle.runId);
  const validity = c.mailbox ? String(c.mailbox.uidValidity) : '0';
  const after = position && position.validity === validity ? position.uid : 0;
  const query: SearchObject = { uid: `${after + 1}:*`, ...(since ? { since } : {}), or: threadTerms(handle, settings) };
  // A flood of mail carrying the tag is read a page at a time; the cursor moves on to the rest next poll.
  const uids = ((await c.search(query, { uid: true })) || []).filter((u) => u > after).sort((a, b) => a - b).slice(0, MAX_MESSAGES_PER_POLL);
  const messages = uids.length
    ? await c.fetchAll(uids, { uid: true, size: true, internalDate: true, source: { maxLength: MAX_MESSAGE_BYTES } }, { uid: true })
    : [];
  const activities: VendorActivity[] = [];
  let vendorTicketId: string | undefined;
  let status: string | undefined;
  for (const message of messages.sort((a, b) => a.uid - b.uid)) {
    const read = await settings.read(message, handle);
    if (!read) continue;
    if ((message.size ?? 0) > MAX_MESSAGE_BYTES) {
      (read.activity.notes ??= []).push(`the message is ${Math.round((message.size ?? 0) / 1e6)} MB; only its first ${MAX_MESSAGE_BYTES / 1e6} MB were read`);
    }
    activities.push(read.activity);
    if (read.activity.statusChange) status = read.activity.statusChange;
    // Only until the vendor's number is known: later mail may cite other tickets' numbers.
    if (handle.vendorTicketId === ours) vendorTicketId ??= vendorTicketNumber({ subject: read.parsed.subject, text: read.parsed.text ?? '' }, [handle.ref, handle.runId, ours]);
  }
  const last = uids[uids.length - 1];
  const next = last !== undefined ? `${validity}:${last}` : position && position.validity === validity ? cursor : `${validity}:${after}`;
  activities.sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    activities,
    cursor: next,
    ...(status ? { status } : {}),
    ...(vendorTicketId && vendorTicketId !== handle.vendorTicketId ? { vendorTicketId } : {}),
  };
}
