import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const cache = new Map<string, Promise<string>>();

/**
 * Bundles an in-page entry (under src/classroom/page/) into one IIFE script. Cached per process:
 * every run of a service reuses the first build.
 */
export function bundlePageScript(entry: string, alias?: Record<string, string>): Promise<string> {
  const key = alias ? `${entry} ${JSON.stringify(alias)}` : entry;
  let pending = cache.get(key);
  if (!pending) {
    pending = build({
      entryPoints: [PAGE_DIR + entry],
      alias,
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'chrome110',
      logLevel: 'silent',
    }).then((result) => result.outputFiles[0]!.text);
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

export const PAGE_ASSETS_DIR = PAGE_DIR;
