import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { diagnosisLine, ticketSummary } from '../../src/cli/ticket-output.ts';
import { ticketsCommand } from '../../src/cli/tickets.ts';
import type { Config } from '../../src/config/config.ts';
import type { Store } from '../../src/store/store.ts';
import { loadTicketReport } from '../../src/support/ticket-report.ts';
import { fixtureRun, RESPONSIVE, type FixtureActivity } from '../helpers/scorecards.ts';
import { openStore, ticketProject } from '../helpers/ticketing.ts';

const CORRECT = "We checked our call records for the channel: the teacher's client stopped sending video frames at 10:00:14.";
const BLAMES_NETWORK = "The freeze was caused by the teacher's network: we saw 30% packet loss on the uplink.";
const replying = (text: string): FixtureActivity[] => [RESPONSIVE[0]!, RESPONSIVE[1]!, { after: 125_000, kind: 'resolution', text }];

describe('the ticket summary’s diagnosis line', () => {
  let store: Store;
  let config: Config;
  let configPath: string;
  let runs = 0;

  beforeEach(async () => {
    ({ config, configPath } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive' } }));
    store = await openStore(config.dataDir);
    runs = 0;
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await store.close();
  });

  async function report(activities: FixtureActivity[], answerKey = true) {
    const i = runs++;
    const { ticketId } = await fixtureRun(store, config, { runId: `run_20261123T10${i}000Z_c1000${i}`, vendor: 'sandbox', startedAt: `2026-11-23T10:${i}0:00Z`, answerKey, activities });
    return loadTicketReport(store, ticketId);
  }

  it('gives the verdict, the cause the vendor settled on, when it was first right and whether it used its own data', async () => {
    const summary = ticketSummary(await report(replying(CORRECT)));
    expect(summary.split('\n')).toContain('diagnosis: correct — side publisher, mechanism no-video-sent, teacher (first correct after 2 min 05 s); used own data');
  });

  it('says a diagnosis that blames the network is wrong, and was never right', async () => {
    expect(diagnosisLine(await report(replying(BLAMES_NETWORK)))).toBe('diagnosis: wrong — side network, mechanism packet-loss, teacher (never correct); no sign of its own data');
  });

  it('says none yet while the ticket is watched and nobody has stated a cause, and says so for a run from before answer keys', async () => {
    expect(diagnosisLine(await report([RESPONSIVE[0]!]))).toBe('diagnosis: none yet — no person has stated a cause so far');
    expect(diagnosisLine(await report(replying(CORRECT), false))).toBe('diagnosis: no answer key (run from before answer keys)');
  });

  it('prints the line with `tickets show`, and the diagnosis in `tickets show --json` and `tickets list --json`', async () => {
    const shown = await report(replying(CORRECT));
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    expect(await ticketsCommand(['show', shown.ref, '--config', configPath])).toBe(0);
    expect(out.join('')).toContain('\ndiagnosis: correct — side publisher, mechanism no-video-sent, teacher (first correct after 2 min 05 s); used own data\n');

    out.length = 0;
    expect(await ticketsCommand(['show', shown.ref, '--json', '--config', configPath])).toBe(0);
    expect(JSON.parse(out.join('')).diagnosis).toMatchObject({ verdict: 'correct', firstCorrectMs: 125_000, usedOwnData: true, claim: { side: 'publisher' } });

    out.length = 0;
    expect(await ticketsCommand(['list', '--json', '--config', configPath])).toBe(0);
    expect(JSON.parse(out.join('')).map((t: { ref: string; diagnosis: { verdict: string } | null }) => [t.ref, t.diagnosis?.verdict])).toEqual([[shown.ref, 'correct']]);
  });
});
