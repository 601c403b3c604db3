/**
 * What a student sees of one watched video besides frames arriving: `blank` (black or uniform),
 * `still` (frames arrive, the picture does not change) or `moving`, and the camera-to-screen delay
 * from the teacher picture's stamp. Cheap enough for a class of 16 in one window: a presented frame
 * is sampled at most five times a second, into a 16×9 thumbnail and a tiny copy of the stamp.
 * Blank and still pictures that last a freeze threshold are reported as episodes, like freezes.
 */
import type { PageEvent, StateKind, VideoSecond, VideoState } from './protocol.ts';
import { STAMP_COLUMNS, STAMP_ROWS, readStampBits, stampRect } from './stamp.ts';

export const SAMPLE_EVERY_MS = 200;
/** Luma standard deviation (0–255) under which a picture is one uniform colour. */
const BLANK_SPREAD = 8;
/** Mean absolute thumbnail difference under which an unstamped picture did not change. */
const STILL_DIFFERENCE = 1;
const CELL_PX = 4;
const RANK: Record<VideoState, number> = { moving: 0, still: 1, blank: 2, frozen: 3 };

export interface VideoStateReader {
  /** A frame was presented at `at` (epoch ms). */
  onFrame(at: number): void;
  /** The interval since the last call: its worst state and median delay; `frozen` when a freeze was open in it or no frame came. */
  second(frozenInInterval: boolean): VideoSecond;
}

export function videoStateReader(options: { video: HTMLVideoElement; participant: string; source: string; thresholdMs: number; report(event: PageEvent): void; sampleEveryMs?: number }): VideoStateReader {
  const { video, participant, source, thresholdMs, report } = options;
  const sampleEveryMs = options.sampleEveryMs ?? SAMPLE_EVERY_MS;
  const thumb = document.createElement('canvas');
  thumb.width = 16;
  thumb.height = 9;
  const thumbCtx = thumb.getContext('2d', { willReadFrequently: true })!;
  const stamp = document.createElement('canvas');
  stamp.width = STAMP_COLUMNS * CELL_PX;
  stamp.height = STAMP_ROWS * CELL_PX;
  const stampCtx = stamp.getContext('2d', { willReadFrequently: true })!;

  let lastSampleAt = 0;
  let previousThumb: Uint8ClampedArray | null = null;
  let lastStampFrame: number | null = null;
  let changedAt = 0;
  /** The state the picture has been in since `since`, and the episode it opened, if it lasted. */
  let current: { state: VideoState; since: number; episode: { state: StateKind; startedAt: number; detectedAt: number } | null } | null = null;
  let worst: VideoState | null = null;
  let delays: number[] = [];
  let frames = 0;

  /**
   * The picture's luma at a point (0–255), from the decoded frame's own Y plane: one copy of a
   * frame already in memory, where drawing the video into a canvas converted every sampled frame to
   * RGB — which, for sixteen students in a window, took enough of a 2-core probe to freeze them.
   * `null` when the frame is not a YUV frame in memory (the canvas path reads it then).
   */
  let plane: Uint8Array | null = null;
  const lumaOf = async (): Promise<{ width: number; height: number; at(x: number, y: number): number } | null> => {
    if (typeof VideoFrame === 'undefined') return null;
    let frame: VideoFrame;
    try {
      frame = new VideoFrame(video);
    } catch {
      return null;
    }
    try {
      if (frame.format !== 'I420' && frame.format !== 'I420A' && frame.format !== 'NV12') return null;
      const rect = frame.visibleRect!;
      const size = frame.allocationSize();
      if (!plane || plane.length !== size) plane = new Uint8Array(size);
      const [y] = await frame.copyTo(plane);
      const bytes = plane;
      const { offset, stride } = y!;
      return { width: rect.width, height: rect.height, at: (x, yy) => bytes[offset + Math.floor(yy) * stride + Math.floor(x)]! };
    } catch {
      return null;
    } finally {
      frame.close();
    }
  };

  const readStamp = (w: number, h: number, at: number) => {
    const rect = stampRect(w, h);
    stampCtx.drawImage(video, rect.x, rect.y, rect.width, rect.height, 0, 0, stamp.width, stamp.height);
    const pixels = stampCtx.getImageData(0, 0, stamp.width, stamp.height).data;
    const bits: boolean[] = [];
    for (let row = 0; row < STAMP_ROWS; row++) {
      for (let col = 0; col < STAMP_COLUMNS; col++) {
        // The cell's centre: edges blur into their neighbours under compression.
        const i = ((row * CELL_PX + CELL_PX / 2) * stamp.width + col * CELL_PX + CELL_PX / 2) * 4;
        bits.push((pixels[i]! + pixels[i + 1]! + pixels[i + 2]!) / 3 > 128);
      }
    }
    return readStampBits(bits, at);
  };

  /** A 16×9 grid of the picture's luma, and the stamp if it has one. */
  const look = async (at: number): Promise<{ grid: Uint8ClampedArray; stamped: ReturnType<typeof readStampBits> }> => {
    const luma = await lumaOf();
    if (luma) {
      const grid = new Uint8ClampedArray(thumb.width * thumb.height);
      for (let gy = 0; gy < thumb.height; gy++)
        for (let gx = 0; gx < thumb.width; gx++) grid[gy * thumb.width + gx] = luma.at(((gx + 0.5) * luma.width) / thumb.width, ((gy + 0.5) * luma.height) / thumb.height);
      const rect = stampRect(luma.width, luma.height);
      const bits: boolean[] = [];
      for (let row = 0; row < STAMP_ROWS; row++)
        for (let col = 0; col < STAMP_COLUMNS; col++) bits.push(luma.at(rect.x + (col + 0.5) * rect.cell, rect.y + (row + 0.5) * rect.cell) > 128);
      return { grid, stamped: readStampBits(bits, at) };
    }
    thumbCtx.drawImage(video, 0, 0, thumb.width, thumb.height);
    const data = thumbCtx.getImageData(0, 0, thumb.width, thumb.height).data;
    const grid = new Uint8ClampedArray(thumb.width * thumb.height);
    for (let i = 0; i < grid.length; i++) grid[i] = 0.299 * data[i * 4]! + 0.587 * data[i * 4 + 1]! + 0.114 * data[i * 4 + 2]!;
    const w = video.videoWidth;
    const h = video.videoHeight;
    return { grid, stamped: w && h ? readStamp(w, h, at) : null };
  };

  const classify = async (at: number): Promise<VideoState> => {
    const { grid: data, stamped } = await look(at);
    let sum = 0;
    let squares = 0;
    const n = data.length;
    for (const luma of data) {
      sum += luma;
      squares += luma * luma;
    }
    const mean = sum / n;
    const spread = Math.sqrt(Math.max(0, squares / n - mean * mean));
    const before = previousThumb;
    previousThumb = data;
    if (spread < BLANK_SPREAD) return 'blank';
    if (stamped) {
      if (stamped.frame === lastStampFrame) return 'still';
      // Only a new frame's age is the delay: a repeated one only grows older.
      delays.push(Math.max(0, at - stamped.capturedAt));
      lastStampFrame = stamped.frame;
      changedAt = at;
      return 'moving';
    }
    // A picture without the stamp (a vendor's own camera): did it change at all?
    if (before) {
      let difference = 0;
      for (let i = 0; i < data.length; i++) difference += Math.abs(data[i]! - before[i]!);
      if (difference / data.length < STILL_DIFFERENCE) return 'still';
    }
    changedAt = at;
    return 'moving';
  };

  const close = (at: number) => {
    const open = current?.episode;
    if (open) report({ type: 'state-end', participant, source, state: open.state, startedAt: open.startedAt, detectedAt: open.detectedAt, endedAt: at });
  };

  let busy = false;
  const settle = (state: VideoState, at: number) => {
    if (worst === null || RANK[state] > RANK[worst]) worst = state;
    if (!current || current.state !== state) {
      close(at);
      // A still picture started when it last changed, not when we first noticed.
      current = { state, since: state === 'still' ? changedAt || at : at, episode: null };
    }
    if ((state === 'blank' || state === 'still') && !current.episode && at - current.since >= thresholdMs) {
      current.episode = { state, startedAt: current.since, detectedAt: at };
      report({ type: 'state-start', participant, source, ...current.episode });
    }
  };

  return {
    onFrame(at) {
      frames += 1;
      if (busy || at - lastSampleAt < sampleEveryMs) return;
      lastSampleAt = at;
      busy = true;
      void classify(at).then((state) => settle(state, at), () => undefined).finally(() => (busy = false));
    },
    second(frozenInInterval) {
      const state: VideoState = frozenInInterval || frames === 0 ? 'frozen' : (worst ?? 'moving');
      const sorted = delays.slice().sort((a, b) => a - b);
      const out: VideoSecond = { state, delayMs: sorted.length ? Math.round(sorted[Math.floor(sorted.length / 2)]!) : null, frame: lastStampFrame };
      worst = null;
      delays = [];
      frames = 0;
      return out;
    },
  };
}
