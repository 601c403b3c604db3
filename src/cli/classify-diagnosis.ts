import type { AnswerKey } from '../core/answer-key.ts';
import { prefixed } from '../core/errors.ts';
import type { ReplyKind } from '../core/reply.ts';
import type { TicketFacts } from '../core/ticket-facts.ts';
import { openWorkspace } from '../pipeline/workspace.ts';
import type { ParticipantIds } from '../support/claims.ts';
import { diagnoseReply } from '../support/diagnosis.ts';
import { diagnosisKey } from '../support/ticket-diagnosis.ts';

/** A run's answer key and uids, for `classify --diagnosis --run`; a message naming the run when there is none. */
export async function loadRunKey(runId: string, options: { configPath?: string; dataDir?: string }): Promise<{ key: AnswerKey; ids: ParticipantIds; facts: TicketFacts | null } | string> {
  const workspace = await openWorkspace({ configPath: options.configPath, dataDir: options.dataDir });
  try {
    const run = await workspace.store.getRun(runId);
    if (!run) return prefixed('classify', `No run '${runId}' in ${workspace.config.dataDir}; list them with \`npx supportdrill tickets list\` or pass --data-dir.`);
    const scored = diagnosisKey(run.result);
    if (!scored) return prefixed('classify', `Run '${runId}' has no answer key (it ran before answer keys were recorded, or never finished); run the drill again to score a diagnosis.`);
    // What the run's ticket told the vendor, so the reply's kind is judged as the watcher judged it.
    const facts = (await workspace.store.getTicketByRun(runId))?.facts ?? null;
    return { ...scored, facts };
  } finally {
    await workspace.close();
  }
}

export interface DiagnosisOutput {
  lines: string[];
  json: unknown;
}

/** The reply's stated cause scored against the key, as lines for the terminal. */
export function diagnosisLines(text: string, key: AnswerKey, ids: ParticipantIds, kind: ReplyKind): DiagnosisOutput {
  const scored = diagnoseReply(text, key, ids);
  const { claim } = scored;
  const lines = [
    `diagnosis: ${scored.verdict}`,
    // A machine's guess at the cause is not the vendor's diagnosis: a ticket's verdict never counts it.
    ...(kind === 'auto' ? ['  (an auto reply: a ticket\'s diagnosis never counts what a machine wrote)'] : []),
    ...scored.reasons.map((r) => `  - ${r}`),
    ...(claim
      ? [
          `stated cause: side ${claim.side ?? '—'}, mechanism ${claim.mechanisms.join(', ') || '—'}${claim.participant ? `, names ${claim.participant}` : ''}${claim.hedged ? ' (hedged)' : ''}`,
          `used its own data: ${claim.usedOwnData ? 'yes' : 'no'}`,
          ...(claim.fix ? [`fix offered: ${claim.fix}`] : []),
        ]
      : []),
    'answer key (never sent to the vendor):',
    ...key.faults.map((f) => `  - fault ${f.index} ${f.kind}: ${f.side}, ${f.participant}, ${f.mechanism} (${f.mechanisms.join(', ')}); affected ${f.affected.join(', ') || 'nobody'}; ${f.startedAt} – ${f.endedAt ?? 'not cleared'}`),
  ];
  return { lines, json: { verdict: scored.verdict, reasons: scored.reasons, fault: scored.fault, claim, counted: kind !== 'auto' } };
}
