import { describe, expect, it } from 'vitest';
import { STAMP_COLUMNS, STAMP_ROWS, readStampBits, stampBits, stampRect } from '../../../src/classroom/page/stamp.ts';

describe('the picture stamp', () => {
  const now = Date.parse('2026-12-01T07:11:27.123Z');

  it('reads back the capture time and frame number it was written with', () => {
    const bits = stampBits(now - 80, 4321);
    expect(bits).toHaveLength(STAMP_COLUMNS * STAMP_ROWS);
    expect(readStampBits(bits, now)).toEqual({ capturedAt: now - 80, frame: 4321 });
  });

  it('recovers the full instant across the 32-bit wrap of its time field', () => {
    const wrap = 2 ** 32;
    const justAfterWrap = Math.ceil(now / wrap) * wrap + 5;
    expect(readStampBits(stampBits(justAfterWrap - 20, 7), justAfterWrap)).toEqual({ capturedAt: justAfterWrap - 20, frame: 7 });
  });

  it('keeps frame numbers to 16 bits', () => {
    expect(readStampBits(stampBits(now, 65_536 + 9), now)!.frame).toBe(9);
  });

  it('refuses a black frame, a white one and any single flipped cell', () => {
    expect(readStampBits(Array(STAMP_COLUMNS * STAMP_ROWS).fill(false), now)).toBeNull();
    expect(readStampBits(Array(STAMP_COLUMNS * STAMP_ROWS).fill(true), now)).toBeNull();
    const bits = stampBits(now, 12);
    for (let i = 0; i < bits.length; i++) {
      const flipped = bits.slice();
      flipped[i] = !flipped[i];
      expect(readStampBits(flipped, now), `cell ${i}`).toBeNull();
    }
    expect(readStampBits(bits.slice(1), now)).toBeNull();
  });

  it('scales with the picture: the same share of a downscaled frame', () => {
    const full = stampRect(640, 360);
    const half = stampRect(320, 180);
    expect(full.cell).toBe(16);
    expect(half.cell).toBe(8);
    expect(half.width / 320).toBe(full.width / 640);
    expect(full.x + full.width).toBeLessThan(640);
    expect(full.y + full.height).toBeLessThan(360 / 2);
  });
});
