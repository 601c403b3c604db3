import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/rendering/browser.ts';

function fakeBinary(name: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'supportdrill-browser-')), name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('findBrowser', () => {
  it('takes SUPPORTDRILL_CHROME before the config and the system paths', () => {
    const env = fakeBinary('env-chrome');
    expect(findBrowser({ env, configured: fakeBinary('config-chrome'), systemPaths: [fakeBinary('system-chrome')] })).toBe(env);
  });

  it('takes the config before the system paths', () => {
    const configured = fakeBinary('config-chrome');
    expect(findBrowser({ configured, systemPaths: [fakeBinary('system-chrome')] })).toBe(configured);
  });

  it('takes the first system path that exists', () => {
    const system = fakeBinary('chromium');
    expect(findBrowser({ systemPaths: ['/nonexistent/chromium', system] })).toBe(system);
  });

  it('refuses a SUPPORTDRILL_CHROME that points nowhere instead of falling back', () => {
    expect(() => findBrowser({ env: '/nonexistent/chrome', systemPaths: [fakeBinary('chromium')] })).toThrow(
      /SUPPORTDRILL_CHROME names the browser '\/nonexistent\/chrome', but there is no executable there/,
    );
  });

  it('names the setup command when no browser is found, with exit code 2', () => {
    let error: (Error & { exitCode?: number }) | undefined;
    try {
      findBrowser({ systemPaths: ['/nonexistent/a', '/nonexistent/b'] });
    } catch (e) {
      error = e as Error & { exitCode?: number };
    }
    expect(error?.message).toMatch(/No Chromium or Chrome found \(looked in SUPPORTDRILL_CHROME, the config, \/nonexistent\/a, \/nonexistent\/b/);
    expect(error?.message).toMatch(/Run `npm run setup`/);
    expect(error?.exitCode).toBe(2);
  });
});
