import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyCommand } from '../../src/cli/classify.ts';
import type { AnswerKey } from '../../src/core/answer-key.ts';
import type { Store } from '../../src/store/store.ts';
import { openStore, savedRun, ticketProject } from '../helpers/ticketing.ts';

const RUN = 'run_20261129T051246Z_d1a90e';
const OLD_RUN = 'run_20261129T051246Z_0ld0ld';

const KEY: AnswerKey = {
  faults: [
    {
      index: 0, kind: 'video-freeze', participant: 'teacher', side: 'publisher', media: ['video'], direction: 'send',
      mechanism: 'no video frames sent: the encoder output is dropped', mechanisms: ['no-video-sent'],
      affected: ['student-1', 'student-2'], startedAt: '2026-11-29T05:13:00.756Z', endedAt: '2026-11-29T05:13:10.757Z',
    },
  ],
};

describe('classify --diagnosis --run', () => {
  let configPath: string;
  let store: Store;
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-diagnosis-'));
  const reply = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  beforeAll(async () => {
    let config;
    ({ config, configPath } = ticketProject({ sandbox: { adapter: 'sandbox' } }));
    store = await openStore(config.dataDir);
    const result = await savedRun(store, RUN);
    await store.saveRunResult(RUN, { ...result, identifiers: { channel: 'drill-d1a90e', uids: { teacher: 1001, 'student-1': 1002, 'student-2': 1003 } }, answerKey: KEY });
    await savedRun(store, OLD_RUN);
    await store.close();
  });
  afterAll(() => undefined);

  async function run(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await classifyCommand([...argv, '--config', configPath], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  }

  it('scores a reply that names the publisher and its stopped video as correct, by uid', async () => {
    const file = reply('correct.txt', 'Hi, in our call records for channel drill-d1a90e uid 1001 stopped sending video at 05:13:00 for 10 s; the uplink had no loss.');
    const { code, stdout } = await run(file, '--diagnosis', '--run', RUN, '--json');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.kind).toBe('human');
    expect(doc.diagnosis).toMatchObject({ verdict: 'correct', fault: 0, counted: true, claim: { side: 'publisher', participant: 'teacher', mechanisms: ['no-video-sent'], usedOwnData: true } });
  });

  it('scores a reply that blames the network as wrong, and prints the key beside it', async () => {
    const file = reply('wrong.txt', 'The freeze was caused by packet loss on your network at 05:13.');
    const { code, stdout } = await run(file, '--diagnosis', '--run', RUN);
    expect(code).toBe(0);
    expect(stdout).toContain('diagnosis: wrong');
    expect(stdout).toContain('blames network, but the fault was on the publisher (no video frames sent: the encoder output is dropped)');
    expect(stdout).toContain('answer key (never sent to the vendor):\n  - fault 0 video-freeze: publisher, teacher');
  });

  it('says plainly when a run has no answer key, or is not there, or --run is missing (exit 2)', async () => {
    const file = reply('any.txt', 'The cause was your network.');
    const old = await run(file, '--diagnosis', '--run', OLD_RUN);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain(`Run '${OLD_RUN}' has no answer key`);
    const missing = await run(file, '--diagnosis', '--run', 'run_nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("No run 'run_nope'");
    const noRun = await run(file, '--diagnosis');
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toContain('--diagnosis needs --run ID');
  });
});
