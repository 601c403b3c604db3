/**
 * The `local` provider's classroom page: plain WebRTC between pages of one browser, signalled over
 * a WebSocket to the runner's server on 127.0.0.1. The teacher publishes camera and microphone to
 * every student; each student renders the teacher in a <video> the freeze monitor watches.
 * Runs after inject.ts, so every RTCPeerConnection here is already instrumented.
 */
import { CONTROL_GLOBAL } from './protocol.ts';

interface SignalMessage {
  type: 'peer-joined' | 'signal';
  from: string;
  to?: string;
  data?: { sdp?: RTCSessionDescriptionInit; candidate?: RTCIceCandidateInit };
}

const params = new URLSearchParams(location.search);
const participant = params.get('participant') ?? 'teacher';
const room = params.get('room') ?? 'room';
const width = Number(params.get('width') ?? 640);
const height = Number(params.get('height') ?? 360);
const fps = Number(params.get('fps') ?? 20);
const control = window[CONTROL_GLOBAL];

const fail = (message: string) => control?.report({ type: 'error', participant, message, at: control.now() });

const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/signal?room=${encodeURIComponent(room)}&participant=${encodeURIComponent(participant)}`);
const send = (message: Omit<SignalMessage, 'from'>) => socket.send(JSON.stringify(message));
const peers = new Map<string, RTCPeerConnection>();

// Timestamped milestones go to the page's console, which the evidence keeps per participant.
const mark = (what: string) => console.info(`[classroom] ${participant}: ${what}`);

function newPeer(remote: string): RTCPeerConnection {
  const pc = new RTCPeerConnection({ iceServers: [] });
  pc.onconnectionstatechange = () => mark(`connection with ${remote}: ${pc.connectionState}`);
  pc.onicecandidate = (event) => {
    if (event.candidate) send({ type: 'signal', to: remote, data: { candidate: event.candidate.toJSON() } });
  };
  peers.set(remote, pc);
  return pc;
}

function startTeacher(): void {
  document.body.dataset.role = 'teacher';
  // Students may join before the camera is up: calls wait for the stream instead of being lost.
  const streamReady = navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: fps } },
    audio: true,
  });
  streamReady.then((stream) => {
    mark('camera and microphone ready');
    document.querySelector<HTMLVideoElement>('#local')!.srcObject = stream;
  }, (err) => fail(`camera: ${String(err)}`));

  const call = async (student: string) => {
    const stream = await streamReady;
    peers.get(student)?.close();
    const pc = newPeer(student);
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    await pc.setLocalDescription(await pc.createOffer());
    send({ type: 'signal', to: student, data: { sdp: pc.localDescription!.toJSON() } });
    mark(`offer sent to ${student}`);
  };

  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as SignalMessage;
    if (message.type === 'peer-joined' && message.from.startsWith('student-')) void call(message.from).catch((err) => fail(String(err)));
    if (message.type === 'signal') void onSignal(message).catch((err) => fail(String(err)));
  });
}

function startStudent(): void {
  document.body.dataset.role = 'student';
  const video = document.querySelector<HTMLVideoElement>('#remote')!;
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as SignalMessage;
    if (message.type !== 'signal') return;
    if (message.data?.sdp?.type === 'offer') {
      peers.get(message.from)?.close();
      const pc = newPeer(message.from);
      pc.ontrack = (trackEvent) => {
        if (trackEvent.track.kind !== 'video') return;
        mark(`video track from ${message.from}`);
        video.srcObject = trackEvent.streams[0] ?? new MediaStream([trackEvent.track]);
        control?.watchVideo(video, message.from);
        void video.play().catch(() => undefined);
      };
    }
    void onSignal(message).catch((err) => fail(String(err)));
  });
}

async function onSignal(message: SignalMessage): Promise<void> {
  const pc = peers.get(message.from);
  if (!pc || !message.data) return;
  if (message.data.sdp) {
    await pc.setRemoteDescription(message.data.sdp);
    if (message.data.sdp.type === 'offer') {
      await pc.setLocalDescription(await pc.createAnswer());
      send({ type: 'signal', to: message.from, data: { sdp: pc.localDescription!.toJSON() } });
    }
  } else if (message.data.candidate) {
    await pc.addIceCandidate(message.data.candidate);
  }
}

socket.addEventListener('open', () => mark('signaling connected'));
if (participant === 'teacher') startTeacher();
else startStudent();
socket.addEventListener('error', () => fail('signaling connection failed'));
