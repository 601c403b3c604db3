/**
 * The labelled replies (test/fixtures/labelled-replies), written by an author who never saw the
 * rules. The development set is what the rules were written from: every reply there must be read
 * as labelled. The held-back third was never read while writing rules; its accuracy is measured by
 * `npm run bench:classify` / `bench:diagnosis` and guarded here only against falling below what
 * docs/BENCHMARKS.md reports.
 */
import { describe, expect, it } from 'vitest';
import { classifyReply } from '../../src/support/classifier.ts';
import { diagnoseReply } from '../../src/support/diagnosis.ts';
import { PARTICIPANT_IDS, REPLIES, answerKeyOf, scenarioOf } from '../../scripts/labelled-replies.ts';

/**
 * Development replies the rules read otherwise, each with why: where the two authors label alike
 * texts differently, a rule can satisfy only one of them. They stay in the benchmark's figures.
 */
const DISAGREEMENTS: Record<string, string> = {
  'b2-zg-zh-052': "an acknowledgement with a holding line, signed by a person: the first author labels desk acknowledgements auto",
  'b2-ag-zh-078': 'the same: acknowledgement plus holding line',
  'b2-ag-zh-098': "a stock autoplay cause with nothing of the ticket, canned here; the first author's gm-mx-002 (the same shape) is a resolution",
  'b2-gm-zh-015': "a two-word closing one-liner blaming the server side with nothing of the ticket in it: reads as generic",
  'b2-jsm-en-067': 'retransmissions seen on the edge cluster: the author blames the server, the rules read the loss as the network',
};

const dev = REPLIES.filter((r) => r.split === 'dev' && !(r.id in DISAGREEMENTS));
const holdout = REPLIES.filter((r) => r.split === 'holdout');
const classify = (r: (typeof REPLIES)[number]) => classifyReply({ ...r.input, facts: scenarioOf(r).facts });
const diagnose = (r: (typeof REPLIES)[number]) => diagnoseReply(r.input.text, answerKeyOf(scenarioOf(r)), PARTICIPANT_IDS);

describe('the labelled replies', () => {
  it('are a set worth measuring on: 150+ replies, both languages, every kind and verdict, a held-back third', () => {
    expect(REPLIES.length).toBeGreaterThanOrEqual(150);
    expect(REPLIES.filter((r) => r.language !== 'en').length).toBeGreaterThanOrEqual(60);
    expect(new Set(holdout.map((r) => r.kind))).toEqual(new Set(['auto', 'canned', 'human', 'resolution']));
    expect(new Set(REPLIES.map((r) => r.verdict))).toEqual(new Set(['correct', 'partial', 'wrong', 'none']));
    expect(holdout.length / REPLIES.filter((r) => !/^b\d+-/.test(r.id)).length).toBeCloseTo(1 / 3, 1);
  });
});

describe('the development set, reply by reply', () => {
  it.each(dev.map((r) => [r.id, r] as const))('%s: kind', (_id, r) => {
    expect(classify(r).kind, r.note).toBe(r.kind);
  });

  it.each(dev.filter((r) => r.kind !== 'auto').map((r) => [r.id, r] as const))('%s: diagnosis verdict', (_id, r) => {
    expect(diagnose(r).verdict, r.note).toBe(r.verdict);
  });

  it.each(dev.filter((r) => r.relayedAt).map((r) => [r.id, r] as const))('%s: the relayed comment’s own time', (_id, r) => {
    expect(Date.parse(classify(r).writtenAt ?? 'none')).toBe(Date.parse(r.relayedAt!));
  });
});

describe('the disagreements', () => {
  it('are few, and each is still a reply the rules read otherwise (a fixed one leaves this list)', () => {
    expect(Object.keys(DISAGREEMENTS).length).toBeLessThanOrEqual(5);
    for (const id of Object.keys(DISAGREEMENTS)) {
      const r = REPLIES.find((reply) => reply.id === id)!;
      const kindRight = classify(r).kind === r.kind;
      const verdictRight = (r.kind === 'auto' ? 'none' : diagnose(r).verdict) === r.verdict;
      expect(kindRight && verdictRight, id).toBe(false);
    }
  });
});

describe('the held-back third', () => {
  // Floors at the figures docs/BENCHMARKS.md gives: a change that reads unseen replies worse fails here.
  it('reply kinds: at least the accuracy measured when the rules were last written', () => {
    const right = holdout.filter((r) => classify(r).kind === r.kind).length;
    expect(right / holdout.length).toBeGreaterThanOrEqual(HOLDOUT_FLOORS.kind);
  });

  it('diagnosis verdicts: at least the accuracy measured when the rules were last written', () => {
    const right = holdout.filter((r) => (r.kind === 'auto' ? 'none' : diagnose(r).verdict) === r.verdict).length;
    expect(right / holdout.length).toBeGreaterThanOrEqual(HOLDOUT_FLOORS.diagnosis);
  });

  it('every relayed comment keeps its own time', () => {
    for (const r of holdout.filter((r) => r.relayedAt)) expect(Date.parse(classify(r).writtenAt ?? 'none'), r.id).toBe(Date.parse(r.relayedAt!));
  });
});

const HOLDOUT_FLOORS = { kind: 0.87, diagnosis: 0.89 };
