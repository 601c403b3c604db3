import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import type { RunResult } from '../../src/core/run-result.ts';
import { drillSchema } from '../../src/drill/schema.ts';
import { executeRun } from '../../src/pipeline/execute-run.ts';
import { openWorkspace, type Workspace } from '../../src/pipeline/workspace.ts';
import { ticketProject } from '../helpers/ticketing.ts';

// Real classes (Chromium, WebRTC between the pages) on the sandbox desk: what is retried, what is
// kept, and that nothing is filed for a drill that did not reproduce.

const loaded = (input: Record<string, unknown>) => ({ drill: drillSchema.parse(input), file: `${String(input.name)}.ts` });

describe('a drill that did not reproduce is retried once', () => {
  let workspace: Workspace;
  beforeAll(async () => {
    const { configPath, dir } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive', pollInterval: '200ms' } });
    workspace = await openWorkspace({ configPath, cwd: dir, logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => await workspace.close());

  it('runs it again as a run of its own that names the first, and files nothing when neither reproduced', async () => {
    // A 2 s freeze cannot be the 20 s freeze the drill expects: it never reproduces.
    const drill = loaded({
      name: 'cannot-reproduce',
      description: 'A 2 s freeze expected to last 20 s',
      classroom: { students: 1, duration: '7s' },
      faults: [{ kind: 'video-freeze', target: 'teacher', at: '3s', for: '2s' }],
      expect: { freeze: { on: 'students', minDuration: '20s' } },
    });
    const retries: { previous: RunResult; next: { runId: string; attempt: number; of: number } }[] = [];
    const notFiled: string[] = [];
    const { result, exitCode } = await executeRun(workspace, {
      drill,
      ticket: true,
      onRetry: (previous, next) => retries.push({ previous, next }),
      onNotFiled: (reason) => notFiled.push(reason),
    });

    expect(exitCode).toBe(1);
    expect(retries).toHaveLength(1);
    const first = retries[0]!.previous;
    expect(first).toMatchObject({ reproduced: false, outcome: 'not-reproduced', attempt: { number: 1 } });
    expect(first.baseline).toMatchObject({ healthy: true, problems: [] });
    expect(retries[0]!.next).toEqual({ runId: result.runId, attempt: 2, of: 2 });
    expect(result).toMatchObject({ reproduced: false, outcome: 'not-reproduced', attempt: { number: 2, retryOf: first.runId } });

    const runs = await workspace.store.listRuns({ drill: 'cannot-reproduce' });
    expect(runs.map((r) => r.id).sort()).toEqual([first.runId, result.runId].sort());
    const stored = await workspace.store.getRun(result.runId);
    expect(stored).toMatchObject({ status: 'not-reproduced', vendor: null, reproduced: false });
    expect(stored!.result!.attempt).toEqual({ number: 2, retryOf: first.runId });
    expect(await workspace.store.getRun(first.runId)).toMatchObject({ status: 'not-reproduced', vendor: null, phase: `not-reproduced; run again as ${result.runId}` });
    expect(await workspace.store.listTickets()).toEqual([]);
    // Only the attempt that counts says why nothing was filed.
    expect(notFiled).toEqual([expect.stringMatching(/^not reproduced \(.*\): nothing filed$/)]);
  }, 120_000);

  it('never retries a control drill, nor a drill with retries: 0', async () => {
    // A control drill whose picture froze: not reproduced, and there is nothing a retry could file.
    const control = loaded({
      name: 'control-froze',
      description: 'A control drill that saw a freeze',
      classroom: { students: 1, duration: '6s' },
      faults: [{ kind: 'video-freeze', target: 'teacher', at: '3s', for: '2s' }],
      expect: { freeze: 'none' },
    });
    const retried: string[] = [];
    const { result, exitCode } = await executeRun(workspace, { drill: control, ticket: true, onRetry: (previous) => retried.push(previous.runId) });
    expect(exitCode).toBe(1);
    expect(result).toMatchObject({ reproduced: false, attempt: { number: 1 } });
    expect(retried).toEqual([]);
    expect(await workspace.store.listRuns({ drill: 'control-froze' })).toHaveLength(1);

    const once = loaded({
      name: 'no-retries',
      description: 'A drill that cannot reproduce and is not retried',
      classroom: { students: 1, duration: '6s' },
      faults: [{ kind: 'video-freeze', target: 'teacher', at: '3s', for: '2s' }],
      expect: { freeze: { on: 'students', minDuration: '20s' } },
      retries: 0,
    });
    await executeRun(workspace, { drill: once, ticket: false, onRetry: (previous) => retried.push(previous.runId) });
    expect(retried).toEqual([]);
    expect(await workspace.store.listRuns({ drill: 'no-retries' })).toHaveLength(1);
  }, 120_000);
});
