import { openSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export type OpenStoreOptions = SqliteStoreOptions;

/** Opens the store of a data directory: the embedded SQLite file `<dataDir>/supportdrill.db`. */
export async function openStore(dataDir: string, options: OpenStoreOptions = {}): Promise<Store> {
  return openSqliteStore(dataDir, options);
}
