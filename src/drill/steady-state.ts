import { DEFAULT_BASELINE_MS } from '../classroom/classroom-schema.ts';
import type { RtpSummary, StatsSample } from '../classroom/page/protocol.ts';
import { timedFaults } from '../classroom/faults/registry.ts';
import type { StatsRecord } from './page-events.ts';
import type { Drill } from './schema.ts';

/**
 * Lost packets up to this share of a second's packets do not make a class unhealthy: a real
 * network loses the odd packet and the jitter buffer hides it, while a probe whose link is broken
 * loses far more. On this machine's loopback the share is 0.
 */
export const LOSS_SHARE_ALLOWED = 0.02;

/** The steady state a run checks before its first fault, counted from the class being in session. */
export interface BaselinePlan {
  /** How long before the first fault the class must have been healthy. */
  ms: number;
  /** The first fault's `at`: where the baseline ends. */
  endsAt: number;
}

/**
 * The baseline a drill checks, or `null` when it checks none: no faults (nothing to protect from a
 * broken probe), or `classroom.baseline: '0s'`. Left out, it is {@link DEFAULT_BASELINE_MS} or all
 * the time there is before the first fault, whichever is shorter (the schema holds an explicit one
 * to fitting).
 */
export function baselinePlan(drill: Pick<Drill, 'classroom' | 'faults'>): BaselinePlan | null {
  const timed = timedFaults(drill.faults);
  if (!timed.length) return null;
  const endsAt = Math.min(...timed.map((f) => f.at));
  const ms = Math.min(drill.classroom.baseline ?? DEFAULT_BASELINE_MS, endsAt);
  return ms > 0 ? { ms, endsAt } : null;
}

export interface SteadyStateInput {
  students: readonly string[];
  /** Every stats sample the pages reported (any participant, any time): the judgement picks its own. */
  stats: readonly StatsRecord[];
  /** The baseline, epoch ms. */
  from: number;
  to: number;
  /** When the class was in session: seconds are named from here, and nothing before it is judged. */
  inSessionAt: number;
}

export interface SteadyStateVerdict {
  healthy: boolean;
  /**
   * `student-2 from +3.3 s (10:12:06 UTC) to +4.3 s (10:12:07 UTC): the teacher's video frozen`: one
   * per student and problem, over the seconds it lasted.
   */
  problems: string[];
}

/**
 * Whether the class was healthy over `[from, to]`: for every student, each stats interval inside
 * it showed every watched video `moving` (a page that reports no video state: at least one frame
 * rendered), no audio dropout while the teacher publishes audio, and no rise in inbound packet loss
 * beyond {@link LOSS_SHARE_ALLOWED}; and the student's page reported at all. A field a page does
 * not fill is no information, not a problem.
 */
export function judgeSteadyState(input: SteadyStateInput): SteadyStateVerdict {
  const { from, to, inSessionAt } = input;
  const byParticipant = new Map<string, StatsSample[]>();
  for (const record of input.stats) {
    const list = byParticipant.get(record.participant) ?? [];
    list.push(record.sample);
    byParticipant.set(record.participant, list);
  }
  for (const list of byParticipant.values()) list.sort((a, b) => a.at - b.at);
  const teacherAudio = publishesAudio(byParticipant.get('teacher'), from, to);

  const problems: string[] = [];
  for (const student of input.students) {
    const samples = byParticipant.get(student) ?? [];
    const reported = samples.some((s) => s.at > from && s.at <= to);
    // A baseline shorter than two intervals may hold no complete one; the page's silence then says nothing.
    if (!reported && to - from >= 2 * intervalOf(samples)) {
      problems.push(`${student} from ${secondOf(from, inSessionAt)} to ${secondOf(to, inSessionAt)}: its page reported no stats`);
      continue;
    }
    // The same problem in consecutive seconds is one problem over a stretch of seconds.
    const stretches: { problem: string; first: number; last: number; index: number }[] = [];
    let index = 0;
    samples.forEach((sample, i) => {
      const previous = samples[i - 1];
      // Judged: the intervals wholly inside the baseline, so nothing from before the class was in
      // session (the last student's first frame) counts against it.
      if (!previous || previous.at < from || previous.at < inSessionAt || sample.at > to) return;
      index++;
      const found = [...videoProblems(sample), ...(teacherAudio !== false && sample.audio?.dropout ? ['audio dropped out'] : []), ...lossProblems(previous.rtp, sample.rtp)];
      for (const problem of found) {
        const open = stretches.find((s) => s.problem === problem && s.index === index - 1);
        if (open) Object.assign(open, { last: sample.at, index });
        else stretches.push({ problem, first: sample.at, last: sample.at, index });
      }
    });
    for (const { problem, first, last } of stretches) {
      const when = first === last ? `at ${secondOf(first, inSessionAt)}` : `from ${secondOf(first, inSessionAt)} to ${secondOf(last, inSessionAt)}`;
      problems.push(`${student} ${when}: ${problem}`);
    }
  }
  return { healthy: problems.length === 0, problems };
}



function videoProblems(sample: StatsSample): string[] {
  const states = Object.entries(sample.video ?? {});
  if (states.length) return states.filter(([, v]) => v.state !== 'moving').map(([source, v]) => `${sourceName(source)} video ${v.state}`);
  const rendered = Object.entries(sample.renderedFps);
  if (!rendered.length) return ['no video watched'];
  return rendered.filter(([, frames]) => frames <= 0).map(([source]) => `${sourceName(source)} video frozen (no frame rendered)`);
}

/** Inbound packets lost between two samples, per media kind, beyond what a healthy network loses. */
function lossProblems(before: readonly RtpSummary[], after: readonly RtpSummary[]): string[] {
  const problems: string[] = [];
  for (const kind of ['video', 'audio'] as const) {
    const a = inbound(before, kind);
    const b = inbound(after, kind);
    // A connection added or gone between the samples: the sums do not compare.
    if (a.count !== b.count || b.count === 0 || a.lost === undefined || b.lost === undefined) continue;
    const lost = b.lost - a.lost;
    const received = Math.max(0, (b.received ?? 0) - (a.received ?? 0));
    if (lost > 0 && lost / (lost + received) > LOSS_SHARE_ALLOWED) {
      problems.push(`${lost} inbound ${kind} packet(s) lost (${Math.round((lost / (lost + received)) * 100)} % of the second's)`);
    }
  }
  return problems;
}

function inbound(rtp: readonly RtpSummary[], kind: 'audio' | 'video'): { count: number; lost: number | undefined; received: number | undefined } {
  const entries = rtp.filter((r) => r.direction === 'inbound' && r.kind === kind);
  const sum = (field: 'packetsLost' | 'packetsReceived') => (entries.some((r) => typeof r[field] === 'number') ? entries.reduce((n, r) => n + (r[field] ?? 0), 0) : undefined);
  return { count: entries.length, lost: sum('packetsLost'), received: sum('packetsReceived') };
}

/** Whether the teacher sent audio in the baseline: `undefined` when the teacher's page reported no stats there (then audio is judged where students receive it). */
function publishesAudio(samples: readonly StatsSample[] | undefined, from: number, to: number): boolean | undefined {
  const inside = (samples ?? []).filter((s) => s.at > from && s.at <= to);
  if (!inside.length) return undefined;
  return inside.some((s) => s.rtp.some((r) => r.direction === 'outbound' && r.kind === 'audio'));
}

/** The pages sample every second unless told otherwise; a student's own samples say what it is. */
function intervalOf(samples: readonly StatsSample[]): number {
  const gaps = samples.slice(1).map((s, i) => s.at - samples[i]!.at);
  return gaps.length ? Math.min(...gaps) : 1000;
}

function sourceName(source: string): string {
  return source === 'teacher' ? "the teacher's" : source;
}

/** `+4.3 s (10:12:07 UTC)`: how far into the class a stats interval ended, and the wall-clock second to find it in the evidence. */
function secondOf(epochMs: number, inSessionAt: number): string {
  return `+${((epochMs - inSessionAt) / 1000).toFixed(1)} s (${new Date(epochMs).toISOString().slice(11, 19)} UTC)`;
}
