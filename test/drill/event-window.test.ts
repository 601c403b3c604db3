import { describe, expect, it } from 'vitest';
import { parseEvent, resolveEvent, windowProblems, type EventRef } from '../../src/drill/event-window.ts';

const read = (text: string) => parseEvent(text) as EventRef;
const plan = { duration: 30_000, faults: [{ on: 10_000, off: 20_000 }] };

describe('parseEvent', () => {
  it('reads the class and fault events, with an offset either way, however they are spaced', () => {
    expect(parseEvent('class start')).toEqual({ text: 'class start', anchor: 'class start', offsetMs: 0 });
    expect(parseEvent('class end - 2s')).toEqual({ text: 'class end - 2s', anchor: 'class end', offsetMs: -2000 });
    expect(parseEvent('fault 0 on')).toEqual({ text: 'fault 0 on', anchor: 'fault on', fault: 0, offsetMs: 0 });
    expect(parseEvent('  fault 12   off+1s500ms ')).toEqual({ text: 'fault 12 off + 1s500ms', anchor: 'fault off', fault: 12, offsetMs: 1500 });
  });

  it('says what it expected of what it cannot read', () => {
    expect(parseEvent('fault 0 of')).toBe(
      "expected an event like 'class start', 'class end', 'fault 0 on' or 'fault 0 off', optionally with an offset ('fault 0 off + 5s', 'class end - 2s'), got 'fault 0 of'",
    );
    expect(parseEvent('start')).toMatch(/^expected an event like/);
    expect(parseEvent('fault 0 off + 5')).toBe("'+ 5' in 'fault 0 off + 5' is not an offset; write it like '+ 5s' or '- 500ms'");
  });
});

describe('windowProblems', () => {
  it('accepts a window inside the class, in order', () => {
    expect(windowProblems(read('class start'), read('fault 0 on'), plan)).toEqual([]);
    expect(windowProblems(read('fault 0 off + 5s'), read('class end'), plan)).toEqual([]);
  });

  it('refuses a fault the drill does not have, naming those it has', () => {
    expect(windowProblems(read('fault 1 on'), read('class end'), plan)).toEqual([{ field: 'from', message: "'fault 1 on' names fault 1, and the drill has only fault 0" }]);
    expect(windowProblems(read('fault 0 on'), read('class end'), { duration: 30_000, faults: [] })[0]!.message).toBe("'fault 0 on' names fault 0, and the drill has no faults");
  });

  it('refuses ends outside the class and a window that ends before it starts', () => {
    expect(windowProblems(read('class start - 1s'), read('class end'), plan)).toEqual([
      { field: 'from', message: "'class start - 1s' falls 1.0 s before the class starts; a window lies inside the class, from 'class start' at the earliest" },
    ]);
    expect(windowProblems(read('fault 0 off'), read('class end + 1s'), plan)[0]!.message).toBe(
      "'class end + 1s' falls 31.0 s into the class, after it ends (classroom.duration is 30.0 s); a window lies inside the class, up to 'class end' at the latest",
    );
    expect(windowProblems(read('fault 0 off'), read('fault 0 on + 10s'), plan)).toEqual([
      { field: 'to', message: "the window ends ('fault 0 on + 10s', 20.0 s into the class) before it starts ('fault 0 off', 20.0 s); name a later event in 'to'" },
    ]);
  });
});

describe('resolveEvent', () => {
  const clock = { classStart: 1000, classEnd: 31_000, faults: [{ index: 0, startedAt: 11_050, endedAt: 21_020 }, { index: 1, startedAt: 25_000, endedAt: null }] };

  it('puts events where they really fell in the run', () => {
    expect(resolveEvent(read('class start + 2s'), clock)).toBe(3000);
    expect(resolveEvent(read('fault 0 on'), clock)).toBe(11_050);
    expect(resolveEvent(read('fault 0 off + 5s'), clock)).toBe(26_020);
    // Still on when the class ended: it went off with the class.
    expect(resolveEvent(read('fault 1 off'), clock)).toBe(31_000);
    expect(resolveEvent(read('fault 2 on'), clock)).toBeUndefined();
  });
});
