import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import { renderText } from '../../src/report/format.ts';
import { buildTrialScorecard, type TrialScorecard } from '../../src/report/trial-scorecard.ts';
import type { Store } from '../../src/store/store.ts';
import { fixtureRun, RESPONSIVE } from '../helpers/scorecards.ts';
import { openStore, ticketProject } from '../helpers/ticketing.ts';

const period = { from: new Date('2026-11-16T00:00:00Z'), to: new Date('2026-11-29T00:00:00Z') };
const CORRECT = "We checked our call records for the channel: the teacher's client stopped sending video frames at 10:00:14.";
const BLAMES_NETWORK = "The freeze was caused by the teacher's network: we saw 30% packet loss on the uplink.";
const SIDE_ONLY = "The freeze was caused by the teacher's client.";

/** The scorecard's text row that starts with `label`, its columns' padding folded. */
function row(card: TrialScorecard, label: string): string | undefined {
  return renderText(card).split('\n').map((l) => l.replace(/\s{2,}/g, ' | ').trim()).find((l) => l.startsWith(`${label} |`));
}

describe('trial scorecard: the diagnosis', () => {
  let store: Store;
  let config: Config;
  let runs = 0;

  beforeEach(async () => {
    ({ config } = ticketProject({
      sharp: { adapter: 'sandbox', persona: 'responsive' },
      vague: { adapter: 'sandbox', persona: 'responsive' },
      mixed: { adapter: 'sandbox', persona: 'responsive' },
    }));
    store = await openStore(config.dataDir);
    runs = 0;
  });
  afterEach(async () => await store.close());

  /** A run with an answer key whose ticket got the ack, the canned reply, then `text` as its resolution `after` ms from filing. */
  async function resolvedWith(vendor: string, text: string, after = 60_000): Promise<void> {
    const i = runs++;
    await fixtureRun(store, config, {
      runId: `run_202611${String(20 + (i % 8))}T10${String(i).padStart(2, '0')}00Z_${vendor.slice(0, 2)}${String(i).padStart(4, '0')}`,
      vendor,
      startedAt: `2026-11-${20 + (i % 8)}T10:${String(i).padStart(2, '0')}:00Z`,
      answerKey: true,
      activities: [RESPONSIVE[0]!, RESPONSIVE[1]!, { after, kind: 'resolution', text }],
    });
  }

  async function stillOpen(vendor: string, activities: Parameters<typeof fixtureRun>[2]['activities'], answerKey = true): Promise<void> {
    const i = runs++;
    await fixtureRun(store, config, { runId: `run_20261128T12${String(i).padStart(2, '0')}00Z_op${String(i).padStart(4, '0')}`, vendor, startedAt: `2026-11-28T12:${String(i).padStart(2, '0')}:00Z`, answerKey, activities });
  }

  it('gives each vendor its share diagnosed correctly with its interval, the verdicts, the time to the first correct one and its own data, and ranks when the intervals are apart', async () => {
    for (let i = 0; i < 6; i++) await resolvedWith('sharp', CORRECT, 60_000 + i * 10_000);
    for (let i = 0; i < 6; i++) await resolvedWith('vague', BLAMES_NETWORK);
    const card = await buildTrialScorecard(store, config, { ...period, vendors: ['sharp', 'vague'] });
    const [sharp, vague] = card.vendors;
    expect(sharp!.diagnosis).toMatchObject({ verdicts: { correct: 6, partial: 0, wrong: 0, none: 0 }, unjudged: 0, withoutKey: 0, correct: { successes: 6, trials: 6 }, usedOwnData: { successes: 6, trials: 6 } });
    expect(sharp!.diagnosis.firstCorrect).toMatchObject({ n: 6, median: 85_000, never: 0, pending: 0 });
    expect(vague!.diagnosis).toMatchObject({ verdicts: { correct: 0, partial: 0, wrong: 6, none: 0 }, correct: { successes: 0, trials: 6 }, usedOwnData: { successes: 0, trials: 6 } });
    expect(vague!.diagnosis.firstCorrect).toMatchObject({ n: 6, never: 6, median: Infinity });

    expect(row(card, 'correct diagnosis')).toBe('correct diagnosis | 100 % (6/6; 61 %–100 %) | 0 % (0/6; 0 %–39 %)');
    expect(row(card, 'verdicts: correct · partial · wrong · none')).toBe('verdicts: correct · partial · wrong · none | 6 · 0 · 0 · 0 | 0 · 0 · 6 · 0');
    expect(row(card, 'time to first correct diagnosis')).toBe('time to first correct diagnosis | 1 min 25 s (1 min 00 s–1 min 50 s, 96 %) · p90 1 min 45 s · n 6 | never (never–never, 96 %) · p90 never · n 6, 6 never');
    expect(row(card, 'used its own data')).toBe('used its own data | 100 % (6/6; 61 %–100 %) | 0 % (0/6; 0 %–39 %)');

    const ranking = card.ranking.find((r) => r.measure === 'diagnosisCorrect');
    expect(ranking).toMatchObject({ label: 'correct diagnosis', order: ['sharp', 'vague'], separated: [['sharp', 'vague']] });
    expect(renderText(card)).toContain('correct diagnosis: best first sharp, vague (every pair of 95 % intervals is apart)');
  });

  it('says the intervals overlap instead of ranking vendors they cannot tell apart', async () => {
    for (let i = 0; i < 6; i++) await resolvedWith('sharp', CORRECT);
    for (let i = 0; i < 6; i++) await resolvedWith('mixed', i < 3 ? CORRECT : SIDE_ONLY);
    const card = await buildTrialScorecard(store, config, { ...period, vendors: ['sharp', 'mixed'] });
    expect(card.vendors[1]!.diagnosis.verdicts).toEqual({ correct: 3, partial: 3, wrong: 0, none: 0 });
    const ranking = card.ranking.find((r) => r.measure === 'diagnosisCorrect')!;
    expect(ranking).toMatchObject({ order: null, separated: [] });
    expect(ranking.reason).toBe('not ranked: sharp 100 % (61 %–100 %), n=6 and mixed 50 % (19 %–81 %), n=6 overlap');
    expect(renderText(card)).toContain(`correct diagnosis: ${ranking.reason}`);
  });

  it('shows tickets still watched with no cause stated yet as unjudged beside the share, and ranks nobody on a share that leaves them out', async () => {
    for (let i = 0; i < 6; i++) await resolvedWith('sharp', CORRECT);
    for (let i = 0; i < 6; i++) await resolvedWith('vague', BLAMES_NETWORK);
    // Still watched: only an acknowledgement (unjudged), and one that already blames the network (judged wrong so far).
    await stillOpen('sharp', [RESPONSIVE[0]!]);
    await stillOpen('vague', [RESPONSIVE[0]!, { after: 30_000, kind: 'human', text: BLAMES_NETWORK }]);
    // A run from before answer keys: counted apart, never judged.
    await stillOpen('vague', RESPONSIVE, false);
    const card = await buildTrialScorecard(store, config, { ...period, vendors: ['sharp', 'vague'] });
    const [sharp, vague] = card.vendors;
    expect(sharp!.diagnosis).toMatchObject({ unjudged: 1, correct: { successes: 6, trials: 6, overAll: { tickets: 7, low: 6 / 7, high: 1 } } });
    expect(sharp!.diagnosis.firstCorrect).toMatchObject({ n: 6, pending: 1 });
    expect(vague!.diagnosis).toMatchObject({ unjudged: 0, withoutKey: 1, verdicts: { wrong: 7 }, correct: { successes: 0, trials: 7 } });

    expect(row(card, 'correct diagnosis')).toBe('correct diagnosis | 100 % (6/6; 61 %–100 %) +1 unjudged (no verdict yet): 86 %–100 % of all 7 | 0 % (0/7; 0 %–35 %)');
    expect(row(card, 'verdicts: correct · partial · wrong · none')).toBe('verdicts: correct · partial · wrong · none | 6 · 0 · 0 · 0 · 1 unjudged | 0 · 0 · 7 · 0');
    expect(row(card, 'tickets without an answer key (runs from before answer keys)')).toBe('tickets without an answer key (runs from before answer keys) | 0 | 1');

    const ranking = card.ranking.find((r) => r.measure === 'diagnosisCorrect')!;
    expect(ranking).toMatchObject({ order: null, separated: [] });
    expect(ranking.reason).toBe(
      "not ranked: sharp's share leaves out 1 unjudged (no cause stated yet) of its 7 ticket(s) with an answer key: 86 % to 100 % of them correct, too wide to rank on",
    );
  });

  it('says there is nothing to score when no run in the period has an answer key', async () => {
    await stillOpen('sharp', RESPONSIVE, false);
    const card = await buildTrialScorecard(store, config, { ...period, vendors: ['sharp'] });
    expect(card.vendors[0]!.diagnosis).toMatchObject({ withoutKey: 1, unjudged: 0, correct: { trials: 0, overAll: null } });
    expect(card.ranking.some((r) => r.measure === 'diagnosisCorrect')).toBe(false);
    expect(renderText(card)).toContain('No ticket in the period has an answer key (runs from before answer keys): nothing to score a diagnosis against.');
  });
});
