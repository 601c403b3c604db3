/**
 * The labelled replies (test/fixtures/labelled-replies), written by authors who never saw the
 * rules. The development set is what the rules were written from and the models trained on: every
 * reply there must be read as labelled. The held-back third, by authors whose replies were never
 * read nor trained on, is measured by `npm run bench:classify` / `bench:diagnosis` and guarded here
 * only against falling below what docs/BENCHMARKS.md reports.
 */
import { describe, expect, it } from 'vitest';
import { classifyReply } from '../../src/support/classifier.ts';
import { diagnoseReply } from '../../src/support/diagnosis.ts';
import { PARTICIPANT_IDS, REPLIES, answerKeyOf, authorOf, readsRelayedTime, scenarioOf } from '../../scripts/labelled-replies.ts';

/**
 * Development replies the rules and models still read otherwise than labelled, each with how: the
 * benchmark counts them, and a change that fixes one must take it off this list (the test below
 * checks each is still a miss). Some are places where two authors label the same shape differently.
 */
const KNOWN_MISSES: Record<string, string> = {
  'b4a-088': 'verdict reads partial, labelled correct: "该学生家庭网络" names no student; the reply names 1003 in another paragraph',
  'b5a-054': 'verdict reads partial, labelled correct: "可能是学生端网络问题" names the students; the uid is in a sentence that contrasts the teacher',
  'b5b-051': 'verdict reads partial, labelled correct: "that student\'s local network" names no student; 1003 is in the sentence before',
  'b5c-098': 'verdict reads correct, labelled partial: "影响用户为学生 uid 1003" names the wrong student, but the reader takes the stall\'s receiver only after "对"/"to"',
  'b6a-056': 'verdict reads partial, labelled correct: "user 1003 (student-2)" beside the teacher\'s stream is read as naming the teacher',
  'b6a-086': 'verdict reads wrong, labelled none: a filled-in macro whose "the cause is usually the network of those users" the claim reader takes for a claim',
  'b6a-091': 'verdict reads partial, labelled correct: the teacher\'s healthy uplink ("老师 1001 … 一直正常") is read as naming the teacher',
  'b6c-031': 'verdict reads correct, labelled partial: "几个学生那边的下行丢包" blames several students where one was at fault; the reader names no one',
  'b6c-057': 'verdict reads partial, labelled correct: a relayed CSM\'s "that student\'s downlink" is read with the teacher named earlier',
  'b6c-091': 'verdict reads partial, labelled correct: "不是老师端…的问题" rules the teacher out, but is read as naming the teacher',
  'b6d-010': 'kind reads canned, labelled human: answers written inline between the quoted customer\'s points are taken for quoted history',
  'b6d-020': 'kind reads canned, labelled resolution: a reply bottom-posted under the quote is taken for quoted history (no text of its own)',
  'b6d-033': 'kind reads canned, labelled human: bottom-posted under the quoted ticket, so no text of its own is read',
  'b6d-056': 'verdict reads partial, labelled correct: a relayed solving comment names the teacher\'s stream beside student-2\'s downlink',
  'b6d-073': 'kind reads canned, labelled human: bottom-posted under the quoted ticket, so no text of its own is read',
  'b6e-003': 'kind reads auto, labelled canned: a mailed chat transcript marked as the bot\'s, labelled by the person who took over',
  'b6e-024': 'kind reads auto, labelled human: "taken your case over from our virtual assistant" is read as the assistant writing',
  'b6e-031': 'relayed time: the JSM comment\'s own time is not read ("Reply above this line" with the author line only)',
  'b6e-037': 'kind reads auto, labelled human: "drafted with Zendesk AI agent assist and edited by Hannah" — the author counts an edited draft as hers',
  'b6e-044': 'kind reads auto, labelled canned: "taking over your conversation from our virtual assistant" is read as the assistant writing',
  'b6e-063': 'kind reads auto, labelled human: "接着智能助手继续跟进" (a person taking over from the assistant) is read as the assistant writing',
  'b6e-064': 'kind reads auto, labelled canned: a chat export marked as the bot\'s, labelled by the person who took over',
  'b6e-068': 'kind reads auto, labelled human: "(Drafted with AI assist, edited by agent)" — the author counts an edited draft as the agent\'s',
  'b6e-073': 'relayed time: the JSM comment\'s own time is not read ("Reply above this line" with the author line only)',
  'b6e-097': 'kind reads auto, labelled human: "Reply drafted by Einstein and reviewed by Sophie" — the author counts a reviewed draft as hers',
  'b7b-025': 'kind reads auto, labelled canned: a Tencent Cloud notification ("此邮件由系统自动发送") relaying an after-sales comment is not recognised as a relay',
  'b7b-028': 'verdict reads partial, labelled none: a DingTalk group\'s generic "一般都是…" advice is read as blaming the network',
  'b7b-070': 'kind reads auto, labelled human, and no own time: a Tencent Cloud progress notification relaying an after-sales comment is not recognised as a relay',
  'b7b-090': 'kind reads auto, labelled human, and no own time: a Volcengine notification (Auto-Submitted) relaying an engineer\'s comment is not recognised as a relay',
  'b7b-094': 'verdict reads correct, labelled partial: the architect says several students were affected where one was; the reader names no one',
  'b7c-058': 'verdict reads partial, labelled correct: the one-liner "1003 学生端下行…" is read as naming the students, not student-2',
  'b7d-012': 'verdict reads partial, labelled correct: the students listed as receiving nothing ("1002/1003/1004/1005") are read as naming student-4, not the teacher at fault',
  'b7d-056': 'verdict reads partial, labelled correct: "该用户下行丢包" with the teacher named earlier is read as naming the teacher',
  'b7d-065': 'verdict reads wrong, labelled none: a polite, generic list of audio-dropout causes is read as blaming the network',
  'b7e-051': 'kind reads auto, labelled human, and no own time: a Freshdesk relay (Auto-Submitted) of a Chinese comment is not recognised as a relay',
  'b7f-020': 'relayed time: the Freshdesk comment\'s "4:20 PM CST" (China Standard Time, UTC+8) is not read',
  'b7f-066': 'relayed time: the Freshdesk comment\'s "10:40 CST" (China Standard Time, UTC+8) is not read',
  'b7g-035': 'verdict reads partial, labelled correct: "the subscribers froze" is read as naming the students as the ones at fault',
  'b7h-052': 'kind reads auto, labelled human, verdict partial, and no own time: a Freshdesk notification (author role system) relaying a bilingual reply is not recognised as a relay, and the students listed as normal ("1002/1004/1005") are read as the one named',
  'b7i-054': 'kind reads auto, labelled resolution, verdict partial, and no own time: a Salesforce case-comment notification (Auto-Submitted) is not recognised as a relay, and the teacher named beside 1003 is read as the one at fault',
  'b7i-063': 'verdict reads wrong, labelled partial: "the teacher\'s upstream bandwidth" is read as blaming the teacher\'s client, not the network path',
  'b7i-070': 'kind reads auto, labelled human, and no own time: a Salesforce case-comment notification (Auto-Submitted) is not recognised as a relay',
  'b7i-075': 'kind reads auto, labelled human, and no own time: a Salesforce case-comment notification (Auto-Submitted) is not recognised as a relay',
  'b7i-083': 'kind reads auto, labelled human, and no own time: a Salesforce case-comment notification (Auto-Submitted) is not recognised as a relay',
  'b7i-096': 'verdict reads partial, labelled correct: student-2 (uid 1003) is named, but "不足以承载老师的视频流" in the same sentence is read as naming the teacher',
  'b7i-098': 'verdict reads wrong, labelled none: a Help Scout saved reply with the room filled in, whose "usually …" is read as a claim',
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
    // Held back means written by authors whose replies were never read for rules nor trained on: no author's replies are on both sides.
    const devAuthors = new Set(dev.map(authorOf));
    expect(holdout.filter((r) => devAuthors.has(authorOf(r)))).toEqual([]);
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
      const timeRight = readsRelayedTime(r, classify(r).writtenAt);
      expect(kindRight && verdictRight && timeRight, id).toBe(false);
    }
  });
});

describe('the held-back third', () => {
  // Floors at the figures docs/BENCHMARKS.md gives: a change that reads unseen replies worse fails here.
  it('reply kinds: at least the accuracy measured when the rules and models were last changed', () => {
    const right = holdout.filter((r) => classify(r).kind === r.kind).length;
    expect(right / holdout.length).toBeGreaterThanOrEqual(HOLDOUT_FLOORS.kind);
  });

  it('diagnosis verdicts: at least the accuracy measured when the rules and models were last changed', () => {
    const right = holdout.filter((r) => (r.kind === 'auto' ? 'none' : diagnose(r).verdict) === r.verdict).length;
    expect(right / holdout.length).toBeGreaterThanOrEqual(HOLDOUT_FLOORS.diagnosis);
  });

  it('relayed comments: at least the share read with their own time when the rules were last changed', () => {
    const relayed = holdout.filter((r) => r.relayedAt);
    const right = relayed.filter((r) => readsRelayedTime(r, classify(r).writtenAt)).length;
    expect(right / relayed.length).toBeGreaterThanOrEqual(HOLDOUT_FLOORS.relayedTime);
  });
});

const HOLDOUT_FLOORS = { kind: 0.974, diagnosis: 0.954, relayedTime: 0.936 };
