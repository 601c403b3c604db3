/**
 * Our copy of each message we send (the ticket, each reply) in the Sent folder, which is what makes
 * sending crash-safe: it is APPENDed flagged as not yet sent before the SMTP transaction and
 * unflagged after it, so a retry can tell a message that went out from one that may not have.
 * Copies are found by their Message-ID, which is derived from the run (and the reply's key).
 */
import type { FetchMessageObject } from 'imapflow';
import { unavailable } from './email-errors.ts';
import type { ImapSession } from './email-imap.ts';

/** Marks our Sent copy as "written, not yet accepted by SMTP"; `\Draft` where keywords are not allowed. */
const UNSENT_KEYWORD = '$SupportdrillUnsent';

export interface SentCopy {
  uid: number;
  /** Its `Date` header: when we sent it, by our clock. */
  date: Date;
  unsent: boolean;
  /** Its subject as written (decoded), when known. */
  subject?: string;
  /** Its To and Cc addresses, which a re-send of the same bytes must go to. */
  recipients?: string[];
  source?: Buffer;
}

export interface SentFolder {
  /** Our copy of the message with this Message-ID (without angle brackets), or `null`; with its bytes when `withSource`. */
  find(messageId: string, withSource?: boolean): Promise<SentCopy | null>;
  /** Keeps `raw` flagged as not yet sent; its UID, or 0 when the server names none and it cannot be found. */
  appendUnsent(messageId: string, raw: Buffer, date: Date): Promise<number>;
  markSent(uid: number): Promise<void>;
  /** Records a copy known to be sent, so later look-ups need no search. */
  remember(messageId: string, copy: SentCopy): void;
}

export function sentFolder(session: ImapSession): SentFolder {
  /** Sent copies never change, so once found they are not searched for again. */
  const known = new Map<string, SentCopy>();

  async function find(messageId: string, withSource = false): Promise<SentCopy | null> {
    const remembered = known.get(messageId);
    if (remembered && !remembered.unsent && !withSource) return remembered;
    return session.inMailbox(await session.sentMailbox(), async (c) => {
      const uids = (await c.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true })) || [];
      if (uids.length === 0) return null;
      const messages = await c.fetchAll(uids, { uid: true, flags: true, envelope: true, ...(withSource ? { source: true } : {}) }, { uid: true });
      // A server that files its own copy as well as ours leaves two: prefer one that was sent.
      const sent = messages.find((m) => !isUnsent(m)) ?? messages[0];
      if (!sent) return null;
      const recipients = [...(sent.envelope?.to ?? []), ...(sent.envelope?.cc ?? [])].flatMap((a) => (a.address ? [a.address] : []));
      const copy: SentCopy = {
        uid: sent.uid,
        date: sent.envelope?.date ? new Date(sent.envelope.date) : new Date(0),
        unsent: isUnsent(sent),
        ...(sent.envelope?.subject !== undefined ? { subject: sent.envelope.subject } : {}),
        ...(recipients.length > 0 ? { recipients } : {}),
        ...(sent.source ? { source: sent.source } : {}),
      };
      if (!copy.unsent) known.set(messageId, { ...copy, source: undefined });
      return copy;
    });
  }

  async function appendUnsent(messageId: string, raw: Buffer, date: Date): Promise<number> {
    const flag = await unsentFlag();
    const c = await session.connection();
    const path = await session.sentMailbox();
    const appended = await c.append(path, raw, ['\\Seen', flag], date).catch((error: unknown) => {
      throw unavailable(`cannot keep our copy in '${path}': ${(error as Error).message}`, error);
    });
    if (appended && appended.uid) return appended.uid;
    const found = await find(messageId);
    return found ? found.uid : 0;
  }

  async function unsentFlag(): Promise<string> {
    return session.inMailbox(await session.sentMailbox(), async (c) => {
      const flags = c.mailbox ? c.mailbox.permanentFlags : undefined;
      return flags?.has('\\*') ? UNSENT_KEYWORD : '\\Draft';
    });
  }

  async function markSent(uid: number): Promise<void> {
    await session.inMailbox(await session.sentMailbox(), async (c) => {
      await c.messageFlagsRemove(String(uid), [UNSENT_KEYWORD, '\\Draft'], { uid: true });
    });
  }

  return {
    find,
    appendUnsent,
    markSent,
    remember(messageId, copy) {
      known.set(messageId, copy);
    },
  };
}

function isUnsent(message: FetchMessageObject): boolean {
  return Boolean(message.flags?.has(UNSENT_KEYWORD) || message.flags?.has('\\Draft'));
}
