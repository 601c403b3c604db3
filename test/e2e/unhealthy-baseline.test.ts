import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import type { RunResult } from '../../src/core/run-result.ts';
import { drillSchema } from '../../src/drill/schema.ts';
import { executeRun, UNHEALTHY_BASELINE_EXIT } from '../../src/pipeline/execute-run.ts';
import { openWorkspace, type Workspace } from '../../src/pipeline/workspace.ts';
import { findBrowser } from '../../src/rendering/browser.ts';
import { WarmBrowser, type BrowserSource } from '../../src/rendering/browser-source.ts';
import { ticketProject } from '../helpers/ticketing.ts';

// A real class whose teacher camera dies once the class is in session: the failure a probe's own
// camera or capture pipeline has, before any fault. The product has no lever for it (a drill cannot
// ask for a broken class); the test reaches the teacher's window through the browser source, the
// seam the service's warm browser uses, and stops the camera's video track there. Everything else —
// the pages, WebRTC, the baseline judgement, executeRun and the sandbox desk — is the real thing.

/** The browser every attempt's class gets, and the moment to break one. */
class BreakableBrowser implements BrowserSource {
  readonly #warm = new WarmBrowser(findBrowser());
  browser: Browser | undefined;
  async acquire(): Promise<Browser> {
    this.browser = await this.#warm.acquire();
    return this.browser;
  }
  release(browser: Browser, outcome: { failed: boolean }): Promise<void> {
    return this.#warm.release(browser, outcome);
  }
  close(): Promise<void> {
    return this.#warm.close();
  }
}

/** Stops the video tracks the teacher's window shows itself (the ones it publishes); how many it stopped. */
async function stopTeacherCamera(browser: Browser): Promise<number> {
  let stopped = 0;
  for (const page of await browser.pages()) {
    const params = [...new URL(page.url() === 'about:blank' ? 'about:blank' : page.url()).searchParams.values()];
    if (!params.some((v) => v === 'teacher' || v.split(',').includes('teacher') || v.startsWith('teacher:'))) continue;
    stopped += await page.evaluate(() => {
      let n = 0;
      for (const video of document.querySelectorAll('video')) {
        if (!(video.srcObject instanceof MediaStream)) continue;
        for (const track of video.srcObject.getVideoTracks()) {
          track.stop();
          n++;
        }
      }
      return n;
    });
  }
  return stopped;
}

const drill = () => ({
  drill: drillSchema.parse({
    name: 'camera-dies',
    description: "The teacher's video freezes for 3 s",
    classroom: { students: 2, duration: '9s', baseline: '3s' },
    faults: [{ kind: 'video-freeze', target: 'teacher', at: '5s', for: '3s' }],
    expect: { freeze: { on: 'students', minDuration: '1s' } },
  }),
  file: 'camera-dies.ts',
});

describe('a class that is unhealthy before its first fault (end to end)', () => {
  let workspace: Workspace;
  let browsers: BreakableBrowser;
  beforeAll(async () => {
    const { configPath, dir } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive', pollInterval: '200ms' } });
    workspace = await openWorkspace({ configPath, cwd: dir, logger: createLogger({ level: 'silent' }) });
    browsers = new BreakableBrowser();
  });
  afterAll(async () => {
    await workspace.close();
    await browsers.close();
  });

  /** Runs the drill, stopping the teacher's camera in the attempts `broken` names (1-based). */
  async function run(broken: number[]) {
    let attempt = 0;
    const stops: Promise<number>[] = [];
    const notFiled: string[] = [];
    const retried: RunResult[] = [];
    const outcome = await executeRun(workspace, {
      drill: drill(),
      ticket: true,
      wait: false,
      browsers,
      onProgress: (event) => {
        if (event.phase === 'run-created') attempt++;
        if (event.phase === 'in-session' && broken.includes(attempt)) stops.push(stopTeacherCamera(browsers.browser!));
      },
      onNotFiled: (reason) => notFiled.push(reason),
      onRetry: (previous) => retried.push(previous),
    });
    for (const stopped of await Promise.all(stops)) expect(stopped).toBeGreaterThan(0);
    return { ...outcome, notFiled, retried };
  }

  it('injects nothing, files nothing, retries once, and exits 4 naming the students and seconds', async () => {
    const { result, exitCode, notFiled, retried } = await run([1, 2]);
    expect(exitCode).toBe(UNHEALTHY_BASELINE_EXIT);
    expect(exitCode).toBe(4);
    expect(result).toMatchObject({ reproduced: false, outcome: 'unhealthy-baseline', faults: [], attempt: { number: 2 } });
    expect(result.reason).toMatch(/^the class was not healthy before the first fault, so none was injected: student-\d (at|from) \+\d+\.\d s \(\d\d:\d\d:\d\d UTC\).*: the teacher's video (frozen|still)/);
    expect(result.baseline!.healthy).toBe(false);
    for (const student of ['student-1', 'student-2']) {
      expect(result.baseline!.problems.some((p) => p.startsWith(`${student} `)), student).toBe(true);
      expect(result.reason).toContain(student);
    }
    // The class ended at the baseline, not at its planned end.
    expect(Date.parse(result.endedAt) - Date.parse(result.inSessionAt)).toBeLessThan(7000);

    expect(retried).toHaveLength(1);
    expect(retried[0]).toMatchObject({ outcome: 'unhealthy-baseline', attempt: { number: 1 } });
    expect(result.attempt!.retryOf).toBe(retried[0]!.runId);
    expect(notFiled).toEqual([expect.stringMatching(/^the class was not healthy before the first fault, so no fault was injected and nothing is filed: a ticket would blame sandbox/)]);

    const { store } = workspace;
    for (const id of [retried[0]!.runId, result.runId]) expect(await store.getRun(id)).toMatchObject({ status: 'unhealthy-baseline', vendor: null, reproduced: false });
    expect(await store.listTickets()).toEqual([]);
  }, 150_000);

  it('files the ticket once when the retry of an unhealthy class reproduces', async () => {
    const { result, exitCode, retried } = await run([1]);
    expect(exitCode).toBe(0);
    expect(retried.map((r) => r.outcome)).toEqual(['unhealthy-baseline']);
    expect(result).toMatchObject({ reproduced: true, outcome: 'reproduced', baseline: { healthy: true }, attempt: { number: 2, retryOf: retried[0]!.runId } });
    const tickets = await workspace.store.listTickets();
    expect(tickets.map((t) => t.runId)).toEqual([result.runId]);
    expect(await workspace.store.getRun(retried[0]!.runId)).toMatchObject({ status: 'unhealthy-baseline', vendor: null, phase: `unhealthy-baseline; run again as ${result.runId}` });
  }, 150_000);
});
