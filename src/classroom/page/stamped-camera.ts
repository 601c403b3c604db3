/**
 * The teacher's camera, replaced by a generated picture: the probe's wall-clock time and the frame
 * number in large type (so a screenshot of a frozen student shows when the picture stopped, beside
 * the real time) and the machine-readable stamp of `stamp.ts` (so every student measures still
 * video and camera-to-screen delay). Installed over `getUserMedia`, so the local classroom, the SFU
 * and a vendor SDK that captures through it (agora-rtc-sdk-ng does) all publish it unchanged. The
 * `black-screen` and `still-picture` faults act here: the track and the connection stay up.
 */
import type { PictureFault } from './protocol.ts';
import { STAMP_COLUMNS, STAMP_ROWS, stampBits, stampRect } from './stamp.ts';

export interface StampedCamera {
  /** What the picture shows: the live stamped picture, black frames, or its last frame repeated. */
  setPicture(picture: PictureFault['picture'] | 'live'): void;
}

const two = (n: number) => String(n).padStart(2, '0');

function clockText(epochMs: number): string {
  const d = new Date(epochMs);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')} UTC`;
}

/** Replaces every video track `getUserMedia` returns with the stamped picture; audio stays the device's. */
export function installStampedCamera(size: { width: number; height: number; fps: number }): StampedCamera {
  const { width, height, fps } = size;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const still = document.createElement('canvas');
  still.width = width;
  still.height = height;
  const stillCtx = still.getContext('2d')!;
  let picture: PictureFault['picture'] | 'live' = 'live';
  let frame = 0;

  const drawLive = () => {
    const now = Date.now();
    frame += 1;
    ctx.fillStyle = '#1d3557';
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#f1faee';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = `bold ${Math.round(height / 7)}px "DejaVu Sans Mono", monospace`;
    ctx.fillText(clockText(now), width / 2, height * 0.5);
    ctx.font = `${Math.round(height / 14)}px "DejaVu Sans Mono", monospace`;
    ctx.fillText(`teacher · frame ${frame}`, width / 2, height * 0.72);
    const rect = stampRect(width, height);
    // A grey frame around the cells keeps them apart from the background for the reader.
    ctx.fillStyle = '#808080';
    ctx.fillRect(rect.x - rect.cell / 4, rect.y - rect.cell / 4, rect.width + rect.cell / 2, rect.height + rect.cell / 2);
    const bits = stampBits(now, frame);
    for (let row = 0; row < STAMP_ROWS; row++) {
      for (let col = 0; col < STAMP_COLUMNS; col++) {
        ctx.fillStyle = bits[row * STAMP_COLUMNS + col] ? '#ffffff' : '#000000';
        ctx.fillRect(rect.x + col * rect.cell, rect.y + row * rect.cell, rect.cell, rect.cell);
      }
    }
  };

  // Every tick redraws, whatever the picture: a canvas that does not change produces no frames,
  // and a still picture must keep arriving (frames flow, the picture does not move).
  setInterval(() => {
    if (picture === 'live') drawLive();
    else if (picture === 'black') {
      ctx.fillStyle = '#000000';
      ctx.fillRect(0, 0, width, height);
    } else ctx.drawImage(still, 0, 0);
  }, 1000 / fps);
  drawLive();

  const track = () => canvas.captureStream(fps).getVideoTracks()[0]!;
  const native = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    if (!constraints?.video) return native(constraints);
    const tracks: MediaStreamTrack[] = [track()];
    if (constraints.audio) tracks.push(...(await native({ audio: constraints.audio })).getAudioTracks());
    return new MediaStream(tracks);
  };

  return {
    setPicture(next) {
      if (next === 'still' && picture !== 'still') stillCtx.drawImage(canvas, 0, 0);
      picture = next;
    },
  };
}
