/** The `activities` table. */
import type { Question } from '../../core/question.ts';
import type { ActivityKind, AuthorRole } from '../../core/reply.ts';
import { parseStoredJson } from '../../core/stored-timings.ts';
import type { ActivityRow, NewActivity } from '../rows.ts';
import { toIso, type Row, type SqliteContext } from './context.ts';

const EXCERPT_LENGTH = 200;

function excerptOf(text: string | null | undefined): string | null {
  if (!text) return null;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= EXCERPT_LENGTH ? line : `${line.slice(0, EXCERPT_LENGTH - 1)}…`;
}

/** A stored JSON list of strings; anything else reads as empty. */
function stringList(json: string | null): string[] {
  const value = parseStoredJson(json);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function activityFromRow(row: Row): ActivityRow {
  return {
    id: row.id as number,
    ticketId: row.ticket_id as number,
    vendorActivityId: row.vendor_activity_id as string,
    at: row.at as string,
    seenAt: row.seen_at as string,
    kind: row.kind as ActivityKind | null,
    reasons: stringList(row.reasons_json as string),
    authorName: row.author_name as string | null,
    authorRole: row.author_role as AuthorRole | null,
    subject: row.subject as string | null,
    excerpt: row.excerpt as string | null,
    text: row.text as string | null,
    statusChange: row.status_change as string | null,
    requestsProvidedInfo: stringList(row.requests_provided_info_json as string),
    unverified: row.unverified === 1,
    questions: questionList(row.questions_json as string | null),
    escalation: row.escalation === 1,
  };
}

/** A stored JSON list of questions; anything malformed is left out. */
export function questionList(json: string | null): Question[] {
  const value = parseStoredJson(json);
  if (!Array.isArray(value)) return [];
  return value.filter(
    (q): q is Question => typeof q === 'object' && q !== null && typeof (q as Question).topic === 'string' && typeof (q as Question).text === 'string',
  ).map((q) => ({ topic: q.topic, text: q.text, alreadyGiven: q.alreadyGiven === true }));
}

/**
 * Records a vendor activity once. When the ticket already has an activity with that vendor id,
 * nothing is written and the first copy is returned with `inserted: false`.
 */
export function recordActivity(ctx: SqliteContext, ticketId: number, activity: NewActivity): { inserted: boolean; row: ActivityRow } {
  const info = ctx.db
    .prepare(
      `INSERT INTO activities (ticket_id, vendor_activity_id, at, seen_at, kind, reasons_json, author_name, author_role,
                               subject, excerpt, text, status_change, requests_provided_info_json, unverified,
                               questions_json, escalation)
       VALUES (@ticketId, @vendorActivityId, @at, @seenAt, @kind, @reasons, @authorName, @authorRole,
               @subject, @excerpt, @text, @statusChange, @requestsProvidedInfo, @unverified,
               @questions, @escalation)
       ON CONFLICT (ticket_id, vendor_activity_id) DO NOTHING`,
    )
    .run({
      ticketId,
      vendorActivityId: activity.vendorActivityId,
      at: toIso(activity.at, 'at'),
      seenAt: activity.seenAt === undefined ? ctx.nowIso() : toIso(activity.seenAt, 'seenAt'),
      kind: activity.kind,
      reasons: JSON.stringify(activity.reasons ?? []),
      authorName: activity.authorName ?? null,
      authorRole: activity.authorRole ?? null,
      subject: activity.subject ?? null,
      excerpt: activity.excerpt === undefined ? excerptOf(activity.text) : activity.excerpt,
      text: activity.text ?? null,
      statusChange: activity.statusChange ?? null,
      requestsProvidedInfo: JSON.stringify(activity.requestsProvidedInfo ?? []),
      unverified: activity.unverified ? 1 : 0,
      questions: JSON.stringify(activity.questions ?? []),
      escalation: activity.escalation ? 1 : 0,
    });
  const row = ctx.db
    .prepare('SELECT * FROM activities WHERE ticket_id = ? AND vendor_activity_id = ?')
    .get(ticketId, activity.vendorActivityId) as Row;
  return { inserted: info.changes === 1, row: activityFromRow(row) };
}

/** The ticket's activities in the vendor's time order (then in the order we recorded them). */
export function activities(ctx: SqliteContext, ticketId: number): ActivityRow[] {
  return (ctx.db.prepare('SELECT * FROM activities WHERE ticket_id = ? ORDER BY at, id').all(ticketId) as Row[]).map(
    activityFromRow,
  );
}
