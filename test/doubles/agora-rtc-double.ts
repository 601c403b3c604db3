/**
 * TEST DOUBLE of agora-rtc-sdk-ng — the part of its surface the Agora classroom uses — running on
 * local WebRTC between the pages, signalled through the classroom server on 127.0.0.1. Agora's cloud
 * cannot be reached from CI, so this stands in for it in tests only; the product always bundles the
 * real SDK. Like the real SDK, it calls the global `RTCPeerConnection` constructor and
 * `addTransceiver`, so the runner's instrumentation applies to it the same way.
 */
import type { AgoraClient, AgoraRemoteUser, AgoraSdk, AgoraTrack } from '../../src/classroom/page/agora-sdk.ts';

type Listener = (...args: never[]) => void;

class LocalTrack implements AgoraTrack {
  constructor(private readonly track: MediaStreamTrack) {}
  play(element: HTMLElement | string): void {
    const container = typeof element === 'string' ? document.querySelector<HTMLElement>(element)! : element;
    const video = document.createElement(this.track.kind === 'video' ? 'video' : 'audio');
    Object.assign(video, { autoplay: true, muted: true, playsInline: true, srcObject: new MediaStream([this.track]) });
    video.style.cssText = 'width:100%;height:100%';
    container.appendChild(video);
  }
  getMediaStreamTrack(): MediaStreamTrack {
    return this.track;
  }
}

class RemoteTrack extends LocalTrack {
  private readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  on(event: string, listener: (...args: unknown[]) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
}

class ClientDouble implements AgoraClient {
  private readonly listeners = new Map<string, Listener[]>();
  private socket?: WebSocket;
  private uid = 0;
  private readonly peers = new Map<string, RTCPeerConnection>();
  private published: AgoraTrack[] = [];
  private readonly remoteUsers = new Map<string, AgoraRemoteUser>();

  on(event: string, listener: Listener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }

  private emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }

  private send(message: Record<string, unknown>): void {
    this.socket?.send(JSON.stringify(message));
  }

  async join(_appId: string, channel: string, _token: string | null, uid: number | null): Promise<number> {
    this.uid = uid ?? Math.floor(Math.random() * 1e6);
    this.emit('connection-state-change', 'CONNECTING', 'DISCONNECTED');
    const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/signal?room=${encodeURIComponent(channel)}&participant=${this.uid}`);
    this.socket = socket;
    socket.addEventListener('message', (event) => void this.onMessage(JSON.parse(String(event.data))));
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error('double: signaling failed')), { once: true });
    });
    this.emit('connection-state-change', 'CONNECTED', 'CONNECTING');
    return this.uid;
  }

  private peer(remote: string): RTCPeerConnection {
    let pc = this.peers.get(remote);
    if (!pc) {
      pc = new RTCPeerConnection({ iceServers: [] });
      pc.onicecandidate = (e) => e.candidate && this.send({ type: 'signal', to: remote, data: { candidate: e.candidate.toJSON() } });
      pc.ontrack = (e) => {
        const user = this.remoteUsers.get(remote) ?? { uid: Number(remote) };
        this.remoteUsers.set(remote, user);
        const kind = e.track.kind as 'audio' | 'video';
        if (kind === 'video') user.videoTrack = new RemoteTrack(e.track);
        else user.audioTrack = new RemoteTrack(e.track);
        this.emit('user-published', user, kind);
      };
      this.peers.set(remote, pc);
    }
    return pc;
  }

  private async offerTo(remote: string): Promise<void> {
    if (this.published.length === 0) return;
    const pc = this.peer(remote);
    for (const track of this.published) pc.addTransceiver(track.getMediaStreamTrack(), { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    this.send({ type: 'signal', to: remote, data: { sdp: pc.localDescription!.toJSON() } });
  }

  private async onMessage(message: { type: string; from: string; data?: { sdp?: RTCSessionDescriptionInit; candidate?: RTCIceCandidateInit } }): Promise<void> {
    if (message.type === 'peer-joined') {
      this.knownPeers.add(message.from);
      await this.offerTo(message.from);
      return;
    }
    const pc = this.peer(message.from);
    if (message.data?.sdp) {
      await pc.setRemoteDescription(message.data.sdp);
      if (message.data.sdp.type === 'offer') {
        await pc.setLocalDescription(await pc.createAnswer());
        this.send({ type: 'signal', to: message.from, data: { sdp: pc.localDescription!.toJSON() } });
      }
    } else if (message.data?.candidate) {
      await pc.addIceCandidate(message.data.candidate);
    }
  }

  private readonly knownPeers = new Set<string>();

  async publish(tracks: AgoraTrack[]): Promise<void> {
    this.published = tracks;
    await Promise.all([...this.knownPeers].map((remote) => this.offerTo(remote)));
  }

  async subscribe(user: AgoraRemoteUser, mediaType: 'audio' | 'video'): Promise<AgoraTrack> {
    const track = mediaType === 'video' ? user.videoTrack : user.audioTrack;
    if (!track) throw new Error(`double: user ${user.uid} has not published ${mediaType}`);
    return track;
  }

  getRemoteVideoStats(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.remoteUsers.keys()].map((uid) => [uid, { receiveFrameRate: 0, renderFrameRate: 0, freezeRate: 0, totalFreezeTime: 0 }]));
  }
  getLocalVideoStats(): Record<string, number> {
    return { sendFrameRate: 0 };
  }
  getRTCStats(): Record<string, number> {
    return { UserCount: this.knownPeers.size + 1 };
  }
  async leave(): Promise<void> {
    for (const pc of this.peers.values()) pc.close();
    this.socket?.close();
  }
}

const AgoraRTCDouble: AgoraSdk = {
  VERSION: '0.0.0-test-double',
  createClient: () => new ClientDouble(),
  async createCameraVideoTrack(config) {
    const e = config?.encoderConfig;
    const stream = await navigator.mediaDevices.getUserMedia({ video: e ? { width: e.width, height: e.height, frameRate: e.frameRate } : true });
    return new LocalTrack(stream.getVideoTracks()[0]!);
  },
  async createMicrophoneAudioTrack() {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    return new LocalTrack(stream.getAudioTracks()[0]!);
  },
  setLogLevel: () => undefined,
  disableLogUpload: () => undefined,
};

export default AgoraRTCDouble;
