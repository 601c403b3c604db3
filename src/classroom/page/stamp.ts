/**
 * The machine-readable stamp in the teacher's picture: two rows of black and white cells in its
 * top-left corner carrying the capture time (epoch ms, low 32 bits), the frame number and a check
 * byte. Sized as fractions of the picture's width, so a receiver reads it from a downscaled frame
 * too (a sender under a bandwidth cap halves its resolution). Shared by the teacher's stamped
 * camera, which writes it, and every student's video-state reader, which reads it.
 */

/** Cells per row: 32 bits of time, 16 of frame number, 8 of check, in two rows. */
export const STAMP_COLUMNS = 28;
export const STAMP_ROWS = 2;
const BITS = STAMP_COLUMNS * STAMP_ROWS;

/** A cell's side as a share of the picture's width: 16 px at 640, large enough to survive VP8 at low bitrates. */
const CELL_OF_WIDTH = 1 / 40;

/** Where the stamp sits in a picture of this size, in its pixels. */
export function stampRect(width: number, height: number): { x: number; y: number; cell: number; width: number; height: number } {
  const cell = width * CELL_OF_WIDTH;
  // Square cells whatever the aspect ratio: heights scale with the width like the picture does.
  void height;
  return { x: cell, y: cell, cell, width: cell * STAMP_COLUMNS, height: cell * STAMP_ROWS };
}

function check(bytes: number[]): number {
  // Not a zero for all-zero bytes: a black frame never reads as a stamp.
  return (bytes.reduce((sum, b) => sum + b, 0) & 0xff) ^ 0xa5;
}

function bytesOf(epochMs: number, frame: number): number[] {
  const low = epochMs % 2 ** 32;
  const f = frame & 0xffff;
  return [(low >>> 24) & 0xff, (low >>> 16) & 0xff, (low >>> 8) & 0xff, low & 0xff, (f >>> 8) & 0xff, f & 0xff];
}

/** The cells of a stamp, row by row, most significant bit first: `true` is white. */
export function stampBits(epochMs: number, frame: number): boolean[] {
  const bytes = bytesOf(epochMs, frame);
  bytes.push(check(bytes));
  const bits: boolean[] = [];
  for (const byte of bytes) for (let i = 7; i >= 0; i--) bits.push(((byte >> i) & 1) === 1);
  return bits;
}

/** What a stamp says, or `null` when the cells do not check out (no stamp, a corrupt or blank frame). */
export function readStampBits(bits: readonly boolean[], nowMs: number): { capturedAt: number; frame: number } | null {
  if (bits.length !== BITS) return null;
  const bytes: number[] = [];
  for (let b = 0; b < 7; b++) {
    let byte = 0;
    for (let i = 0; i < 8; i++) byte = (byte << 1) | (bits[b * 8 + i] ? 1 : 0);
    bytes.push(byte);
  }
  if (check(bytes.slice(0, 6)) !== bytes[6]) return null;
  const low = ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
  // The full instant is the one nearest to now with these low 32 bits (they wrap every 49.7 days).
  const wrap = 2 ** 32;
  const capturedAt = nowMs - ((((nowMs % wrap) - low) % wrap) + wrap) % wrap;
  return { capturedAt, frame: (bytes[4]! << 8) + bytes[5]! };
}
