import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'puppeteer';
import type { RunResult } from '../core/run-result.ts';
import type { AppliedFault } from './faults/fault-kind.ts';
import { lineChartSvg, type ChartSeries } from '../rendering/chart.ts';
import { renderSvgToPng } from '../rendering/svg-to-png.ts';
import type { ConsoleLine } from './session.ts';
import type { PageEvent, StatsSample } from './page/protocol.ts';

export interface EvidenceInput {
  browser: Browser;
  dir: string;
  /** The drill as run; kept whole in timeline.json. */
  drill: { classroom: { duration: number } };
  result: RunResult;
  applied: AppliedFault[];
  stats: { participant: string; sample: StatsSample }[];
  /** What a vendor SDK reported itself (Agora: remote video stats, network quality, exceptions, states). */
  providerEvents?: PageEvent[];
  consoleLogs: Map<string, ConsoleLine[]>;
  inSessionAt: number;
  screenshots: { name: string; path: string }[];
}

export const CHART_SIZE = { width: 720, height: 300 };

/** Received (rendered) fps per student over time, seconds from the class being in session. */
export function fpsSeries(stats: EvidenceInput['stats'], students: string[], inSessionAt: number): ChartSeries[] {
  return students.map((student) => ({
    label: student,
    points: stats
      .filter((s) => s.participant === student)
      .map((s) => ({ x: (s.sample.at - inSessionAt) / 1000, y: Object.values(s.sample.renderedFps).reduce((a, b) => a + b, 0) }))
      .filter((p) => p.x >= 0),
  }));
}

/**
 * The evidence of one run under `runs/<runId>/`: timeline.json (faults as applied, episodes, stats,
 * versions), each page's console log, the screenshots taken during the class, and chart.png.
 */
export async function writeEvidence(input: EvidenceInput): Promise<void> {
  const { dir, result, inSessionAt } = input;
  const timeline = {
    runId: result.runId,
    drill: input.drill,
    provider: result.provider,
    versions: result.versions,
    identifiers: result.identifiers,
    startedAt: result.startedAt,
    inSessionAt: result.inSessionAt,
    endedAt: result.endedAt,
    reproduced: result.reproduced,
    reason: result.reason,
    faults: input.applied.map((f) => ({ ...f, startedAt: new Date(f.startedAt).toISOString(), endedAt: f.endedAt === null ? null : new Date(f.endedAt).toISOString() })),
    freezes: result.freezes,
    falseFreezes: result.falseFreezes,
    stats: input.stats.map((s) => ({ participant: s.participant, ...s.sample, at: new Date(s.sample.at).toISOString() })),
    providerEvents: (input.providerEvents ?? []).map((e) => ({ ...e, at: new Date((e as { at: number }).at).toISOString() })),
    screenshots: input.screenshots.map((s) => s.name),
  };
  await writeFile(join(dir, 'timeline.json'), JSON.stringify(timeline, null, 2));
  for (const [participant, lines] of input.consoleLogs) {
    const text = lines.map((l) => `${new Date(l.at).toISOString()} [${l.type}] ${l.text}`).join('\n');
    await writeFile(join(dir, `console-${participant}.log`), text + (text ? '\n' : ''));
  }
  const spans = input.applied.map((f) => ({
    from: (f.startedAt - inSessionAt) / 1000,
    to: ((f.endedAt ?? Date.parse(result.endedAt)) - inSessionAt) / 1000,
    label: `${f.kind} → ${f.target}`,
  }));
  const svg = lineChartSvg(fpsSeries(input.stats, result.students, inSessionAt), spans, {
    title: `${result.drill} · received fps per student`,
    xLabel: 'seconds since class in session',
    yLabel: 'frames rendered per second',
    xMax: input.drill.classroom.duration / 1000,
    ...CHART_SIZE,
  });
  await writeFile(join(dir, 'chart.svg'), svg);
  await renderSvgToPng(input.browser, svg, join(dir, 'chart.png'), CHART_SIZE);
}
