/** What the store tests write: one scored run, and the ticket filed for it. Shared by the contract suite and the SQLite tests. */
import type { RunResult } from '../../src/core/run-result.ts';
import type { TicketRow } from '../../src/store/rows.ts';
import type { Store } from '../../src/store/store.ts';

export const RUN_ID = 'run_20261129T051246Z_429c7b';

export function result(overrides: Partial<RunResult> = {}): RunResult {
  return {
    runId: RUN_ID,
    drill: 'freeze-midclass',
    provider: 'local',
    reproduced: true,
    reason: 'both students saw the teacher freeze',
    startedAt: '2026-11-29T05:12:46.000Z',
    inSessionAt: '2026-11-29T05:12:50.000Z',
    endedAt: '2026-11-29T05:13:22.000Z',
    classInSessionMs: 4000,
    evidenceDir: '/tmp/evidence/run',
    students: ['student-1', 'student-2'],
    versions: { chrome: '131' },
    identifiers: { room: 'r1' },
    faults: [
      { index: 0, kind: 'video-freeze', target: 'teacher', startedAt: '2026-11-29T05:13:00.000Z', endedAt: '2026-11-29T05:13:10.000Z' },
    ],
    freezes: ['student-1', 'student-2'].map((participant) => ({
      participant,
      startedAt: '2026-11-29T05:13:00.120Z',
      detectedAt: '2026-11-29T05:13:00.700Z',
      endedAt: '2026-11-29T05:13:10.300Z',
      durationMs: 10_180,
      onsetDelayMs: 120,
      detectionOverheadMs: 80,
      recoveryMs: 300,
      fault: 0,
    })),
    falseFreezes: 0,
    ticket: null,
    ...overrides,
  };
}

export async function withRun(store: Store, id = RUN_ID): Promise<void> {
  await store.createRun({ id, drill: 'freeze-midclass', provider: 'local', vendor: 'sandbox' });
}

/** The run {@link RUN_ID} with its ticket filed at the sandbox vendor as SBX-1. */
export async function filedTicket(store: Store): Promise<TicketRow> {
  await withRun(store);
  const ticket = await store.beginFiling(RUN_ID, { vendor: 'sandbox', ref: 'DRILL-429c7b', watchUntil: '2026-12-02T05:13:30.000Z' });
  return await store.markFiled(ticket.id, { vendorTicketId: 'SBX-1', url: 'sandbox://tickets/SBX-1', filedAt: '2026-11-29T05:13:30.000Z' });
}

/** A vendor's automatic acknowledgement, as the watcher records it. */
export const reply = {
  vendorActivityId: 'evt-1',
  at: '2026-11-29T05:13:32.000Z',
  seenAt: '2026-11-29T05:13:33.500Z',
  kind: 'auto' as const,
  reasons: ['auto-submitted header'],
  authorName: 'Support Bot',
  authorRole: 'bot' as const,
  text: 'We have received your request.\n\nA member of our team will reply soon.',
};
