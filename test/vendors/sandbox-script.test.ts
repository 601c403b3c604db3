import { describe, expect, it } from 'vitest';
import { createBusinessHoursSchema } from '../../src/core/business-hours.ts';
import { PERSONA_DEFINITIONS, type PersonaDefinition } from '../../src/vendors/sandbox-personas.ts';
import { buildScript, knownDueSteps, parseScript, type WrittenEvent } from '../../src/vendors/sandbox-script.ts';

const SECOND = 1000;
const HOURS = createBusinessHoursSchema({ defaultTimezone: 'Asia/Shanghai' }).parse({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' });
const MONDAY_10 = Date.parse('2026-11-30T02:00:00.000Z'); // Asia/Shanghai
const FRIDAY_20 = Date.parse('2026-11-27T12:00:00.000Z');
const MONDAY_9 = Date.parse('2026-11-30T01:00:00.000Z');
const options = { timings: {}, speed: 1, businessHours: HOURS };

const stepEvent = (seq: number, step: string, at: number): WrittenEvent => ({ seq, at, step, messageKey: null, attachments: [] });
const message = (seq: number, at: number, attachments: string[] = []): WrittenEvent => ({ seq, at, step: null, messageKey: `DRILL-c0ffee/${seq}`, attachments });

describe('sandbox script', () => {
  it('a persona that never waits gets due times fixed at filing, as desk files of schema 1 hold them', () => {
    expect(buildScript(PERSONA_DEFINITIONS.responsive, options, MONDAY_10)).toEqual(
      [['ack', 2], ['canned', 6], ['human', 12], ['resolution', 20], ['solved', 21]].map(([step, s]) => ({ step, at: MONDAY_10 + (s as number) * SECOND })),
    );
  });

  it('a waiting step is stored with its delay, not a time, and is not due before its message', () => {
    const script = buildScript(PERSONA_DEFINITIONS['needs-a-person'], options, MONDAY_10);
    expect(script.slice(2)).toEqual([
      { step: 'resolution', after: 'human', delay: 8 * SECOND },
      { step: 'solved', after: 'human', delay: 9 * SECOND },
    ]);
    const written = [stepEvent(1, 'ack', MONDAY_10 + 2 * SECOND), stepEvent(2, 'human', MONDAY_10 + 8 * SECOND)];
    expect(knownDueSteps(script, written)).toEqual([]);
    const answer = message(3, MONDAY_10 + 60 * SECOND);
    expect(knownDueSteps(script, [...written, answer])).toEqual([
      { step: 'resolution', at: answer.at + 8 * SECOND, answers: answer },
      { step: 'solved', at: answer.at + 9 * SECOND, answers: answer },
    ]);
  });

  it('a message recorded before the step it waits after is no answer', () => {
    const script = buildScript(PERSONA_DEFINITIONS['needs-a-person'], options, MONDAY_10);
    const early = [stepEvent(1, 'ack', MONDAY_10 + 2 * SECOND), message(2, MONDAY_10 + 3 * SECOND), stepEvent(3, 'human', MONDAY_10 + 8 * SECOND)];
    expect(knownDueSteps(script, early)).toEqual([]);
  });

  it("a waiting step of an agent in business hours counts business time from the customer's message", () => {
    const persona: PersonaDefinition = {
      delays: { ack: 2 * SECOND, human: 5 * SECOND },
      waits: { human: { after: 'ack' } },
      language: 'en',
      agentsInBusinessHours: true,
    };
    const script = buildScript(persona, options, FRIDAY_20 - 60 * SECOND);
    expect(script[1]).toEqual({ step: 'human', after: 'ack', delay: 5 * SECOND, hours: HOURS });
    const written = [stepEvent(1, 'ack', FRIDAY_20 - 58 * SECOND), message(2, FRIDAY_20)];
    expect(knownDueSteps(parseScript(JSON.stringify(script)), written).map((s) => s.at)).toEqual([MONDAY_9 + 5 * SECOND]);
  });

  it('a stored script reads back the same; a step this version does not know is left out', () => {
    const script = buildScript(PERSONA_DEFINITIONS['asks-for-logs'], options, MONDAY_10);
    expect(parseScript(JSON.stringify(script))).toEqual(script);
    expect(parseScript(JSON.stringify([...script, { step: 'survey', at: MONDAY_10 }]))).toEqual(script);
  });
});
