/**
 * Our copy of each ticket in the Sent folder, which is what makes filing crash-safe: it is APPENDed
 * flagged as not yet sent before the SMTP transaction and unflagged after it, so a retry can tell a
 * ticket that went out from one that may not have.
 */
import type { FetchMessageObject } from 'imapflow';
import { unavailable } from './email-errors.ts';
import type { ImapSession } from './email-imap.ts';

/** Marks our Sent copy as "written, not yet accepted by SMTP"; `\Draft` where keywords are not allowed. */
const UNSENT_KEYWORD = '$SupportdrillUnsent';

export interface SentCopy {
  uid: number;
  date: Date;
  unsent: boolean;
  source?: Buffer;
}

export interface SentFolder {
  /** Our copy of the run's ticket, or `null`; with its bytes when `withSource`. */
  find(runId: string, withSource?: boolean): Promise<SentCopy | null>;
  /** Keeps `raw` flagged as not yet sent; its UID, or 0 when the server names none and it cannot be found. */
  appendUnsent(runId: string, raw: Buffer, date: Date): Promise<number>;
  markSent(uid: number): Promise<void>;
  /** Records a copy known to be sent, so later look-ups need no search. */
  remember(runId: string, copy: SentCopy): void;
}

export function sentFolder(session: ImapSession, messageIdOf: (runId: string) => string): SentFolder {
  /** Sent copies never change, so once found they are not searched for again. */
  const known = new Map<string, SentCopy>();

  async function find(runId: string, withSource = false): Promise<SentCopy | null> {
    const remembered = known.get(runId);
    if (remembered && !remembered.unsent && !withSource) return remembered;
    const id = messageIdOf(runId);
    return session.inMailbox(await session.sentMailbox(), async (c) => {
      const uids = (await c.search({ header: { 'message-id': `<${id}>` } }, { uid: true })) || [];
      if (uids.length === 0) return null;
      const messages = await c.fetchAll(uids, { uid: true, flags: true, envelope: true, ...(withSource ? { source: true } : {}) }, { uid: true });
      // A server that files its own copy as well as ours leaves two: prefer one that was sent.
      const sent = messages.find((m) => !isUnsent(m)) ?? messages[0];
      if (!sent) return null;
      const copy: SentCopy = {
        uid: sent.uid,
        date: sent.envelope?.date ? new Date(sent.envelope.date) : new Date(0),
        unsent: isUnsent(sent),
        ...(sent.source ? { source: sent.source } : {}),
      };
      if (!copy.unsent) known.set(runId, { ...copy, source: undefined });
      return copy;
    });
  }

  async function appendUnsent(runId: string, raw: Buffer, date: Date): Promise<number> {
    const flag = await unsentFlag();
    const c = await session.connection();
    const path = await session.sentMailbox();
    const appended = await c.append(path, raw, ['\\Seen', flag], date).catch((error: unknown) => {
      throw unavailable(`cannot keep our copy in '${path}': ${(error as Error).message}`, error);
    });
    if (appended && appended.uid) return appended.uid;
    const found = await find(runId);
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
    remember(runId, copy) {
      known.set(runId, copy);
    },
  };
}

function isUnsent(message: FetchMessageObject): boolean {
  return Boolean(message.flags?.has(UNSENT_KEYWORD) || message.flags?.has('\\Draft'));
}
