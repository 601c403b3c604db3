/**
 * The labelled replies (test/fixtures/labelled-replies), written by authors who never saw the
 * rules. The development set is what the rules were written from: every reply there must be read
 * as labelled. The held-back third, by authors whose replies were never read while writing rules,
 * is measured by `npm run bench:classify` / `bench:diagnosis` and guarded here only against falling
 * below what docs/BENCHMARKS.md reports.
 */
import { describe, expect, it } from 'vitest';
import { classifyReply } from '../../src/support/classifier.ts';
import { diagnoseReply } from '../../src/support/diagnosis.ts';
import { PARTICIPANT_IDS, REPLIES, answerKeyOf, scenarioOf } from '../../scripts/labelled-replies.ts';

/**
 * Development replies the rules still read otherwise than labelled, each with how: the benchmark
 * counts them, and a rule that fixes one must take it off this list (the test below checks each is
 * still a miss). Some are places where two authors label the same shape differently.
 */
const KNOWN_MISSES: Record<string, string> = {
  'b2-ag-zh-098': 'authors disagree: a stock autoplay cause, canned here; the first author’s gm-mx-002 (the same shape) is a resolution',
  'b3-124': 'authors disagree: the same stock cause stated as this ticket’s ("该问题是由于主播端麦克风采集中断导致的"), canned here, a resolution elsewhere',
  'b4a-038': 'kind reads auto, labelled canned: an acknowledgement restating room, uid and ticket number with a hand-over and nothing else; an acknowledgement that hands over is a receipt in the escalation tests',
  'b4a-045': 'verdict reads partial, labelled correct: the relay stall is read, but "接收码率为 0" beside it is not a mechanism the rules know',
  'b4a-055': 'verdict reads wrong, labelled partial: "the node switch briefly disconnected 1004" is read as the network, not the server',
  'b4a-088': 'verdict reads partial, labelled correct: "该学生家庭网络" names no student; the reply names 1003 in another paragraph',
  'b5c-097': 'authors disagree: "经核实，该问题为学生端网络问题导致" is a resolution here, the same stock line is canned for b4a-043 and b4b-027',
  'b5b-049': 'authors disagree: "The freezes are caused by the presenter\'s upstream connection" with stock advice: canned here, a resolution for b3-056\'s author',
  'b5c-075': 'verdict reads wrong, labelled partial: audio "near silence packets" on the uplink is read as the network, the hedged AEC/ANS cause on the teacher is not a mechanism the rules know',
  'b5c-098': 'verdict reads correct, labelled partial: "影响用户为学生 uid 1003" names the wrong student, but the rules take the stall\'s receiver only after "对"/"to"',
  'b5d-050': 'verdict reads wrong, labelled correct: a Slack export whose "rather than the SFU" clause is read as blaming the SFU',
  'b5a-054': 'verdict reads partial, labelled correct: "可能是学生端网络问题" names the students; the uid is in a sentence that contrasts the teacher',
  'b5b-038': 'verdict reads wrong, labelled partial: "the SFU\'s congestion controller dropped layers" is where the vendor looked, read as the server',
  'b5b-051': 'verdict reads partial, labelled correct: "that student\'s local network" names no student; 1003 is in the sentence before',
  'b5b-099': 'verdict reads wrong, labelled correct: "the bridge … forwarded to one endpoint (1004)" is read as the publisher, the bridge\'s stall is not seen',
};

const dev = REPLIES.filter((r) => r.split === 'dev' && !(r.id in KNOWN_MISSES));
const holdout = REPLIES.filter((r) => r.split === 'holdout');
const classify = (r: (typeof REPLIES)[number]) => classifyReply({ ...r.input, facts: scenarioOf(r).facts });
const diagnose = (r: (typeof REPLIES)[number]) => diagnoseReply(r.input.text, answerKeyOf(scenarioOf(r)), PARTICIPANT_IDS);

describe('the labelled replies', () => {
  it('are a set worth measuring on: 150+ replies, both languages, every kind and verdict, a held-back third', () => {
    expect(REPLIES.length).toBeGreaterThanOrEqual(150);
    expect(REPLIES.filter((r) => r.language !== 'en').length).toBeGreaterThanOrEqual(60);
    expect(new Set(holdout.map((r) => r.kind))).toEqual(new Set(['auto', 'canned', 'human', 'resolution']));
    expect(new Set(REPLIES.map((r) => r.verdict))).toEqual(new Set(['correct', 'partial', 'wrong', 'none']));
    expect(holdout.length / REPLIES.length).toBeGreaterThanOrEqual(0.3);
    // Held back means written by authors whose replies were never read for rules: no author's replies are on both sides.
    const authorOf = (id: string) => /^(b\d+[a-z]?)-/.exec(id)?.[1] ?? 'first';
    const devAuthors = new Set(dev.map((r) => authorOf(r.id)));
    expect(holdout.filter((r) => devAuthors.has(authorOf(r.id)))).toEqual([]);
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

describe('the known misses', () => {
  it('stay under 5 % of the development set, and each is still a miss (a fixed one leaves the list)', () => {
    expect(Object.keys(KNOWN_MISSES).length).toBeLessThanOrEqual(REPLIES.filter((r) => r.split === 'dev').length * 0.05);
    for (const id of Object.keys(KNOWN_MISSES)) {
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

  it('relayed comments: at least the share read with their own time when the rules were last written', () => {
    const relayed = holdout.filter((r) => r.relayedAt);
    const right = relayed.filter((r) => Date.parse(classify(r).writtenAt ?? 'none') === Date.parse(r.relayedAt!)).length;
    expect(right / relayed.length).toBeGreaterThanOrEqual(HOLDOUT_FLOORS.relayedTime);
  });
});

const HOLDOUT_FLOORS = { kind: 0.923, diagnosis: 0.9, relayedTime: 0.95 };
