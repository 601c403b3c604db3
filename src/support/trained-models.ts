/**
 * The models trained on the labelled replies (test/fixtures/labelled-replies, development split),
 * as committed in trained-models.json by `npm run train:models`; a test checks the file is what the
 * labelled replies make. One model gives a reply's kind, three give the cause it states: the side
 * blamed, the mechanism and whether the vendor looked at its own data.
 */
import { LinearModel, type StoredModel } from './linear-model.ts';
import type { ReplyKind } from '../core/reply.ts';
import stored from './trained-models.json' with { type: 'json' };

/** The sides a reply can blame, as the labelled replies name them; `none` when it blames none. */
export const MODEL_SIDES = ['none', 'publisher', 'subscriber', 'network', 'server'] as const;
export type ModelSide = (typeof MODEL_SIDES)[number];

/** The mechanisms as the labelled replies name them; `vague` and `other` name no mechanism of the key's. */
export const MODEL_MECHANISMS = ['none', 'no-video-sent', 'audio-stopped', 'packet-loss', 'bandwidth', 'latency', 'decode-failure', 'cpu', 'relay-stall', 'disconnect', 'vague', 'other'] as const;
export type ModelMechanism = (typeof MODEL_MECHANISMS)[number];

/** Every model, by what it reads, as the JSON file holds them. */
export interface TrainedModels {
  kind: StoredModel;
  side: StoredModel;
  mechanism: StoredModel;
  ownData: StoredModel;
}

const models = stored as TrainedModels;

/** The three models that weigh a stated cause (weighed-claim.ts). */
export interface ClaimModels {
  side: LinearModel<ModelSide>;
  mechanism: LinearModel<ModelMechanism>;
  ownData: LinearModel<'yes' | 'no'>;
}

/** The claim models of stored weights: the committed ones, or a fold's in training. */
export function claimModelsOf(stored: TrainedModels): ClaimModels {
  return { side: new LinearModel(stored.side), mechanism: new LinearModel(stored.mechanism), ownData: new LinearModel(stored.ownData) };
}

export const KIND_MODEL = new LinearModel<ReplyKind>(models.kind);
export const CLAIM_MODELS = claimModelsOf(models);
