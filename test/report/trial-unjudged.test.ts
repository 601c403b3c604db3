import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import { slaChartSvg, trialChartSvgs } from '../../src/report/charts.ts';
import { renderJson, renderText } from '../../src/report/format.ts';
import { buildTrialScorecard } from '../../src/report/trial-scorecard.ts';
import type { Store } from '../../src/store/store.ts';
import { fixtureRun, RESPONSIVE } from '../helpers/scorecards.ts';
import { openStore, ticketProject } from '../helpers/ticketing.ts';

const DAY = 86_400_000;
const period = { from: new Date('2026-11-16T00:00:00Z'), to: new Date('2026-11-29T00:00:00Z') };
const runId = (vendor: string, i: number) => `run_2026112${3 + (i % 5)}T10000${i}Z_${vendor.slice(0, 2)}000${i}`;

/** The SLA chart's segments of one vendor and target, bottom up: `segment fill height`. */
function segments(svg: string, vendor: string, target: string): string[] {
  return [...svg.matchAll(/<rect data-vendor="([^"]+)" data-target="([^"]+)" data-segment="([^"]+)"[^>]*\bheight="([\d.]+)" fill="([^"]+)"/g)]
    .filter((m) => m[1] === vendor && m[2] === target)
    .map((m) => `${m[3]} ${m[5]} ${m[4]}`);
}

describe('trial scorecard: tickets not judged yet', () => {
  let store: Store;
  let config: Config;

  beforeEach(async () => {
    ({ config } = ticketProject({
      sandbox: { adapter: 'sandbox', persona: 'responsive' },
      other: { adapter: 'sandbox', persona: 'responsive' },
      fixonly: { adapter: 'sandbox', persona: 'responsive', sla: { resolution: '1d' } },
    }));
    store = await openStore(config.dataDir);
  });
  afterEach(async () => await store.close());

  /** Six resolved tickets per vendor, and for sandbox one more still open with only an acknowledgement. */
  async function seed(): Promise<void> {
    for (const vendor of ['sandbox', 'other']) {
      for (let i = 0; i < 6; i++) {
        await fixtureRun(store, config, { runId: runId(vendor, i), vendor, startedAt: `2026-11-2${3 + (i % 5)}T10:00:0${i}Z`, activities: RESPONSIVE });
      }
    }
    await fixtureRun(store, config, { runId: 'run_20261128T100000Z_sa0009', vendor: 'sandbox', startedAt: '2026-11-28T10:00:00Z', activities: [{ after: 2000, kind: 'auto' }] });
  }

  it('shows a ticket whose deadline has not passed beside the rate, in grey in the chart, and ranks nobody on that rate', async () => {
    await seed();
    const card = await buildTrialScorecard(store, config, { ...period, vendors: ['sandbox', 'other'] });
    const [sandbox] = card.vendors;
    expect(sandbox!.slaHitRate.firstHumanResponse).toMatchObject({ successes: 6, trials: 6, pending: 1, unjudged: 0, overAll: { tickets: 7, low: 6 / 7, high: 1 } });
    const text = renderText(card);
    expect(text).toContain('100 % (6/6; 61 %–100 %) +1 pending: 86 %–100 % of all 7');

    const ranking = card.ranking.find((r) => r.measure === 'sla.firstHumanResponse')!;
    expect(ranking).toMatchObject({ label: 'SLA met: first human response', order: null, separated: [] });
    expect(ranking.reason).toBe(
      "not ranked: sandbox's rate leaves out 1 pending (the deadline has not passed yet) of its 7 ticket(s): 86 % to 100 % of them met the target, too wide to rank on",
    );
    expect(text).toContain(`SLA met: first human response: ${ranking.reason}`);

    const svg = slaChartSvg(card);
    expect(segments(svg, 'sandbox', 'firstHumanResponse')).toEqual([`met #16a34a ${((6 / 7) * 180).toFixed(1)}`, `pending #d1d5db ${((1 / 7) * 180).toFixed(1)}`]);
    expect(segments(svg, 'other', 'firstHumanResponse')).toEqual(['met #16a34a 180.0']);
    // Only the fully judged bar carries the rate's 95 % interval.
    expect(svg).toMatch(/data-vendor="other" data-target="firstHumanResponse" data-interval="95"/);
    expect(svg).not.toMatch(/data-vendor="sandbox" data-target="firstHumanResponse" data-interval/);
    expect(trialChartSvgs(card).map((c) => c.id)).toEqual(['timings', 'sla']);
  });

  it('ranks on an SLA hit rate once every ticket is judged, and names a vendor whose SLA sets no such target', async () => {
    for (const vendor of ['sandbox', 'fixonly']) {
      for (let i = 0; i < 6; i++) {
        const slow = vendor === 'fixonly';
        await fixtureRun(store, config, {
          runId: runId(vendor, i),
          vendor,
          startedAt: `2026-11-2${3 + (i % 5)}T10:00:0${i}Z`,
          activities: [{ after: 2000, kind: 'auto' }, { after: slow ? 2 * 3_600_000 : 12_000, kind: 'human' }, { after: slow ? 2 * DAY : 20_000, kind: 'resolution' }],
        });
      }
    }
    const card = await buildTrialScorecard(store, config, { ...period, vendors: ['sandbox', 'fixonly'] });
    expect(card.ranking.find((r) => r.measure === 'sla.resolution')).toMatchObject({ order: ['sandbox', 'fixonly'], reason: 'every pair of 95 % intervals is apart' });
    expect(card.ranking.find((r) => r.measure === 'sla.firstHumanResponse')!.reason).toContain("fixonly's SLA sets no first human response target");
    expect(slaChartSvg(card)).toMatch(/>no target</);
    expect(segments(slaChartSvg(card), 'fixonly', 'resolution')).toEqual(['missed #dc2626 180.0']);
  });

  it('judges a ticket stored without a verdict (an older store) from the deadline and its stored timings', async () => {
    // Resolved within the 30 min first-human target: met. Silent through a 3-day watch: the 30 min
    // and 24 h deadlines passed while it was watched, so both are missed.
    const { ticketId: answered } = await fixtureRun(store, config, { runId: 'run_20261123T100000Z_ol0001', vendor: 'sandbox', startedAt: '2026-11-23T10:00:00Z', activities: RESPONSIVE });
    const { ticketId: silent } = await fixtureRun(store, config, { runId: 'run_20261123T110000Z_ol0002', vendor: 'sandbox', startedAt: '2026-11-23T11:00:00Z', activities: [{ after: 1000, kind: 'auto' }], state: 'timed-out' });
    // Watched only a minute: the deadlines had not passed when the watch ended, so it is unjudged.
    const { ticketId: brief } = await fixtureRun(store, config, { runId: 'run_20261123T120000Z_ol0003', vendor: 'sandbox', startedAt: '2026-11-23T12:00:00Z', activities: [{ after: 1000, kind: 'auto' }], state: 'timed-out', watchMs: 60_000 });
    for (const id of [answered, silent, brief]) await store.updateTicket(id, { sla: null });

    const card = JSON.parse(renderJson(await buildTrialScorecard(store, config, period))) as { vendors: { slaHitRate: Record<string, unknown> }[] };
    expect(card.vendors[0]!.slaHitRate.firstHumanResponse).toMatchObject({ successes: 1, trials: 2, pending: 0, unjudged: 1 });
    expect(card.vendors[0]!.slaHitRate.resolution).toMatchObject({ successes: 1, trials: 2, pending: 0, unjudged: 1 });
  });
});
