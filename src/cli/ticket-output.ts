import { formatMs } from '../core/duration.ts';
import type { ActivityRow, TicketRow } from '../store/rows.ts';
import type { TicketReport } from '../support/ticket-report.ts';
import { textTable } from '../core/text-table.ts';

const oneLine = (text: string | null, max = 72) => {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
};

/** One line per vendor activity as it arrives: elapsed since filing (vendor time), kind, author, excerpt. */
export function activityLine(ticket: TicketRow, activity: ActivityRow): string {
  const elapsed = ticket.filedAt ? Date.parse(activity.at) - Date.parse(ticket.filedAt) : null;
  const kind = activity.kind ?? `status → ${activity.statusChange}`;
  const author = activity.authorName ? `${activity.authorName}${activity.authorRole ? ` (${activity.authorRole})` : ''}` : activity.authorRole ?? '';
  return `  ${formatMs(elapsed).padStart(11)}  ${kind.padEnd(18)} ${author.padEnd(28)} ${oneLine(activity.excerpt ?? activity.text)}`;
}

const TIMING_ROWS = [
  ['first response', 'firstResponseMs', 'firstResponse'],
  ['first human response', 'firstHumanResponseMs', 'firstHumanResponse'],
  ['first substantive response', 'firstSubstantiveResponseMs', 'firstSubstantiveResponse'],
  ['resolution', 'resolutionMs', 'resolution'],
] as const;

/** The timing table with the SLA verdict per target. */
export function ticketSummary(ticket: TicketReport): string {
  const checks = new Map((ticket.sla?.checks ?? []).map((c) => [c.target, c]));
  const rows = TIMING_ROWS.map(([label, key, target]) => {
    const check = checks.get(target);
    return [label, formatMs(ticket.timings[key]), check ? formatMs(check.targetMs) : '—', check ? check.outcome : ''];
  });
  const lines = [
    `ticket ${ticket.id ?? "(not filed)"} at ${ticket.vendor} [${ticket.ref}] — ${ticket.state}${ticket.status !== ticket.state ? ` (vendor status: ${ticket.status})` : ""}${ticket.url ? `  ${ticket.url}` : ''}`,
    '',
    textTable(['timing (from filing, vendor time)', 'elapsed', 'target', `SLA ${ticket.sla?.tier ?? ''}`.trim()], rows),
    '',
    `replies before the first substantive one: ${ticket.timings.repliesBeforeSubstantive ?? 0}   requests for information already given: ${ticket.timings.redundantInfoRequests ?? 0}`,
  ];
  if (ticket.sla?.notes?.length) lines.push(...ticket.sla.notes.map((n) => `note: ${n}`));
  if (ticket.error) lines.push(`error: ${ticket.error}`);
  if (ticket.state === 'filing-failed') {
    const next = ticket.filing.retryAt ? `the service files it again at ${ticket.filing.retryAt}` : `\`npx supportdrill tickets retry ${ticket.ref}\` files it again`;
    lines.push(`filing failed ${ticket.filing.attempts} time(s); ${next}`);
  }
  return lines.join('\n');
}
