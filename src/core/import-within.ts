import { pathToFileURL } from 'node:url';
import { tryParseDuration } from './duration.ts';
import { allowTypeScript } from './typescript-loader.ts';

/** How long a drill or config file may take to load; `SUPPORTDRILL_LOAD_TIMEOUT` (a duration) overrides it. */
export const DEFAULT_LOAD_TIMEOUT_MS = 30_000;

function loadTimeout(): number {
  const configured = process.env.SUPPORTDRILL_LOAD_TIMEOUT;
  const ms = configured ? tryParseDuration(configured) : undefined;
  return ms !== undefined && ms > 0 ? ms : DEFAULT_LOAD_TIMEOUT_MS;
}

/**
 * Imports a user's module (a drill or config file) but gives up after the load timeout: a file whose
 * top-level await never settles would otherwise hang the command, or let it end without a result.
 * `timedOut` builds the error to throw, given the time waited.
 */
export async function importWithin(file: string, timedOut: (ms: number) => Error): Promise<{ default?: unknown }> {
  const ms = loadTimeout();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut(ms)), ms);
  });
  try {
    await allowTypeScript();
    return (await Promise.race([import(pathToFileURL(file).href) as Promise<{ default?: unknown }>, expired]));
  } finally {
    clearTimeout(timer);
  }
}
