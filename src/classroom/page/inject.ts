/**
 * Installed with `page.evaluateOnNewDocument`, before any page script — the local classroom's or a
 * vendor SDK's — runs. It makes every peer connection in the page carry an encoded transform the
 * runner controls (the provider-independent fault injection), replaces the teacher's camera with the
 * stamped picture, watches remote videos for freezes, blank and still pictures, listens for audio
 * dropouts and samples getStats. Everything it learns goes to the runner through one binding.
 */
import { audioMonitor, type AudioMonitor } from './audio-monitor.ts';
import { installClockOverlay } from './clock-overlay.ts';
import type { InjectedConfig, PageEvent, PageFault, StatsSample, RtpSummary, VideoSecond } from './protocol.ts';
import { CONFIG_GLOBAL, CONTROL_GLOBAL, REPORT_BINDING } from './protocol.ts';
import { installStampedCamera } from './stamped-camera.ts';
import { SAMPLE_EVERY_MS, videoStateReader, type VideoStateReader } from './video-state.ts';

type MediaKind = 'audio' | 'video';

declare global {
  interface Window {
    [CONFIG_GLOBAL]?: InjectedConfig;
    [CONTROL_GLOBAL]?: PageControl;
    [REPORT_BINDING]?: (event: PageEvent) => Promise<void>;
  }
}

export interface PageControl {
  /** Faults act on the peer connections of `participant` (default: the window's first). */
  setFault(fault: PageFault, participant?: string): void;
  clearFault(id: string, participant?: string): void;
  clearAll(): void;
  /**
   * Claims a peer connection for one of the participants the window hosts: its faults, stats and
   * events are that participant's. Unclaimed ones belong to the window's first participant.
   */
  own(pc: RTCPeerConnection, participant: string): void;
  watchVideo(video: HTMLVideoElement, source: string, participant?: string): void;
  peerConnections(): RTCPeerConnection[];
  report(event: PageEvent): void;
  now(): number;
}

(() => {
  const config = window[CONFIG_GLOBAL];
  if (!config || window[CONTROL_GLOBAL]) return;
  const participant = config.participant;
  const now = () => performance.timeOrigin + performance.now();
  const report = (event: PageEvent) => {
    const binding = window[REPORT_BINDING];
    if (binding) binding(event).catch(() => undefined);
  };

  // ---- fault state, per hosted participant -------------------------------------------------
  const hosted = config.participants?.length ? config.participants : [participant];
  const owners = new WeakMap<RTCPeerConnection, string>();
  const ownerOf = (pc: RTCPeerConnection) => owners.get(pc) ?? participant;
  /** A participant's entry of a per-participant map, made on first use. */
  const entry = <V>(map: Map<string, V>, who: string, make: () => V): V => {
    let own = map.get(who);
    if (own === undefined) map.set(who, (own = make()));
    return own;
  };
  const faults = new Map<string, Map<string, PageFault>>();
  const dropped = new Map<string, { audio: number; video: number }>();
  const faultsOf = (who: string) => entry(faults, who, () => new Map());
  const droppedOf = (who: string) => entry(dropped, who, () => ({ audio: 0, video: 0 }));
  const dropRate = (who: string, kind: MediaKind) => {
    let rate = 0;
    for (const f of faultsOf(who).values()) if ('media' in f && f.media === kind && f.dropRate > rate) rate = f.dropRate;
    return rate;
  };
  // Before any page script asks for a camera: the teacher publishes the stamped picture.
  const camera = config.stampedCamera && participant === 'teacher' ? installStampedCamera(config.stampedCamera) : undefined;
  if (participant !== 'teacher') installClockOverlay();
  /** What the camera shows: the newest picture fault still on, else the live picture. */
  const pictureOf = (who: string) => {
    let picture: 'live' | 'black' | 'still' = 'live';
    for (const f of faultsOf(who).values()) if ('picture' in f) picture = f.picture;
    return picture;
  };

  // ---- encoded transforms on every sender and receiver ---------------------------------------
  const hooked = new WeakSet<object>();
  const peerConnections: RTCPeerConnection[] = [];
  type Endpoint = (RTCRtpSender | RTCRtpReceiver) & {
    createEncodedStreams?: () => { readable: ReadableStream; writable: WritableStream };
  };

  const frameKind = (frame: unknown, fallback: MediaKind | undefined): MediaKind => {
    const videoFrameClass = (globalThis as { RTCEncodedVideoFrame?: new () => unknown }).RTCEncodedVideoFrame;
    if (videoFrameClass && frame instanceof videoFrameClass) return 'video';
    if (fallback) return fallback;
    return typeof (frame as { type?: unknown }).type === 'string' ? 'video' : 'audio';
  };

  const hook = (pc: RTCPeerConnection, endpoint: Endpoint | null | undefined, kindHint?: MediaKind) => {
    if (!endpoint || hooked.has(endpoint) || typeof endpoint.createEncodedStreams !== 'function') return;
    hooked.add(endpoint);
    let streams: { readable: ReadableStream; writable: WritableStream };
    try {
      streams = endpoint.createEncodedStreams();
    } catch (err) {
      report({ type: 'error', participant, message: `encoded streams: ${(err as Error).message}`, at: now() });
      return;
    }
    const known = kindHint ?? (endpoint.track?.kind as MediaKind | undefined);
    const transform = new TransformStream({
      transform(frame, controller) {
        const kind = frameKind(frame, known);
        // Looked up per frame: page code claims a connection after its constructor hooked it.
        const who = ownerOf(pc);
        const rate = dropRate(who, kind);
        if (rate >= 1 || (rate > 0 && Math.random() < rate)) {
          droppedOf(who)[kind] += 1;
          return;
        }
        controller.enqueue(frame);
      },
    });
    streams.readable.pipeThrough(transform).pipeTo(streams.writable).catch(() => undefined);
  };

  const kindOf = (trackOrKind: MediaStreamTrack | string): MediaKind | undefined => {
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    return kind === 'audio' || kind === 'video' ? kind : undefined;
  };

  const Native = window.RTCPeerConnection;
  // The encoded streams must be created synchronously when each sender is created — later, Chrome
  // answers "Too late to create encoded streams" — so the hooks live in the constructor and in the
  // methods that create senders, not in a later sweep.
  class InstrumentedPeerConnection extends Native {
    constructor(configuration?: RTCConfiguration) {
      super({ ...(configuration ?? {}), encodedInsertableStreams: true } as RTCConfiguration);
      peerConnections.push(this);
      this.addEventListener('track', (event) => hook(this, event.receiver as Endpoint, kindOf(event.track)));
    }
    override addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender {
      const sender = super.addTrack(track, ...streams);
      hook(this, sender as Endpoint, kindOf(track));
      return sender;
    }
    override addTransceiver(trackOrKind: MediaStreamTrack | string, init?: RTCRtpTransceiverInit): RTCRtpTransceiver {
      const transceiver = super.addTransceiver(trackOrKind, init);
      hook(this, transceiver.sender as Endpoint, kindOf(trackOrKind));
      hook(this, transceiver.receiver as Endpoint, kindOf(trackOrKind));
      return transceiver;
    }
    override async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
      const result = await super.setRemoteDescription(description);
      for (const transceiver of this.getTransceivers()) hook(this, transceiver.receiver as Endpoint, kindOf(transceiver.receiver.track));
      return result;
    }
  }
  Object.defineProperty(window, 'RTCPeerConnection', { value: InstrumentedPeerConnection, writable: true, configurable: true });
  Object.defineProperty(window, 'webkitRTCPeerConnection', { value: InstrumentedPeerConnection, writable: true, configurable: true });

  // ---- freeze monitor ---------------------------------------------------------------------------
  /** Presented frames since the last stats sample, per hosted participant and watched source. */
  const renderedFrames = new Map<string, Map<string, number>>();
  // A window of many students reads each picture less often: at 5 a second, sixteen readers took
  // enough of a 2-core probe to freeze its videos (docs/BENCHMARKS.md).
  const stateSampleEveryMs = SAMPLE_EVERY_MS * Math.max(1, hosted.length / 4);
  /** Each watched video's state reader, and whether a freeze was open since the last sample. */
  const readers = new Map<string, Map<string, { reader: VideoStateReader; frozen: () => boolean }>>();

  const watchVideo = (video: HTMLVideoElement, source: string, participant = config.participant) => {
    if (hooked.has(video)) return;
    hooked.add(video);
    const frames = entry(renderedFrames, participant, () => new Map<string, number>());
    const threshold = config.freezeThresholdMs;
    let last: number | null = null;
    let open: { startedAt: number; detectedAt: number } | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let frozenSinceSample = false;
    frames.set(source, 0);
    const reader = videoStateReader({ video, participant, source, thresholdMs: threshold, report, sampleEveryMs: stateSampleEveryMs });
    entry(readers, participant, () => new Map()).set(source, {
      reader,
      frozen: () => {
        const was = frozenSinceSample || open !== null;
        frozenSinceSample = false;
        return was;
      },
    });

    // A freeze is reported when it starts being one (last frame + threshold), not when the next
    // frame ends it: a timer re-armed on every frame fires exactly then.
    const check = () => {
      if (last === null || open) return;
      const t = now();
      const due = last + threshold;
      if (t > due) {
        open = { startedAt: last, detectedAt: t };
        frozenSinceSample = true;
        report({ type: 'freeze-start', participant, source, ...open });
      } else {
        timer = setTimeout(check, Math.max(1, due - t + 1));
      }
    };

    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
      const t = performance.timeOrigin + meta.expectedDisplayTime;
      if (last === null) report({ type: 'first-frame', participant, source, at: t });
      if (open) {
        report({ type: 'freeze-end', participant, source, startedAt: open.startedAt, detectedAt: open.detectedAt, endedAt: t });
        open = null;
      } else if (last !== null && t - last > threshold) {
        // The timer was late (a busy page): the gap is still a freeze, detected only now.
        frozenSinceSample = true;
        report({ type: 'freeze-end', participant, source, startedAt: last, detectedAt: t, endedAt: t });
      }
      last = t;
      frames.set(source, (frames.get(source) ?? 0) + 1);
      reader.onFrame(t);
      clearTimeout(timer);
      timer = setTimeout(check, threshold + 1);
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };

  // ---- stats sampler ----------------------------------------------------------------------------
  const RTP_FIELDS = [
    'framesDecoded', 'framesEncoded', 'framesSent', 'framesReceived', 'framesDropped', 'framesPerSecond',
    'freezeCount', 'pauseCount', 'totalFreezesDuration', 'totalPausesDuration', 'packetsLost', 'packetsReceived',
    'packetsSent', 'jitter', 'totalAudioEnergy', 'audioLevel', 'concealedSamples', 'silentConcealedSamples', 'totalSamplesReceived', 'bytesReceived', 'bytesSent', 'keyFramesDecoded', 'pliCount', 'frameWidth', 'frameHeight',
  ] as const;

  const sample = async () => {
    const rtp = new Map<string, RtpSummary[]>(hosted.map((p) => [p, []]));
    for (const pc of peerConnections) {
      if (pc.connectionState === 'closed') continue;
      const into = entry(rtp, ownerOf(pc), () => []);
      let stats: RTCStatsReport;
      try {
        stats = await pc.getStats();
      } catch {
        continue;
      }
      stats.forEach((entry: Record<string, unknown>) => {
        if (entry.type !== 'inbound-rtp' && entry.type !== 'outbound-rtp') return;
        const kind = entry.kind === 'audio' ? 'audio' : 'video';
        const summary: RtpSummary = { direction: entry.type === 'inbound-rtp' ? 'inbound' : 'outbound', kind };
        for (const field of RTP_FIELDS) {
          if (typeof entry[field] === 'number') (summary as unknown as Record<string, number>)[field] = entry[field] as number;
        }
        into.push(summary);
      });
    }
    const at = now();
    for (const [who, summaries] of rtp) {
      const renderedFps: Record<string, number> = {};
      for (const [source, count] of renderedFrames.get(who) ?? []) {
        renderedFps[source] = count;
        renderedFrames.get(who)!.set(source, 0);
      }
      const statsSample: StatsSample = { at, renderedFps, droppedByFault: { ...droppedOf(who) }, rtp: summaries };
      const watched = readers.get(who);
      if (watched) {
        const video: Record<string, VideoSecond> = {};
        for (const [source, { reader, frozen }] of watched) video[source] = reader.second(frozen());
        statsSample.video = video;
      }
      const audio = audioMonitors.get(who)?.second(concealedShare(who, summaries));
      if (audio) statsSample.audio = audio;
      report({ type: 'stats', participant: who, sample: statsSample });
    }
  };
  setInterval(() => void sample(), config.statsIntervalMs);

  // ---- audio dropouts, per hosted participant that receives the teacher's sound ----------------
  const audioMonitors = new Map<string, AudioMonitor>();
  const audioCounters = new Map<string, { concealed: number; played: number }>();
  /** The share of the received audio played out as concealment since the previous sample. */
  const concealedShare = (who: string, summaries: RtpSummary[]): number | null => {
    const inbound = summaries.filter((r) => r.direction === 'inbound' && r.kind === 'audio');
    if (inbound.length === 0) return null;
    const now = { concealed: inbound.reduce((n, r) => n + (r.concealedSamples ?? 0), 0), played: inbound.reduce((n, r) => n + (r.totalSamplesReceived ?? 0), 0) };
    const before = audioCounters.get(who);
    audioCounters.set(who, now);
    const played = before ? now.played - before.played : 0;
    return played > 0 ? Math.round(((now.concealed - before!.concealed) / played) * 1000) / 1000 : null;
  };
  for (const who of hosted) {
    if (who === 'teacher') continue;
    audioMonitors.set(who, audioMonitor({
      participant: who,
      receivers: () => peerConnections.filter((pc) => ownerOf(pc) === who && pc.connectionState !== 'closed').flatMap((pc) => pc.getReceivers().filter((r) => r.track?.kind === 'audio')),
      thresholdMs: config.freezeThresholdMs,
      now,
      report,
    }));
  }

  window[CONTROL_GLOBAL] = {
    setFault(fault, who = participant) {
      faultsOf(who).set(fault.id, fault);
      if ('picture' in fault) camera?.setPicture(pictureOf(who));
      report({ type: 'fault', participant: who, id: fault.id, state: 'applied', at: now() });
    },
    clearFault(id, who = participant) {
      if (faultsOf(who).delete(id)) {
        camera?.setPicture(pictureOf(who));
        report({ type: 'fault', participant: who, id, state: 'cleared', at: now() });
      }
    },
    clearAll() {
      for (const [who, own] of faults) for (const id of [...own.keys()]) this.clearFault(id, who);
    },
    own(pc, who) {
      owners.set(pc, who);
    },
    watchVideo,
    peerConnections: () => [...peerConnections],
    report,
    now,
  };
})();
