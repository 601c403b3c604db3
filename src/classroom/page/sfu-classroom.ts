/**
 * The `local` provider's SFU page: the teacher publishes camera and microphone once to the run's
 * Janus videoroom; each student the window hosts subscribes to the teacher's feed on a peer
 * connection of its own and renders it in a tile the freeze monitor watches. Node made the room,
 * each participant's Janus session and handle, and the teacher's feed id, and gives them in the
 * URL; the page claims its sessions over one WebSocket and does the WebRTC. Runs after inject.ts,
 * so every RTCPeerConnection here is already instrumented.
 */
import { JanusClient, JanusError, type JanusMessage } from './janus-client.ts';
import { CONTROL_GLOBAL } from './protocol.ts';
import { tileFor } from './tiles.ts';

interface Ids {
  session: number;
  handle: number;
}

const params = new URLSearchParams(location.search);
const hosted = (params.get('participants') ?? 'teacher').split(',').filter(Boolean);
const room = Number(params.get('room'));
const feed = Number(params.get('feed'));
const width = Number(params.get('width') ?? 640);
const height = Number(params.get('height') ?? 360);
const fps = Number(params.get('fps') ?? 20);
const control = window[CONTROL_GLOBAL];

/** `teacher:<session>:<handle>,student-1:<session>:<handle>,…` */
const ids = new Map<string, Ids>(
  (params.get('handles') ?? '').split(',').filter(Boolean).map((entry) => {
    const [who, session, handle] = entry.split(':');
    return [who!, { session: Number(session), handle: Number(handle) }];
  }),
);
const byHandle = new Map([...ids].map(([who, { handle }]) => [handle, who]));

/** Janus says "no such feed" until the teacher's connection is up; students ask again this often. */
const SUBSCRIBE_RETRY_MS = 250;
/** Loopback gathering takes milliseconds; past this the offer goes with what it has. */
const GATHERING_TIMEOUT_MS = 2000;
/** A videoroom's "No such feed". */
const NO_SUCH_FEED = 428;

// Timestamped milestones go to the window's console, which the evidence keeps.
const mark = (who: string, what: string) => console.info(`[classroom] ${who}: ${what}`);
const fail = (who: string, message: string) => control?.report({ type: 'error', participant: who, message, at: control.now() });
const tell = (who: string, name: string, data: Record<string, unknown>) => control?.report({ type: 'provider', participant: who, name, at: control.now(), data });

const janus = new JanusClient(new WebSocket(params.get('janus') ?? '', 'janus-protocol'));
janus.onEvent((message) => onJanusEvent(message));

function idsOf(who: string): Ids {
  const own = ids.get(who);
  if (!own) throw new Error(`no Janus session for ${who} in the page's URL`);
  return own;
}

/** An asynchronous videoroom request: resolves with the plugin's event (and its JSEP, if any). */
function videoRoom(who: string, body: Record<string, unknown>, jsep?: RTCSessionDescriptionInit): Promise<JanusMessage> {
  const { session, handle } = idsOf(who);
  const sdp = jsep ? { type: jsep.type, sdp: jsep.sdp, trickle: false } : undefined;
  return janus.request({ janus: 'message', session_id: session, handle_id: handle, body, ...(sdp ? { jsep: sdp } : {}) }, { awaitEvent: true, timeoutMs: 10_000 });
}

/** Node created the session; claiming it makes this socket the one its events go to. */
async function claim(who: string): Promise<void> {
  await janus.request({ janus: 'claim', session_id: idsOf(who).session });
}

/** Waits for the whole local description: it goes to Janus in one piece, no trickling. */
function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, GATHERING_TIMEOUT_MS);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState !== 'complete') return;
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Connection states as milestones, and the pair ICE chose with Janus's candidates as provider events. */
function follow(pc: RTCPeerConnection, who: string): void {
  pc.addEventListener('connectionstatechange', () => {
    mark(who, `connection with Janus: ${pc.connectionState}`);
    if (pc.connectionState === 'connected') void reportIce(pc, who).catch(() => undefined);
    if (pc.connectionState === 'failed') fail(who, 'the peer connection with Janus failed');
  });
}

async function reportIce(pc: RTCPeerConnection, who: string): Promise<void> {
  const stats = await pc.getStats();
  const byId = new Map<string, Record<string, unknown>>();
  stats.forEach((entry: Record<string, unknown>) => byId.set(String(entry.id), entry));
  const transport = [...byId.values()].find((e) => e.type === 'transport' && e.selectedCandidatePairId);
  const pair = transport ? byId.get(String(transport.selectedCandidatePairId)) : undefined;
  const candidate = (id: unknown) => {
    const c = byId.get(String(id));
    return c ? { address: c.address, port: c.port, type: c.candidateType, protocol: c.protocol } : undefined;
  };
  const offered = (pc.remoteDescription?.sdp ?? '').split(/\r?\n/).filter((l) => l.startsWith('a=candidate:'));
  const remoteCandidates = offered.map((line) => {
    const [, , protocol, , address, port, , type] = line.split(' ');
    return { address, port: Number(port), type, protocol };
  });
  const local = candidate(pair?.localCandidateId);
  const remote = candidate(pair?.remoteCandidateId);
  mark(who, `ICE with Janus: ${local?.address}:${local?.port} ⇄ ${remote?.address}:${remote?.port}`);
  tell(who, 'ice', { local, remote, remoteCandidates });
}

async function publish(who: string): Promise<void> {
  await claim(who);
  await videoRoom(who, { request: 'join', ptype: 'publisher', room, id: feed, display: who });
  mark(who, `joined room ${room} as publisher ${feed}`);
  tell(who, 'joined', { room, feed, ...idsOf(who) });

  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: fps } },
    audio: true,
  });
  mark(who, 'camera and microphone ready');
  tileFor(who, 1).srcObject = stream;

  const pc = new RTCPeerConnection({ iceServers: [] });
  control?.own(pc, who);
  follow(pc, who);
  for (const track of [...stream.getAudioTracks(), ...stream.getVideoTracks()]) pc.addTrack(track, stream);
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const answer = await videoRoom(who, { request: 'publish', audiocodec: 'opus', videocodec: 'vp8', display: who }, pc.localDescription!.toJSON());
  if (!answer.jsep) throw new Error('Janus accepted the publication without an SDP answer');
  await pc.setRemoteDescription(answer.jsep);
  mark(who, 'publishing camera and microphone');
  tell(who, 'published', { room, feed });
}

async function subscribe(who: string, video: HTMLVideoElement): Promise<void> {
  await claim(who);
  let attached: JanusMessage | undefined;
  while (!attached) {
    try {
      attached = await videoRoom(who, { request: 'join', ptype: 'subscriber', room, streams: [{ feed }] });
    } catch (err) {
      if (!(err instanceof JanusError && err.code === NO_SUCH_FEED)) throw err;
      await new Promise((resolve) => setTimeout(resolve, SUBSCRIBE_RETRY_MS));
    }
  }
  if (!attached.jsep) throw new Error('Janus attached the subscription without an SDP offer');
  const streams = (attached.plugindata?.data.streams ?? []) as { mid: string; type: string }[];
  mark(who, `subscribed to the teacher (feed ${feed}): ${streams.map((s) => `${s.type} mid ${s.mid}`).join(', ')}`);
  tell(who, 'joined', { room, feed, ...idsOf(who), streams });

  const pc = new RTCPeerConnection({ iceServers: [] });
  control?.own(pc, who);
  follow(pc, who);
  const media = new MediaStream();
  pc.addEventListener('track', (event) => {
    media.addTrack(event.track);
    if (event.track.kind !== 'video') return;
    mark(who, 'video track from teacher');
    video.srcObject = media;
    control?.watchVideo(video, 'teacher', who);
    void video.play().catch(() => undefined);
  });
  await pc.setRemoteDescription(attached.jsep);
  await pc.setLocalDescription(await pc.createAnswer());
  await gathered(pc);
  await videoRoom(who, { request: 'start' }, pc.localDescription!.toJSON());
  mark(who, 'subscription started');
}

/** What Janus says on its own (WebRTC up, media flowing or not, the plugin's events): the evidence's console. */
function onJanusEvent(message: JanusMessage): void {
  const who = message.sender !== undefined ? byHandle.get(message.sender) : undefined;
  if (!who) return;
  switch (message.janus) {
    case 'webrtcup':
      return mark(who, 'Janus: WebRTC up');
    case 'media':
      return mark(who, `Janus: ${message.receiving ? 'receiving' : 'no longer receiving'} ${String(message.type)}${message.mid !== undefined ? ` (mid ${String(message.mid)})` : ''}`);
    case 'slowlink':
      return mark(who, `Janus: slow link (${message.uplink ? 'from' : 'to'} this participant, ${String(message.lost)} lost)`);
    case 'hangup':
      mark(who, `Janus: hung up (${String(message.reason)})`);
      return fail(who, `Janus hung up the connection: ${String(message.reason)}`);
    case 'event':
      return mark(who, `Janus: ${JSON.stringify(message.plugindata?.data ?? {})}`);
  }
}

async function main(): Promise<void> {
  await janus.opened;
  for (const who of hosted) mark(who, 'Janus connected');
  if (hosted[0] === 'teacher') {
    document.body.dataset.role = 'teacher';
    return publish('teacher').catch((err) => fail('teacher', `publish: ${String((err as Error).message ?? err)}`));
  }
  document.body.dataset.role = 'student';
  // Tiles first, all at once: the grid is laid out for every hosted student before any video plays.
  const tiles = hosted.map((who) => tileFor(who, hosted.length));
  await Promise.all(hosted.map((who, i) => subscribe(who, tiles[i]!).catch((err) => fail(who, `subscribe: ${String((err as Error).message ?? err)}`))));
}

main().catch((err) => {
  for (const who of hosted) fail(who, `janus: ${String((err as Error).message ?? err)}`);
});
