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
 * Development replies the rules still read otherwise than labelled, each with how: the benchmark
 * counts them, and a rule that fixes one must take it off this list (the test below checks each is
 * still a miss). Some are places where two authors label the same shape differently.
 */
const KNOWN_MISSES: Record<string, string> = {
'b2-gm-zh-015': "kind reads canned, labelled resolution — Closing one-liner: \"服务端那边的问题\" — server side right, mechanism vague → p",
  'b2-zg-zh-052': "authors disagree: the first author labels a desk acknowledgement auto; this author calls the same shape, signed by a person, canned",
  'b2-jsm-en-067': "authors disagree: retransmissions seen on the edge cluster: the author blames the server, the rules read the loss as the network",
  'b2-ag-zh-078': "authors disagree: the same: an acknowledgement plus a holding line",
  'b2-ag-zh-098': "authors disagree: a stock autoplay cause, canned here; the first author's gm-mx-002 (the same shape) is a resolution",
  'b2-lk-en-106': "verdict reads wrong, labelled partial — Hedged (\"looks like\") downlink congestion but on the wrong student (10",
  'b3-008': "verdict reads none, labelled partial — Hedged (\"I suspect\", \"still digging\") server theory, but attaches it t",
  'b3-016': "verdict reads correct, labelled wrong — \"Quick thought … could be\" + checking now → human; blames the teacher'",
  'b3-032': "verdict reads partial, labelled correct — Tencent notification relaying 研发定位 result; 20:16:08 北京时间 = 12:16:08Z.",
  'b3-041': "verdict reads wrong, labelled partial — Names 1004, other viewers and publisher 1001; hedged \"可能和我们某个节点有关\" → s",
  'b3-057': "verdict reads none, labelled partial — Bilingual; hedged network hypothesis for the teacher's machine based o",
  'b3-070': "kind reads human, labelled resolution — \"Resolved —\" settled; blames 1004's network and says \"nothing wrong on",
  'b3-072': "kind reads auto, labelled canned — Chinese JSM notification relaying a holding comment; 下午6:12 GMT+08:00 ",
  'b3-078': "kind reads human, labelled resolution; verdict reads wrong, labelled correct — \"Confirmed\" + SFU mentioned but not blamed.",
  'b3-112': "kind reads resolution, labelled canned — Stock cause with nothing of the ticket stated as the cause (publisher ",
  'b3-113': "kind reads canned, labelled human — relayed \"leaning towards\" comment, media engineering to confirm; stude",
  'b3-124': "kind reads resolution, labelled canned — Stock cause stated as the cause (主播端 = teacher) with nothing of the ti",
  'b3-125': "kind reads canned, labelled human — Asks VPN/region (not in the ticket) and says they are checking edges; ",
  'b3-130': "kind reads human, labelled resolution — casual but settled admission of a server-side forwarding stall.",
  'b3-138': "kind reads human, labelled resolution — Analysis complete, other participants named as unaffected, servers rul",
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

  it('every relayed comment keeps its own time', () => {
    for (const r of holdout.filter((r) => r.relayedAt)) expect(Date.parse(classify(r).writtenAt ?? 'none'), r.id).toBe(Date.parse(r.relayedAt!));
  });
});

const HOLDOUT_FLOORS = { kind: 0.87, diagnosis: 0.89 };
