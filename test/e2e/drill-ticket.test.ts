import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/core/run-result.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { TicketReport } from '../../src/support/ticket-report.ts';
import { runCli } from '../helpers/cli.ts';

describe('the default drill with the sandbox vendor (end to end)', () => {
  it('reproduces the freeze, files once, classifies each reply and times it against the SLA', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'supportdrill-default-'));
    const { code, stdout, stderr } = await runCli(['drill', 'freeze-midclass', '--json', '--data-dir', dataDir], { timeoutMs: 150_000 });
    expect(stderr).not.toMatch(/unexpected error/);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as RunResult & { ticket: TicketReport };
    expect(result.reproduced).toBe(true);
    const ticket = result.ticket;
    expect(ticket).toMatchObject({ vendor: 'sandbox', state: 'resolved', ref: `DRILL-${result.runId.slice(-6)}` });
    expect(ticket.id).toMatch(/^SBX-\d+$/);
    // The engineer's question (which versions?) is answered from the run's evidence before the resolution comes.
    expect(ticket.activities.filter((a) => a.kind !== null).map((a) => a.kind)).toEqual(['auto', 'canned', 'human', 'customer', 'resolution']);
    expect(ticket.messages).toMatchObject([{ purpose: 'answer', state: 'sent' }]);
    // Timings come from the desk's own timestamps, not from when we polled.
    expect(ticket.timings).toMatchObject({ firstResponseMs: 2000, firstHumanResponseMs: 6000, firstSubstantiveResponseMs: 12_000, resolutionMs: 20_000, repliesBeforeSubstantive: 2 });
    expect(ticket.sla).toMatchObject({ tier: 'mature', firstHumanResponse: 'met', resolution: 'met' });
    for (const activity of ticket.activities) expect(Date.parse(activity.seenAt)).toBeGreaterThanOrEqual(Date.parse(activity.at));

    const store = await openStore(dataDir);
    expect(await store.getRun(result.runId)).toMatchObject({ status: 'resolved', reproduced: true });
    expect(await store.listTickets()).toHaveLength(1);
    expect(await store.freezeEpisodes(result.runId)).toHaveLength(2);
    await store.close();
  }, 150_000);

  it('holds the conversation with a talking desk: the terminal and the mailed scorecard show it and both clocks', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'supportdrill-talking-'));
    const { code, stdout, stderr } = await runCli(['drill', 'freeze-midclass', '--persona', 'asks-for-logs', '--data-dir', dataDir], { timeoutMs: 150_000 });
    expect(code, stderr).toBe(0);
    const lines = stdout.split('\n');
    const asked = lines.findIndex((l) => /\? logs/.test(l));
    const answered = lines.findIndex((l) => /→ us\s+supportdrill/.test(l));
    const resolved = lines.findIndex((l) => /\bresolution\s+\S/.test(l) && /Alex|Maria|Daniel/.test(l));
    expect(asked).toBeGreaterThan(-1);
    expect(answered).toBeGreaterThan(asked);
    expect(resolved).toBeGreaterThan(answered);
    expect(stdout).toMatch(/timing \(from filing, vendor time\)\s+gross\s+net of customer wait/);
    expect(stdout).toMatch(/customer wait: \d/);
    const outbox = join(dataDir, 'outbox');
    const mails = await Promise.all(readdirSync(outbox).map((f) => simpleParser(readFileSync(join(outbox, f)))));
    const scorecard = mails.find((m) => m.subject?.startsWith('[supportdrill] freeze-midclass'))?.text;
    expect(scorecard).toBeDefined();
    expect(scorecard).toMatch(/The conversation/);
    expect(scorecard).toMatch(/customer wait \(the vendor waiting on us\)/);
    expect(scorecard).toMatch(/net of customer wait/);
  }, 150_000);
});
