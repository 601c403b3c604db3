import { register } from 'node:module';

let ready: Promise<void> | undefined;

/**
 * Lets the user's TypeScript (drill and config files) be imported. Running from src/, the CLI is
 * itself TypeScript and tsx is already registered. Running prebuilt (dist/, scripts/bundle.mjs),
 * tsx is registered only now, after the CLI's own modules have loaded: a loader hook sees every
 * later import, and on all of node_modules that cost about half a second of start-up. The
 * prebuilt CLI also points `supportdrill`, as those files import it, at its own dist/index.mjs, so
 * they share its modules instead of compiling src/ again.
 */
export function allowTypeScript(): Promise<void> {
  ready ??= (async () => {
    if (import.meta.url.endsWith('.ts')) return;
    const index = new URL('./index.mjs', import.meta.url).href;
    const hook = `export async function resolve(s, c, next) { return s === 'supportdrill' ? { url: ${JSON.stringify(index)}, shortCircuit: true } : next(s, c); }`;
    register(`data:text/javascript,${encodeURIComponent(hook)}`);
    (await import('tsx/esm/api')).register();
  })();
  return ready;
}
