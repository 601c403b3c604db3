import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/rendering/browser.ts';
import { OneRunBrowser, WARM_WINDOWS, WarmBrowser } from '../../src/rendering/browser-source.ts';

const chromium = findBrowser();

describe('OneRunBrowser', () => {
  it('launches once, from prelaunch or the first acquire, and closes it on release', async () => {
    const source = new OneRunBrowser(chromium);
    source.prelaunch();
    const browser = await source.acquire();
    expect(await source.acquire()).toBe(browser);
    expect(browser.connected).toBe(true);
    await source.release(browser);
    expect(browser.connected).toBe(false);
  }, 30_000);

  it('closes a prelaunched browser nobody acquired (the run failed before its class)', async () => {
    const source = new OneRunBrowser(chromium);
    source.prelaunch();
    await source.discard();
    // A later acquire gets a new one rather than the closed one.
    const browser = await source.acquire();
    expect(browser.connected).toBe(true);
    await source.release(browser);
  }, 30_000);
});

describe('WarmBrowser', () => {
  it('keeps one browser across runs and leaves the next class its first windows, blank', async () => {
    const warm = new WarmBrowser(chromium, 5);
    try {
      const first = await warm.acquire();
      for (const page of await first.pages()) await page.close();
      await warm.release(first, { failed: false });
      expect(first.connected).toBe(true);
      expect((await first.pages()).map((p) => p.url())).toEqual(Array(WARM_WINDOWS).fill('about:blank'));
      expect(await warm.acquire()).toBe(first);
    } finally {
      await warm.close();
    }
  }, 30_000);

  it('replaces it after its number of runs, after a failed run, and after it crashed', async () => {
    const warm = new WarmBrowser(chromium, 2);
    try {
      const a = await warm.acquire();
      await warm.release(a, { failed: false });
      expect(await warm.acquire()).toBe(a);
      await warm.release(a, { failed: false });
      const b = await warm.acquire();
      expect(b).not.toBe(a);
      expect(a.connected).toBe(false);

      await warm.release(b, { failed: true });
      expect(b.connected).toBe(false);
      const c = await warm.acquire();
      expect(c).not.toBe(b);
      await warm.release(c, { failed: false });

      const gone = new Promise((resolve) => c.once('disconnected', resolve));
      c.process()!.kill('SIGKILL');
      await gone;
      const d = await warm.acquire();
      expect(d).not.toBe(c);
      expect(d.connected).toBe(true);
    } finally {
      await warm.close();
    }
  }, 60_000);
});
