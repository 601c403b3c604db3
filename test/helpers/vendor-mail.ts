/**
 * The vendor's side of an e-mail conversation, for tests: builds reply messages as a help desk or a
 * person would send them, and places them in the drill mailbox over IMAP APPEND with a chosen
 * arrival time (INTERNALDATE).
 */
import { ImapFlow } from 'imapflow';
import type { DovecotServer } from './dovecot.ts';

export interface ReplySpec {
  from: string;
  subject: string;
  date: Date;
  text: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  /** The subject and text go out base64-encoded as UTF-8, as a Chinese mail client sends them. */
  encoded?: boolean;
}

/** An RFC 5322 message with CRLF line ends. */
export function replyMessage(spec: ReplySpec): string {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  const subject = spec.encoded ? `=?UTF-8?B?${b64(spec.subject)}?=` : spec.subject;
  const lines = [
    `From: ${spec.from}`,
    'To: drills@school.example',
    `Subject: ${subject}`,
    `Date: ${spec.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${spec.messageId}>`,
    ...(spec.inReplyTo ? [`In-Reply-To: <${spec.inReplyTo}>`] : []),
    ...(spec.references?.length ? [`References: ${spec.references.map((r) => `<${r}>`).join(' ')}`] : []),
    ...Object.entries(spec.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Transfer-Encoding: ${spec.encoded ? 'base64' : '8bit'}`,
  ];
  const body = spec.encoded ? (b64(spec.text).match(/.{1,76}/g) ?? []).join('\r\n') : spec.text.replace(/\r?\n/g, '\r\n');
  return `${lines.join('\r\n')}\r\n\r\n${body}\r\n`;
}

/** A client of the drill mailbox acting for the vendor's side. */
export async function vendorMailbox(server: DovecotServer) {
  let client: ImapFlow | undefined;
  // Tests drop every connection of the user (`kick`), this one included: reconnect when needed.
  const connected = async () => {
    if (client?.usable) return client;
    client = new ImapFlow({ host: server.host, port: server.port, secure: false, auth: { user: server.user, pass: server.password }, logger: false, disableAutoIdle: true });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  await connected();
  return {
    /** Places a message in `mailbox` as if it had arrived at `arrivedAt`. */
    async deliver(raw: string | Buffer, arrivedAt: Date, mailbox = 'INBOX'): Promise<void> {
      // A connection dropped a moment ago may not know it yet: one fresh attempt.
      await (await connected()).append(mailbox, raw, [], arrivedAt).catch(async () => {
        client?.close();
        await (await connected()).append(mailbox, raw, [], arrivedAt);
      });
    },
    /** The flags of each message in `mailbox` whose Message-ID is `messageId`. */
    async flagsOf(messageId: string, mailbox = 'Sent'): Promise<string[][]> {
      const client = await connected();
      const lock = await client.getMailboxLock(mailbox);
      try {
        await client.noop();
        const uids = (await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true })) || [];
        if (uids.length === 0) return [];
        // \\Recent depends on which session looked first, so it says nothing about the message.
        return (await client.fetchAll(uids, { uid: true, flags: true }, { uid: true })).map((m) => [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort());
      } finally {
        lock.release();
      }
    },
    close: async () => {
      await client?.logout().catch(() => client?.close());
    },
  };
}
