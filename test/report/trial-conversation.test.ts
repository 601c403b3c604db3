import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import { renderJson, renderText } from '../../src/report/format.ts';
import { buildTrialScorecard } from '../../src/report/trial-scorecard.ts';
import type { Store } from '../../src/store/store.ts';
import { fixtureRun } from '../helpers/scorecards.ts';
import { openStore, ticketProject } from '../helpers/ticketing.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('the trial scorecard: how each vendor’s conversations went', () => {
  let store: Store;
  let config: Config;
  const period = { from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z'), now: new Date('2026-11-30T00:00:00Z') };

  beforeEach(async () => {
    ({ config } = ticketProject({ chatty: { adapter: 'sandbox', persona: 'asks-for-logs' }, quiet: { adapter: 'sandbox', persona: 'silent-until-followed-up' } }));
    store = await openStore(config.dataDir);
    for (let i = 0; i < 3; i++) {
      // chatty asks for the logs at 1 h; we answer at 3 h (a 2 h customer wait); it escalates at 4 h, the second line re-asks at 5 h.
      await fixtureRun(store, config, {
        runId: `run_2026112${4 + i}T100000Z_c0000${i}`,
        vendor: 'chatty',
        startedAt: `2026-11-2${4 + i}T10:00:00Z`,
        activities: [
          { after: MINUTE, kind: 'auto' },
          { after: HOUR, kind: 'canned', asks: ['logs'] },
          { after: 3 * HOUR, kind: 'customer' },
          { after: 4 * HOUR, kind: 'human', escalation: true },
          { after: 5 * HOUR, kind: 'human', asks: ['uid'], requestsProvidedInfo: i === 0 ? ['uid'] : [] },
          { after: 6 * HOUR, kind: 'customer' },
          { after: 10 * HOUR, kind: 'resolution' },
        ],
      });
      // quiet says nothing until followed up at 8 h, then resolves at 9 h.
      await fixtureRun(store, config, {
        runId: `run_2026112${4 + i}T100000Z_q0000${i}`,
        vendor: 'quiet',
        startedAt: `2026-11-2${4 + i}T10:00:00Z`,
        activities: [{ after: MINUTE, kind: 'auto' }, { after: 8 * HOUR, kind: 'customer' }, { after: 9 * HOUR, kind: 'resolution' }],
      });
    }
  });
  afterEach(async () => await store.close());

  it('puts the net timings, customer wait, rounds, follow-ups and escalations side by side', async () => {
    const card = JSON.parse(renderJson(await buildTrialScorecard(store, config, period)));
    const [chatty, quiet] = card.vendors;
    expect(chatty.timings.resolution.median).toBe(10 * HOUR);
    // Net: the 2 h and 1 h the vendor waited on us are not its time.
    expect(chatty.conversation.netTimings.resolution.median).toBe(7 * HOUR);
    expect(chatty.conversation.customerWait).toMatchObject({ n: 3, median: 3 * HOUR });
    expect(chatty.conversation.roundsBeforeSubstantive.median).toBe(1);
    expect(chatty.conversation.escalated).toMatchObject({ successes: 3, trials: 3 });
    expect(chatty.conversation.reAskedAfterEscalation).toMatchObject({ successes: 1, trials: 3 });
    expect(chatty.conversation.followedUp).toMatchObject({ successes: 0, trials: 3 });
    expect(quiet.conversation.customerWait.median).toBe(0);
    expect(quiet.conversation.netTimings.resolution.median).toBe(9 * HOUR);
    expect(quiet.conversation.escalated).toMatchObject({ successes: 0, trials: 3 });
  });

  it('says it in the text scorecard', async () => {
    const text = renderText(await buildTrialScorecard(store, config, period));
    const line = (start: string) => text.split('\n').find((l) => l.trimStart().startsWith(start))?.replace(/\s+/g, ' ').trim();
    expect(text).toMatch(/^The conversation$/m);
    expect(line('customer wait per ticket')).toMatch(/^customer wait per ticket median 3 h 00 min .* median 0 ms/);
    expect(line('escalated to second line / R&D')).toMatch(/100 % \(3\/3;.*0 % \(0\/3;/);
    expect(line('resolution, net of customer wait')).toMatch(/^resolution, net of customer wait 7 h 00 min/);
  });
});
