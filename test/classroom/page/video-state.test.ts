import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageEvent, VideoSecond } from '../../../src/classroom/page/protocol.ts';
import { findBrowser, launchBrowser } from '../../../src/rendering/browser.ts';

/**
 * The video-state reader on synthetic frames in a real Chromium, without WebRTC: a <video> plays
 * a canvas stream — the stamped camera itself, or a canvas the test paints — and the reader says
 * what it saw each second and which episodes it opened.
 */
const ENTRY = `
  import { installStampedCamera } from '${process.cwd()}/src/classroom/page/stamped-camera.ts';
  import { videoStateReader } from '${process.cwd()}/src/classroom/page/video-state.ts';
  window.__events = [];
  window.__seconds = [];
  window.__start = async (mode) => {
    const video = document.createElement('video');
    video.muted = true;
    document.body.append(video);
    let camera;
    if (mode === 'stamped') {
      camera = installStampedCamera({ width: 640, height: 360, fps: 20 });
      video.srcObject = await navigator.mediaDevices.getUserMedia({ video: true });
    } else {
      const canvas = document.createElement('canvas');
      canvas.width = 320; canvas.height = 180;
      const ctx = canvas.getContext('2d');
      let n = 0;
      setInterval(() => {
        n += 1;
        ctx.fillStyle = mode === 'grey' ? '#777' : '#224';
        ctx.fillRect(0, 0, 320, 180);
        if (mode !== 'grey') {
          ctx.fillStyle = '#eee';
          // 'pattern' stays put; 'moving' sweeps across.
          ctx.fillRect(mode === 'moving' ? (n * 7) % 320 : 100, 40, 60, 100);
        }
      }, 50);
      video.srcObject = canvas.captureStream(20);
    }
    const reader = videoStateReader({ video, participant: 'student-1', source: 'teacher', thresholdMs: 500, report: (e) => window.__events.push(e) });
    const onFrame = (_now, meta) => { reader.onFrame(performance.timeOrigin + meta.expectedDisplayTime); video.requestVideoFrameCallback(onFrame); };
    video.requestVideoFrameCallback(onFrame);
    setInterval(() => window.__seconds.push({ at: Date.now(), ...reader.second(false) }), 1000);
    await video.play();
    window.__picture = (p) => { camera.setPicture(p); return Date.now(); };
  };
`;

let browser: Browser;
let script: string;
// getUserMedia needs a secure context: a page from 127.0.0.1, not about:blank.
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('<!doctype html><body></body>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchBrowser(findBrowser());
  const out = await build({ stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome110', logLevel: 'silent' });
  script = out.outputFiles[0]!.text;
}, 30_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
});

async function open(mode: 'stamped' | 'grey' | 'pattern' | 'moving'): Promise<Page> {
  const page = await browser.newPage({ type: 'window' });
  await page.goto(origin);
  await page.addScriptTag({ content: script });
  await page.evaluate((m) => (window as unknown as { __start(m: string): Promise<void> }).__start(m), mode);
  return page;
}

const seconds = (page: Page) => page.evaluate(() => (window as unknown as { __seconds: (VideoSecond & { at: number })[] }).__seconds);
const events = (page: Page) => page.evaluate(() => (window as unknown as { __events: PageEvent[] }).__events);
/** Sets the stamped camera's picture; resolves to the page's clock when it did. */
const picture = (page: Page, p: string) => page.evaluate((x) => (window as unknown as { __picture(p: string): number }).__picture(x), p);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('video states on synthetic frames', () => {
  it('reads the stamped picture as moving with a delay, black frames as blank and a repeated frame as still, each an episode of about its length', async () => {
    const page = await open('stamped');
    await sleep(2500);
    await picture(page, 'black');
    await sleep(2000);
    await picture(page, 'live');
    await sleep(1500);
    await picture(page, 'still');
    await sleep(2000);
    const liveAgainAt = await picture(page, 'live');
    await sleep(3000);
    const all = await seconds(page);
    const states = all.map((s) => s.state);
    const seen = await events(page);
    await page.close();

    expect(states.slice(0, 2)).toEqual(['moving', 'moving']);
    expect(states).toContain('blank');
    expect(states).toContain('still');
    // Each second is the worst state of the interval before it, and a new frame takes a sample
    // (200 ms) and the pipeline to be read: only the seconds that began half a second after the
    // picture went live again must be moving, however the ticks fall on a loaded machine.
    const afterLive = all.filter((s) => s.at - 1000 > liveAgainAt + 500);
    expect(afterLive.length).toBeGreaterThanOrEqual(1);
    expect(afterLive.map((s) => s.state)).toEqual(afterLive.map(() => 'moving'));
    expect(states.length).toBeGreaterThanOrEqual(8);
    const episodes = seen.filter((e): e is Extract<PageEvent, { type: 'state-end' }> => e.type === 'state-end');
    expect(episodes.map((e) => e.state)).toEqual(['blank', 'still']);
    for (const e of episodes) {
      expect(e.endedAt - e.startedAt, e.state).toBeGreaterThan(1600);
      expect(e.endedAt - e.startedAt, e.state).toBeLessThan(2600);
      // Found once it had lasted the threshold, not long after.
      expect(e.detectedAt - e.startedAt, e.state).toBeGreaterThanOrEqual(500);
      expect(e.detectedAt - e.startedAt, e.state).toBeLessThan(1000);
    }
  }, 30_000);

  it('gives each moving second of the stamped picture a plausible delay and the frame it last read', async () => {
    const page = await open('stamped');
    await sleep(3500);
    const out = await seconds(page);
    await page.close();
    const moving = out.filter((s) => s.state === 'moving');
    expect(moving.length).toBeGreaterThanOrEqual(2);
    for (const s of moving) {
      expect(s.delayMs).not.toBeNull();
      expect(s.delayMs!).toBeGreaterThanOrEqual(0);
      expect(s.delayMs!).toBeLessThan(500);
    }
    expect(moving.at(-1)!.frame!).toBeGreaterThan(moving[0]!.frame!);
  }, 30_000);

  it('tells an unstamped picture apart too: uniform grey is blank, a pattern that never changes is still, a moving one moving', async () => {
    const grey = await open('grey');
    const pattern = await open('pattern');
    const moving = await open('moving');
    await sleep(3000);
    const last = async (page: Page) => (await seconds(page)).slice(1).map((s) => s.state);
    expect(await last(grey)).toEqual(expect.arrayContaining(['blank']));
    expect(new Set(await last(grey))).toEqual(new Set(['blank']));
    expect(new Set(await last(pattern))).toEqual(new Set(['still']));
    expect(new Set(await last(moving))).toEqual(new Set(['moving']));
    for (const [page, state] of [[grey, 'blank'], [pattern, 'still']] as const) {
      expect((await events(page)).some((e) => e.type === 'state-start' && e.state === state)).toBe(true);
    }
    expect((await events(moving)).length).toBe(0);
    await Promise.all([grey.close(), pattern.close(), moving.close()]);
  }, 30_000);
});
