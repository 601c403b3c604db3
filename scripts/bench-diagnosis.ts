/**
 * `npm run bench:diagnosis`: the diagnosis verdict of every labelled reply against its scenario's
 * answer key — accuracy and confusion matrix, with the reply's true kind (the diagnosis alone:
 * an auto reply's cause never counts) and with the classifier's kind (end to end, as a ticket is
 * scored). `--misses` lists the development set's misses; the held-back ones are never printed.
 */
import { classifyReply } from '../src/support/classifier.ts';
import { readClaim } from '../src/support/claims.ts';
import { DIAGNOSIS_VERDICTS, diagnoseReply, scoreClaim } from '../src/support/diagnosis.ts';
import { PARTICIPANT_IDS, REPLIES, accuracy, answerKeyOf, byAuthor, confusionTable, scenarioOf } from './labelled-replies.ts';

const showMisses = process.argv.includes('--misses');
const results = REPLIES.map((r) => {
  const scenario = scenarioOf(r);
  const scored = diagnoseReply(r.input.text, answerKeyOf(scenario), PARTICIPANT_IDS);
  // The claim reader alone, without the claim models: what the models add.
  const rules = readClaim(r.input.text, PARTICIPANT_IDS);
  const kind = classifyReply({ ...r.input, facts: scenario.facts }).kind;
  return {
    reply: r,
    expected: r.verdict,
    actual: r.kind === 'auto' ? ('none' as const) : scored.verdict,
    endToEnd: kind === 'auto' ? ('none' as const) : scored.verdict,
    rulesAlone: r.kind === 'auto' ? ('none' as const) : scoreClaim(rules, answerKeyOf(scenario)).verdict,
    usedOwnData: scored.claim?.usedOwnData ?? false,
    rulesUsedOwnData: rules?.usedOwnData ?? false,
    reasons: scored.reasons,
  };
});

for (const split of ['holdout', 'dev', 'all'] as const) {
  const rows = split === 'all' ? results : results.filter((r) => r.reply.split === split);
  console.log(`\n## ${split === 'holdout' ? 'Held-back third' : split === 'dev' ? 'Development set' : 'All'}: ${rows.length} replies (${rows.filter((r) => r.expected !== 'none').length} state a cause)`);
  console.log(`verdict accuracy: ${accuracy(rows)} · end to end with the classifier's kind: ${accuracy(rows.map((r) => ({ expected: r.expected, actual: r.endToEnd })))} · the claim reader alone: ${accuracy(rows.map((r) => ({ expected: r.expected, actual: r.rulesAlone })))}`);
  if (split === 'holdout') console.log(`by author: ${byAuthor(rows)}`);
  const stated = rows.filter((r) => r.reply.diagnosis);
  const ownData = (pick: (r: (typeof rows)[number]) => boolean) => accuracy(stated.map((r) => ({ expected: String(r.reply.diagnosis!.usedOwnData), actual: String(pick(r)) })));
  console.log(`"used its own data" read right: ${ownData((r) => r.usedOwnData)} of the replies that state a cause (the claim reader alone: ${ownData((r) => r.rulesUsedOwnData)})\n`);
  console.log(confusionTable(DIAGNOSIS_VERDICTS, rows));
  const misses = rows.filter((r) => r.expected !== r.actual);
  if (split === 'dev' && misses.length > 0 && showMisses) {
    console.log('\nmisses:');
    for (const m of misses) console.log(`- ${m.reply.id} (${m.reply.scenario}, ${m.reply.language}): expected ${m.expected}, got ${m.actual} — ${m.reasons.slice(0, 2).join(' | ')}`);
  }
}
