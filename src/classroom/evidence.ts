import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'puppeteer';
import { STATE_WORDS, type RunResult } from '../core/run-result.ts';
import type { AppliedFault } from './faults/fault-kind.ts';
import { networkBySecond } from './network-record.ts';
import { lineChartSvg, type ChartSeries } from '../rendering/chart.ts';
import { renderSvgToPng } from '../rendering/svg-to-png.ts';
import type { ConsoleLine } from './session.ts';
import type { PageEvent, StatsSample } from './page/protocol.ts';

export interface EvidenceInput {
  browser: Browser;
  dir: string;
  /** The drill as run; kept whole in injected.json (its faults are the answer), by name in timeline.json. */
  drill: { name: string; classroom: { duration: number } };
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

/** One value per student and stats sample, seconds from the class being in session; a sample without one is left out. */
function perStudent(stats: EvidenceInput['stats'], students: string[], inSessionAt: number, value: (sample: StatsSample) => number | undefined): ChartSeries[] {
  return students.map((student) => ({
    label: student,
    points: stats
      .filter((s) => s.participant === student && s.sample.at >= inSessionAt)
      .flatMap((s) => {
        const y = value(s.sample);
        return y === undefined ? [] : [{ x: (s.sample.at - inSessionAt) / 1000, y }];
      }),
  }));
}

/** Received (rendered) fps per student over time. */
export function fpsSeries(stats: EvidenceInput['stats'], students: string[], inSessionAt: number): ChartSeries[] {
  return perStudent(stats, students, inSessionAt, (sample) => Object.values(sample.renderedFps).reduce((a, b) => a + b, 0));
}

/** Each student's camera-to-screen delay per second (ms), from the teacher picture's stamp. */
export function delaySeries(stats: EvidenceInput['stats'], students: string[], inSessionAt: number): ChartSeries[] {
  return perStudent(stats, students, inSessionAt, (sample) => {
    const delays = Object.values(sample.video ?? {}).flatMap((v) => (v.delayMs === null ? [] : [v.delayMs]));
    return delays.length ? Math.max(...delays) : undefined;
  });
}

/**
 * The evidence of one run under `runs/<runId>/`: timeline.json (what was observed: episodes, stats,
 * versions), each page's console log, the screenshots taken during the class, and chart.png — all
 * of which go to the vendor with the ticket, so none of them says what was injected, when or where
 * (the vendor's diagnosis is scored against exactly that). What was injected goes to injected.json,
 * which is never attached: the faults as applied, the drill, and the frames each fault dropped.
 */
/** What was injected, beside the evidence: kept for us, never attached to a ticket. */
export const INJECTED_FILE = 'injected.json';

export async function writeEvidence(input: EvidenceInput): Promise<void> {
  const { dir, result, inSessionAt } = input;
  const timeline = {
    runId: result.runId,
    drill: input.drill.name,
    provider: result.provider,
    versions: result.versions,
    identifiers: result.identifiers,
    hosting: result.hosting,
    startedAt: result.startedAt,
    inSessionAt: result.inSessionAt,
    endedAt: result.endedAt,
    // Observed only: an episode's fault, onset after it and recovery after it would tell the vendor the answer.
    freezes: result.freezes.map(({ participant, startedAt, detectedAt, endedAt, durationMs }) => ({ participant, startedAt, detectedAt, endedAt, durationMs })),
    // In the students' words, not the fault kinds' (`audio-dropout` is also what was injected).
    states: (result.states ?? []).map(({ participant, state, startedAt, detectedAt, endedAt, durationMs }) => ({ participant, state: OBSERVED[state], startedAt, detectedAt, endedAt, durationMs })),
    delay: result.delay ?? [],
    stats: input.stats.map((s) => {
      const { droppedByFault: _dropped, ...observed } = s.sample;
      return { participant: s.participant, ...observed, at: new Date(s.sample.at).toISOString() };
    }),
    providerEvents: (input.providerEvents ?? []).map((e) => ({ ...e, at: new Date((e as { at: number }).at).toISOString() })),
    screenshots: input.screenshots.map((s) => s.name),
  };
  await writeFile(join(dir, 'timeline.json'), JSON.stringify(timeline, null, 2));
  const injected = {
    runId: result.runId,
    drill: input.drill,
    faults: input.applied.map((f) => ({ ...f, startedAt: new Date(f.startedAt).toISOString(), endedAt: f.endedAt === null ? null : new Date(f.endedAt).toISOString() })),
    answerKey: result.answerKey ?? null,
    freezes: result.freezes,
    falseFreezes: result.falseFreezes,
    reproduced: result.reproduced,
    reason: result.reason,
    droppedByFault: input.stats.map((s) => ({ participant: s.participant, at: new Date(s.sample.at).toISOString(), ...s.sample.droppedByFault })),
    // The profile in force each second is what was injected (`lossy-20`), so it stays out of timeline.json.
    network: networkBySecond(input.applied, inSessionAt, input.drill.classroom.duration),
  };
  await writeFile(join(dir, INJECTED_FILE), JSON.stringify(injected, null, 2));
  for (const [participant, lines] of input.consoleLogs) {
    const text = lines.map((l) => `${new Date(l.at).toISOString()} [${l.type}] ${l.text}`).join('\n');
    await writeFile(join(dir, `console-${participant}.log`), text + (text ? '\n' : ''));
  }
  // The chart goes to the vendor: it marks what the students saw, not what was injected.
  const spans = [
    ...episodeSpans(result.freezes, 'freeze', result, inSessionAt),
    ...(['blank', 'still', 'audio-dropout'] as const).flatMap((state) =>
      episodeSpans((result.states ?? []).filter((e) => e.state === state), STATE_WORDS[state], result, inSessionAt),
    ),
  ];
  const chart = async (name: string, series: ChartSeries[], title: string, yLabel: string) => {
    const svg = lineChartSvg(series, spans, { title: `${result.drill} · ${title}`, xLabel: 'seconds since class in session', yLabel, xMax: input.drill.classroom.duration / 1000, ...CHART_SIZE });
    await writeFile(join(dir, `${name}.svg`), svg);
    await renderSvgToPng(input.browser, svg, join(dir, `${name}.png`), CHART_SIZE);
  };
  await chart('chart', fpsSeries(input.stats, result.students, inSessionAt), 'received fps per student', 'frames rendered per second');
  const delays = delaySeries(input.stats, result.students, inSessionAt);
  if (delays.some((d) => d.points.length > 0)) await chart('delay', delays, 'camera-to-screen delay per student', 'delay (ms), from the picture stamp');
}

const OBSERVED = { blank: 'blank', still: 'still', 'audio-dropout': 'no-sound' } as const;

/** Episodes as chart spans, overlapping ones merged: "freeze · 2 students". */
function episodeSpans(observed: readonly { participant: string; startedAt: string; endedAt: string | null }[], label: string, result: RunResult, inSessionAt: number): { from: number; to: number; label: string }[] {
  const episodes = observed
    .map((f) => ({ from: (Date.parse(f.startedAt) - inSessionAt) / 1000, to: ((f.endedAt ? Date.parse(f.endedAt) : Date.parse(result.endedAt)) - inSessionAt) / 1000, who: f.participant }))
    .sort((a, b) => a.from - b.from);
  const merged: { from: number; to: number; who: Set<string> }[] = [];
  for (const e of episodes) {
    const last = merged.at(-1);
    if (last && e.from <= last.to) {
      last.to = Math.max(last.to, e.to);
      last.who.add(e.who);
    } else merged.push({ from: e.from, to: e.to, who: new Set([e.who]) });
  }
  return merged.map((m) => ({ from: m.from, to: m.to, label: `${label} · ${m.who.size === 1 ? [...m.who][0] : `${m.who.size} students`}` }));
}
