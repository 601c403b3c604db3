import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/core/run-result.ts';
import type { TicketReport } from '../../src/support/ticket-report.ts';
import { ROOT, runCli } from '../helpers/cli.ts';

/**
 * The whole path per verdict: a real class freezes the teacher's video, the run's answer key comes
 * from what was injected, the sandbox desk's engineer states a cause, and the ticket's diagnosis is
 * scored against the key — in the terminal's JSON, never in what the vendor was sent.
 */
describe('the diagnosis verdict end to end, one sandbox engineer per verdict', () => {
  it.each([
    ['diagnoses-correctly', 'correct', 'publisher'],
    ['diagnoses-partly', 'partial', 'publisher'],
    ['diagnoses-wrongly', 'wrong', 'network'],
  ] as const)('%s → %s', async (persona, verdict, side) => {
    const dataDir = mkdtempSync(join(tmpdir(), `supportdrill-${persona}-`));
    const { code, stdout, stderr } = await runCli(['drill', 'freeze-midclass', '--persona', persona, '--json', '--data-dir', dataDir], { timeoutMs: 150_000 });
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as RunResult & { ticket: TicketReport };
    expect(result.reproduced).toBe(true);
    expect(result.answerKey?.faults).toEqual([expect.objectContaining({ kind: 'video-freeze', side: 'publisher', participant: 'teacher', mechanisms: ['no-video-sent'] })]);
    const { diagnosis } = result.ticket;
    expect(diagnosis).toMatchObject({ verdict, claim: { side } });
    if (verdict === 'correct') {
      expect(diagnosis!.firstCorrectMs).toBeGreaterThan(0);
      expect(diagnosis!.usedOwnData).toBe(true);
    } else expect(diagnosis!.firstCorrectAt).toBeNull();

    // What went to the vendor (the sandbox desk's own record of the ticket, and its attachments) says nothing of what was injected.
    const timeline = readFileSync(join(resolve(ROOT, result.evidenceDir), 'timeline.json'), 'utf8');
    for (const secret of ['video-freeze', 'droppedByFault', 'no-video-sent', 'answerKey']) expect(timeline).not.toContain(secret);
  }, 160_000);
});
