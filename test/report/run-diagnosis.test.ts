import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import { renderHtml, renderJson, renderText } from '../../src/report/format.ts';
import { scorecardMessage } from '../../src/report/mailer.ts';
import { buildRunScorecard } from '../../src/report/run-scorecard.ts';
import type { Store } from '../../src/store/store.ts';
import { fixtureRun, RESPONSIVE, type FixtureActivity } from '../helpers/scorecards.ts';
import { openStore, ticketProject } from '../helpers/ticketing.ts';

const RIGHT = 'run_20261123T100000Z_d10001';
const NETWORK = 'run_20261123T110000Z_d10002';
const BEFORE_KEYS = 'run_20261123T120000Z_d10003';

/** The ack and the canned reply, then a person's reply at 2 min 05 s that states `text` as the cause. */
const replying = (text: string): FixtureActivity[] => [RESPONSIVE[0]!, RESPONSIVE[1]!, { after: 125_000, kind: 'resolution', text }];
const CORRECT = "We checked our call records for the channel: the teacher's client stopped sending video frames at 10:00:14.";
const BLAMES_NETWORK = "The freeze was caused by the teacher's network: we saw 30% packet loss on the uplink.";

/** A scorecard's text line that starts with `start`, with its columns' padding folded. */
const line = (text: string, start: string) => text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).find((l) => l.startsWith(start));

describe('run scorecard: the diagnosis', () => {
  let store: Store;
  let config: Config;

  beforeEach(async () => {
    ({ config } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive' } }));
    store = await openStore(config.dataDir);
  });
  afterEach(async () => await store.close());

  it('shows the answer key and scores a reply naming the injected cause correct, with when and from whose data', async () => {
    await fixtureRun(store, config, { runId: RIGHT, vendor: 'sandbox', startedAt: '2026-11-23T10:00:00Z', answerKey: true, activities: replying(CORRECT) });
    const card = await buildRunScorecard(store, RIGHT, { config });
    const text = renderText(card);
    expect(text).toContain('\nThe diagnosis\n');
    expect(line(text, '0 publisher')).toBe(
      '0 publisher teacher no video frames sent: the encoder output is dropped (no-video-sent) student-1, student-2 10:00:14.004–10:00:24.005',
    );
    expect(line(text, 'verdict:')).toBe('verdict: correct — side publisher and mechanism no-video-sent match what was injected');
    expect(line(text, 'time to first correct diagnosis:')).toBe('time to first correct diagnosis: 2 min 05 s after filing (at 10:02:49.000 UTC)');
    expect(line(text, 'used its own data:')).toBe('used its own data: yes');
    expect(line(text, '10:02:49.000 2 min 05 s')).toBe('10:02:49.000 2 min 05 s resolution publisher (teacher) no-video-sent yes correct');

    const json = JSON.parse(renderJson(card));
    expect(json.diagnosis.answerKey.faults).toMatchObject([{ side: 'publisher', participant: 'teacher', mechanisms: ['no-video-sent'], affected: ['student-1', 'student-2'] }]);
    expect(json.diagnosis.ticket).toMatchObject({ verdict: 'correct', firstCorrectMs: 125_000, usedOwnData: true, claim: { side: 'publisher', mechanisms: ['no-video-sent'] } });
  });

  it('scores a reply that blames the network wrong, saying why', async () => {
    await fixtureRun(store, config, { runId: NETWORK, vendor: 'sandbox', startedAt: '2026-11-23T11:00:00Z', answerKey: true, activities: replying(BLAMES_NETWORK) });
    const card = await buildRunScorecard(store, NETWORK, { config });
    expect(card.diagnosis.ticket).toMatchObject({ verdict: 'wrong', firstCorrectAt: null, usedOwnData: false });
    const text = renderText(card);
    expect(line(text, 'verdict:')).toBe('verdict: wrong — blames network, but the fault was on the publisher (no video frames sent: the encoder output is dropped)');
    expect(line(text, 'time to first correct diagnosis:')).toBe('time to first correct diagnosis: never');
    expect(line(text, '11:02:49.000')).toBe('11:02:49.000 2 min 05 s resolution network (teacher) packet-loss no wrong');
  });

  it('says a run from before answer keys has none, and scores nothing', async () => {
    await fixtureRun(store, config, { runId: BEFORE_KEYS, vendor: 'sandbox', startedAt: '2026-11-23T12:00:00Z', activities: replying(CORRECT) });
    const card = await buildRunScorecard(store, BEFORE_KEYS, { config });
    expect(card.diagnosis).toEqual({ answerKey: null, ticket: null });
    expect(renderText(card)).toMatch(/\nThe diagnosis\n─+\nno answer key \(run from before answer keys\)\n/);
  });

  it('puts the diagnosis in both parts of the scorecard e-mail, the HTML escaped', async () => {
    await fixtureRun(store, config, { runId: NETWORK, vendor: 'sandbox', startedAt: '2026-11-23T11:00:00Z', answerKey: true, activities: replying(BLAMES_NETWORK) });
    const message = scorecardMessage(await buildRunScorecard(store, NETWORK, { config }), [], null);
    expect(message.text).toContain('verdict: wrong — blames network, but the fault was on the publisher');
    expect(message.text).toContain('Causes the vendor stated');
    const html = String(message.html);
    expect(html).toContain('<h2 style="font-size:16px;margin:20px 0 8px 0;border-bottom:2px solid #111827;padding-bottom:2px">The diagnosis</h2>');
    expect(html).toContain('<li>verdict: wrong — blames network, but the fault was on the publisher (no video frames sent: the encoder output is dropped)</li>');
    expect(html).toContain('no video frames sent: the encoder output is dropped (no-video-sent)</td>');
    // The quoted reply in the reasons comes from the vendor: escaped like the rest of its text.
    expect(html).toContain('blames the network; names teacher; mechanism packet-loss: &quot;The freeze was caused by the teacher&#39;s network');
    expect(renderHtml(await buildRunScorecard(store, NETWORK, { config }))).toMatch(/<td style="[^"]*color:#991b1b[^"]*">wrong<\/td>/);
  });
});
