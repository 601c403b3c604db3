// Whether dist/ (scripts/bundle.mjs) may run instead of src/: it exists and no file under src/ was
// changed after it was built. A few hundred stat calls, about 5 ms.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function newestUnder(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The build's CLI, or null when there is none or src/ changed since. */
export function freshBuild(rootUrl) {
  const root = fileURLToPath(rootUrl);
  const marker = join(root, 'dist', 'BUILT');
  let builtAt;
  try {
    builtAt = statSync(marker).mtimeMs;
  } catch {
    return null;
  }
  if (newestUnder(join(root, 'src')) > builtAt) return null;
  return join(root, 'dist', 'cli.mjs');
}
