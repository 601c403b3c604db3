/**
 * Trains the models of src/support/trained-models.ts: multinomial logistic regression with L2,
 * fitted by AdaGrad over shuffled replies. Deterministic: the shuffle is seeded, so the same
 * labelled replies give the same weights on every machine, and a test can check that the committed
 * weights are the ones the labelled replies make.
 */
import { replyModelFeatures } from '../src/support/classifier.ts';
import { claimText, readClaimIn } from '../src/support/claims.ts';
import type { StoredModel } from '../src/support/linear-model.ts';
import { claimFeatures } from '../src/support/text-features.ts';
import { MODEL_MECHANISMS, MODEL_SIDES, type TrainedModels } from '../src/support/trained-models.ts';
import { REPLY_KINDS, type ReplyKind } from '../src/core/reply.ts';
import { PARTICIPANT_IDS, authorOf, scenarioOf, type LabelledReply } from './labelled-replies.ts';
import { seededRandom } from '../src/core/seeded-random.ts';

/** The settings of every fit, chosen by leave-one-author-out runs (`train:models -- --folds`). */
export const TRAINING = {
  /** A feature must occur in this many training replies: rarer ones are one author's quirks. */
  minReplies: 3,
  epochs: 60,
  learningRate: 0.5,
  l2: 5e-2,
  seed: 20261202,
};


/** One labelled reply as the models see it. */
export interface Example {
  reply: LabelledReply;
  /** The kind model's features; `null` when the sender decides the kind and the model is not asked. */
  kindFeatures: string[] | null;
  claimFeatures: string[];
}

export function examplesOf(replies: LabelledReply[]): Example[] {
  return replies.map((reply) => {
    const own = claimText(reply.input.text);
    return {
      reply,
      kindFeatures: replyModelFeatures({ ...reply.input, facts: scenarioOf(reply).facts }),
      claimFeatures: claimFeatures(own, readClaimIn(own, PARTICIPANT_IDS)),
    };
  });
}

/** The kind the rules alone give a reply, from the kind model's features (`auto` where the sender decides). */
export function rulesKindOf(kindFeatures: string[] | null): ReplyKind {
  return (kindFeatures?.find((f) => f.startsWith('rule='))?.slice('rule='.length) ?? 'auto') as ReplyKind;
}

/**
 * Every model from these replies. The claim models learn from what a person wrote (an `auto`
 * reply's cause never counts), whether it used its own data from the replies that state a cause.
 */
export function trainModels(examples: Example[], settings = TRAINING): TrainedModels {
  return { kind: trainKindModel(examples, settings), ...trainClaimModels(examples, settings) };
}

/** The reply-kind model alone, from the replies whose kind the rules do not decide firmly. */
export function trainKindModel(examples: Example[], settings = TRAINING): StoredModel {
  const asked = examples.filter((e) => e.kindFeatures !== null);
  return train(asked.map((e) => ({ features: e.kindFeatures!, label: e.reply.kind, reply: e.reply })), REPLY_KINDS, settings);
}

function trainClaimModels(examples: Example[], settings: typeof TRAINING): Omit<TrainedModels, 'kind'> {
  const people = examples.filter((e) => e.reply.kind !== 'auto');
  const stated = people.filter((e) => e.reply.diagnosis);
  return {
    side: train(people.map((e) => ({ features: e.claimFeatures, label: e.reply.diagnosis?.side ?? 'none', reply: e.reply })), MODEL_SIDES, settings),
    mechanism: train(people.map((e) => ({ features: e.claimFeatures, label: e.reply.diagnosis?.mechanism ?? 'none', reply: e.reply })), MODEL_MECHANISMS, settings),
    ownData: train(stated.map((e) => ({ features: e.claimFeatures, label: e.reply.diagnosis!.usedOwnData ? 'yes' : 'no', reply: e.reply })), ['yes', 'no'], settings),
  };
}

interface Row {
  features: string[];
  label: string;
  reply: LabelledReply;
}

function train(examples: Row[], labels: readonly string[], settings: typeof TRAINING): StoredModel {
  const counts = new Map<string, number>();
  for (const e of examples) for (const f of e.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const features = [...counts].filter(([, n]) => n >= settings.minReplies).map(([f]) => f).sort();
  const rowOf = new Map(features.map((f, i) => [f, i]));
  const width = labels.length;
  const biasRow = features.length;
  const weights = new Float64Array((features.length + 1) * width);
  const squares = new Float64Array(weights.length).fill(1e-8);
  const rows = examples.map((e) => ({ at: [...e.features.flatMap((f) => rowOf.get(f) ?? []), biasRow], label: labels.indexOf(e.label) }));
  const unknown = examples.find((e) => !labels.includes(e.label));
  if (unknown) throw new Error(`labelled reply ${unknown.reply.id}: label '${unknown.label}' is none of ${labels.join(', ')}`);
  const random = seededRandom(settings.seed);
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    for (const row of rows) {
      const scores = new Array<number>(width).fill(0);
      for (const r of row.at) for (let k = 0; k < width; k++) scores[k] += weights[r * width + k];
      const top = Math.max(...scores);
      const exp = scores.map((s) => Math.exp(s - top));
      const total = exp.reduce((a, b) => a + b, 0);
      for (let k = 0; k < width; k++) {
        const error = exp[k] / total - (k === row.label ? 1 : 0);
        for (const r of row.at) {
          const at = r * width + k;
          const gradient = error + settings.l2 * weights[at];
          squares[at] += gradient * gradient;
          weights[at] -= (settings.learningRate * gradient) / Math.sqrt(squares[at]);
        }
      }
    }
  }
  // Three decimals and no near-zero rows: the file stays small, and the test's comparison exact.
  const round = (w: number) => Math.round(w * 1e3) / 1e3;
  const kept = features.map((f, i) => ({ f, w: Array.from(weights.subarray(i * width, (i + 1) * width), round) })).filter((row) => row.w.some((w) => Math.abs(w) >= 0.01));
  return {
    trainedOn: { replies: examples.length, authors: new Set(examples.map((e) => authorOf(e.reply))).size },
    labels: [...labels],
    bias: Array.from(weights.subarray(biasRow * width), round),
    features: kept.map((row) => row.f),
    weights: kept.flatMap((row) => row.w),
  };
}

