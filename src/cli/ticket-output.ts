import { formatMs } from '../core/duration.ts';
import type { ActivityRow, TicketRow } from '../store/rows.ts';
import type { TicketReport } from '../support/ticket-report.ts';
import { textTable } from '../core/text-table.ts';

const oneLine = (text: string | null, max = 72) => {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
};

/**
 * One line per activity as it arrives: elapsed since filing (vendor time), kind, author, excerpt.
 * Our own messages read `→ us`; a vendor reply that asks something says what.
 */
export function activityLine(ticket: TicketRow, activity: ActivityRow): string {
  const elapsed = ticket.filedAt ? Date.parse(activity.at) - Date.parse(ticket.filedAt) : null;
  const asks = activity.questions.length ? ` ? ${[...new Set(activity.questions.map((q) => q.topic))].join(',')}` : '';
  const kind =
    activity.kind === 'customer'
      ? '→ us'
      : (activity.kind ?? `status → ${activity.statusChange}`) + (activity.escalation ? ' ⇧' : '') + asks;
  const author = activity.authorName ? `${activity.authorName}${activity.authorRole ? ` (${activity.authorRole})` : ''}` : activity.authorRole ?? '';
  return `  ${formatMs(elapsed).padStart(11)}  ${kind.padEnd(18)} ${author.padEnd(28)} ${oneLine(activity.excerpt ?? activity.text)}`;
}

const TIMING_ROWS = [
  ['first response', 'firstResponseMs', 'firstResponseNetMs', 'firstResponse'],
  ['first human response', 'firstHumanResponseMs', 'firstHumanResponseNetMs', 'firstHumanResponse'],
  ['first substantive response', 'firstSubstantiveResponseMs', 'firstSubstantiveResponseNetMs', 'firstSubstantiveResponse'],
  ['resolution', 'resolutionMs', 'resolutionNetMs', 'resolution'],
] as const;

/** The timing table with the SLA verdict per target. */
export function ticketSummary(ticket: TicketReport): string {
  const checks = new Map((ticket.sla?.checks ?? []).map((c) => [c.target, c]));
  const rows = TIMING_ROWS.map(([label, key, net, target]) => {
    const check = checks.get(target);
    const gross = ticket.timings[key];
    return [label, formatMs(gross), gross === null ? '—' : formatMs(ticket.timings[net] ?? gross), check ? formatMs(check.targetMs) : '—', check ? check.outcome : ''];
  });
  const lines = [
    `ticket ${ticket.id ?? "(not filed)"} at ${ticket.vendor} [${ticket.ref}] — ${ticket.state}${ticket.status !== ticket.state ? ` (vendor status: ${ticket.status})` : ""}${ticket.url ? `  ${ticket.url}` : ''}`,
    '',
    textTable(['timing (from filing, vendor time)', 'gross', 'net of customer wait', 'target', `SLA ${ticket.sla?.tier ?? ''}`.trim()], rows),
    '',
    `replies before the first substantive one: ${ticket.timings.repliesBeforeSubstantive ?? 0}   requests for information already given: ${ticket.timings.redundantInfoRequests ?? 0}`,
    ...conversationSummary(ticket),
    diagnosisLine(ticket),
  ];
  if (ticket.sla?.notes?.length) lines.push(...ticket.sla.notes.map((n) => `note: ${n}`));
  if (ticket.error) lines.push(`error: ${ticket.error}`);
  if (ticket.state === 'filing-failed') {
    const next = ticket.filing.retryAt ? `the service files it again at ${ticket.filing.retryAt}` : `\`npx supportdrill tickets retry ${ticket.ref}\` files it again`;
    lines.push(`filing failed ${ticket.filing.attempts} time(s); ${next}`);
  }
  return lines.join('\n');
}

/** The conversation in a few lines: the vendor's waits on us, follow-ups, escalation, what waits for a person. */
function conversationSummary(ticket: TicketReport): string[] {
  const t = ticket.timings;
  const sent = ticket.messages.filter((m) => m.state === 'sent').length;
  const lines: string[] = [];
  if (sent || t.customerWaitMs || t.questionRounds) {
    lines.push(`customer wait: ${formatMs(t.customerWaitMs ?? 0)}   rounds of questions: ${t.questionRounds ?? 0}   our messages: ${sent}`);
  }
  if (t.followUps?.length) lines.push(`follow-ups: ${t.followUps.map((f) => `next reply ${f.nextReplyMs === null ? 'none yet' : formatMs(f.nextReplyMs)}`).join('; ')}`);
  if (t.escalatedAt) lines.push(`escalated ${t.escalatedAt}; information asked again after it: ${t.redundantInfoRequestsAfterEscalation ?? 0}`);
  const waiting = ticket.messages.filter((m) => m.state === 'needed');
  for (const m of waiting) {
    lines.push(`waiting on a person (${m.key}): ${m.questions.map((q) => `"${q}"`).join(' ') || 'see the vendor reply'} — \`npx supportdrill tickets reply ${ticket.ref} --message …\``);
  }
  return lines;
}

/**
 * `diagnosis: correct — side publisher, mechanism no-video-sent (first correct after 2 min 05 s); used own data`:
 * the cause the vendor settled on, scored against the answer key (which the vendor never sees).
 */
export function diagnosisLine(ticket: TicketReport): string {
  const d = ticket.diagnosis;
  if (!d) return 'diagnosis: no answer key (run from before answer keys)';
  const watched = ticket.state === 'open' || ticket.state === 'filing';
  if (d.verdict === 'none') return watched ? 'diagnosis: none yet — no person has stated a cause so far' : `diagnosis: none — ${d.reasons[0] ?? 'no person stated a cause'}`;
  const claim = d.claim;
  const stated = claim
    ? `side ${claim.side ?? 'not named'}, mechanism ${claim.mechanisms.join(', ') || 'not named'}${claim.participant ? `, ${claim.participant}` : ''}${claim.hedged ? ' (hedged)' : ''}`
    : d.reasons[0] ?? '';
  const first = d.firstCorrectMs !== null ? ` (first correct after ${formatMs(d.firstCorrectMs)})` : d.verdict !== 'correct' ? ` (${watched ? 'not correct yet' : 'never correct'})` : '';
  return `diagnosis: ${d.verdict} — ${stated}${first}; ${d.usedOwnData ? 'used own data' : 'no sign of its own data'}`;
}
