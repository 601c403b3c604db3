import type { Browser } from 'puppeteer';

/** Renders an SVG to a PNG file with the browser the drill already runs, so no image library is needed. */
export async function renderSvgToPng(browser: Browser, svg: string, path: string, size: { width: number; height: number }): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.setViewport(size);
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`, { waitUntil: 'load' });
    await page.screenshot({ path: path as `${string}.png`, clip: { x: 0, y: 0, ...size } });
  } finally {
    await page.close();
  }
}
