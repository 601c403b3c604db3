import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Config } from '../config/config.ts';
import { getVendor } from '../config/vendor-entry.ts';
import { UserError, prefixed } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { loadDrill } from '../drill/loader.ts';
import type { Drill } from '../drill/schema.ts';

const DRILL_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** A drill with a schedule, and the vendors each firing runs it for. */
export interface ScheduledDrill {
  drill: Drill;
  file: string;
  /** `null` in a dry run: nothing is filed. */
  vendors: (string | null)[];
}

/**
 * Every drill in `dir` with a `schedule`, validated, its vendors checked against the config: a bad
 * drill or vendor name stops the start before anything fires. A missing default `drills/` only
 * schedules nothing; a missing directory given with `--drills` is an error.
 */
export async function loadScheduledDrills(options: { dir: string; explicit: boolean; cwd: string; config: Config; dryRun: boolean; log: Logger }): Promise<ScheduledDrill[]> {
  const { dir, config, log } = options;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    if (options.explicit) throw new UserError(prefixed('serve', `--drills ${dir} is not a directory`));
    log.warn(`no drills directory at ${dir}: nothing is scheduled, tickets are still watched`);
    return [];
  }
  const files = readdirSync(dir)
    .filter((f) => DRILL_EXTENSIONS.includes(extname(f)))
    .sort()
    .map((f) => join(dir, f));
  const loaded: ScheduledDrill[] = [];
  for (const file of files) {
    const { drill } = await loadDrill(file, options.cwd);
    if (!drill.schedule) continue;
    const vendors = options.dryRun ? [null] : (drill.vendors ?? [config.defaultVendor]);
    for (const vendor of vendors) {
      if (vendor === null) continue;
      try {
        getVendor(config, vendor);
      } catch (err) {
        throw new UserError(prefixed('serve', `${file} › vendors: ${(err as Error).message.replace(/^\[supportdrill\] /, '')}`));
      }
    }
    loaded.push({ drill, file, vendors });
  }
  return loaded;
}
