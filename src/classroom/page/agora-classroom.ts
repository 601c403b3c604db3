/**
 * The `agora` provider's classroom page: the teacher publishes camera and microphone through
 * agora-rtc-sdk-ng, students subscribe on `user-published` and play the teacher into an element
 * whose <video> the freeze monitor watches. Runs after inject.ts, so the peer connections the SDK
 * creates itself are instrumented like any other. Agora's own view of the class (remote video
 * stats, network quality, exceptions, connection states, video-state changes) goes to the runner
 * as provider events, next to the WebRTC stats.
 */
import AgoraRTCModule from 'agora-rtc-sdk-ng';
import type { AgoraRemoteUser, AgoraSdk } from './agora-sdk.ts';
import { CONTROL_GLOBAL } from './protocol.ts';

const AgoraRTC = AgoraRTCModule as unknown as AgoraSdk;
const params = new URLSearchParams(location.search);
const participant = params.get('participant') ?? 'teacher';
const control = window[CONTROL_GLOBAL];
const event = (name: string, data: Record<string, unknown> = {}) =>
  control?.report({ type: 'provider', participant, name, at: control.now(), data });
const fail = (message: string) => control?.report({ type: 'error', participant, message, at: control.now() });

async function main(): Promise<void> {
  AgoraRTC.setLogLevel?.(2);
  AgoraRTC.disableLogUpload?.();
  event('sdk-loaded', { version: AgoraRTC.VERSION });
  const mode = params.get('mode') === 'live' ? 'live' : 'rtc';
  const client = AgoraRTC.createClient({ mode, codec: params.get('codec') ?? 'vp8' });
  client.on('connection-state-change', (current: string, previous: string, reason?: string) => event('connection-state-change', { current, previous, reason }));
  client.on('network-quality', (quality: { uplinkNetworkQuality: number; downlinkNetworkQuality: number }) => event('network-quality', { ...quality }));
  client.on('exception', (e: { code: number; msg: string; uid: number | string }) => event('exception', { code: e.code, msg: e.msg, uid: e.uid }));

  const isTeacher = participant === 'teacher';
  document.body.dataset.role = isTeacher ? 'teacher' : 'student';
  if (mode === 'live') await client.setClientRole?.(isTeacher ? 'host' : 'audience');

  if (!isTeacher) {
    client.on('user-published', (user: AgoraRemoteUser, mediaType: 'audio' | 'video') => {
      void (async () => {
        const track = await client.subscribe(user, mediaType);
        event('subscribed', { uid: user.uid, mediaType });
        if (mediaType === 'audio') return track.play(document.body);
        const container = document.querySelector<HTMLElement>('#remote')!;
        track.on?.('video-state-changed', (state: unknown) => event('video-state-changed', { uid: user.uid, state }));
        track.play(container);
        const video = container.querySelector('video');
        if (video) control?.watchVideo(video, 'teacher');
        else fail('the SDK played the teacher without a <video> element');
      })().catch((err) => fail(`subscribe: ${String(err)}`));
    });
  }

  const uid = await client.join(params.get('appId') ?? '', params.get('channel') ?? '', params.get('token') || null, Number(params.get('uid')));
  event('joined', { uid, channel: params.get('channel') });

  if (isTeacher) {
    const [microphone, camera] = await Promise.all([
      AgoraRTC.createMicrophoneAudioTrack(),
      AgoraRTC.createCameraVideoTrack({
        encoderConfig: { width: Number(params.get('width') ?? 640), height: Number(params.get('height') ?? 360), frameRate: Number(params.get('fps') ?? 20) },
      }),
    ]);
    camera.play(document.querySelector<HTMLElement>('#local')!);
    await client.publish([microphone, camera]);
    event('published', { uid });
  }

  setInterval(() => {
    try {
      event('stats', isTeacher ? { local: client.getLocalVideoStats(), rtc: client.getRTCStats() } : { remote: client.getRemoteVideoStats(), rtc: client.getRTCStats() });
    } catch (err) {
      fail(`stats: ${String(err)}`);
    }
  }, 1000);
}

main().catch((err) => fail(`agora: ${String((err as Error)?.message ?? err)}`));
