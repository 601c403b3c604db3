import type { Browser, CDPSession, Page } from 'puppeteer';
import { bundlePageScript } from './bundle.ts';
import type { FaultLevers } from './faults/fault-kind.ts';
import { ARMED_NETWORK } from './network-conditions.ts';
import type { ClassroomProvider } from './providers/provider.ts';
import type { InjectedConfig, PageEvent, PageFault } from './page/protocol.ts';
import { CONFIG_GLOBAL, CONTROL_GLOBAL, REPORT_BINDING } from './page/protocol.ts';

/** How many participant windows are opened at the same time. */
export const OPEN_CONCURRENCY = 3;

export interface ConsoleLine {
  at: number;
  type: string;
  text: string;
}

export interface ClassroomSessionOptions {
  browser: Browser;
  provider: ClassroomProvider;
  participants: string[];
  freezeThresholdMs: number;
  statsIntervalMs?: number;
  viewport?: { width: number; height: number };
  onEvent(event: PageEvent): void;
}

/** The open pages of one classroom, and the levers the runner pulls on them. */
export class ClassroomSession implements FaultLevers {
  readonly pages = new Map<string, Page>();
  readonly #cdp = new Map<string, CDPSession>();
  readonly consoleLogs = new Map<string, ConsoleLine[]>();
  readonly browserVersion: Promise<string>;

  constructor(private readonly options: ClassroomSessionOptions) {
    this.browserVersion = options.browser.version();
  }

  /** Opens the teacher's page first, then every student's, each instrumented before it loads. */
  async open(): Promise<void> {
    // A few at a time: signaling introduces whoever arrives to whoever is there, in any order, but
    // asking a busy 2-core browser for a dozen windows at once times out Target.createTarget.
    const queue = [...this.options.participants];
    const worker = async () => {
      for (let participant = queue.shift(); participant; participant = queue.shift()) await this.openPage(participant);
    };
    await Promise.all(Array.from({ length: OPEN_CONCURRENCY }, worker));
  }

  private async openPage(participant: string): Promise<void> {
    // One window per participant: a background tab presents no frames, so its video would look frozen.
    const page = await this.options.browser.newPage({ type: 'window' });
    this.pages.set(participant, page);
    const lines: ConsoleLine[] = [];
    this.consoleLogs.set(participant, lines);
    page.on('console', (message) => lines.push({ at: Date.now(), type: message.type(), text: message.text() }));
    page.on('pageerror', (error) => lines.push({ at: Date.now(), type: 'pageerror', text: String(error) }));
    await page.setViewport(this.options.viewport ?? { width: 640, height: 360 });

    const config: InjectedConfig = {
      participant,
      freezeThresholdMs: this.options.freezeThresholdMs,
      statsIntervalMs: this.options.statsIntervalMs ?? 1000,
    };
    const cdp = await page.createCDPSession();
    this.#cdp.set(participant, cdp);
    const inject = await bundlePageScript('inject.ts');
    await Promise.all([
      page.exposeFunction(REPORT_BINDING, (event: PageEvent) => this.options.onEvent(event)),
      page.evaluateOnNewDocument(`window[${JSON.stringify(CONFIG_GLOBAL)}] = ${JSON.stringify(config)};\n${inject}`),
      cdp.send('Network.enable').then(() => cdp.send('Network.emulateNetworkConditions', ARMED_NETWORK)),
    ]);

    await page.goto(this.options.provider.url(participant), { waitUntil: 'load' });
  }

  /** The participant's DevTools session, once its page is open. */
  cdp(participant: string): CDPSession | undefined {
    return this.#cdp.get(participant);
  }

  page(participant: string): Page {
    const page = this.pages.get(participant);
    if (!page) throw new Error(`no page for participant '${participant}'`);
    return page;
  }

  async setPageFault(participant: string, fault: PageFault): Promise<void> {
    await this.page(participant).evaluate(
      (name, f) => (window as unknown as Record<string, { setFault(f: unknown): void }>)[name]!.setFault(f),
      CONTROL_GLOBAL,
      fault,
    );
  }

  async clearPageFault(participant: string, id: string): Promise<void> {
    await this.page(participant).evaluate(
      (name, faultId) => (window as unknown as Record<string, { clearFault(id: string): void }>)[name]?.clearFault(faultId),
      CONTROL_GLOBAL,
      id,
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.pages.values()].map((page) => page.close().catch(() => undefined)));
    this.pages.clear();
  }
}
