#!/usr/bin/env node
// The CLI runs prebuilt (dist/, from scripts/bundle.mjs, which the set-up script runs) while that
// build is newer than every file under src/; otherwise — a working tree being edited, or no build
// yet — it runs the TypeScript itself through tsx. Drill and config files are TypeScript either
// way: the prebuilt CLI registers tsx for them only when it loads one (src/core/typescript-loader.ts).
import { pathToFileURL } from 'node:url';
import { freshBuild } from './fresh-build.mjs';

const build = process.env.SUPPORTDRILL_NO_BUILD ? null : freshBuild(new URL('..', import.meta.url));
if (build) {
  await import(pathToFileURL(build).href);
} else {
  (await import('tsx/esm/api')).register();
  await import('../src/cli.ts');
}
