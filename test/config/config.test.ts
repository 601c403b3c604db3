import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DISCLOSURE, defineConfig, parseConfig } from '../../src/config/config.ts';
import { getVendor, vendorEntry, vendorOptions } from '../../src/config/vendor-entry.ts';
import { loadConfig } from '../../src/config/load.ts';
import { env, resolveSecret } from '../../src/core/secrets.ts';
import { UserError } from '../../src/core/errors.ts';
import { ROOT } from '../helpers/cli.ts';

const TS_PROJECT = join(ROOT, 'test/fixtures/config/ts-project');

/** A temp project root holding the given files (objects are written as JSON). */
function project(files: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-config-'));
  for (const [name, content] of Object.entries(files)) {
    const file = join(dir, name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const json = (config: unknown) => ({ 'supportdrill.config.json': config });

// Complete adapter entries: a config's adapter options are checked when it loads.
const ZENDESK_VENDOR = { adapter: 'zendesk', url: 'https://acme.zendesk.com', email: 'trial@school.example', token: { env: 'ZENDESK_TOKEN' } };
const EMAIL_VENDOR = {
  adapter: 'email',
  to: 'support@vendor.test',
  from: 'trial@school.example',
  smtp: { host: 'smtp.school.example' },
  imap: { host: 'imap.school.example', password: { env: 'IMAP_PASSWORD' } },
};

async function loadError(options: Parameters<typeof loadConfig>[0]): Promise<Error> {
  try {
    await loadConfig(options);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the config loaded, but an error was expected');
}

beforeEach(() => {
  // The developer's own shell must not decide which file a test loads.
  vi.stubEnv('SUPPORTDRILL_CONFIG', '');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('loadConfig', () => {
  it('applies the embedded defaults when the project has no config file', async () => {
    const cwd = project();
    const { config, file } = await loadConfig({ cwd });
    expect(file).toBeNull();
    expect(config).toMatchObject({
      dataDir: join(cwd, 'var'),
      defaultVendor: 'sandbox',
      chrome: null,
      disclosure: DEFAULT_DISCLOSURE,
      watch: { timeout: 3 * 86_400_000 },
      mail: null,
    });
    expect(Object.keys(config.vendors)).toEqual(['sandbox']);
    expect(config.vendors.sandbox).toMatchObject({
      adapter: 'sandbox',
      persona: 'responsive',
      pollInterval: null,
      timezone: 'UTC',
      businessHours: null,
      sla: { tier: 'mature' },
    });
  });

  it('loads supportdrill.config.json with durations in ms and business hours read in the vendor timezone', async () => {
    const cwd = project(
      json({
        defaultVendor: 'zendesk',
        vendors: {
          zendesk: {
            adapter: 'zendesk',
            url: 'https://acme.zendesk.com',
            email: 'trial@school.example',
            token: { env: 'ZENDESK_TOKEN' },
            pollInterval: '30s',
            sla: { firstHumanResponse: '2h', clock: 'business' },
            timezone: 'Asia/Shanghai',
            businessHours: { days: ['mon', 'fri'], start: '9:00', end: '18:00', holidays: ['2026-10-01'] },
          },
        },
        watch: { timeout: '1d' },
        disclosure: false,
      }),
    );
    const { config, file } = await loadConfig({ cwd });
    expect(file).toBe(join(cwd, 'supportdrill.config.json'));
    expect(config.defaultVendor).toBe('zendesk');
    expect(config.disclosure).toBe(false);
    expect(config.watch.timeout).toBe(86_400_000);
    expect(config.vendors.zendesk).toMatchObject({
      adapter: 'zendesk',
      pollInterval: 30_000,
      timezone: 'Asia/Shanghai',
      sla: { tier: null, clock: 'business', firstHumanResponseMs: 7_200_000 },
      businessHours: {
        timezone: 'Asia/Shanghai',
        windows: [{ days: ['mon', 'fri'], start: '09:00', end: '18:00' }],
        holidays: ['2026-10-01'],
      },
    });
  });

  it('loads a TypeScript config written with defineConfig and env()', async () => {
    const { config, file } = await loadConfig({ cwd: TS_PROJECT });
    expect(file).toBe(join(TS_PROJECT, 'supportdrill.config.ts'));
    expect(config.dataDir).toBe(join(TS_PROJECT, 'data'));
    expect(config.watch.timeout).toBe(12 * 3_600_000);
    expect(config.vendors.zendesk).toMatchObject({ pollInterval: 60_000, sla: { tier: 'growth' }, timezone: 'Asia/Shanghai' });
    expect(vendorOptions(config, 'zendesk')).toEqual({
      url: 'https://acme.zendesk.com',
      email: 'trial@school.example',
      token: { env: 'SUPPORTDRILL_TEST_ZENDESK_TOKEN' },
    });
  });

  it('keeps the built-in sandbox vendor when the config names only other vendors', async () => {
    const cwd = project(json({ vendors: { email: EMAIL_VENDOR } }));
    const { config } = await loadConfig({ cwd });
    expect(Object.keys(config.vendors)).toEqual(['sandbox', 'email']);
    expect(config.defaultVendor).toBe('sandbox');
  });

  it('names a mistyped top-level key and suggests the right one', async () => {
    const cwd = project(json({ defaultVendr: 'sandbox' }));
    const error = await loadError({ cwd });
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/supportdrill\.config\.json › defaultVendr › unknown key \(did you mean 'defaultVendor'\?\)/);
  });

  it('catches a near miss of a common vendor key among the adapter options', async () => {
    const cwd = project(json({ vendors: { sandbox: { adapter: 'sandbox', polInterval: '5s' } } }));
    await expect(loadConfig({ cwd })).rejects.toThrow(
      /vendors\.sandbox\.polInterval › unknown key \(did you mean 'pollInterval'\?\)/,
    );
  });

  it('names the file and field of a bad duration', async () => {
    const cwd = project(json({ vendors: { sandbox: { adapter: 'sandbox', pollInterval: 'often' } } }));
    await expect(loadConfig({ cwd })).rejects.toThrow(
      /supportdrill\.config\.json › vendors\.sandbox\.pollInterval › expected a duration like '500ms'.*got 'often'/,
    );
  });

  it('refuses a poll interval or watch timeout of zero, and a duration too long to compute with', async () => {
    const cwd = project(json({ vendors: { sandbox: { adapter: 'sandbox', pollInterval: '0s' } }, watch: { timeout: '999999999999999999d' } }));
    const error = await loadConfig({ cwd }).then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/vendors\.sandbox\.pollInterval › expected a duration longer than 0, got '0s'/);
    expect(error?.message).toMatch(/watch\.timeout › .*999999999999999999d/);
  });

  it('reports every problem of a file at once', async () => {
    const cwd = project(
      json({ vendors: { z: { ...ZENDESK_VENDOR, timezone: 'Mars/Olympus', sla: 'gold' } }, watch: { timeout: 3 }, mial: {} }),
    );
    const error = await loadError({ cwd });
    expect(error.message).toMatch(/4 problems/);
    expect(error.message).toMatch(/vendors\.z\.timezone › 'Mars\/Olympus' is not an IANA timezone/);
    expect(error.message).toMatch(/vendors\.z\.sla › unknown SLA tier 'gold'/);
    expect(error.message).toMatch(/watch\.timeout › expected a duration/);
    expect(error.message).toMatch(/mial › unknown key \(did you mean 'mail'\?\)/);
  });

  it("checks every vendor's adapter options when the config loads, with the file's other problems", async () => {
    const cwd = project(
      json({
        vendors: {
          desk: { ...EMAIL_VENDOR, saveSnet: false, to: 'not an address' },
          z: { adapter: 'zendesk', url: 'https://acme.zendesk.com', email: 'trial@school.example' },
          x: { adapter: 'freshdesk' },
        },
        mial: {},
      }),
    );
    const error = await loadError({ cwd });
    expect(error.message).toMatch(/5 problems/);
    expect(error.message).toMatch(/supportdrill\.config\.json › vendors\.desk\.saveSnet › unknown option \(did you mean 'saveSent'\?\)/);
    expect(error.message).toMatch(/vendors\.desk\.to › expected the vendor's support address as an e-mail address/);
    expect(error.message).toMatch(/vendors\.z\.token › give an API token, token: env\('ZENDESK_TOKEN'\), or a password/);
    expect(error.message).toMatch(/vendors\.x\.adapter › unknown adapter 'freshdesk'; known adapters: sandbox, email, zendesk/);
    expect(error.message).toMatch(/mial › unknown key \(did you mean 'mail'\?\)/);
  });

  it('refuses a defaultVendor that names no configured vendor, naming both', async () => {
    const cwd = project(json({ defaultVendor: 'zendsk', vendors: { zendesk: { adapter: 'zendesk' } } }));
    await expect(loadConfig({ cwd })).rejects.toThrow(
      /defaultVendor › 'zendsk' is not one of the vendors \(sandbox, zendesk\); did you mean 'zendesk'\?/,
    );
  });

  it('resolves dataDir and a relative chrome path against the config file directory, not the cwd', async () => {
    const cwd = project({ 'conf/drill.json': { dataDir: 'state', chrome: './bin/chrome' } });
    const elsewhere = project();
    const { config } = await loadConfig({ cwd: elsewhere, configPath: join(cwd, 'conf/drill.json') });
    expect(config.dataDir).toBe(join(cwd, 'conf/state'));
    expect(config.chrome).toBe(join(cwd, 'conf/bin/chrome'));
  });

  it('keeps an absolute dataDir as written', async () => {
    const data = join(tmpdir(), 'supportdrill-absolute-data');
    const cwd = project(json({ dataDir: data }));
    const { config } = await loadConfig({ cwd });
    expect(config.dataDir).toBe(data);
  });

  it('prefers SUPPORTDRILL_CONFIG to a config file in the project root', async () => {
    const cwd = project({ ...json({ dataDir: 'root' }), 'other.json': { dataDir: 'from-env' } });
    vi.stubEnv('SUPPORTDRILL_CONFIG', 'other.json');
    const { config, file } = await loadConfig({ cwd });
    expect(file).toBe(join(cwd, 'other.json'));
    expect(config.dataDir).toBe(join(cwd, 'from-env'));
  });

  it('prefers --config to SUPPORTDRILL_CONFIG', async () => {
    const cwd = project({ 'env.json': { dataDir: 'from-env' }, 'flag.json': { dataDir: 'from-flag' } });
    vi.stubEnv('SUPPORTDRILL_CONFIG', 'env.json');
    const { config } = await loadConfig({ cwd, configPath: 'flag.json' });
    expect(config.dataDir).toBe(join(cwd, 'from-flag'));
  });

  it('lists the path of a --config file that does not exist', async () => {
    const cwd = project(json({}));
    const error = await loadError({ cwd, configPath: 'nope.json' });
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain(`The config file given by --config does not exist: ${join(cwd, 'nope.json')}`);
  });

  it('lists the path of a SUPPORTDRILL_CONFIG file that does not exist instead of falling back to the defaults', async () => {
    const cwd = project();
    vi.stubEnv('SUPPORTDRILL_CONFIG', 'missing.ts');
    await expect(loadConfig({ cwd })).rejects.toThrow(`given by SUPPORTDRILL_CONFIG does not exist: ${join(cwd, 'missing.ts')}`);
  });

  it('names the file of malformed JSON', async () => {
    const cwd = project({ 'supportdrill.config.json': '{ "dataDir": ' });
    await expect(loadConfig({ cwd })).rejects.toThrow(/Error loading config file 'supportdrill\.config\.json'/);
  });

  it('asks a TypeScript config for a default export', async () => {
    const cwd = project({ 'supportdrill.config.ts': 'export const config = {};\n' });
    await expect(loadConfig({ cwd })).rejects.toThrow(/'supportdrill\.config\.ts' has no default export/);
  });
});

describe('secrets', () => {
  it('loads a config whose vendor secret is not set, and names the variable when that secret is resolved', async () => {
    vi.stubEnv('SUPPORTDRILL_TEST_ZENDESK_TOKEN', '');
    const { config } = await loadConfig({ cwd: TS_PROJECT });
    const { token } = vendorOptions(config, 'zendesk');
    expect(() => resolveSecret(token, 'vendors.zendesk.token')).toThrow(
      new UserError(
        '[supportdrill] [config] vendors.zendesk.token needs the environment variable SUPPORTDRILL_TEST_ZENDESK_TOKEN, which is not set',
      ),
    );
  });

  it('reads a secret from its environment variable', () => {
    vi.stubEnv('SUPPORTDRILL_TEST_SECRET', 's3cret');
    expect(resolveSecret(env('SUPPORTDRILL_TEST_SECRET'), 'vendors.x.token')).toBe('s3cret');
  });

  it('takes a secret written as a plain string as it is', () => {
    expect(resolveSecret('inline-token', 'vendors.x.token')).toBe('inline-token');
  });

  it('writes env() as the same object a JSON config writes', () => {
    expect(env('ZENDESK_TOKEN')).toEqual({ env: 'ZENDESK_TOKEN' });
  });
});

describe('vendors of a config', () => {
  it('gives the registry a vendor entry as written, without the defaults the config fills in', async () => {
    const cwd = project(json({ vendors: { desk: { adapter: 'sandbox', persona: 'business-hours', pollInterval: '2s' } } }));
    const { config } = await loadConfig({ cwd });
    expect(vendorEntry(config, 'desk')).toEqual({ adapter: 'sandbox', persona: 'business-hours', pollInterval: '2s' });
    expect(vendorOptions(config, 'desk')).toEqual({ persona: 'business-hours' });
  });

  it('refuses an unknown vendor name, listing the configured ones', async () => {
    const { config } = await loadConfig({ cwd: TS_PROJECT });
    expect(() => getVendor(config, 'zendsk')).toThrow(/No vendor 'zendsk' in the config \(did you mean 'zendesk'\?\)\. Vendors: sandbox, zendesk\./);
  });

  it('returns a defineConfig argument unchanged', () => {
    const input = { dataDir: 'x', vendors: { sandbox: { adapter: 'sandbox', persona: 'slow' } } };
    expect(defineConfig(input)).toBe(input);
  });
});

describe('agora credentials', () => {
  it('keeps the Agora entry with its secrets unresolved until the classroom needs them', () => {
    const config = parseConfig({ agora: { appId: { env: 'SD_TEST_AGORA_APP_ID' }, tokenServer: 'https://tokens.example/rtc' } }, { baseDir: tmpdir() });
    expect(config.agora).toEqual({ appId: { env: 'SD_TEST_AGORA_APP_ID' }, tokenServer: 'https://tokens.example/rtc' });
    expect(() => resolveSecret(config.agora!.appId, 'agora.appId')).toThrow(/agora\.appId needs the environment variable SD_TEST_AGORA_APP_ID/);
  });

  it('names a token server that is not a URL', () => {
    expect(() => parseConfig({ agora: { appId: 'abc', tokenServer: 'tokens' } }, { baseDir: tmpdir(), file: 'supportdrill.config.json' })).toThrow(
      /supportdrill\.config\.json › agora\.tokenServer › expected the token server URL/,
    );
  });

  it('is null without an agora entry, so the provider reads the AGORA_* variables', () => {
    expect(parseConfig({}, { baseDir: tmpdir() }).agora).toBeNull();
  });
});
