/**
 * `npm run bench:classify`: the reply-kind classifier on the labelled replies, the held-back third
 * (by authors whose replies were never read while writing rules nor trained on) first, then the
 * rest. Prints accuracy, the rules' alone beside it, and the confusion matrix; `--misses` lists the
 * development set's misses with the classifier's reasons. The held-back misses are never printed:
 * reading them would make them development replies.
 */
import { classifyReply, replyModelFeatures } from '../src/support/classifier.ts';
import { REPLY_KINDS } from '../src/core/reply.ts';
import { rulesKindOf } from './model-trainer.ts';
import { REPLIES, accuracy, byAuthor, confusionTable, readsRelayedTime, scenarioOf, type LabelledReply } from './labelled-replies.ts';


function run(replies: LabelledReply[]) {
  return replies.map((r) => {
    const input = { ...r.input, facts: scenarioOf(r).facts };
    const result = classifyReply(input);
    const rules = rulesKindOf(replyModelFeatures(input));
    return { reply: r, expected: r.kind, actual: result.kind, rules, reasons: result.reasons, writtenAt: result.writtenAt };
  });
}

const showMisses = process.argv.includes('--misses');
for (const split of ['holdout', 'dev'] as const) {
  const results = run(REPLIES.filter((r) => r.split === split));
  const zh = results.filter((r) => r.reply.language !== 'en');
  console.log(`\n## ${split === 'holdout' ? 'Held-back third (not used to write rules nor to train)' : 'Development set (rules written from these, models trained on them)'}: ${results.length} replies`);
  console.log(`accuracy: ${accuracy(results)} · English ${accuracy(results.filter((r) => r.reply.language === 'en'))} · Chinese/mixed ${accuracy(zh)}`);
  console.log(`the rules alone: ${accuracy(results.map((r) => ({ expected: r.expected, actual: r.rules })))}`);
  if (split === 'holdout') console.log(`by author: ${byAuthor(results)}`);
  const relayed = results.filter((r) => r.reply.relayedAt);
  const relayedRight = relayed.filter((r) => readsRelayedTime(r.reply, r.writtenAt)).length;
  console.log(`relayed comments read with their own time: ${relayedRight}/${relayed.length}\n`);
  console.log(confusionTable(REPLY_KINDS, results));
  const misses = results.filter((r) => r.expected !== r.actual);
  if (misses.length > 0 && split === 'dev' && showMisses) {
    console.log(`\nmisses:`);
    for (const m of misses) console.log(`- ${m.reply.id} (${m.reply.desk}, ${m.reply.language}): expected ${m.expected}, got ${m.actual} — ${m.reasons[0]}`);
  }
}
