import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer';
import { findBrowser, launchBrowser } from '../rendering/browser.ts';
import { renderSvgToPng } from '../rendering/svg-to-png.ts';
import type { Config } from '../config/config.ts';
import { SLA_TARGET_NAMES } from '../core/sla.ts';
import { barChartSvg, intervalChartSvg, type IntervalRow } from '../rendering/chart.ts';
import type { Scorecard } from './format.ts';
import { TIMING_LABELS } from './run-scorecard.ts';
import type { ChartId } from './sections.ts';
import type { TrialScorecard } from './trial-scorecard.ts';

/** A chart ready to embed: PNG bytes and the size it was drawn at. */
export interface ChartImage {
  id: ChartId;
  filename: string;
  png: Buffer;
}

/** A chart as SVG, before rendering. */
export interface ChartSvg {
  id: ChartId;
  svg: string;
  width: number;
  height: number;
}

const svgSize = (svg: string): { width: number; height: number } => {
  const match = /<svg[^>]*\bwidth="(\d+)"[^>]*\bheight="(\d+)"/.exec(svg);
  return { width: Number(match?.[1] ?? 720), height: Number(match?.[2] ?? 300) };
};

/** The trial scorecard's charts: medians with intervals per vendor, and SLA hit rates per target. */
export function trialChartSvgs(card: TrialScorecard): ChartSvg[] {
  if (card.vendors.length === 0) return [];
  const rows: IntervalRow[] = [];
  for (const name of ['firstHumanResponse', 'resolution'] as const) {
    for (const v of card.vendors) {
      const s = v.timings[name];
      rows.push({ group: TIMING_LABELS[name], label: `${v.vendor} (n ${s.n})`, median: s.median, low: s.medianInterval?.low ?? null, high: s.medianInterval?.high ?? null, p90: s.p90 });
    }
  }
  const timings = intervalChartSvg(rows, { title: 'Time from filing, per vendor' });
  const targets = SLA_TARGET_NAMES.filter((name) => card.vendors.some((v) => v.slaHitRate[name] !== null));
  const sla = barChartSvg(
    targets.map((name) => TIMING_LABELS[name]),
    card.vendors.map((v) => ({
      label: v.vendor,
      values: targets.map((name) => {
        const rate = v.slaHitRate[name];
        return { value: rate?.rate ?? null, low: rate?.low ?? null, high: rate?.high ?? null };
      }),
    })),
    { title: 'SLA targets met (share of judged tickets, 95 % interval)' },
  );
  return [
    { id: 'timings', svg: timings, ...svgSize(timings) },
    { id: 'sla', svg: sla, ...svgSize(sla) },
  ];
}

/** Renders SVG charts to PNG with an already running browser. */
export async function renderCharts(browser: Browser, charts: ChartSvg[]): Promise<ChartImage[]> {
  const dir = await mkdtemp(join(tmpdir(), 'supportdrill-charts-'));
  try {
    const images: ChartImage[] = [];
    for (const chart of charts) {
      const path = join(dir, `${chart.id}.png`);
      await renderSvgToPng(browser, chart.svg, path, { width: chart.width, height: chart.height });
      images.push({ id: chart.id, filename: `${chart.id}.png`, png: await readFile(path) });
    }
    return images;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Every chart a scorecard shows, as PNG: a run's fps chart comes from its evidence (no browser
 * needed); a trial's charts are drawn and rendered with the project's browser, launched here.
 */
export async function scorecardCharts(card: Scorecard, config: Pick<Config, 'chrome'>): Promise<ChartImage[]> {
  if (card.kind === 'run') {
    return card.chartPng ? [{ id: 'fps', filename: 'chart.png', png: await readFile(card.chartPng) }] : [];
  }
  const svgs = trialChartSvgs(card);
  if (svgs.length === 0) return [];
  const browser = await launchBrowser(findBrowser({ env: process.env.SUPPORTDRILL_CHROME, configured: config.chrome ?? undefined }));
  try {
    return await renderCharts(browser, svgs);
  } finally {
    await browser.close();
  }
}
