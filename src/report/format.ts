import { textTable } from '../core/text-table.ts';
import { escapeXml } from '../rendering/chart.ts';
import type { RunScorecard } from './run-scorecard.ts';
import { runDocument, trialDocument, type ChartId, type Document } from './sections.ts';
import type { TrialScorecard } from './trial-scorecard.ts';

/** A run or trial scorecard. */
export type Scorecard = RunScorecard | TrialScorecard;

/** The formats a scorecard is rendered in. */
export type ScorecardFormat = 'html' | 'text' | 'md' | 'json';

export const SCORECARD_FORMATS: readonly ScorecardFormat[] = ['html', 'text', 'md', 'json'];

/** Where each chart's image comes from in HTML: `cid:…` in e-mail, a `data:` URI in a file. */
export type ChartSources = Partial<Record<ChartId, string>>;

export function scorecardDocument(card: Scorecard): Document {
  return card.kind === 'run' ? runDocument(card) : trialDocument(card);
}

/**
 * The scorecard as JSON. Times a watch ended without are `Infinity` in memory and `"never"` here,
 * since JSON has no infinity and `null` already means "no data".
 */
export function renderJson(card: Scorecard): string {
  return JSON.stringify(card, (_key, value: unknown) => (value === Infinity ? 'never' : value), 2);
}

/** Plain text (the e-mail's text part, the terminal): aligned tables; `charts` names where each chart is. */
export function renderText(card: Scorecard, charts: Partial<Record<ChartId, string>> = {}): string {
  const doc = scorecardDocument(card);
  const out: string[] = [doc.title.toUpperCase(), doc.subtitle, ''];
  for (const section of doc.sections) {
    out.push(section.title, '─'.repeat(Math.min(section.title.length, 100)));
    for (const p of section.paragraphs ?? []) out.push(p);
    if (section.table) out.push(textTable(section.table.header, section.table.rows));
    for (const line of section.after ?? []) out.push(line);
    for (const chart of section.charts ?? []) if (charts[chart.id]) out.push(`chart: ${charts[chart.id]}`);
    out.push('');
  }
  return out.join('\n').trimEnd() + '\n';
}

/** Markdown renders raw HTML, so vendor text is escaped for HTML as well as for table syntax. */
function mdEscape(text: string): string {
  return escapeXml(text)
    .replace(/([\\`*_[\]|])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

/** Markdown with pipe tables; every cell escaped (see {@link mdEscape}); charts as images from `charts`. */
export function renderMarkdown(card: Scorecard, charts: Partial<Record<ChartId, string>> = {}): string {
  const doc = scorecardDocument(card);
  const out: string[] = [`# ${mdEscape(doc.title)}`, '', mdEscape(doc.subtitle), ''];
  for (const section of doc.sections) {
    out.push(`## ${mdEscape(section.title)}`, '');
    for (const p of section.paragraphs ?? []) out.push(mdEscape(p), '');
    if (section.table) {
      const { header, rows } = section.table;
      out.push(`| ${header.map(mdEscape).join(' | ')} |`, `|${header.map(() => ' --- |').join('')}`);
      for (const row of rows) out.push(`| ${row.map(mdEscape).join(' | ')} |`);
      out.push('');
    }
    for (const line of section.after ?? []) out.push(`- ${mdEscape(line)}`);
    if (section.after?.length) out.push('');
    for (const chart of section.charts ?? []) {
      const src = charts[chart.id];
      if (src) out.push(`![${mdEscape(chart.alt)}](${encodeURI(src)})`, '');
    }
  }
  return out.join('\n').trimEnd() + '\n';
}

const OUTCOME_STYLE: Record<string, string> = {
  met: 'color:#166534;background:#dcfce7;font-weight:bold',
  missed: 'color:#991b1b;background:#fee2e2;font-weight:bold',
  pending: 'color:#92400e;background:#fef3c7',
  'FALSE FREEZE': 'color:#991b1b;font-weight:bold',
  FALSE: 'color:#991b1b;font-weight:bold',
  FAILED: 'color:#991b1b;font-weight:bold',
  correct: 'color:#166534;background:#dcfce7;font-weight:bold',
  partial: 'color:#92400e;background:#fef3c7',
  wrong: 'color:#991b1b;background:#fee2e2;font-weight:bold',
};

const CELL = 'padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top';

/**
 * HTML for e-mail clients: inline styles only (many clients drop `<style>`), no scripts, no remote
 * resources; images only from `charts` (cid: or data: sources). Every piece of text is escaped.
 */
export function renderHtml(card: Scorecard, charts: ChartSources = {}): string {
  const doc = scorecardDocument(card);
  const e = escapeXml;
  const out: string[] = [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${e(doc.title)}</title></head>`,
    '<body style="margin:0;padding:16px;background:#f9fafb;font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#111827">',
    '<div style="max-width:960px;margin:0 auto;background:#ffffff;padding:16px 24px;border:1px solid #e5e7eb">',
    `<h1 style="font-size:20px;margin:0 0 4px 0">${e(doc.title)}</h1>`,
    `<p style="margin:0 0 16px 0;color:#4b5563">${e(doc.subtitle)}</p>`,
  ];
  for (const section of doc.sections) {
    out.push(`<h2 style="font-size:16px;margin:20px 0 8px 0;border-bottom:2px solid #111827;padding-bottom:2px">${e(section.title)}</h2>`);
    for (const p of section.paragraphs ?? []) out.push(`<p style="margin:4px 0">${e(p)}</p>`);
    if (section.table) {
      out.push('<table style="border-collapse:collapse;width:100%;font-size:13px" cellpadding="0" cellspacing="0">');
      out.push(`<tr>${section.table.header.map((h) => `<th style="${CELL};background:#f3f4f6">${e(h)}</th>`).join('')}</tr>`);
      for (const row of section.table.rows) {
        out.push(`<tr>${row.map((cell, i) => `<td style="${CELL}${i === 0 ? ';font-weight:bold' : ''}${OUTCOME_STYLE[cell] ? `;${OUTCOME_STYLE[cell]}` : ''}">${e(cell)}</td>`).join('')}</tr>`);
      }
      out.push('</table>');
    }
    if (section.after?.length) {
      out.push(`<ul style="margin:6px 0;padding-left:20px">${section.after.map((line) => `<li>${e(line)}</li>`).join('')}</ul>`);
    }
    for (const chart of section.charts ?? []) {
      const src = charts[chart.id];
      if (src) out.push(`<p style="margin:8px 0"><img src="${e(src)}" alt="${e(chart.alt)}" style="max-width:100%;border:1px solid #e5e7eb"></p>`);
    }
  }
  out.push('<p style="margin:24px 0 0 0;color:#6b7280;font-size:12px">generated by supportdrill</p>');
  out.push('</div></body></html>');
  return out.join('\n') + '\n';
}

/** Renders a scorecard in one format; charts are image sources (HTML, Markdown) or paths (text). */
export function renderScorecard(card: Scorecard, format: ScorecardFormat, charts: ChartSources = {}): string {
  switch (format) {
    case 'json':
      return renderJson(card) + '\n';
    case 'text':
      return renderText(card, charts);
    case 'md':
      return renderMarkdown(card, charts);
    case 'html':
      return renderHtml(card, charts);
  }
}
