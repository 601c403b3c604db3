import type { ActivityRow, Store, TicketRow } from '../store/store.ts';
import type { SlaVerdict } from '../core/sla.ts';

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
  };
  sla: (Partial<SlaVerdict> & { tier: string | null }) | null;
  error: string | null;
}

type StoredTimings = Partial<Record<keyof TicketReport['timings'], unknown>> | null;

export function ticketReport(ticket: TicketRow, activities: ActivityRow[]): TicketReport {
  const t = (ticket.timings ?? null) as StoredTimings;
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const sla = ticket.sla as SlaVerdict | null;
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
      firstResponseMs: num(t?.firstResponseMs),
      firstHumanResponseMs: num(t?.firstHumanResponseMs),
      firstSubstantiveResponseMs: num(t?.firstSubstantiveResponseMs),
      resolutionMs: num(t?.resolutionMs),
      firstHumanResponseBusinessMs: num(t?.firstHumanResponseBusinessMs),
      resolutionBusinessMs: num(t?.resolutionBusinessMs),
      repliesBeforeSubstantive: num(t?.repliesBeforeSubstantive) ?? 0,
      redundantInfoRequests: num(t?.redundantInfoRequests) ?? 0,
      filedOutsideBusinessHours: typeof t?.filedOutsideBusinessHours === 'boolean' ? t.filedOutsideBusinessHours : null,
    },
    sla: sla ? { ...sla, checks: sla.checks, tier: sla.tier } : null,
    error: ticket.error,
  };
}

export function loadTicketReport(store: Store, ticketId: number): TicketReport {
  const ticket = store.getTicket(ticketId);
  if (!ticket) throw new Error(`no ticket ${ticketId}`);
  return ticketReport(ticket, store.activities(ticketId));
}
