/**
 * Charts as standalone SVG (no scripts, no remote resources), so they can be rendered to PNG by
 * the browser the project already has and embedded in e-mail.
 */
export interface ChartSeries {
  label: string;
  points: { x: number; y: number }[];
}

export interface ChartSpan {
  from: number;
  to: number;
  label: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  xMax?: number;
  yMax?: number;
}

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f'];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const unit = [1, 2, 5, 10].find((m) => m * power >= raw) ?? 10;
  return unit * power;
}

export function lineChartSvg(series: ChartSeries[], spans: ChartSpan[], options: LineChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 300;
  const margin = { top: 36, right: 16, bottom: 44, left: 48 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const allX = series.flatMap((s) => s.points.map((p) => p.x)).concat(spans.map((s) => s.to));
  const allY = series.flatMap((s) => s.points.map((p) => p.y));
  const xMax = options.xMax ?? Math.max(1, ...allX);
  const yMax = options.yMax ?? Math.max(1, ...allY) * 1.1;
  const sx = (x: number) => margin.left + (Math.min(Math.max(x, 0), xMax) / xMax) * plotW;
  const sy = (y: number) => margin.top + plotH - (Math.min(Math.max(y, 0), yMax) / yMax) * plotH;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${margin.left}" y="20" font-size="14" font-weight="bold" fill="#111">${escapeXml(options.title)}</text>`);
  for (const span of spans) {
    const x1 = sx(span.from);
    const x2 = sx(span.to);
    out.push(`<rect x="${x1.toFixed(1)}" y="${margin.top}" width="${Math.max(1, x2 - x1).toFixed(1)}" height="${plotH}" fill="#f59e0b" fill-opacity="0.18"/>`);
    out.push(`<text x="${(x1 + 3).toFixed(1)}" y="${margin.top + 12}" fill="#92400e">${escapeXml(span.label)}</text>`);
  }
  const yStep = niceStep(yMax, 5);
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${margin.left - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end" fill="#555">${+y.toFixed(2)}</text>`);
  }
  const xStep = niceStep(xMax, 8);
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    out.push(`<text x="${sx(x).toFixed(1)}" y="${margin.top + plotH + 16}" text-anchor="middle" fill="#555">${+x.toFixed(2)}</text>`);
  }
  out.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#9ca3af"/>`);
  out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#9ca3af"/>`);
  out.push(`<text x="${margin.left + plotW / 2}" y="${height - 8}" text-anchor="middle" fill="#333">${escapeXml(options.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(options.yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    if (s.points.length > 0) {
      const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)} ${sy(p.y).toFixed(1)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"/>`);
    }
    const lx = margin.left + plotW - 110;
    const ly = margin.top + 14 + i * 14;
    out.push(`<line x1="${lx}" x2="${lx + 16}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${lx + 20}" y="${ly}" fill="#111">${escapeXml(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** One row of an interval chart: a median with its interval and p90, in milliseconds. */
export interface IntervalRow {
  group: string;
  label: string;
  /** `null`: no data; `Infinity`: never happened within the watch. */
  median: number | null;
  low: number | null;
  high: number | null;
  p90: number | null;
}

export interface IntervalChartOptions {
  title: string;
  width?: number;
  /** The axis, in ms: log scale from `minMs` to `maxMs`. @defaultValue from the data */
  minMs?: number;
  maxMs?: number;
}

const TIME_TICKS: [number, string][] = [
  [1000, '1 s'], [10_000, '10 s'], [60_000, '1 min'], [600_000, '10 min'], [3_600_000, '1 h'],
  [4 * 3_600_000, '4 h'], [86_400_000, '1 d'], [3 * 86_400_000, '3 d'], [7 * 86_400_000, '1 wk'], [30 * 86_400_000, '30 d'],
];

/**
 * Medians with their intervals (bar), p90 (tick) per row on a log time axis: response times span
 * seconds to days, and a linear axis would flatten every fast vendor into one pixel. A value that
 * never happened is drawn at the right edge and labelled "never".
 */
export function intervalChartSvg(rows: IntervalRow[], options: IntervalChartOptions): string {
  const width = options.width ?? 720;
  const rowH = 22;
  const groups = [...new Set(rows.map((r) => r.group))];
  const margin = { top: 40, right: 56, bottom: 36, left: 190 };
  const height = margin.top + margin.bottom + rows.length * rowH + groups.length * 18;
  const finite = rows.flatMap((r) => [r.median, r.low, r.high, r.p90]).filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
  const minMs = options.minMs ?? Math.max(100, Math.min(...finite, 3_600_000) / 2);
  const maxMs = options.maxMs ?? Math.max(minMs * 10, ...finite) * 1.5;
  const plotW = width - margin.left - margin.right;
  const sx = (ms: number) => {
    if (!Number.isFinite(ms)) return margin.left + plotW + 20;
    const clamped = Math.min(Math.max(ms, minMs), maxMs);
    return margin.left + (Math.log(clamped / minMs) / Math.log(maxMs / minMs)) * plotW;
  };
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="12" y="20" font-size="14" font-weight="bold" fill="#111">${escapeXml(options.title)}</text>`);
  const plotBottom = height - margin.bottom;
  for (const [ms, label] of TIME_TICKS) {
    if (ms < minMs || ms > maxMs) continue;
    const x = sx(ms).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${plotBottom}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${x}" y="${plotBottom + 14}" text-anchor="middle" fill="#555">${label}</text>`);
  }
  if (rows.some((r) => [r.median, r.low, r.high, r.p90].includes(Infinity))) {
    const x = sx(Infinity).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${plotBottom}" stroke="#fca5a5" stroke-dasharray="3 3"/>`);
    out.push(`<text x="${x}" y="${plotBottom + 14}" text-anchor="middle" fill="#991b1b">never</text>`);
  }
  out.push(`<text x="${margin.left + plotW / 2}" y="${height - 6}" text-anchor="middle" fill="#333">from filing (log scale) · dot median · bar interval · tick p90</text>`);
  let y = margin.top;
  const colorOf = new Map<string, string>();
  for (const group of groups) {
    out.push(`<text x="12" y="${y + 12}" font-weight="bold" fill="#111">${escapeXml(group)}</text>`);
    y += 18;
    for (const row of rows.filter((r) => r.group === group)) {
      const color = colorOf.get(row.label) ?? COLORS[colorOf.size % COLORS.length]!;
      colorOf.set(row.label, color);
      const cy = y + rowH / 2;
      out.push(`<text x="${margin.left - 8}" y="${cy + 4}" text-anchor="end" fill="#111">${escapeXml(row.label)}</text>`);
      if (row.median === null) {
        out.push(`<text x="${margin.left + 4}" y="${cy + 4}" fill="#6b7280">no data</text>`);
      } else {
        if (row.low !== null && row.high !== null) {
          const x1 = sx(row.low);
          const x2 = sx(row.high);
          out.push(`<rect x="${x1.toFixed(1)}" y="${cy - 4}" width="${Math.max(2, x2 - x1).toFixed(1)}" height="8" fill="${color}" fill-opacity="0.25"/>`);
        }
        if (row.p90 !== null) out.push(`<line x1="${sx(row.p90).toFixed(1)}" x2="${sx(row.p90).toFixed(1)}" y1="${cy - 7}" y2="${cy + 7}" stroke="${color}" stroke-width="2"/>`);
        out.push(`<circle cx="${sx(row.median).toFixed(1)}" cy="${cy}" r="4.5" fill="${color}"/>`);
      }
      y += rowH;
    }
  }
  out.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${plotBottom}" stroke="#9ca3af"/>`);
  out.push('</svg>');
  return out.join('\n');
}

/** One bar: a share 0…1 with an optional interval. */
export interface BarValue {
  value: number | null;
  low?: number | null;
  high?: number | null;
}

export interface BarChartOptions {
  title: string;
  width?: number;
  height?: number;
  /** Axis label. */
  yLabel?: string;
}

/** Grouped vertical bars of shares (0–100 %), one colour per series, with whiskers for intervals. */
export function barChartSvg(categories: string[], series: { label: string; values: BarValue[] }[], options: BarChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 280;
  const margin = { top: 40, right: 16, bottom: 48, left: 48 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const sy = (share: number) => margin.top + plotH - Math.min(Math.max(share, 0), 1) * plotH;
  const groupW = plotW / Math.max(1, categories.length);
  const barW = Math.max(4, Math.min(40, (groupW * 0.8) / Math.max(1, series.length)));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="12" y="20" font-size="14" font-weight="bold" fill="#111">${escapeXml(options.title)}</text>`);
  for (let share = 0; share <= 1.0001; share += 0.25) {
    const y = sy(share).toFixed(1);
    out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${margin.left - 6}" y="${(sy(share) + 4).toFixed(1)}" text-anchor="end" fill="#555">${Math.round(share * 100)} %</text>`);
  }
  categories.forEach((category, ci) => {
    const gx = margin.left + ci * groupW + (groupW - barW * series.length) / 2;
    out.push(`<text x="${(margin.left + ci * groupW + groupW / 2).toFixed(1)}" y="${margin.top + plotH + 16}" text-anchor="middle" fill="#333">${escapeXml(category)}</text>`);
    series.forEach((s, si) => {
      const v = s.values[ci];
      const x = gx + si * barW;
      if (!v || v.value === null) {
        out.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${margin.top + plotH - 4}" text-anchor="middle" fill="#9ca3af">–</text>`);
        return;
      }
      const color = COLORS[si % COLORS.length];
      out.push(`<rect x="${x.toFixed(1)}" y="${sy(v.value).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(margin.top + plotH - sy(v.value)).toFixed(1)}" fill="${color}"/>`);
      if (v.low != null && v.high != null) {
        const cx = (x + (barW - 2) / 2).toFixed(1);
        out.push(`<line x1="${cx}" x2="${cx}" y1="${sy(v.low).toFixed(1)}" y2="${sy(v.high).toFixed(1)}" stroke="#111" stroke-width="1"/>`);
      }
    });
  });
  series.forEach((s, si) => {
    const lx = margin.left + si * 140;
    const ly = height - 10;
    out.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${COLORS[si % COLORS.length]}"/>`);
    out.push(`<text x="${lx + 14}" y="${ly}" fill="#111">${escapeXml(s.label)}</text>`);
  });
  if (options.yLabel) out.push(`<text x="${margin.left}" y="${margin.top - 6}" fill="#333">${escapeXml(options.yLabel)}</text>`);
  out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#9ca3af"/>`);
  out.push('</svg>');
  return out.join('\n');
}
