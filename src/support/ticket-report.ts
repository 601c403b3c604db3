import type { ActivityRow, MessageRow, TicketRow } from '../store/rows.ts';
import type { Store } from '../store/store.ts';
import type { StoredSlaVerdict } from '../core/stored-timings.ts';
import type { TicketDiagnosis } from './diagnosis.ts';
import { diagnosisKey, ticketDiagnosis, type DiagnosisKey } from './ticket-diagnosis.ts';

/** A ticket as the drill's `--json` document and `tickets --json` show it. */
export interface TicketReport {
  vendor: string;
  id: string | null;
  url: string | null;
  ref: string;
  filedAt: string | null;
  /** The vendor's status when it tells, else ours (`open`, `resolved`, `timed-out`, …). */
  status: string;
  state: string;
  activities: { id: string; at: string; seenAt: string; kind: string | null; author: string | null; role: string | null; excerpt: string | null; status: string | null; reasons: string[] }[];
  timings: {
    firstResponseMs: number | null;
    firstHumanResponseMs: number | null;
    firstSubstantiveResponseMs: number | null;
    resolutionMs: number | null;
    firstHumanResponseBusinessMs?: number | null;
    resolutionBusinessMs?: number | null;
    repliesBeforeSubstantive?: number;
    redundantInfoRequests?: number;
    filedOutsideBusinessHours?: boolean | null;
    /** The four durations net of customer wait (the vendor waiting on us). */
    firstResponseNetMs?: number | null;
    firstHumanResponseNetMs?: number | null;
    firstSubstantiveResponseNetMs?: number | null;
    resolutionNetMs?: number | null;
    customerWaitMs?: number;
    questionRounds?: number;
    followUps?: { at: string; nextReplyMs: number | null }[];
    escalatedAt?: string | null;
    redundantInfoRequestsAfterEscalation?: number;
  };
  /** The conversation: our messages (sent, planned, waiting for a person). */
  messages: { key: string; purpose: string; state: string; sentAt: string | null; attachments: string[]; questions: string[] }[];
  sla: (Partial<StoredSlaVerdict> & { tier: string | null }) | null;
  error: string | null;
  /** Failed attempts at filing it, and when the service tries again (`null`: it waits for `tickets retry`). */
  filing: { attempts: number; retryAt: string | null };
  /**
   * The vendor's diagnosis scored against the run's answer key; `null` when the run has none (a run
   * from before answer keys). Ours only: nothing here is ever sent to the vendor.
   */
  diagnosis: TicketDiagnosis | null;
}

/** `key` is the run's answer key ({@link diagnosisKey}); without one the report has no diagnosis. */
export function ticketReport(ticket: TicketRow, activities: ActivityRow[], messages: MessageRow[] = [], key: DiagnosisKey | null = null): TicketReport {
  const t = ticket.timings;
  const sla = ticket.sla;
  return {
    vendor: ticket.vendor,
    id: ticket.vendorTicketId,
    url: ticket.url,
    ref: ticket.ref,
    filedAt: ticket.filedAt,
    status: ticket.vendorStatus ?? ticket.state,
    state: ticket.state,
    activities: activities.map((a) => ({
      id: a.vendorActivityId,
      at: a.at,
      seenAt: a.seenAt,
      kind: a.kind,
      author: a.authorName,
      role: a.authorRole,
      excerpt: a.excerpt,
      status: a.statusChange,
      reasons: a.reasons,
    })),
    timings: {
      firstResponseMs: t?.firstResponseMs ?? null,
      firstHumanResponseMs: t?.firstHumanResponseMs ?? null,
      firstSubstantiveResponseMs: t?.firstSubstantiveResponseMs ?? null,
      resolutionMs: t?.resolutionMs ?? null,
      firstHumanResponseBusinessMs: t?.firstHumanResponseBusinessMs ?? null,
      resolutionBusinessMs: t?.resolutionBusinessMs ?? null,
      repliesBeforeSubstantive: t?.repliesBeforeSubstantive ?? 0,
      redundantInfoRequests: t?.redundantInfoRequests ?? 0,
      filedOutsideBusinessHours: t?.filedOutsideBusinessHours ?? null,
      firstResponseNetMs: t?.firstResponseNetMs ?? null,
      firstHumanResponseNetMs: t?.firstHumanResponseNetMs ?? null,
      firstSubstantiveResponseNetMs: t?.firstSubstantiveResponseNetMs ?? null,
      resolutionNetMs: t?.resolutionNetMs ?? null,
      customerWaitMs: t?.customerWaitMs ?? 0,
      questionRounds: t?.questionRounds ?? 0,
      followUps: t?.followUps ?? [],
      escalatedAt: t?.escalatedAt ?? null,
      redundantInfoRequestsAfterEscalation: t?.redundantInfoRequestsAfterEscalation ?? 0,
    },
    messages: messages.map((m) => ({
      key: m.key,
      purpose: m.purpose,
      state: m.state,
      sentAt: m.sentAt,
      attachments: m.attachments.map((a) => a.filename),
      questions: m.questions.map((q) => q.text),
    })),
    sla: sla ? { ...sla, checks: sla.checks, tier: sla.tier } : null,
    error: ticket.error,
    filing: { attempts: ticket.filingAttempts, retryAt: ticket.refileAt },
    diagnosis: key ? ticketDiagnosis(ticket, activities, key) : null,
  };
}

export async function loadTicketReport(store: Store, ticketId: number): Promise<TicketReport> {
  const ticket = await store.getTicket(ticketId);
  if (!ticket) throw new Error(`no ticket ${ticketId}`);
  const run = await store.getRun(ticket.runId);
  return ticketReport(ticket, await store.activities(ticketId), await store.messages(ticketId), diagnosisKey(run?.result));
}
