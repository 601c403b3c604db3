import type { Browser } from 'puppeteer';
import { launchBrowser } from './browser.ts';

/**
 * Where a run gets its browser: launched for that run (the CLI, which starts it while the drill
 * file loads), or kept warm across runs (the service). Whoever acquires one releases it.
 */
export interface BrowserSource {
  acquire(): Promise<Browser>;
  /** Done with it. A run that `failed` leaves a browser nobody should trust again. */
  release(browser: Browser, outcome: { failed: boolean }): Promise<void>;
}

/** One browser for one run, launched at the first {@link BrowserSource.acquire} or {@link OneRunBrowser.prelaunch}. */
export class OneRunBrowser implements BrowserSource {
  #launched: Promise<Browser> | undefined;

  constructor(private readonly executablePath: string) {}

  /** Starts it now, so it comes up while other things load; a failure waits for `acquire`. */
  prelaunch(): void {
    this.#launched ??= launchBrowser(this.executablePath);
    this.#launched.catch(() => undefined);
  }

  acquire(): Promise<Browser> {
    this.prelaunch();
    return this.#launched!;
  }

  async release(browser: Browser): Promise<void> {
    await browser.close().catch(() => undefined);
  }

  /** Closes a browser that was prelaunched but never acquired (the run failed before its class). */
  async discard(): Promise<void> {
    const launched = this.#launched;
    this.#launched = undefined;
    await launched?.then((b) => b.close(), () => undefined).catch(() => undefined);
  }
}

/** Blank windows a warm browser keeps for the next class: the teacher's and one of students (up to 16). */
export const WARM_WINDOWS = 2;

/** How many runs a warm browser serves before it is replaced: a long-lived renderer's leaks stay bounded. */
export const WARM_BROWSER_RUNS = 20;

/**
 * The service's browser, kept between drills so a scheduled class starts without a browser
 * launch. Replaced after {@link WARM_BROWSER_RUNS} runs, after a run that failed, and when it
 * disconnected (crashed or was killed).
 */
export class WarmBrowser implements BrowserSource {
  #browser: Promise<Browser> | undefined;
  #runs = 0;

  constructor(
    private readonly executablePath: string,
    private readonly runsPerBrowser = WARM_BROWSER_RUNS,
  ) {}

  async acquire(): Promise<Browser> {
    const current = this.#browser ? await this.#browser.catch(() => undefined) : undefined;
    if (!current || !current.connected || this.#runs >= this.runsPerBrowser) {
      await current?.close().catch(() => undefined);
      this.#runs = 0;
      this.#browser = launchBrowser(this.executablePath);
      this.#browser.catch(() => (this.#browser = undefined));
    }
    this.#runs += 1;
    return this.#browser!;
  }

  async release(browser: Browser, outcome: { failed: boolean }): Promise<void> {
    if (outcome.failed || !browser.connected) {
      if (this.#browser && (await this.#browser.catch(() => undefined)) === browser) this.#browser = undefined;
      await browser.close().catch(() => undefined);
      return;
    }
    // The next class's first windows (the teacher's and one of students), opened while nothing
    // runs: the session takes blank ones before it creates any.
    const blank = (await browser.pages().catch(() => [])).filter((p) => p.url() === 'about:blank').length;
    for (let i = blank; i < WARM_WINDOWS; i++) await browser.newPage({ type: 'window' }).catch(() => undefined);
  }

  /** Starts it now, so the first drill finds it up. */
  warm(): void {
    void this.acquire().then(
      (browser) => {
        this.#runs -= 1;
        return this.release(browser, { failed: false });
      },
      () => undefined,
    );
  }

  async close(): Promise<void> {
    const browser = this.#browser;
    this.#browser = undefined;
    await browser?.then((b) => b.close(), () => undefined).catch(() => undefined);
  }
}
