/**
 * `npm run train:models`: trains the reply-kind and claim models on the labelled replies'
 * development split and writes src/support/trained-models.json (commit it with the labelled
 * replies it came from; a test checks the two agree).
 *
 * `-- --folds [PREFIX]`: leave-one-author-out instead — each development author's replies read by models
 * trained on every other author's — printed per author beside the rules alone, then the kinds at
 * each margin of {@link MARGINS}. Only counts are printed, never a reply: how the settings were
 * chosen without reading anyone's misses.
 */
import { writeFileSync } from 'node:fs';
import { MODEL_MARGINS, overrules } from '../src/support/classifier.ts';
import { scoreClaim } from '../src/support/diagnosis.ts';
import type { ReplyKind } from '../src/core/reply.ts';
import { LinearModel } from '../src/support/linear-model.ts';
import { claimModelsOf, type TrainedModels } from '../src/support/trained-models.ts';
import { readClaim } from '../src/support/claims.ts';
import { weighClaim } from '../src/support/weighed-claim.ts';
import { PARTICIPANT_IDS, REPLIES, answerKeyOf, authorOf, scenarioOf } from './labelled-replies.ts';
import { examplesOf, rulesKindOf, trainModels, type Example } from './model-trainer.ts';

const OUT = new URL('../src/support/trained-models.json', import.meta.url);

const examples = examplesOf(REPLIES.filter((r) => r.split === 'dev'));

/** How many of these replies the models read as labelled, and the rules alone. */
function tally(models: TrainedModels, own: Example[]) {
  const kind = new LinearModel<ReplyKind>(models.kind);
  const claims = claimModelsOf(models);
  const count = { replies: own.length, kind: 0, kindRules: 0, verdict: 0, verdictRules: 0, stated: 0, ownData: 0, ownDataRules: 0, byMargin: MARGINS.map(() => 0) };
  for (const e of own) {
    const r = e.reply;
    const rulesKind = rulesKindOf(e.kindFeatures);
    const reading = e.kindFeatures && kind.read(e.kindFeatures);
    if ((reading && overrules(reading, rulesKind) ? reading.label : rulesKind) === r.kind) count.kind++;
    MARGINS.forEach((m, i) => {
      if ((reading && overrules(reading, rulesKind, { ...MODEL_MARGINS, other: m }) ? reading.label : rulesKind) === r.kind) count.byMargin[i]++;
    });
    if (rulesKind === r.kind) count.kindRules++;
    const key = answerKeyOf(scenarioOf(r));
    const weighed = weighClaim(r.input.text, PARTICIPANT_IDS, claims);
    const rules = readClaim(r.input.text, PARTICIPANT_IDS);
    if ((r.kind === 'auto' ? 'none' : scoreClaim(weighed, key).verdict) === r.verdict) count.verdict++;
    if ((r.kind === 'auto' ? 'none' : scoreClaim(rules, key).verdict) === r.verdict) count.verdictRules++;
    if (r.diagnosis) {
      count.stated++;
      if ((weighed?.usedOwnData ?? false) === r.diagnosis.usedOwnData) count.ownData++;
      if ((rules?.usedOwnData ?? false) === r.diagnosis.usedOwnData) count.ownDataRules++;
    }
  }
  return count;
}

/** The margins `--folds` also counts kinds at, where the rules do not say `auto` (MODEL_MARGINS.other was chosen so). */
const MARGINS = [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.45, 0.6];
const folds = process.argv.indexOf('--folds');
if (folds > 0) {
  // `--folds b6`: only the authors whose prefix starts so (a quicker look).
  const only = process.argv[folds + 1] ?? '';
  const authors = [...new Set(examples.map((e) => authorOf(e.reply)))].filter((a) => a.startsWith(only)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const total = { replies: 0, kind: 0, kindRules: 0, verdict: 0, verdictRules: 0, stated: 0, ownData: 0, ownDataRules: 0 };
  const byMargin = MARGINS.map(() => 0);
  console.log('| author | replies | kind: models | kind: rules alone | verdict: models | verdict: rules alone | own data: models | own data: rules alone |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const author of authors) {
    const models = trainModels(examples.filter((e) => authorOf(e.reply) !== author));
    const c = tally(models, examples.filter((e) => authorOf(e.reply) === author));
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k];
    c.byMargin.forEach((n, i) => (byMargin[i] += n));
    console.log(`| ${author} | ${c.replies} | ${c.kind} | ${c.kindRules} | ${c.verdict} | ${c.verdictRules} | ${c.ownData}/${c.stated} | ${c.ownDataRules}/${c.stated} |`);
  }
  const pct = (n: number, of = total.replies) => `${((100 * n) / of).toFixed(1)} %`;
  console.log(`\nall ${total.replies}: kind ${pct(total.kind)} (rules alone ${pct(total.kindRules)}), verdict ${pct(total.verdict)} (rules alone ${pct(total.verdictRules)}), own data ${pct(total.ownData, total.stated)} (rules alone ${pct(total.ownDataRules, total.stated)})`);
  console.log(`kind by margin: ${MARGINS.map((m, i) => `${m}: ${pct(byMargin[i])}`).join(', ')}`);
  console.log('(the rules alone were written from the authors before b6: their figures there are not held-back ones)');
} else {
  const models = trainModels(examples);
  writeFileSync(OUT, `${JSON.stringify(models)}\n`);
  const fit = tally(models, examples);
  console.log(`trained on ${examples.length} replies: kinds ${fit.kind}, verdicts ${fit.verdict}, own data ${fit.ownData}/${fit.stated} read as labelled (the training set itself)`);
  for (const [name, m] of Object.entries(models)) console.log(`- ${name}: ${m.features.length} features, from ${m.trainedOn.replies} replies`);
}
