import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { formatMs } from '../core/duration.ts';
import { UserError, prefixed } from '../core/errors.ts';
import { importWithin } from '../core/import-within.ts';
import { parseConfig, type Config } from './config.ts';

/** The names a config file may have in the project root, in the order they are tried. */
export const CONFIG_FILES = [
  'supportdrill.config.ts',
  'supportdrill.config.mts',
  'supportdrill.config.js',
  'supportdrill.config.mjs',
  'supportdrill.config.json',
] as const;

const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

export interface LoadConfigOptions {
  /** `--config PATH`, relative to `cwd`; wins over `SUPPORTDRILL_CONFIG` and the project root. */
  configPath?: string;
  /** The project root. @defaultValue `process.cwd()` */
  cwd?: string;
}

export interface LoadedConfig {
  config: Config;
  /** The file the config came from (absolute), or `null` when the defaults apply. */
  file: string | null;
}

/** The config file to load, or `null` for none; an explicitly named file that does not exist is an error. */
function findConfigFile(cwd: string, configPath: string | undefined): string | null {
  const fromEnv = process.env.SUPPORTDRILL_CONFIG;
  const [explicit, source] =
    configPath !== undefined && configPath !== ''
      ? [configPath, '--config']
      : fromEnv !== undefined && fromEnv !== ''
        ? [fromEnv, 'SUPPORTDRILL_CONFIG']
        : [undefined, undefined];
  if (explicit === undefined) return CONFIG_FILES.map((name) => join(cwd, name)).find((file) => existsSync(file)) ?? null;

  const file = resolve(cwd, explicit);
  if (!existsSync(file)) throw new UserError(prefixed(undefined, `The config file given by ${source} does not exist: ${file}`));
  if (!statSync(file).isFile()) throw new UserError(prefixed(undefined, `The config file given by ${source} is not a file: ${file}`));
  const ext = extname(file);
  if (ext !== '.json' && !MODULE_EXTENSIONS.includes(ext)) {
    throw new UserError(
      prefixed(undefined, `The config file given by ${source} must be TypeScript, JavaScript or JSON (${['.json', ...MODULE_EXTENSIONS].join(', ')}): ${file}`),
    );
  }
  return file;
}

async function readConfigFile(file: string, shown: string): Promise<unknown> {
  if (extname(file) === '.json') {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (error) {
      throw new UserError(prefixed(undefined, `Error loading config file '${shown}': ${(error as Error).message}`), { cause: error });
    }
  }
  let module: { default?: unknown };
  try {
    module = await importWithin(file, (ms) => new UserError(prefixed(undefined, `Config file '${shown}' did not finish loading within ${formatMs(ms)}: does a top-level await in it never settle? (SUPPORTDRILL_LOAD_TIMEOUT sets the limit.)`)));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(prefixed(undefined, `Error loading config file '${shown}': ${(error as Error).message}`), { cause: error });
  }
  if (module.default === undefined) {
    throw new UserError(
      prefixed(undefined, `Config file '${shown}' has no default export. Write \`export default defineConfig({ … })\`.`),
    );
  }
  return module.default;
}

/**
 * Finds, loads and validates the config: `configPath` (`--config`), else `SUPPORTDRILL_CONFIG`, else
 * the first of {@link CONFIG_FILES} in `cwd`; with none, the defaults. Secrets stay unresolved (see
 * {@link resolveSecret}), so a vendor's missing variable only matters when that vendor is used.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const file = findConfigFile(cwd, options.configPath);
  if (file === null) return { config: parseConfig({}, { baseDir: cwd }), file: null };
  const shown = relative(cwd, file) || file;
  const input = await readConfigFile(file, shown);
  return { config: parseConfig(input, { baseDir: dirname(file), file: shown }), file };
}
