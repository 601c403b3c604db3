/**
 * The `email` adapter's IMAP session: one connection, opened on first use and replaced when it drops,
 * and an epoch that moves whenever the server announces a change to the watched mailbox, so that a
 * poll under IDLE can tell "nothing arrived" without asking.
 *
 * imapflow is loaded on first connection, not with this module: loading the config validates
 * adapter options, and a command that never opens a mailbox should not pay for it.
 */
import type { ImapFlow, MailboxLockObject } from 'imapflow';
import { resolveSecret, type Secret } from '../core/secrets.ts';
import { VendorRejectedError, VendorUnavailableError, type VendorContext } from './adapter.ts';
import { fail, unavailable } from './email-errors.ts';

/** The mailbox's server and folders, defaults already applied. */
export interface ImapSettings {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  user: string;
  password: Secret;
  /** The folder the vendor's answers arrive in. */
  mailbox: string;
  /** The Sent folder as configured; found by its `\Sent` mark when absent. */
  sentMailbox?: string;
  idle: boolean;
  /** Where these options sit in the config (`vendors.<name>`), for messages that name them. */
  where: string;
}

/**
 * One connection to the mailbox, opened on first use and replaced when found dropped. Not a
 * connection pool: IMAP selects one folder at a time, and the watched one stays selected for IDLE.
 */
export class ImapSession {
  private client: ImapFlow | undefined;
  private connecting: Promise<ImapFlow> | undefined;
  private sentPath: string | undefined;
  private changes = 0;

  constructor(
    private readonly settings: ImapSettings,
    private readonly context: Pick<VendorContext, 'logger' | 'vendorName'>,
  ) {}

  /** Bumped whenever the server announces a change to the watched mailbox, or the connection is new. */
  get epoch(): number {
    return this.changes;
  }

  /** The open connection; connects (once, however many callers wait) when there is none. */
  async connection(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /**
   * Runs `fn` with `path` selected; afterwards the watched mailbox is selected again, so IDLE watches
   * it. A connection found dropped (a server restart, a network change) is replaced once.
   */
  async inMailbox<T>(path: string, fn: (c: ImapFlow, lock: MailboxLockObject) => Promise<T>): Promise<T> {
    return this.select(path, fn, false);
  }

  private async select<T>(path: string, fn: (c: ImapFlow, lock: MailboxLockObject) => Promise<T>, retried: boolean): Promise<T> {
    const { host, port, mailbox, idle } = this.settings;
    const c = await this.connection();
    const lost = (error: unknown) => {
      if (this.client === c) this.client = undefined;
      c.close();
      if (!retried) return this.select(path, fn, true);
      throw unavailable(`lost the IMAP connection to ${host}:${port}: ${(error as Error).message}`, error);
    };
    let lock: MailboxLockObject;
    try {
      lock = await c.getMailboxLock(path);
    } catch (error) {
      const e = error as { code?: string; responseText?: string; message?: string };
      if (!c.usable) return lost(error);
      throw fail(`cannot open the folder '${path}' on IMAP ${host}: ${e.responseText ?? e.message ?? String(error)}`, error);
    }
    let result: { value: T } | undefined;
    try {
      // A session sees what other sessions delivered only once the server has announced it to this
      // session; NOOP makes it do so now, when the folder was already selected.
      await c.noop();
      result = { value: await fn(c, lock) };
    } catch (error) {
      if (error instanceof VendorRejectedError || error instanceof VendorUnavailableError) throw error;
      if (!c.usable) {
        lock.release();
        return lost(error);
      }
      throw error;
    } finally {
      if (result) {
        lock.release();
        if (path !== mailbox && idle && c.usable) {
          await c.mailboxOpen(mailbox).catch(() => undefined);
        }
      }
    }
    return result.value;
  }

  /** The Sent folder's path: as configured, else the one the server marks `\Sent`, else `'Sent'`. */
  async sentMailbox(): Promise<string> {
    if (this.settings.sentMailbox) return this.settings.sentMailbox;
    if (this.sentPath) return this.sentPath;
    const c = await this.connection();
    const folders = await c.list();
    this.sentPath = folders.find((f) => f.specialUse === '\\Sent')?.path ?? 'Sent';
    return this.sentPath;
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c?.usable) await c.logout().catch(() => c.close());
    else c?.close();
  }

  private async connect(): Promise<ImapFlow> {
    const { settings, context } = this;
    const pass = resolveSecret(settings.password, `${settings.where}.imap.password`);
    const { ImapFlow } = await import('imapflow');
    const fresh = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.security === 'tls',
      doSTARTTLS: settings.security === 'starttls' ? true : settings.security === 'none' ? false : undefined,
      auth: { user: settings.user, pass },
      logger: false,
      disableAutoIdle: !settings.idle,
      autoIdleDelay: 1000,
      clientInfo: { name: 'supportdrill' },
    });
    // Without a listener an 'error' event would crash the process; the next call reconnects.
    fresh.on('error', (error: Error) => context.logger?.warn({ vendor: context.vendorName }, `IMAP connection error: ${error.message}`));
    fresh.on('close', () => {
      if (this.client === fresh) this.client = undefined;
      this.changes++;
    });
    fresh.on('exists', () => this.changes++);
    // Mail that arrived while another folder was selected is announced by no 'exists' event.
    fresh.on('mailboxOpen', () => this.changes++);
    fresh.on('expunge', () => this.changes++);
    try {
      await fresh.connect();
    } catch (error) {
      fresh.close();
      throw this.connectError(error);
    }
    this.changes++;
    this.client = fresh;
    return fresh;
  }

  private connectError(error: unknown): Error {
    const { host, port, user, where } = this.settings;
    const e = error as { authenticationFailed?: boolean; code?: string; message?: string; responseText?: string };
    const server = `IMAP ${host}:${port}`;
    if (e.authenticationFailed) {
      return fail(`${server} refused the login for ${user}: check ${where}.imap.user and ${where}.imap.password`, error);
    }
    return unavailable(`cannot reach ${server}: ${e.code ?? ''} ${e.responseText ?? e.message ?? String(error)}`.replace(/\s+/g, ' ').trim(), error);
  }
}
