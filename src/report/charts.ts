import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer';
import { findBrowser, launchBrowser } from '../rendering/browser.ts';
import { renderSvgToPng } from '../rendering/svg-to-png.ts';
import type { Config } from '../config/config.ts';
import { SLA_TARGET_NAMES } from '../core/sla.ts';
import { escapeXml, intervalChartSvg, type IntervalRow } from '../rendering/chart.ts';
import type { Scorecard } from './format.ts';
import { TIMING_LABELS } from './run-scorecard.ts';
import type { ChartId } from './sections.ts';
import type { HitRate, TrialScorecard } from './trial-scorecard.ts';

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

/** The trial scorecard's charts: medians with intervals per vendor, and SLA targets met per target ({@link slaChartSvg}). */
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
  const sla = slaChartSvg(card);
  return [
    { id: 'timings', svg: timings, ...svgSize(timings) },
    { id: 'sla', svg: sla, ...svgSize(sla) },
  ];
}

/** The parts an SLA bar is stacked from, bottom up; the two not judged yet are grey. */
export const SLA_SEGMENTS = [
  { segment: 'met', fill: '#16a34a', legend: 'met' },
  { segment: 'missed', fill: '#dc2626', legend: 'missed' },
  { segment: 'pending', fill: '#d1d5db', legend: 'pending (deadline not passed yet)' },
  { segment: 'unjudged', fill: '#9ca3af', legend: 'unjudged (watch ended before the deadline)' },
] as const;

type SlaSegment = (typeof SLA_SEGMENTS)[number]['segment'];

function segmentCounts(rate: HitRate): Record<SlaSegment, number> {
  return { met: rate.successes, missed: rate.trials - rate.successes, pending: rate.pending, unjudged: rate.unjudged };
}

/**
 * SLA targets met per vendor, as bars of all its tickets stacked met · missed · pending · unjudged.
 * Tickets not judged yet stay in the bar as grey instead of leaving the denominator: a vendor whose
 * watches ended before its deadlines must not get a full bar from the few tickets that were judged.
 * The 95 % interval of the rate is drawn only on a bar whose tickets are all judged, where the rate
 * and the bar's met share are the same thing. Each segment carries `data-vendor`, `data-target` and
 * `data-segment`.
 */
export function slaChartSvg(card: TrialScorecard): string {
  const targets = SLA_TARGET_NAMES.filter((name) => card.vendors.some((v) => v.slaHitRate[name] !== null));
  const width = 720;
  const margin = { top: 40, right: 16, bottom: 96, left: 48 };
  const plotH = 180;
  const height = margin.top + plotH + margin.bottom;
  const plotW = width - margin.left - margin.right;
  const sy = (share: number) => margin.top + plotH - Math.min(Math.max(share, 0), 1) * plotH;
  const groupW = plotW / Math.max(1, targets.length);
  const barW = Math.max(6, Math.min(48, (groupW * 0.8) / Math.max(1, card.vendors.length)));
  const baseline = margin.top + plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="12" y="20" font-size="14" font-weight="bold" fill="#111">SLA targets met, share of each vendor’s tickets (grey: not judged yet)</text>`);
  for (let share = 0; share <= 1.0001; share += 0.25) {
    const y = sy(share).toFixed(1);
    out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${margin.left - 6}" y="${(sy(share) + 4).toFixed(1)}" text-anchor="end" fill="#555">${Math.round(share * 100)} %</text>`);
  }
  targets.forEach((name, ti) => {
    const gx = margin.left + ti * groupW + (groupW - barW * card.vendors.length) / 2;
    out.push(`<text x="${(margin.left + ti * groupW + groupW / 2).toFixed(1)}" y="${baseline + 72}" text-anchor="middle" font-weight="bold" fill="#333">${escapeXml(TIMING_LABELS[name])}</text>`);
    card.vendors.forEach((v, vi) => {
      const x = gx + vi * barW;
      const cx = (x + (barW - 2) / 2).toFixed(1);
      out.push(`<text transform="translate(${cx} ${baseline + 12}) rotate(-30)" text-anchor="end" font-size="10" fill="#111">${escapeXml(v.vendor)}</text>`);
      const rate = v.slaHitRate[name];
      const tickets = rate?.overAll?.tickets ?? 0;
      if (!rate || tickets === 0) {
        out.push(`<text x="${cx}" y="${baseline - 4}" text-anchor="middle" fill="#9ca3af">${rate ? 'no data' : 'no target'}</text>`);
        return;
      }
      const counts = segmentCounts(rate);
      let below = 0;
      for (const { segment, fill } of SLA_SEGMENTS) {
        const count = counts[segment];
        if (count === 0) continue;
        const top = sy((below + count) / tickets);
        out.push(
          `<rect data-vendor="${escapeXml(v.vendor)}" data-target="${name}" data-segment="${segment}" x="${x.toFixed(1)}" y="${top.toFixed(1)}" ` +
            `width="${(barW - 2).toFixed(1)}" height="${(sy(below / tickets) - top).toFixed(1)}" fill="${fill}"/>`,
        );
        below += count;
      }
      if (counts.pending + counts.unjudged === 0 && rate.low !== null && rate.high !== null) {
        out.push(`<line data-vendor="${escapeXml(v.vendor)}" data-target="${name}" data-interval="95" x1="${cx}" x2="${cx}" y1="${sy(rate.low).toFixed(1)}" y2="${sy(rate.high).toFixed(1)}" stroke="#111" stroke-width="1"/>`);
      }
      out.push(`<text x="${cx}" y="${(margin.top - 4).toFixed(1)}" text-anchor="middle" font-size="10" fill="#111">${Math.round((counts.met / tickets) * 100)} %</text>`);
    });
  });
  out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${baseline}" y2="${baseline}" stroke="#9ca3af"/>`);
  let lx = margin.left;
  for (const { fill, legend } of SLA_SEGMENTS) {
    out.push(`<rect x="${lx}" y="${height - 19}" width="10" height="10" fill="${fill}"/>`);
    out.push(`<text x="${lx + 14}" y="${height - 10}" fill="#111">${escapeXml(legend)}</text>`);
    lx += 28 + legend.length * 5.6;
  }
  out.push('</svg>');
  return out.join('\n');
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
