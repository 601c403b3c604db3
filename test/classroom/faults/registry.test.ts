import { describe, expect, it } from 'vitest';
import {
  affectedStudents,
  FAULT_KINDS,
  FAULT_KIND_NAMES,
  faultKindRegistry,
  faultSchema,
  groundTruth,
} from '../../../src/classroom/faults/registry.ts';
import { videoFreeze } from '../../../src/classroom/faults/video-freeze.ts';
import { resolveTarget } from '../../../src/classroom/participants.ts';

const students = ['student-1', 'student-2', 'student-3'];
const timing = { at: 0, for: 1000 };

describe('resolveTarget', () => {
  it('expands students to every student and keeps a single participant as it is', () => {
    expect(resolveTarget('students', students)).toEqual(students);
    expect(resolveTarget('teacher', students)).toEqual(['teacher']);
    expect(resolveTarget('student-2', students)).toEqual(['student-2']);
  });
});

describe('affectedStudents', () => {
  it('lets a video fault on the teacher reach every student', () => {
    expect(affectedStudents({ kind: 'video-freeze', target: 'teacher', ...timing }, students)).toEqual(students);
  });

  it('limits a fault on one student to that student', () => {
    expect(affectedStudents({ kind: 'network', target: 'student-3', ...timing }, students)).toEqual(['student-3']);
  });

  it('puts no picture freeze down to an audio-only fault', () => {
    expect(affectedStudents({ kind: 'audio-dropout', target: 'teacher', ...timing }, students)).toEqual([]);
    expect(affectedStudents({ kind: 'packet-loss', target: 'teacher', rate: 0.5, media: 'audio', ...timing }, students)).toEqual([]);
    expect(affectedStudents({ kind: 'packet-loss', target: 'teacher', rate: 0.5, media: 'both', ...timing }, students)).toEqual(students);
  });
});

describe('the fault registry', () => {
  it('refuses, at compile time, a kind filed under another name or one whose parts do not fit', () => {
    // @ts-expect-error — the key must be the kind's own `kind`
    faultKindRegistry({ 'video-freez': videoFreeze });
    // @ts-expect-error — a kind without an apply() is not a fault kind
    faultKindRegistry({ 'video-freeze': { ...videoFreeze, apply: undefined } });
    expect(Object.keys(faultKindRegistry({ 'video-freeze': videoFreeze }))).toEqual(['video-freeze']);
  });

  it('builds the drill schema from the registry: every kind parses, an unknown one lists them all', () => {
    expect(faultSchema.options).toEqual(Object.values(FAULT_KINDS).map((kind) => kind.schema));
    expect(faultSchema.parse({ kind: 'video-freeze', target: 'teacher', at: '1s', for: '2s' })).toEqual({ kind: 'video-freeze', target: 'teacher', at: 1000, for: 2000 });
    const unknown = faultSchema.safeParse({ kind: 'earthquake', target: 'teacher', at: '1s', for: '1s' });
    expect(unknown.error?.issues[0]?.message).toBe(`unknown fault kind; expected one of ${FAULT_KIND_NAMES.map((k) => `'${k}'`).join(', ')}`);
  });

  it("declares where each kind's trouble really is", () => {
    const parse = (fault: object) => faultSchema.parse({ at: '1s', for: '1s', ...fault });
    expect(groundTruth(parse({ kind: 'video-freeze', target: 'teacher' }))).toMatchObject({ participant: 'teacher', side: 'publisher', direction: 'send', media: ['video'] });
    expect(groundTruth(parse({ kind: 'video-freeze', target: 'student-2' }))).toMatchObject({ participant: 'student-2', side: 'subscriber', direction: 'receive', media: ['video'] });
    expect(groundTruth(parse({ kind: 'audio-dropout', target: 'teacher' }))).toMatchObject({ side: 'publisher', media: ['audio'] });
    expect(groundTruth(parse({ kind: 'packet-loss', target: 'teacher', rate: 0.2, media: 'both' }))).toMatchObject({
      side: 'publisher',
      media: ['video', 'audio'],
      mechanism: '20 % of the encoded video and audio frames sent are lost',
    });
    expect(groundTruth(parse({ kind: 'network', target: 'student-1', uploadKbps: 300 }))).toMatchObject({ side: 'network', direction: 'send', mechanism: "student-1's network path: uplink capped at 300 kbit/s" });
    expect(groundTruth(parse({ kind: 'network', target: 'student-1', packetLoss: 20 }))).toMatchObject({ side: 'network', direction: 'both' });
    expect(groundTruth(parse({ kind: 'cpu-throttle', target: 'teacher', rate: 4 }))).toMatchObject({ side: 'publisher', media: ['video', 'audio'] });
  });
});
