import { resolve } from 'node:path';
import type { Config } from '../config/config.ts';
import { loadConfig } from '../config/load.ts';
import type { Logger } from '../core/log.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { AdapterPool } from './adapter-pool.ts';

export interface WorkspaceOptions {
  /** `--config PATH`; else SUPPORTDRILL_CONFIG, else a config file in `cwd`, else the defaults. */
  configPath?: string;
  /** The project root: config files, `drills/` and evidence paths are read against it. @defaultValue `process.cwd()` */
  cwd?: string;
  /** `--data-dir DIR` (relative to `cwd`): replaces the config's `dataDir`. */
  dataDir?: string;
  logger?: Logger;
  /** The vendors' clock (only the sandbox desk, which runs here, reads it) and the store's. */
  now?: () => Date;
}

/** What every command works in: the config, its data directory's store, and the vendor adapters. */
export interface Workspace {
  readonly cwd: string;
  readonly config: Config;
  /** The file the config came from, or `null` for the defaults. */
  readonly configFile: string | null;
  readonly store: Store;
  readonly adapters: AdapterPool;
  readonly logger?: Logger;
  /** Closes the adapters, then the store. */
  close(): Promise<void>;
}

/** Loads the config, applies `--data-dir`, opens the store: the start of every command. */
export async function openWorkspace(options: WorkspaceOptions = {}): Promise<Workspace> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const { config, file } = await loadConfig({ configPath: options.configPath, cwd });
  if (options.dataDir) config.dataDir = resolve(cwd, options.dataDir);
  const store = await openStore(config.dataDir, { now: options.now });
  const adapters = new AdapterPool(config, options.logger, options.now);
  let closed = false;
  return {
    cwd,
    config,
    configFile: file,
    store,
    adapters,
    logger: options.logger,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await adapters.close();
      } finally {
        await store.close();
      }
    },
  };
}
