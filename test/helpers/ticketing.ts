import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
