/**
 * What the in-page code tells the runner, through the `__supportdrillReport` binding. Shared by the
 * page bundle and Node, so both sides agree on the shape. Instants are epoch milliseconds taken
 * in the page (`performance.timeOrigin + …`), so CDP latency never shifts a detection.
 */
export type PageEvent =
  | { type: 'first-frame'; participant: string; source: string; at: number }
  | { type: 'freeze-start'; participant: string; source: string; startedAt: number; detectedAt: number }
  | { type: 'freeze-end'; participant: string; source: string; startedAt: number; detectedAt: number; endedAt: number }
  | { type: 'state-start'; participant: string; source: string; state: StateKind; startedAt: number; detectedAt: number }
  | { type: 'state-end'; participant: string; source: string; state: StateKind; startedAt: number; detectedAt: number; endedAt: number }
  | { type: 'stats'; participant: string; sample: StatsSample }
  | { type: 'fault'; participant: string; id: string; state: 'applied' | 'cleared'; at: number }
  | { type: 'provider'; participant: string; name: string; at: number; data: Record<string, unknown> }
  | { type: 'error'; participant: string; message: string; at: number };

/**
 * What a student sees of a watched video: `moving` (frames arrive and the picture changes), `still`
 * (frames arrive, the picture does not change), `blank` (black or one uniform colour), `frozen`
 * (no frames at all).
 */
export type VideoState = 'moving' | 'still' | 'blank' | 'frozen';

/** An episode other than a freeze (frozen video has its own): the picture blank or still, or the sound gone. */
export type StateKind = 'blank' | 'still' | 'audio-dropout';

/** One watched video over one stats interval. */
export interface VideoSecond {
  /** The worst state seen in the interval (frozen > blank > still > moving). */
  state: VideoState;
  /** Camera-to-screen delay read from the teacher picture's stamp (same machine clock), median of the interval; `null` when no stamp was read. */
  delayMs: number | null;
  /** The last stamp's frame number, or `null`. */
  frame: number | null;
}

/** The received audio over one stats interval. */
export interface AudioSecond {
  /** Share of the samples played out that were concealment (no audio arrived to play), 0–1; `null` when the receiver's counters did not say. */
  concealedShare: number | null;
  /** Whether an audio dropout was open at any point of the interval. */
  dropout: boolean;
}

export interface RtpSummary {
  direction: 'inbound' | 'outbound';
  kind: 'audio' | 'video';
  framesDecoded?: number;
  framesEncoded?: number;
  framesSent?: number;
  framesReceived?: number;
  framesDropped?: number;
  framesPerSecond?: number;
  freezeCount?: number;
  pauseCount?: number;
  totalFreezesDuration?: number;
  totalPausesDuration?: number;
  packetsLost?: number;
  packetsReceived?: number;
  packetsSent?: number;
  jitter?: number;
  totalAudioEnergy?: number;
  audioLevel?: number;
  concealedSamples?: number;
  silentConcealedSamples?: number;
  totalSamplesReceived?: number;
  bytesReceived?: number;
  bytesSent?: number;
  keyFramesDecoded?: number;
  pliCount?: number;
  frameWidth?: number;
  frameHeight?: number;
}

export interface StatsSample {
  at: number;
  /** Frames the freeze monitor saw presented since the previous sample, per watched video. */
  renderedFps: Record<string, number>;
  /** Encoded frames dropped by injected faults since the page started, by media kind. */
  droppedByFault: { audio: number; video: number };
  rtp: RtpSummary[];
  /** Per watched video (by source), what the student saw in the interval; absent on a page that watches none. */
  video?: Record<string, VideoSecond>;
  /** The received audio in the interval, for a participant that receives audio. */
  audio?: AudioSecond;
}

/** Settings handed to the injected script before any page script runs. */
export interface InjectedConfig {
  /** The window's first participant: the owner of peer connections no page code claimed. */
  participant: string;
  /** Every participant the window hosts (several students may share one window). */
  participants: string[];
  freezeThresholdMs: number;
  statsIntervalMs: number;
  /**
   * The teacher's window replaces the camera with the stamped picture (its wall-clock time, frame
   * number and a machine-readable stamp) at this size and rate; absent, the browser's camera.
   */
  stampedCamera?: { width: number; height: number; fps: number };
}

/**
 * Fault state the runner sets in a page: the share of encoded frames of each kind to drop, or what
 * the stamped camera shows instead of the live picture (`black` frames, or one frame `still`).
 */
export type PageFault = FrameDropFault | PictureFault;

export interface FrameDropFault {
  id: string;
  media: 'audio' | 'video';
  dropRate: number;
}

export interface PictureFault {
  id: string;
  picture: 'black' | 'still';
}

export const REPORT_BINDING = '__supportdrillReport';
export const CONFIG_GLOBAL = '__supportdrillConfig';
export const CONTROL_GLOBAL = '__supportdrill';
