/**
 * The cause a reply states, as a diagnosis scores it: the claim reader's reading (claims.ts)
 * weighed by the trained claim models (trained-models.ts), which give the side blamed, the
 * mechanism and whether the vendor looked at its own data from the reader's findings and the
 * reply's words. Where a model is clearly surer than the reader ({@link CLAIM_MARGIN}) its answer
 * stands, and the claim's phrases say so first and why; what the reader alone knows (whom, times,
 * the fix) is kept.
 */
import { claimText, readClaimIn, type ClaimSide, type DiagnosisClaim, type ParticipantIds } from './claims.ts';
import { claimFeatures } from './text-features.ts';
import { standsOver } from './linear-model.ts';
import { CLAIM_MODELS, type ClaimModels, type ModelMechanism } from './trained-models.ts';
import type { MechanismKind } from '../core/ground-truth.ts';

/** The mechanisms a model names that are none of a key's: what a claim says when it names no mechanism. */
const NO_MECHANISM = new Set(['none', 'vague', 'other']);

/** The cause the reply states, or `null` when it states none. */
export function weighClaim(text: string, ids: ParticipantIds = {}, trained: ClaimModels = CLAIM_MODELS): DiagnosisClaim | null {
  const own = claimText(text);
  const read = readClaimIn(own, ids);
  const features = claimFeatures(own, read);
  const side = trained.side.read(features);
  const readSide = read?.side ?? 'none';
  // "The cause was …", unhedged, states a cause whatever else the reply's words are like.
  const saysCause = read !== null && read.causal && !read.hedged && read.side !== null;
  const sideStands = standsOver(side, readSide, CLAIM_MARGIN) && !(saysCause && side.label === 'none');
  const models = trained.side.describe('claim');
  if (sideStands && side.label === 'none') {
    const why = `${models} reads no cause stated (${percent(side.confidence)}), decided by ${side.decidedBy.join(', ')}; the claim reader had ${readSide}${read && read.mechanisms.length > 0 ? ` (${read.mechanisms.join(', ')})` : ''}`;
    return read && { ...read, side: null, mechanisms: [], phrases: [why, ...read.phrases] };
  }
  const finalSide = sideStands ? (side.label as ClaimSide) : (read?.side ?? null);
  if (finalSide === null && (read === null || read.mechanisms.length === 0)) return read;
  const mechanism = trained.mechanism.read(features);
  const readMechanisms = read?.mechanisms ?? [];
  // The reader may name several mechanisms (a cause and its symptoms); the model names one.
  const readMechanism = readMechanisms.length === 0 ? 'vague' : readMechanisms.reduce((a, b) => ((mechanism.probabilities[b as ModelMechanism] ?? 0) > (mechanism.probabilities[a as ModelMechanism] ?? 0) ? b : a));
  const mechanismStands = !readMechanisms.includes(mechanism.label as MechanismKind) && standsOver(mechanism, readMechanism, CLAIM_MARGIN);
  const mechanisms: MechanismKind[] = !mechanismStands ? readMechanisms : NO_MECHANISM.has(mechanism.label) ? [] : [mechanism.label as MechanismKind];
  const ownData = trained.ownData.read(features);
  const changed: string[] = [];
  if (sideStands && side.label !== readSide) changed.push(`side ${side.label} (${percent(side.confidence)}; the claim reader had ${readSide}), decided by ${side.decidedBy.join(', ')}`);
  if (mechanismStands) changed.push(`mechanism ${mechanism.label} (${percent(mechanism.confidence)}; the claim reader had ${readMechanisms.join(', ') || 'none'}), decided by ${mechanism.decidedBy.join(', ')}`);
  const base: DiagnosisClaim = read ?? { side: null, participant: null, mechanisms: [], usedOwnData: false, hedged: false, causal: false, times: [], fix: null, rulesOut: [], phrases: [] };
  return {
    ...base,
    side: finalSide,
    mechanisms,
    usedOwnData: ownData.label === 'yes',
    phrases: [...(changed.length > 0 ? [`${models} reads ${changed.join('; ')}`] : []), ...base.phrases],
  };
}

/** How much surer than the reader the claim models must be (chosen, like the kind margin, by leave-one-author-out runs). */
const CLAIM_MARGIN = 0.3;

function percent(p: number): string {
  return `${Math.round(p * 100)} %`;
}
