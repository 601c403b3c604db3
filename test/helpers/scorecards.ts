import { readFileSync } from 'node:fs';
import type { Config } from '../../src/config/config.ts';
import type { RunResult } from '../../src/core/run-result.ts';
import type { Store } from '../../src/store/store.ts';
import type { TicketState } from '../../src/store/rows.ts';
import { slaVerdict, storedVerdict } from '../../src/support/sla.ts';
import { computeTimings, timedActivities, storedTimings } from '../../src/support/timings.ts';
import type { ActivityKind } from '../../src/core/reply.ts';
import type { Question } from '../../src/core/question.ts';
import type { AnswerKey } from '../../src/core/answer-key.ts';
import { diagnosisKey, storedDiagnosis, ticketDiagnosis } from '../../src/support/ticket-diagnosis.ts';

const FIXTURE = new URL('../fixtures/run-result.json', import.meta.url);

/** One vendor activity of a fixture ticket, `after` ms from filing. */
export interface FixtureActivity {
  after: number;
  /** `customer`: a message of ours (an answer, a follow-up). */
  kind: ActivityKind | null;
  text?: string;
  author?: string;
  role?: 'agent' | 'system' | 'bot';
  status?: string;
  requestsProvidedInfo?: string[];
  /** Topics the reply asks us about. */
  asks?: Question['topic'][];
  escalation?: boolean;
}

export interface FixtureRun {
  runId: string;
  vendor: string;
  /** When the run started; the ticket is filed 40 s later. */
  startedAt: string;
  activities?: FixtureActivity[];
  /** @defaultValue `resolved` when a resolution is among the activities, else `open` */
  state?: TicketState;
  /** How long the ticket is watched. @defaultValue 3 days */
  watchMs?: number;
  reproduced?: boolean;
  url?: string;
  /** Give the run an answer key (the fixture's freeze on the teacher: {@link teacherFreezeKey}); runs from before answer keys have none. */
  answerKey?: boolean;
  /** Changes the run result before it is stored (its times already moved to `startedAt`). */
  amend?: (result: RunResult) => RunResult;
}

/** The fixture run's answer key: the teacher's client stopped sending video, both students saw it. */
export function teacherFreezeKey(result: Pick<RunResult, 'faults'>): AnswerKey {
  const fault = result.faults[0]!;
  return {
    faults: [
      {
        index: 0,
        kind: 'video-freeze',
        participant: 'teacher',
        side: 'publisher',
        media: ['video'],
        direction: 'send',
        mechanism: 'no video frames sent: the encoder output is dropped',
        mechanisms: ['no-video-sent'],
        affected: ['student-1', 'student-2'],
        startedAt: fault.startedAt,
        endedAt: fault.endedAt,
      },
    ],
  };
}

/**
 * A run with a filed ticket and its classified activity, written through the real Store and timed and
 * judged the way the watcher does it (computeTimings, slaVerdict with the vendor's config).
 */
export async function fixtureRun(store: Store, config: Config, run: FixtureRun): Promise<{ result: RunResult; ticketId: number }> {
  const result = await unfiledFixtureRun(store, run);
  const filedAt = new Date(Date.parse(result.endedAt) + 10_000);
  const watchUntil = new Date(filedAt.getTime() + (run.watchMs ?? 3 * 86_400_000));
  const ref = `DRILL-${run.runId.slice(-6)}`;
  const ticket = await store.beginFiling(run.runId, { vendor: run.vendor, ref, watchUntil });
  const filed = await store.markFiled(ticket.id, { vendorTicketId: `T-${run.runId.slice(-6)}`, url: run.url ?? `https://desk.example/tickets/${run.runId.slice(-6)}`, filedAt });
  for (const [i, a] of (run.activities ?? []).entries()) {
    await store.recordActivity(ticket.id, {
      vendorActivityId: `a${i}`,
      at: new Date(filedAt.getTime() + a.after),
      seenAt: new Date(filedAt.getTime() + a.after + 500),
      kind: a.kind,
      authorName: a.author ?? (a.kind === 'auto' ? 'Desk' : 'Agent'),
      authorRole: a.kind === 'customer' ? 'end-user' : (a.role ?? (a.kind === 'auto' ? 'system' : 'agent')),
      questions: (a.asks ?? []).map((topic) => ({ topic, text: `a question about ${topic}?`, alreadyGiven: false })),
      escalation: a.escalation ?? false,
      text: a.text ?? (a.kind ? `${a.kind} reply` : null),
      statusChange: a.status ?? null,
      requestsProvidedInfo: a.requestsProvidedInfo ?? [],
    });
  }
  const vendor = config.vendors[run.vendor]!;
  const activities = await store.activities(ticket.id);
  const timings = computeTimings({
    filedAt,
    activities: timedActivities(activities),
    business: vendor.businessHours,
  });
  const state: TicketState = run.state ?? (timings.resolutionAt ? 'resolved' : 'open');
  const judgedAt = state === 'timed-out' ? watchUntil : state === 'resolved' ? timings.resolutionAt! : new Date(filedAt.getTime() + 60_000);
  const key = diagnosisKey(result);
  await store.updateTicket(ticket.id, {
    timings: storedTimings(timings),
    sla: storedVerdict(slaVerdict(timings, vendor.sla, judgedAt)),
    diagnosis: key ? storedDiagnosis(ticketDiagnosis(filed, activities, key)) : null,
    state,
    resolutionAt: timings.resolutionAt,
  });
  if (state === 'resolved' || state === 'timed-out') await store.updateRun(run.runId, { status: state, endedAt: judgedAt });
  return { result, ticketId: ticket.id };
}

/**
 * The fixture run stored with its result and no ticket: what a run that filed nothing leaves (an
 * unhealthy baseline, a run not reproduced). `run.vendor` stays on the run as given: `null` is what
 * the pipeline leaves, a name what a run killed before letting go of its vendor leaves.
 */
export async function unfiledFixtureRun(store: Store, run: Pick<FixtureRun, 'runId' | 'startedAt' | 'reproduced' | 'answerKey' | 'amend'> & { vendor: string | null }): Promise<RunResult> {
  const base = JSON.parse(readFileSync(FIXTURE, 'utf8')) as RunResult;
  const shift = Date.parse(run.startedAt) - Date.parse(base.startedAt);
  const moved = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
  const shifted: RunResult = {
    ...base,
    runId: run.runId,
    reproduced: run.reproduced ?? true,
    startedAt: moved(base.startedAt),
    inSessionAt: moved(base.inSessionAt),
    endedAt: moved(base.endedAt),
    evidenceDir: `var/runs/${run.runId}`,
    faults: base.faults.map((f) => ({ ...f, startedAt: moved(f.startedAt), endedAt: f.endedAt && moved(f.endedAt) })),
    freezes: base.freezes.map((f) => ({ ...f, startedAt: moved(f.startedAt), detectedAt: moved(f.detectedAt), endedAt: f.endedAt && moved(f.endedAt) })),
  };
  const result = run.amend ? run.amend(shifted) : shifted;
  if (run.answerKey) result.answerKey = teacherFreezeKey(result);
  await store.createRun({ id: run.runId, drill: result.drill, provider: result.provider, vendor: run.vendor, startedAt: result.startedAt });
  await store.saveRunResult(run.runId, result);
  return result;
}

/** The responsive sandbox script: ack 2 s, canned 6 s, human 12 s, resolution 20 s. */
export const RESPONSIVE: FixtureActivity[] = [
  { after: 2000, kind: 'auto', text: 'Your request has been received.' },
  { after: 6000, kind: 'canned', text: 'Please check your network and restart.', requestsProvidedInfo: ['browser version'] },
  { after: 12_000, kind: 'human', text: 'I looked at the freeze at 05:13 in room run_…' },
  { after: 20_000, kind: 'resolution', text: 'Root cause: a keyframe request was dropped.' },
];
