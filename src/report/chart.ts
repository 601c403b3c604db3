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
