/**
 * The `local` provider's mesh classroom page: plain WebRTC between pages of one browser, signalled
 * over a WebSocket to the runner's server on 127.0.0.1. The teacher publishes camera and microphone
 * to every student; a student window hosts one or more students (`participants=student-1,…`), each
 * with its own signaling socket, peer connection and <video> the freeze monitor watches.
 * Runs after inject.ts, so every RTCPeerConnection here is already instrumented.
 */
import { CONTROL_GLOBAL } from './protocol.ts';
import { tileFor } from './tiles.ts';

interface SignalMessage {
  type: 'peer-joined' | 'signal';
  from: string;
  to?: string;
  data?: { sdp?: RTCSessionDescriptionInit; candidate?: RTCIceCandidateInit };
}

const params = new URLSearchParams(location.search);
const hosted = (params.get('participants') ?? params.get('participant') ?? 'teacher').split(',').filter(Boolean);
const room = params.get('room') ?? 'room';
const width = Number(params.get('width') ?? 640);
const height = Number(params.get('height') ?? 360);
const fps = Number(params.get('fps') ?? 20);
const control = window[CONTROL_GLOBAL];

/** One participant's end of the mesh: its signaling socket and its peer connections by remote. */
class Member {
  readonly socket: WebSocket;
  readonly peers = new Map<string, RTCPeerConnection>();

  constructor(readonly participant: string) {
    const query = `room=${encodeURIComponent(room)}&participant=${encodeURIComponent(participant)}&token=${encodeURIComponent(params.get('token') ?? '')}`;
    this.socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/signal?${query}`);
    this.socket.addEventListener('open', () => this.mark('signaling connected'));
    this.socket.addEventListener('error', () => this.fail('signaling connection failed'));
    // 4000–4999: the classroom server refused this participant, and says why.
    this.socket.addEventListener('close', (event) => event.code >= 4000 && event.code < 5000 && this.fail(`the classroom refused the connection: ${event.reason}`));
  }

  send(message: Omit<SignalMessage, 'from'>): void {
    this.socket.send(JSON.stringify(message));
  }

  // Timestamped milestones go to the window's console, which the evidence keeps.
  mark(what: string): void {
    console.info(`[classroom] ${this.participant}: ${what}`);
  }

  fail(message: string): void {
    control?.report({ type: 'error', participant: this.participant, message, at: control.now() });
  }

  newPeer(remote: string): RTCPeerConnection {
    this.peers.get(remote)?.close();
    const pc = new RTCPeerConnection({ iceServers: [] });
    control?.own(pc, this.participant);
    pc.onconnectionstatechange = () => this.mark(`connection with ${remote}: ${pc.connectionState}`);
    pc.onicecandidate = (event) => {
      if (event.candidate) this.send({ type: 'signal', to: remote, data: { candidate: event.candidate.toJSON() } });
    };
    this.peers.set(remote, pc);
    return pc;
  }

  onMessages(handle: (message: SignalMessage) => void): void {
    this.socket.addEventListener('message', (event) => handle(JSON.parse(String(event.data)) as SignalMessage));
  }

  async onSignal(message: SignalMessage): Promise<void> {
    const pc = this.peers.get(message.from);
    if (!pc || !message.data) return;
    if (message.data.sdp) {
      await pc.setRemoteDescription(message.data.sdp);
      if (message.data.sdp.type === 'offer') {
        await pc.setLocalDescription(await pc.createAnswer());
        this.send({ type: 'signal', to: message.from, data: { sdp: pc.localDescription!.toJSON() } });
      }
    } else if (message.data.candidate) {
      await pc.addIceCandidate(message.data.candidate);
    }
  }
}

function startTeacher(): void {
  document.body.dataset.role = 'teacher';
  const teacher = new Member('teacher');
  // Students may join before the camera is up: calls wait for the stream instead of being lost.
  const streamReady = navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: fps } },
    audio: true,
  });
  streamReady.then((stream) => {
    teacher.mark('camera and microphone ready');
    const local = document.createElement('video');
    Object.assign(local, { autoplay: true, muted: true, playsInline: true, srcObject: stream });
    document.body.append(local);
  }, (err) => teacher.fail(`camera: ${String(err)}`));

  const call = async (student: string) => {
    const stream = await streamReady;
    const pc = teacher.newPeer(student);
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    await pc.setLocalDescription(await pc.createOffer());
    teacher.send({ type: 'signal', to: student, data: { sdp: pc.localDescription!.toJSON() } });
    teacher.mark(`offer sent to ${student}`);
  };

  teacher.onMessages((message) => {
    if (message.type === 'peer-joined' && message.from.startsWith('student-')) void call(message.from).catch((err) => teacher.fail(String(err)));
    if (message.type === 'signal') void teacher.onSignal(message).catch((err) => teacher.fail(String(err)));
  });
}

function startStudent(participant: string): void {
  const student = new Member(participant);
  const video = tileFor(participant, hosted.length);
  student.onMessages((message) => {
    if (message.type !== 'signal') return;
    if (message.data?.sdp?.type === 'offer') {
      const pc = student.newPeer(message.from);
      pc.ontrack = (trackEvent) => {
        if (trackEvent.track.kind !== 'video') return;
        student.mark(`video track from ${message.from}`);
        video.srcObject = trackEvent.streams[0] ?? new MediaStream([trackEvent.track]);
        control?.watchVideo(video, message.from, participant);
        void video.play().catch(() => undefined);
      };
    }
    void student.onSignal(message).catch((err) => student.fail(String(err)));
  });
}

if (hosted[0] === 'teacher') startTeacher();
else {
  document.body.dataset.role = 'student';
  for (const participant of hosted) startStudent(participant);
}
