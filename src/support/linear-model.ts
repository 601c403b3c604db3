/**
 * A trained linear model over text features: multinomial logistic regression, one row of weights
 * per feature, stored as JSON beside the code that uses it (trained by `npm run train:models`). The
 * rules alone stopped improving at about 92 % on authors they were not written from; a model
 * trained on the same labelled replies learns when the rules' reading is not to be trusted, and
 * from which words.
 *
 * A reading is explained the way the rules explain theirs: by the features that weighed most for
 * the label chosen over the runner-up.
 */
import { describeFeature } from './text-features.ts';

/** A model as stored: `features.length × labels.length` weights, feature by feature. */
export interface StoredModel {
  /** What it was trained on, for the reasons and the benchmark. */
  trainedOn: { replies: number; authors: number };
  labels: string[];
  bias: number[];
  features: string[];
  weights: number[];
}

/** A model's reading of one item. */
export interface ModelReading<L extends string> {
  label: L;
  /** The probability it gives that label. */
  confidence: number;
  /** The probability it gives each label. */
  probabilities: Record<L, number>;
  /** The features that weighed most for `label` over the runner-up, strongest first, described. */
  decidedBy: string[];
}

/**
 * Whether a model's label stands over another reading's label: it differs, and the model gives it
 * at least `margin` more probability than it gives the other (0 for a label it does not know).
 */
export function standsOver<L extends string>(model: ModelReading<L>, other: string, margin: number): boolean {
  return model.label !== other && model.probabilities[model.label] - (model.probabilities[other as L] ?? 0) >= margin;
}

export class LinearModel<L extends string> {
  private readonly rows = new Map<string, number>();

  constructor(readonly stored: StoredModel) {
    stored.features.forEach((feature, row) => this.rows.set(feature, row));
  }

  read(features: readonly string[]): ModelReading<L> {
    const { bias, weights, labels } = this.stored;
    const width = labels.length;
    const scores = [...bias];
    const known = features.flatMap((feature) => {
      const row = this.rows.get(feature);
      return row === undefined ? [] : [{ feature, row }];
    });
    for (const { row } of known) for (let k = 0; k < width; k++) scores[k] += weights[row * width + k];
    const top = Math.max(...scores);
    const best = scores.indexOf(top);
    const second = scores.indexOf(Math.max(...scores.filter((_, k) => k !== best)));
    const total = scores.reduce((sum, s) => sum + Math.exp(s - top), 0);
    const decidedBy = known
      .map(({ feature, row }) => ({ feature, margin: weights[row * width + best] - weights[row * width + second] }))
      .filter((c) => c.margin > 0)
      .sort((a, b) => b.margin - a.margin)
      .slice(0, 3)
      .map((c) => describeFeature(c.feature));
    const probabilities = Object.fromEntries(labels.map((label, k) => [label, Math.exp(scores[k] - top) / total])) as Record<L, number>;
    return { label: labels[best] as L, confidence: 1 / total, probabilities, decidedBy };
  }

  /** "the reply model (trained on 2151 labelled replies by 26 authors)". */
  describe(name: string): string {
    const { replies, authors } = this.stored.trainedOn;
    return `the ${name} model (trained on ${replies} labelled replies by ${authors} authors)`;
  }
}
