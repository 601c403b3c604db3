/**
 * What the in-page code tells the runner, through the `__supportdrillReport` binding. Shared by the
 * page bundle and Node, so both sides agree on the shape. Instants are epoch milliseconds taken
 * in the page (`performance.timeOrigin + …`), so CDP latency never shifts a detection.
 */
export type PageEvent =
  | { type: 'first-frame'; participant: string; source: string; at: number }
  | { type: 'freeze-start'; participant: string; source: string; startedAt: number; detectedAt: number }
  | { type: 'freeze-end'; participant: string; source: string; startedAt: number; detectedAt: number; endedAt: number }
  | { type: 'stats'; participant: string; sample: StatsSample }
  | { type: 'fault'; participant: string; id: string; state: 'applied' | 'cleared'; at: number }
  | { type: 'provider'; participant: string; name: string; at: number; data: Record<string, unknown> }
  | { type: 'error'; participant: string; message: string; at: number };

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
}

/** Settings handed to the injected script before any page script runs. */
export interface InjectedConfig {
  /** The window's first participant: the owner of peer connections no page code claimed. */
  participant: string;
  /** Every participant the window hosts (several students may share one window). */
  participants: string[];
  freezeThresholdMs: number;
  statsIntervalMs: number;
}

/** Fault state the runner sets in a page: the share of encoded frames of each kind to drop. */
export interface PageFault {
  id: string;
  media: 'audio' | 'video';
  dropRate: number;
}

export const REPORT_BINDING = '__supportdrillReport';
export const CONFIG_GLOBAL = '__supportdrillConfig';
export const CONTROL_GLOBAL = '__supportdrill';
