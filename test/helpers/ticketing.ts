import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/config/config.ts';
import type { RunResult } from '../../src/core/run-result.ts';
import { openStore } from '../../src/store/open-store.ts';
import { type Store } from '../../src/store/store.ts';

const FIXTURE = new URL('../fixtures/run-result.json', import.meta.url);

/** A fresh project directory with a config file and the config it parses to. */
export function ticketProject(vendors: Record<string, unknown>): { dir: string; configPath: string; config: Config } {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-tickets-'));
  const input = { dataDir: 'var', defaultVendor: Object.keys(vendors)[0], vendors };
  const configPath = join(dir, 'supportdrill.config.json');
  writeFileSync(configPath, JSON.stringify(input, null, 2));
  return { dir, configPath, config: parseConfig(input, { baseDir: dir, file: configPath }) };
}

/** A scored run (from a real run's result) saved in the store, ready to be filed. */
export async function savedRun(store: Store, runId: string): Promise<RunResult> {
  const result = { ...(JSON.parse(readFileSync(FIXTURE, 'utf8')) as RunResult), runId };
  await store.createRun({ id: runId, drill: result.drill, provider: result.provider, vendor: 'sandbox' });
  await store.saveRunResult(runId, result);
  return result;
}

export { openStore };

/**
 * Gives a saved run real evidence files on disk (the stats timeline, console logs, a screenshot and
 * the chart, in a directory of its own) and points its result at them by absolute path, as an
 * answer to the vendor's questions attaches them.
 */
export async function withEvidence(store: Store, runId: string, root: string): Promise<{ dir: string; result: RunResult }> {
  const run = await store.getRun(runId);
  if (!run?.result) throw new Error(`run ${runId} has no saved result`);
  const dir = join(root, 'evidence', runId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'timeline.json'), JSON.stringify({ runId, samples: [{ t: 0, fps: 20 }, { t: 1000, fps: 0 }] }));
  writeFileSync(join(dir, 'console-teacher.log'), '[agora] publish ok\n[supportdrill] fault video-freeze on\n');
  writeFileSync(join(dir, 'console-student-1.log'), '[agora] subscribe ok\n');
  writeFileSync(join(dir, 'screenshot-during.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  writeFileSync(join(dir, 'chart.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  const result = { ...run.result, evidenceDir: dir };
  await store.saveRunResult(runId, result);
  return { dir, result };
}
