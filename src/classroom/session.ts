import type { Browser, CDPSession, Page } from 'puppeteer';
import { UserError, prefixed } from '../core/errors.ts';
import { bundlePageScript } from './bundle.ts';
import type { FaultLevers } from './faults/fault-kind.ts';
import { windowName } from './hosting.ts';
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
  /** The windows to open, each with the participants it hosts (see `planHosting`); the teacher's first. */
  windows: string[][];
  freezeThresholdMs: number;
  statsIntervalMs?: number;
  viewport?: { width: number; height: number };
  /** The teacher publishes the stamped picture at this size and rate instead of the browser's camera. */
  stampedCamera?: { width: number; height: number; fps: number };
  onEvent(event: PageEvent): void;
  /** Called for each window once it is instrumented, before it loads the class: where `join` levers act (a student kept out). */
  beforeJoin?(hosted: readonly string[], levers: FaultLevers): Promise<void>;
}

/** The open pages of one classroom, and the levers the runner pulls on them. */
export class ClassroomSession implements FaultLevers {
  /** Each participant's page; students sharing a window share it. */
  readonly pages = new Map<string, Page>();
  readonly #cdp = new Map<string, CDPSession>();
  /** Participants whose window joins with credentials the provider rejects. */
  readonly #wrongCredentials = new Set<string>();
  /** Each window's console, by {@link windowName}. */
  readonly consoleLogs = new Map<string, ConsoleLine[]>();
  readonly browserVersion: Promise<string>;

  constructor(private readonly options: ClassroomSessionOptions) {
    this.browserVersion = options.browser.version();
  }

  /**
   * Opens the teacher's window first, then the students', each instrumented before it loads. The
   * students' windows open while the teacher's camera starts: signaling introduces whoever arrives
   * to whoever is there, in any order.
   */
  async open(): Promise<void> {
    // A few at a time: asking a busy 2-core browser for a dozen windows at once times out Target.createTarget.
    const queue = [...this.options.windows];
    // Blank windows the browser has (the one it starts with, or those a warm one keeps ready) are
    // taken first, the teacher's first: creating a window is the slowest step of opening one.
    const blanks = (await this.options.browser.pages()).filter((p) => p.url() === 'about:blank');
    const worker = async () => {
      for (let hosted = queue.shift(); hosted; hosted = queue.shift()) await this.openWindow(hosted, blanks.shift());
    };
    await Promise.all(Array.from({ length: OPEN_CONCURRENCY }, worker));
  }

  private async openWindow(hosted: string[], blank?: Page): Promise<void> {
    // Windows, not tabs: a background tab presents no frames, so its videos would look frozen.
    const page = blank ?? (await this.options.browser.newPage({ type: 'window' }));
    const participant = hosted[0]!;
    for (const p of hosted) this.pages.set(p, page);
    const lines: ConsoleLine[] = [];
    this.consoleLogs.set(windowName(hosted), lines);
    page.on('console', (message) => lines.push({ at: Date.now(), type: message.type(), text: message.text() }));
    page.on('pageerror', (error) => lines.push({ at: Date.now(), type: 'pageerror', text: String(error) }));
    const config: InjectedConfig = {
      participant,
      participants: hosted,
      freezeThresholdMs: this.options.freezeThresholdMs,
      statsIntervalMs: this.options.statsIntervalMs ?? 1000,
      ...(this.options.stampedCamera ? { stampedCamera: this.options.stampedCamera } : {}),
    };
    const inject = await bundlePageScript('inject.ts');
    // All at once, only the navigation after them: one after the other they took a third of a
    // second of the teacher's start, which every student waits for.
    await Promise.all([
      page.setViewport(this.options.viewport ?? { width: 640, height: 360 }),
      page.exposeFunction(REPORT_BINDING, (event: PageEvent) => this.options.onEvent(event)),
      page.evaluateOnNewDocument(`window[${JSON.stringify(CONFIG_GLOBAL)}] = ${JSON.stringify(config)};\n${inject}`),
      page.createCDPSession().then(async (cdp) => {
        for (const p of hosted) this.#cdp.set(p, cdp);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', ARMED_NETWORK);
      }),
    ]);

    await this.options.beforeJoin?.(hosted, this);
    const wrong = hosted.some((p) => this.#wrongCredentials.has(p));
    await page.goto(this.options.provider.url(hosted, wrong ? { credentials: 'wrong' } : undefined), { waitUntil: 'load' });
  }

  signallingUrls(): readonly string[] {
    const urls = this.options.provider.signallingUrls?.();
    if (!urls?.length) throw new UserError(prefixed(this.options.provider.name, `this classroom cannot say where its signalling is, so a join-block fault with block: 'signalling' cannot keep a student out; use block: 'media' or 'credentials'.`));
    return urls;
  }

  useWrongCredentials(participant: string): void {
    if (!this.options.provider.wrongCredentials) {
      throw new UserError(prefixed(this.options.provider.name, `this classroom cannot give a student wrong credentials, so a join-block fault with block: 'credentials' cannot keep ${participant} out; use block: 'signalling' or 'media'.`));
    }
    if (this.pages.get(participant)?.url().startsWith('http')) throw new Error(`${participant}'s window has loaded the class already: credentials are given before it loads`);
    this.#wrongCredentials.add(participant);
  }

  /** The participant's window's DevTools session, once it is open (shared by the students of a window). */
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
      (name, f, who) => (window as unknown as Record<string, { setFault(f: unknown, who: string): void }>)[name]!.setFault(f, who),
      CONTROL_GLOBAL,
      fault,
      participant,
    );
  }

  async clearPageFault(participant: string, id: string): Promise<void> {
    await this.page(participant).evaluate(
      (name, faultId, who) => (window as unknown as Record<string, { clearFault(id: string, who: string): void }>)[name]?.clearFault(faultId, who),
      CONTROL_GLOBAL,
      id,
      participant,
    );
  }

  async stopForwarding(students: readonly string[], media: 'audio' | 'video'): Promise<() => Promise<void>> {
    const lever = this.options.provider.stopForwarding;
    if (!lever) throw new Error(`the ${this.options.provider.name} classroom has no media server to stop forwarding`);
    return lever.call(this.options.provider, students, media);
  }

  async close(): Promise<void> {
    await Promise.all([...new Set(this.pages.values())].map((page) => page.close().catch(() => undefined)));
    this.pages.clear();
  }
}
