import puppeteer, { type Browser } from 'puppeteer';
import { UserError, prefixed } from '../core/errors.ts';
import { isExecutable } from '../core/executable.ts';

export const SETUP_COMMAND = 'npm run setup';

/** The usual places a system Chromium or Chrome lives, in the order they are tried. */
export const SYSTEM_BROWSER_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export interface BrowserLookup {
  /** `SUPPORTDRILL_CHROME`, when set. */
  env?: string;
  /** The `chrome` entry of the config, when set. */
  configured?: string;
  /** Overrides the system paths (tests). */
  systemPaths?: string[];
}

/**
 * Finds the browser to drive: `SUPPORTDRILL_CHROME`, then the config, then the usual system paths,
 * then one puppeteer downloaded (it does not here: the project switches that download off).
 * A browser named explicitly but missing is an error of its own, not a silent fallback.
 */
export function findBrowser(lookup: BrowserLookup = { env: process.env.SUPPORTDRILL_CHROME }): string {
  for (const [source, path] of [['SUPPORTDRILL_CHROME', lookup.env], ['config "chrome"', lookup.configured]] as const) {
    if (!path) continue;
    if (isExecutable(path)) return path;
    throw new UserError(prefixed(undefined, `${source} names the browser '${path}', but there is no executable there. Fix the path, or unset it and run \`${SETUP_COMMAND}\` to install Chromium.`));
  }
  const systemPaths = lookup.systemPaths ?? SYSTEM_BROWSER_PATHS;
  const found = systemPaths.find(isExecutable);
  if (found) return found;
  if (!lookup.systemPaths) {
    try {
      const downloaded = puppeteer.executablePath();
      if (downloaded && isExecutable(downloaded)) return downloaded;
    } catch {
      // puppeteer has no browser of its own here; fall through to the message below.
    }
  }
  throw new UserError(
    prefixed(
      undefined,
      `No Chromium or Chrome found (looked in SUPPORTDRILL_CHROME, the config, ${systemPaths.join(', ')} and puppeteer's cache).\n` +
        `Run \`${SETUP_COMMAND}\` (as root it installs Debian's chromium), or set SUPPORTDRILL_CHROME to a Chrome/Chromium binary.`,
    ),
  );
}

export const BROWSER_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--disable-quic',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  // Each participant is its own tab; none may be throttled as a background tab, or its frames and
  // timers would stall and look like freezes that never happened.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  // Host candidates as real addresses: with no mDNS responder here, obfuscated ones never connect.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

export async function launchBrowser(executablePath: string, extraArgs: string[] = []): Promise<Browser> {
  const args = [...BROWSER_ARGS, ...extraArgs];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  try {
    return await puppeteer.launch({ executablePath, headless: true, args, protocolTimeout: 60_000 });
  } catch (err) {
    throw new UserError(prefixed(undefined, `Could not start the browser '${executablePath}': ${(err as Error).message}`), { cause: err });
  }
}
