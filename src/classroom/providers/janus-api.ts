/**
 * What the runner asks of Janus, from Node: whether it is up, the run's videoroom, the sessions
 * and handles the pages are given, and the server-side lever (a subscriber's streams stop being
 * forwarded). The Janus API and the Admin API over WebSockets; every request has a timeout.
 */
import WebSocket from 'ws';
import { JANUS_REQUEST_TIMEOUT_MS, JanusClient, type JanusMessage, type JanusSocket } from '../page/janus-client.ts';

const VIDEOROOM = 'janus.plugin.videoroom';

export interface JanusConnectOptions {
  /** For the connection and for each request. @defaultValue {@link JANUS_REQUEST_TIMEOUT_MS} */
  timeoutMs?: number;
}

/** The Janus API (subprotocol `janus-protocol`). */
export interface JanusApi {
  info(): Promise<{ version: string; localIp: string | undefined }>;
  createSession(): Promise<number>;
  /** A videoroom handle in `session`; `opaqueId` names whose it is in Janus's own views. */
  attachVideoRoom(session: number, opaqueId: string): Promise<number>;
  /** A synchronous videoroom request (`create`, `exists`, …): the plugin's answer. */
  videoRoom(session: number, handle: number, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** An asynchronous videoroom request on a handle whose session a page owns: accepted, its event goes to the page. */
  tell(session: number, handle: number, body: Record<string, unknown>): Promise<void>;
  close(): void;
}

/** The Admin API (subprotocol `janus-admin-protocol`). */
export interface JanusAdmin {
  /** Janus's view of one handle: its WebRTC state and, under `plugin_specific`, the videoroom's. */
  handleInfo(session: number, handle: number): Promise<Record<string, unknown>>;
  close(): void;
}

function open(url: string, protocol: string, timeoutMs: number): JanusClient {
  const socket = new WebSocket(url, protocol, { handshakeTimeout: timeoutMs });
  return new JanusClient(socket as unknown as JanusSocket, timeoutMs);
}

export async function connectJanus(url: string, options: JanusConnectOptions = {}): Promise<JanusApi> {
  const timeoutMs = options.timeoutMs ?? JANUS_REQUEST_TIMEOUT_MS;
  const client = open(url, 'janus-protocol', timeoutMs);
  await client.opened;
  const ask = (message: { janus: string } & Record<string, unknown>) => client.request(message, { timeoutMs });
  return {
    async info() {
      const answer = await ask({ janus: 'info' });
      return { version: String(answer.version_string ?? answer.version), localIp: typeof answer['local-ip'] === 'string' ? answer['local-ip'] : undefined };
    },
    async createSession() {
      return idOf(await ask({ janus: 'create' }), 'create');
    },
    async attachVideoRoom(session, opaqueId) {
      return idOf(await ask({ janus: 'attach', session_id: session, plugin: VIDEOROOM, opaque_id: opaqueId }), 'attach');
    },
    async videoRoom(session, handle, body) {
      const answer = await ask({ janus: 'message', session_id: session, handle_id: handle, body });
      return answer.plugindata?.data ?? {};
    },
    async tell(session, handle, body) {
      await ask({ janus: 'message', session_id: session, handle_id: handle, body });
    },
    close: () => client.close(),
  };
}

export async function connectJanusAdmin(url: string, secret: string, options: JanusConnectOptions = {}): Promise<JanusAdmin> {
  const timeoutMs = options.timeoutMs ?? JANUS_REQUEST_TIMEOUT_MS;
  const client = open(url, 'janus-admin-protocol', timeoutMs);
  await client.opened;
  return {
    async handleInfo(session, handle) {
      const answer = await client.request({ janus: 'handle_info', session_id: session, handle_id: handle, admin_secret: secret }, { timeoutMs });
      return (answer.info as Record<string, unknown> | undefined) ?? {};
    },
    close: () => client.close(),
  };
}

function idOf(answer: JanusMessage, what: string): number {
  const id = answer.data?.id;
  if (typeof id !== 'number') throw new Error(`Janus answered '${what}' without an id`);
  return id;
}

// ---- the videoroom of a run ------------------------------------------------------------------

export interface RoomOptions {
  room: number;
  description: string;
  /** Needed to change the room later; never leaves the runner. */
  secret: string;
}

/** Creates the run's room: one publisher (the teacher), VP8 and Opus as the mesh uses, gone with the server. */
export async function createRoom(api: JanusApi, session: number, handle: number, options: RoomOptions): Promise<void> {
  const answer = await api.videoRoom(session, handle, {
    request: 'create',
    room: options.room,
    description: options.description,
    secret: options.secret,
    publishers: 1,
    videocodec: 'vp8',
    audiocodec: 'opus',
    permanent: false,
  });
  if (answer.videoroom !== 'created') throw new Error(`Janus did not create room ${options.room}: ${JSON.stringify(answer)}`);
}

/** A stream Janus sends a subscriber, as its Admin API reports it. */
export interface SubscriberStream {
  mid: string;
  type: 'audio' | 'video' | 'data';
  send: boolean;
}

/** The streams of a subscriber handle (`plugin_specific.streams` of `handle_info`). */
export async function subscriberStreams(admin: JanusAdmin, session: number, handle: number): Promise<SubscriberStream[]> {
  const info = await admin.handleInfo(session, handle);
  const specific = info.plugin_specific as { type?: string; streams?: SubscriberStream[] } | undefined;
  if (specific?.type !== 'subscriber') throw new Error(`handle ${handle} is not a videoroom subscriber (yet)`);
  return (specific.streams ?? []).map((s) => ({ mid: String(s.mid), type: s.type, send: s.send !== false }));
}

/** How long Janus may take to apply a `configure` it accepted before the lever counts as failed. */
export const FORWARDING_APPLY_TIMEOUT_MS = 3000;

/**
 * Stops (or resumes) what Janus forwards of `media` to one subscriber: a subscriber `configure`
 * with `send` per mid, then the Admin API read until Janus reports it done. The subscriber's peer
 * connection is not touched; Janus just stops relaying those packets. Resolves to the mids changed.
 */
export async function setForwarding(api: JanusApi, admin: JanusAdmin, target: { session: number; handle: number }, media: 'audio' | 'video', send: boolean): Promise<string[]> {
  const streams = await subscriberStreams(admin, target.session, target.handle);
  const mids = streams.filter((s) => s.type === media).map((s) => s.mid);
  if (mids.length === 0) throw new Error(`Janus sends this subscriber no ${media} (streams: ${streams.map((s) => `${s.mid}:${s.type}`).join(', ') || 'none'})`);
  await api.tell(target.session, target.handle, { request: 'configure', streams: mids.map((mid) => ({ mid, send })) });
  // The plugin applies a configure on its own thread after the ack.
  const deadline = Date.now() + FORWARDING_APPLY_TIMEOUT_MS;
  for (;;) {
    const now = await subscriberStreams(admin, target.session, target.handle);
    if (now.filter((s) => mids.includes(s.mid)).every((s) => s.send === send)) return mids;
    if (Date.now() > deadline) throw new Error(`Janus accepted the configure but still reports send=${!send} on mid ${mids.join(', ')} after ${FORWARDING_APPLY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
