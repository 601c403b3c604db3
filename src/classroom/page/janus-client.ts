/**
 * The Janus API over one WebSocket, for the SFU page and for Node alike (it needs only what both
 * sockets share: `send`, `addEventListener`, `close`). Requests are matched to their answers by
 * transaction, every one with a timeout; events no request waits for go to the listeners.
 */

/** What the browser's WebSocket and the `ws` package's both are. */
export interface JanusSocket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** One message from Janus: a response, or an event of a session's handle. */
export interface JanusMessage {
  janus: string;
  transaction?: string;
  session_id?: number;
  /** The handle an event is from. */
  sender?: number;
  data?: { id?: number } & Record<string, unknown>;
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: { type: RTCSdpType; sdp: string };
  error?: { code: number; reason: string };
  [key: string]: unknown;
}

/** A request Janus or its plugin refused, with Janus's own code and words. */
export class JanusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    readonly request: string,
  ) {
    super(`Janus refused ${request}: ${reason} (${code})`);
    this.name = 'JanusError';
  }
}

export interface JanusRequestOptions {
  /** @defaultValue {@link JANUS_REQUEST_TIMEOUT_MS} */
  timeoutMs?: number;
  /**
   * Wait past the `ack` for the plugin's event with the same transaction (an asynchronous plugin
   * request such as a videoroom `join`); only the session's owner receives it.
   */
  awaitEvent?: boolean;
}

/** Janus answers a local request in milliseconds; seconds mean it is stuck or gone. */
export const JANUS_REQUEST_TIMEOUT_MS = 5000;

const OPEN = 1;
const FINAL = new Set(['success', 'server_info', 'pong', 'error']);

interface Pending {
  resolve(message: JanusMessage): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
  awaitEvent: boolean;
  what: string;
}

export class JanusClient {
  readonly #socket: JanusSocket;
  readonly #pending = new Map<string, Pending>();
  readonly #listeners = new Set<(message: JanusMessage) => void>();
  #next = 0;
  #closed = false;
  /** Resolves once the socket is open; rejects if it never opens. */
  readonly opened: Promise<void>;

  constructor(socket: JanusSocket, openTimeoutMs = JANUS_REQUEST_TIMEOUT_MS) {
    this.#socket = socket;
    this.opened = new Promise<void>((resolve, reject) => {
      if (socket.readyState === OPEN) return resolve();
      const timer = setTimeout(() => reject(new Error(`no WebSocket to Janus after ${openTimeoutMs} ms`)), openTimeoutMs);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.addEventListener('error', () => {
        clearTimeout(timer);
        reject(new Error('the WebSocket to Janus failed'));
      });
    });
    // Nobody may be waiting yet; the failure is also every pending request's.
    this.opened.catch(() => undefined);
    socket.addEventListener('message', (event) => this.#receive(event.data));
    socket.addEventListener('close', () => this.#fail(new Error('the WebSocket to Janus closed')));
  }

  /** Listens to events no request is waiting for (`event`, `webrtcup`, `media`, `hangup`, …). */
  onEvent(listener: (message: JanusMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Sends one request and resolves with its answer: `success`, `server_info`, `pong`, an `ack`
   * (unless `awaitEvent`), or the plugin's event. Janus's `error`, or a plugin's `error_code`,
   * rejects with a {@link JanusError}.
   */
  async request(message: { janus: string } & Record<string, unknown>, options: JanusRequestOptions = {}): Promise<JanusMessage> {
    await this.opened;
    if (this.#closed) throw new Error('the WebSocket to Janus is closed');
    const transaction = `t${++this.#next}`;
    const what = describe(message);
    const timeoutMs = options.timeoutMs ?? JANUS_REQUEST_TIMEOUT_MS;
    return new Promise<JanusMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(transaction);
        reject(new Error(`Janus did not answer ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(transaction, { resolve, reject, timer, awaitEvent: options.awaitEvent ?? false, what });
      this.#socket.send(JSON.stringify({ ...message, transaction }));
    });
  }

  close(): void {
    this.#fail(new Error('the WebSocket to Janus was closed'));
    this.#socket.close();
  }

  #receive(raw: unknown): void {
    let message: JanusMessage;
    try {
      message = JSON.parse(String(raw)) as JanusMessage;
    } catch {
      return;
    }
    const pending = message.transaction ? this.#pending.get(message.transaction) : undefined;
    if (!pending) {
      for (const listener of this.#listeners) listener(message);
      return;
    }
    if (message.janus === 'ack' && pending.awaitEvent) return;
    if (message.janus !== 'ack' && message.janus !== 'event' && !FINAL.has(message.janus)) return;
    this.#pending.delete(message.transaction!);
    clearTimeout(pending.timer);
    const refusal = refusalOf(message);
    if (refusal) pending.reject(new JanusError(refusal.code, refusal.reason, pending.what));
    else pending.resolve(message);
  }

  #fail(error: Error): void {
    this.#closed = true;
    for (const [transaction, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.#pending.delete(transaction);
    }
  }
}

/** `'videoroom join'`, `'attach'`: what a request was, for its error message. */
function describe(message: { janus: string } & Record<string, unknown>): string {
  const body = message.body as { request?: unknown } | undefined;
  return typeof body?.request === 'string' ? `the plugin request '${body.request}'` : `'${message.janus}'`;
}

function refusalOf(message: JanusMessage): { code: number; reason: string } | undefined {
  if (message.janus === 'error') return { code: message.error?.code ?? 0, reason: message.error?.reason ?? 'unknown error' };
  const data = message.plugindata?.data;
  if (data && typeof data.error_code === 'number') return { code: data.error_code, reason: String(data.error ?? 'unknown error') };
  return undefined;
}
