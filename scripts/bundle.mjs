#!/usr/bin/env node
// Prebuilds the CLI and the classroom pages into dist/ (esbuild, ~0.3 s), so a drill compiles no
// TypeScript of ours at run time: bin/supportdrill.mjs runs dist/cli.mjs while it is newer than
// every file under src/, and the TypeScript through tsx otherwise (a working tree being edited).
// Drill and config files, being the user's TypeScript, still load through tsx; their
// `import … from 'supportdrill'` is pointed at dist/index.mjs, which shares the CLI's chunks.
//
//   node scripts/bundle.mjs              (run by scripts/setup.mjs after the npm dependencies)
//   node scripts/bundle.mjs --out DIR    elsewhere (under the project, so node_modules resolves: tests)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outAt = process.argv.indexOf('--out');
const dist = outAt > 0 ? resolve(process.argv[outAt + 1]) : join(root, 'dist');
const pageSrc = join(root, 'src/classroom/page');
const building = `${dist}.building`;

rmSync(building, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outdir: building,
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
// The pages, where the bundled bundle.ts looks for them: page/ beside the chunks.
const pages = readdirSync(pageSrc).filter((f) => f.endsWith('.html')).map((f) => f.slice(0, -'.html'.length));
mkdirSync(join(building, 'page'), { recursive: true });
await build({
  absWorkingDir: root,
  entryPoints: ['inject', ...pages].map((p) => join(pageSrc, `${p}.ts`)),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'chrome110',
  outdir: join(building, 'page'),
  logLevel: 'warning',
});
for (const page of pages) copyFileSync(join(pageSrc, `${page}.html`), join(building, 'page', `${page}.html`));
writeFileSync(join(building, 'BUILT'), 'Built by scripts/bundle.mjs from src/; bin/supportdrill.mjs uses it while it is newer than every file under src/.\n');
// Swapped in whole: a CLI starting meanwhile sees the old bundle or the new one, never half of one.
rmSync(dist, { recursive: true, force: true });
renameSync(building, dist);
