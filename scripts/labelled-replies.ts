/**
 * The labelled vendor replies (test/fixtures/labelled-replies): written by authors who did not see
 * the classifier's rules; the replies of the last twelve authors (`split: holdout`, about a third
 * of the set) were kept out of the rule-writing and the models' training. Read by
 * `bench:classify`, `bench:diagnosis`, `train:models` and the tests over the set.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { proportion } from '../src/report/stats.ts';
import type { AnswerKey } from '../src/core/answer-key.ts';
import type { MechanismKind } from '../src/core/ground-truth.ts';
import type { ReplyKind } from '../src/core/reply.ts';
import type { TicketFacts } from '../src/core/ticket-facts.ts';
import type { ReplyInput } from '../src/support/classifier.ts';
import type { DiagnosisVerdict } from '../src/support/diagnosis.ts';

const DIR = new URL('../test/fixtures/labelled-replies/', import.meta.url);

export interface Scenario {
  id: string;
  summary: string;
  key: { side: 'publisher' | 'subscriber' | 'network' | 'server'; participant: string; mechanisms: MechanismKind[] };
  facts: TicketFacts;
}

export interface LabelledReply {
  id: string;
  scenario: string;
  desk: string;
  language: 'en' | 'zh' | 'mixed';
  split: 'dev' | 'holdout';
  input: Omit<ReplyInput, 'facts'>;
  kind: ReplyKind;
  escalation: boolean;
  diagnosis?: { side: string; participant?: string; mechanism: string; usedOwnData: boolean };
  verdict: DiagnosisVerdict;
  relayedAt?: string;
  note: string;
}

export const SCENARIOS: Scenario[] = JSON.parse(readFileSync(new URL('scenarios.json', DIR), 'utf8'));
/**
 * Every author's set, in file-name order: the development replies (the first author's, `b2-…` to
 * `b7i-…`) and the held-back ones (`b8a-…` to `b8l-…`, twelve authors whose replies were neither
 * read nor trained on before they were measured). The split is each reply's `split`.
 */
export const REPLIES: LabelledReply[] = readdirSync(DIR)
  .filter((file) => /^replies(-\d+)?\.json$/.test(file))
  .sort()
  .flatMap((file) => JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as LabelledReply[]);

/** The uids of every scenario's class, as the run's identifiers would give them. */
export const PARTICIPANT_IDS: Record<string, string> = { '1001': 'teacher', '1002': 'student-1', '1003': 'student-2', '1004': 'student-3', '1005': 'student-4' };

export function scenarioOf(reply: LabelledReply): Scenario {
  const scenario = SCENARIOS.find((s) => s.id === reply.scenario);
  if (!scenario) throw new Error(`labelled reply ${reply.id}: unknown scenario '${reply.scenario}'`);
  return scenario;
}

/** A scenario's key as a run's answer key. */
export function answerKeyOf(scenario: Scenario): AnswerKey {
  return {
    faults: [
      {
        index: 0,
        kind: scenario.id,
        participant: scenario.key.participant,
        side: scenario.key.side,
        media: scenario.key.mechanisms.includes('audio-stopped') ? ['audio'] : ['video'],
        direction: 'both',
        mechanism: scenario.summary,
        mechanisms: scenario.key.mechanisms,
        affected: [],
        startedAt: '2026-11-29T14:03:12.000Z',
        endedAt: null,
      },
    ],
  };
}

/** The author of a labelled reply: its id's prefix (`b6c-017` → `b6c`; the first author's ids have none). */
export function authorOf(reply: Pick<LabelledReply, 'id'>): string {
  return /^(b\d+[a-z]?)-/.exec(reply.id)?.[1] ?? 'b1';
}

/**
 * Whether the classifier read a reply's relayed comment with its own time (`relayedAt`), which is
 * when the person wrote, not when the desk mailed it. A reply that relays nothing has none to read.
 */
export function readsRelayedTime(reply: LabelledReply, writtenAt: string | undefined): boolean {
  return reply.relayedAt === undefined || Date.parse(writtenAt ?? 'none') === Date.parse(reply.relayedAt);
}

/** Right out of all, author by author: `b8a 97/100 · b8b 95/100 · …`. */
export function byAuthor(pairs: { reply: LabelledReply; expected: string; actual: string }[]): string {
  const authors = [...new Set(pairs.map((p) => authorOf(p.reply)))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return authors
    .map((author) => {
      const own = pairs.filter((p) => authorOf(p.reply) === author);
      return `${author} ${own.filter((p) => p.expected === p.actual).length}/${own.length}`;
    })
    .join(' · ');
}

/** Rows × columns of counts, labels first, as a Markdown table. */
export function confusionTable<L extends string>(labels: readonly L[], pairs: { expected: L; actual: L }[]): string {
  const head = `| expected ↓ / got → | ${labels.join(' | ')} |`;
  const rule = `| --- | ${labels.map(() => '---:').join(' | ')} |`;
  const rows = labels.map((e) => `| ${e} | ${labels.map((a) => pairs.filter((p) => p.expected === e && p.actual === a).length).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}

export function accuracy(pairs: { expected: string; actual: string }[]): string {
  const right = pairs.filter((p) => p.expected === p.actual).length;
  const { rate, low, high } = proportion(right, pairs.length);
  const percent = (value: number) => (100 * value).toFixed(1);
  return `${right}/${pairs.length} = ${percent(rate ?? 0)} %${low === null ? '' : ` (95 % interval ${percent(low)}–${percent(high!)})`}`;
}
