/**
 * The trained models (src/support/trained-models.ts) and how the classifier and the diagnosis weigh
 * them against the rules: a linear model's reading and its explanation, where a model overrules
 * the rules and where it is not asked, and that the committed weights are the ones the labelled
 * replies make (a change to the rules' reasons or the features must retrain them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyReply, overrules, replyModelFeatures } from '../../src/support/classifier.ts';
import { readClaim } from '../../src/support/claims.ts';
import { LinearModel, type StoredModel } from '../../src/support/linear-model.ts';
import { weighClaim } from '../../src/support/weighed-claim.ts';
import { REPLIES } from '../../scripts/labelled-replies.ts';
import { examplesOf, trainModels } from '../../scripts/model-trainer.ts';

describe('a linear model', () => {
  const stored: StoredModel = {
    trainedOn: { replies: 3, authors: 1 },
    labels: ['canned', 'human'],
    bias: [0.5, 0],
    features: ['w=restart', 'w=uid', 'w=0'],
    weights: [2, 0, 0, 1.5, 0, 0.75],
  };
  const model = new LinearModel<'canned' | 'human'>(stored);

  it('gives the label with the highest score, its probability, and the features that decided it, strongest first', () => {
    const reading = model.read(['w=uid', 'w=0', 'w=unknown']);
    expect(reading.label).toBe('human');
    // Scores: canned 0.5, human 2.25.
    expect(reading.confidence).toBeCloseTo(1 / (1 + Math.exp(0.5 - 2.25)), 6);
    expect(reading.probabilities.canned + reading.probabilities.human).toBeCloseTo(1, 9);
    expect(reading.decidedBy).toEqual(["the word 'uid'", "the word '0'"]);
  });

  it('falls back on its bias for a reply with no feature it knows', () => {
    expect(model.read(['w=hello']).label).toBe('canned');
    expect(model.read(['w=hello']).decidedBy).toEqual([]);
  });

  it('names what it was trained on', () => {
    expect(model.describe('reply')).toBe('the reply model (trained on 3 labelled replies by 1 authors)');
  });
});

describe('the reply model beside the rules', () => {
  // A Tencent engineer's flat cause with a closing line; the rules read a stock cause and say canned.
  const FLAT_CAUSE = 'Hi Alex，\n\n经过排查，本次卡顿的原因是学生端设备性能较差，解码跟不上导致的画面卡顿，和老师端以及我们的服务无关。建议学生使用配置更高的电脑，并关闭其他占用 CPU 的程序。\n\n此问题我们这边先关闭，如有其他问题欢迎再提工单。\n\n腾讯云 TRTC 技术支持';

  it('overrules the rules where it is clearly surer, and says so before the rules’ own reason', () => {
    const features = replyModelFeatures({ text: FLAT_CAUSE });
    expect(features).toContain('rule=canned');
    const result = classifyReply({ text: FLAT_CAUSE });
    expect(result.kind).toBe('resolution');
    expect(result.reasons[0]).toMatch(/^the reply model \(trained on \d+ labelled replies by \d+ authors\) reads it as resolution with \d+ %, decided by /);
    expect(result.reasons[1]).toMatch(/^the rules alone read canned: /);
  });

  it('stands only by the margin: a likelier kind by a little leaves the rules’ kind', () => {
    const reading = (p: { human: number; canned: number }) => ({ label: 'human' as const, confidence: p.human, probabilities: { auto: 0, resolution: 0, ...p }, decidedBy: [] });
    expect(overrules(reading({ human: 0.55, canned: 0.45 }), 'canned')).toBe(false);
    expect(overrules(reading({ human: 0.9, canned: 0.05 }), 'canned')).toBe(true);
    expect(overrules(reading({ human: 0.9, canned: 0.05 }), 'human')).toBe(false);
  });

  it('is not asked where the sender or the text says a machine wrote it, or there is no text of its own', () => {
    expect(replyModelFeatures({ text: 'The cause was the teacher’s encoder.', automated: true })).toBeNull();
    expect(replyModelFeatures({ text: 'I am out of the office until Monday with limited access to e-mail.' })).toBeNull();
    expect(replyModelFeatures({ text: '> quoted only', statusChange: 'solved' })).toBeNull();
    expect(classifyReply({ text: 'The cause was the teacher’s encoder.', automated: true }).kind).toBe('auto');
  });
});

describe('the claim models beside the claim reader', () => {
  it('give the side and mechanism where they are clearly surer, and the claim’s phrases say so', () => {
    const text = '经过排查，本次卡顿的原因是学生端设备性能较差，解码跟不上导致的画面卡顿，和老师端以及我们的服务无关。建议学生使用配置更高的电脑，并关闭其他占用 CPU 的程序。';
    const read = readClaim(text);
    const weighed = weighClaim(text)!;
    expect(weighed.side).toBe('subscriber');
    expect(weighed.side).not.toBe(read?.side);
    expect(weighed.mechanisms).toEqual(['decode-failure']);
    expect(weighed.phrases[0]).toMatch(/^the claim model \(trained on \d+ labelled replies by \d+ authors\) reads side subscriber \(\d+ %; the claim reader had /);
  });

  it('never take an unhedged "the cause was …" for no cause at all', () => {
    const text = "The cause was the teacher's client environment: the browser on the teacher's computer has a compatibility problem with our Web SDK. Please update the browser and clear its cache before the next class; reply here if you see it again.";
    expect(readClaim(text)?.causal).toBe(true);
    expect(weighClaim(text)?.side).toBe('publisher');
  });

  it('leave a reply that states no cause without one', () => {
    expect(weighClaim('Thanks, we have received your ticket and will get back to you soon.')).toBeNull();
  });
});

describe('the committed models', () => {
  it('are what `npm run train:models` makes from the labelled replies’ development split', () => {
    const committed = JSON.parse(readFileSync(new URL('../../src/support/trained-models.json', import.meta.url), 'utf8'));
    const trained = trainModels(examplesOf(REPLIES.filter((r) => r.split === 'dev')));
    // Compared as JSON, as the file is written: a stale file says which model and where.
    for (const name of ['kind', 'side', 'mechanism', 'ownData'] as const) {
      expect(JSON.parse(JSON.stringify(trained[name])), `${name}: run npm run train:models and commit src/support/trained-models.json`).toEqual(committed[name]);
    }
  }, 300_000);
});
