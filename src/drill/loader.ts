import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { formatMs } from '../core/duration.ts';
import { UserError, prefixed } from '../core/errors.ts';
import { importWithin } from '../core/import-within.ts';
import { formatIssues } from '../core/key-hints.ts';
import { drillSchema, type Drill } from './schema.ts';

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

export interface LoadedDrill {
  drill: Drill;
  file: string;
}

/** Where a drill named `name` may live, in the order they are tried. */
export function drillCandidates(nameOrPath: string, cwd: string): string[] {
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.includes('\\') || EXTENSIONS.includes(extname(nameOrPath));
  if (looksLikePath) return [isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath)];
  return EXTENSIONS.map((ext) => join(cwd, 'drills', nameOrPath + ext));
}

export function listDrills(cwd: string): string[] {
  const dir = join(cwd, 'drills');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => EXTENSIONS.includes(extname(file)))
    .map((file) => basename(file, extname(file)))
    .sort();
}

/**
 * Loads a drill by name (`drills/<name>.ts`) or by path, and validates it. Every problem of the
 * file is reported at once — file › field › what was expected — before anything starts.
 */
export async function loadDrill(nameOrPath: string, cwd = process.cwd()): Promise<LoadedDrill> {
  const candidates = drillCandidates(nameOrPath, cwd);
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) {
    const known = listDrills(cwd);
    throw new UserError(
      prefixed(undefined, `No drill '${nameOrPath}'. Looked for: ${candidates.map((c) => relative(cwd, c) || c).join(', ')}.` +
        (known.length ? `\nDrills in drills/: ${known.join(', ')}.` : '')),
    );
  }
  const shown = relative(cwd, file) || file;

  let module: { default?: unknown };
  try {
    module = await importWithin(file, (ms) => new UserError(prefixed(undefined, `Drill file '${shown}' did not finish loading within ${formatMs(ms)}: does a top-level await in it never settle? (SUPPORTDRILL_LOAD_TIMEOUT sets the limit.)`)));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(prefixed(undefined, `Error loading drill file '${shown}': ${(err as Error).message}`), { cause: err });
  }
  if (module.default === undefined) {
    throw new UserError(prefixed(undefined, `Drill file '${shown}' has no default export. Write \`export default defineDrill({ … })\`.`));
  }
  const parsed = drillSchema.safeParse(module.default);
  const issues = parsed.success ? [] : [...parsed.error.issues];
  const expectedName = basename(file, extname(file));
  const raw = module.default as { name?: unknown };
  if (typeof raw?.name === 'string' && raw.name !== expectedName) {
    issues.push({ code: 'custom', path: ['name'], message: `'${raw.name}' does not match the file name; expected '${expectedName}'`, input: raw.name } as never);
  }
  if (issues.length > 0) {
    throw new UserError(prefixed(undefined, `Drill file '${shown}' is not valid (${issues.length} problem${issues.length > 1 ? 's' : ''}):\n${formatIssues(shown, issues, drillSchema)}`));
  }
  return { drill: (parsed as { data: Drill }).data, file };
}
