import type * as Os from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { drillSchema } from '../../src/drill/schema.ts';
import { executeRun } from '../../src/pipeline/execute-run.ts';
import { openWorkspace, type Workspace } from '../../src/pipeline/workspace.ts';
import { ticketProject } from '../helpers/ticketing.ts';

// The probe's network "dies" once the class is over: the interfaces the check reads lose every
// address but loopback's. The class itself is real and reproduces; what must not happen is a ticket.
const network = vi.hoisted(() => ({ down: false }));
vi.mock('node:os', async (importOriginal) => {
  const os = await importOriginal<typeof Os>();
  const networkInterfaces = () => {
    const all = os.networkInterfaces();
    return network.down ? Object.fromEntries(Object.entries(all).filter(([, list]) => list?.every((a) => a.internal))) : all;
  };
  return { ...os, default: { ...os, networkInterfaces }, networkInterfaces };
});

describe('a probe whose network died during the class', () => {
  let workspace: Workspace;
  beforeAll(async () => {
    const { configPath, dir } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive', pollInterval: '200ms' } });
    workspace = await openWorkspace({ configPath, cwd: dir, logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => await workspace.close());

  it('files nothing for a run that reproduced, says why, and marks the run failed (exit 2)', async () => {
    const drill = drillSchema.parse({
      name: 'network-dies',
      description: "The teacher's video freezes for 2 s",
      classroom: { students: 1, duration: '6s' },
      faults: [{ kind: 'video-freeze', target: 'teacher', at: '3s', for: '2s' }],
      expect: { freeze: { on: 'students', minDuration: '1s' } },
    });
    const notFiled: string[] = [];
    const { result, exitCode } = await executeRun(workspace, {
      drill: { drill, file: 'network-dies.ts' },
      ticket: true,
      onProgress: (event) => {
        if (event.phase === 'class-over') network.down = true;
      },
      onNotFiled: (reason) => notFiled.push(reason),
    });
    expect(result).toMatchObject({ reproduced: true, outcome: 'reproduced' });
    expect(exitCode).toBe(2);
    expect(notFiled).toEqual([expect.stringMatching(/^\[probe\] This machine's network is down before filing: no interface but loopback has an address\. Nothing is filed.* The run is marked failed\.$/)]);
    expect(await workspace.store.getRun(result.runId)).toMatchObject({ status: 'failed', vendor: null, phase: 'probe check failed before filing' });
    expect(await workspace.store.listTickets()).toEqual([]);
  }, 90_000);
});
