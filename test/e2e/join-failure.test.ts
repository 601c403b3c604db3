import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { agoraProvider } from '../../src/classroom/providers/agora.ts';
import { UserError } from '../../src/core/errors.ts';
import type { RunResult } from '../../src/core/run-result.ts';
import { runDrill } from '../../src/drill/runner.ts';
import { drillSchema, type Drill, type DrillInput } from '../../src/drill/schema.ts';
import type { TicketReport } from '../../src/support/ticket-report.ts';
import { runCli } from '../helpers/cli.ts';

// Real Chromium, the local mesh classroom (and Agora's SDK double): student-2 is kept out, student-1 joins.

const scratch = () => mkdtempSync(join(tmpdir(), 'supportdrill-join-'));
const JOIN_TIMEOUT = '5s';

function drill(over: Partial<DrillInput>): Drill {
  return drillSchema.parse({
    name: 'join-failure',
    description: 'a student cannot join',
    classroom: { provider: 'local', students: 2, duration: '3s', joinTimeout: JOIN_TIMEOUT, local: { topology: 'mesh' } },
    ...over,
  });
}

async function run(d: Drill, options: Parameters<typeof runDrill>[1] = {}): Promise<RunResult> {
  const dataDir = scratch();
  return runDrill(d, { dataDir, cwd: dataDir, ...options });
}

describe('a student that cannot join', () => {
  it.each([
    ['signalling', /signaling connection failed/],
    ['media', /^no video from the teacher within 5\.0 s of the class opening$/],
    ['credentials', /its page said: the classroom refused the connection: wrong room token$/],
  ] as const)('reproduces as "students could not join" under a %s block', async (block, said) => {
    const result = await run(drill({ faults: [{ kind: 'join-block', target: 'student-2', block }], expect: { join: { fails: 'student-2' } } }));
    expect(result.reproduced, result.reason).toBe(true);
    expect(result.joinFailures).toHaveLength(1);
    expect(result.joinFailures![0]!.participant).toBe('student-2');
    expect(result.joinFailures![0]!.reason).toMatch(/^no video from the teacher within 5\.0 s of the class opening/);
    expect(result.joinFailures![0]!.reason).toMatch(said);
    expect(result.reason).toMatch(/^students could not join: student-2 \(no video from the teacher/);
    // The block is a fault of the run: on before the class was in session, off at its end.
    expect(result.faults).toMatchObject([{ index: 0, kind: 'join-block', target: 'student-2' }]);
    expect(Date.parse(result.faults[0]!.startedAt)).toBeLessThan(Date.parse(result.inSessionAt));
    expect(result.faults[0]!.endedAt).not.toBeNull();
    expect(result.answerKey!.faults[0]).toMatchObject({ kind: 'join-block', participant: 'student-2', affected: ['student-2'] });
    // student-2's window is its own; student-1 was in the class and saw the teacher.
    expect(result.hosting!.windows).toEqual([['teacher'], ['student-2'], ['student-1']]);
    expect(result.freezes.filter((f) => f.participant === 'student-2')).toEqual([]);
  }, 90_000);

  it('does not reproduce when the student expected out joins after all', async () => {
    const result = await run(drill({ classroom: { provider: 'local', students: 2, duration: '2s', joinTimeout: '3s', local: { topology: 'mesh' } }, expect: { join: { fails: 'student-2' } } }));
    expect(result.reproduced).toBe(false);
    expect(result.joinFailures).toEqual([]);
    expect(result.reason).toBe('student-2 joined the class (video from the teacher arrived), though the drill expects it not to');
  }, 90_000);

  it('is still a set-up failure, nothing injected, when the drill does not expect a student to stay out', async () => {
    // The loader refuses a join block the drill does not expect; built by hand, the class is never in session.
    const expected = drill({ faults: [{ kind: 'join-block', target: 'student-2', block: 'signalling' }], expect: { join: { fails: 'student-2' } } });
    const unexpected: Drill = { ...expected, expect: { freeze: { on: 'student-1', minDuration: 1000 } } };
    const failure = await run(unexpected).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).exitCode).toBe(2);
    expect((failure as Error).message).toMatch(/The class was not in session after 5 s: no video reached student-2\.\nNothing was injected and nothing is filed/);
  }, 90_000);

  it("blocks a vendor SDK's signalling the same way (Agora's SDK test double)", async () => {
    const d = drill({
      classroom: { provider: 'agora', students: 2, duration: '3s', joinTimeout: JOIN_TIMEOUT },
      faults: [{ kind: 'join-block', target: 'student-2', block: 'signalling' }],
      expect: { join: { fails: 'student-2' } },
    });
    const DOUBLE = fileURLToPath(new URL('../doubles/agora-rtc-double.ts', import.meta.url));
    const result = await run(d, { provider: agoraProvider(d, { credentials: { appId: 'test-double-app-id' }, sdkModule: DOUBLE }) });
    expect(result.reproduced, result.reason).toBe(true);
    expect(result.joinFailures).toMatchObject([{ participant: 'student-2', reason: expect.stringMatching(/double: signaling failed/) }]);
  }, 90_000);

  it('files like any other failure through the CLI', async () => {
    const { code, stdout, stderr } = await runCli(['drill', 'test/fixtures/drills/join-failure.ts', '--json', '--no-wait', '--data-dir', scratch()]);
    expect(stderr).not.toMatch(/unexpected error/);
    const result = JSON.parse(stdout) as RunResult & { ticket: TicketReport };
    expect(code, stderr).toBe(0);
    expect(result).toMatchObject({ reproduced: true, joinFailures: [{ participant: 'student-2' }] });
    expect(result.checks).toMatchObject([{ name: 'fps mean ≥ 5 on student-1, class start → class end', level: 'warning' }]);
    expect(result.ticket).toMatchObject({ vendor: 'sandbox' });
  }, 120_000);
});
