import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// src/classroom/page/ when running the TypeScript; dist/page/ in the prebuilt CLI (scripts/bundle.mjs
// puts the pages, already bundled, beside its chunks).
const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const cache = new Map<string, Promise<string>>();

/**
 * An in-page entry (under src/classroom/page/) as one IIFE script: the prebuilt one when the CLI
 * runs from dist/, else bundled now with esbuild. Cached per process: every run of a service
 * reuses the first.
 */
export function bundlePageScript(entry: string, alias?: Record<string, string>): Promise<string> {
  const key = alias ? `${entry} ${JSON.stringify(alias)}` : entry;
  let pending = cache.get(key);
  const prebuilt = PAGE_DIR + entry.replace(/\.ts$/, '.js');
  if (!pending && !alias && existsSync(prebuilt)) {
    pending = readFile(prebuilt, 'utf8');
    cache.set(key, pending);
  }
  if (!pending) {
    pending = import('esbuild').then(({ build }) => build({
      entryPoints: [PAGE_DIR + entry],
      alias,
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'chrome110',
      logLevel: 'silent',
    })).then((result) => result.outputFiles[0]!.text);
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

export const PAGE_ASSETS_DIR = PAGE_DIR;
