/**
 * Turns a run into the ticket a customer would file: first the impact (how many students, how long,
 * what they saw, our severity), then what happened, when (in the vendor's timezone with its UTC
 * equivalent, or once for a vendor on UTC), who, the episodes and which signals confirmed them,
 * versions, ids, steps to reproduce and the evidence.
 * A drill may replace the title and body with its own templates; both use the placeholders below.
 */
import { resolve } from 'node:path';
import type { RunResult } from '../core/run-result.ts';
import { UserError, prefixed } from '../core/errors.ts';
import { suggestKey } from '../core/key-hints.ts';
import type { Severity, TicketDraft } from '../vendors/adapter.ts';
import { evidenceFiles } from './ticket-evidence.ts';
import { identifierFacts } from './ticket-identifiers.ts';
import { buildPieces, incidentAt, type Piece, type ProvidedInfo } from './ticket-pieces.ts';
import { secretScrubber } from './ticket-secrets.ts';

/** A drill's own ticket template (`ticket` in the drill file). */
export interface TicketTemplateOverrides {
  /**
   * The subject, with `{{placeholders}}`. The reference tag `[{{ref}}]` is put in front when the
   * template leaves it out, since replies are matched to the run by it.
   * @defaultValue {@link DEFAULT_TITLE}
   */
  title?: string;
  /**
   * The plain-text body, with `{{placeholders}}`. The disclosure line is added at the end unless the
   * template places `{{disclosure}}` itself.
   * @defaultValue {@link DEFAULT_BODY}
   */
  body?: string;
  /**
   * How bad it is; each adapter maps it to its vendor's priority.
   * @defaultValue `'high'`
   */
  severity?: Severity;
}

export interface RenderTicketInput {
  result: RunResult;
  drill: { name: string; description: string; ticket?: TicketTemplateOverrides };
  /** IANA timezone the vendor works in; times are written in it and in UTC (once when it reads UTC). */
  vendorTimezone: string;
  /** A line saying the ticket comes from a support drill; `false` or absent for none. */
  disclosure?: string | false;
  /** The run's evidence directory (absolute); only files that exist there are attached. */
  evidenceDir: string;
  /** When the ticket is written. @defaultValue the current time */
  now?: Date;
}

export const DEFAULT_TITLE = '[{{ref}}] {{headline}}';

export const DEFAULT_BODY = `{{impact}}

{{summary}}

Please look into what happened in this room at that time, and tell us the cause and how to prevent it in live classes.

When
- Trouble began: {{incident}}
- Class in session: {{class}}

Participants
{{participants}}

Episodes (what each student saw and heard of the teacher)
{{episodes.table}}

{{delay}}

Versions
{{versions}}

Identifiers
{{identifiers}}

Steps to reproduce
{{steps}}

Attached
{{attachments}}

Our reference: {{ref}}

{{disclosure}}`;

/**
 * The placeholders a title or body template may use (`{{name}}`, spaces inside the braces allowed).
 * An unknown placeholder is an error that names it.
 *
 * | placeholder | what it becomes |
 * | --- | --- |
 * | `{{ref}}` | the reference tag without brackets, `DRILL-7f3a9c` |
 * | `{{run.id}}` | the full run id, `run_20261129T051246Z_7f3a9c` |
 * | `{{drill.name}}` | the drill's name |
 * | `{{drill.description}}` | the drill's one-sentence description |
 * | `{{impact}}` | the opening line: how many students of how many, for how long (longest, total), what they saw, our severity |
 * | `{{headline}}` | one line in plain words: who saw what, for how long |
 * | `{{summary}}` | a paragraph in plain words: what happened, where, when, to whom |
 * | `{{incident}}` | when the trouble began, each reading once: `2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00), that is 2026-11-29 05:13:00 UTC`, or `2026-11-29 05:13:00 UTC` for a vendor on UTC |
 * | `{{incident.local}}` | the same in the vendor's timezone only: `2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00)` |
 * | `{{incident.utc}}` | the same instant in UTC: `2026-11-29 05:13:00 UTC` |
 * | `{{class}}` | when the class was in session, from–to, each reading once like `{{incident}}` |
 * | `{{class.local}}` / `{{class.utc}}` | the same in one clock: `2026-11-29 13:12:50 – 13:13:20 (Asia/Shanghai, UTC+08:00)`, `2026-11-29 05:12:50 – 05:13:20 UTC` |
 * | `{{timezone}}` | the vendor's timezone, `Asia/Shanghai` |
 * | `{{participants}}` | the teacher and the students, one per line |
 * | `{{episodes.table}}` | the episodes: participant, what they saw (when not only freezes), start (vendor time and UTC, or UTC only), duration, detection delay, which signals confirmed it |
 * | `{{delay}}` | `Camera-to-screen delay per student: student-1 p50 180 ms, p95 240 ms`, or nothing when it was not measured |
 * | `{{freeze.count}}` | how many freeze episodes there were |
 * | `{{freeze.longest}}` | the longest freeze, `12.2 s` |
 * | `{{versions}}` | real-time stack / SDK, browser, OS, user agent, one per line |
 * | `{{identifiers}}` | room or channel, participant ids and the like, one per line |
 * | `{{room}}` | the room or channel id |
 * | `{{steps}}` | numbered steps to reproduce |
 * | `{{attachments}}` | the attached evidence files, one per line |
 * | `{{disclosure}}` | the disclosure line, or nothing |
 * | `{{severity}}` | `low`, `normal`, `high` or `urgent` |
 * | `{{now.local}}` / `{{now.utc}}` | when the ticket was written |
 */
export const TICKET_PLACEHOLDERS = [
  'ref', 'run.id', 'drill.name', 'drill.description', 'impact', 'headline', 'summary', 'incident', 'incident.local', 'incident.utc',
  'class', 'class.local', 'class.utc', 'timezone', 'participants', 'episodes.table', 'delay', 'freeze.count', 'freeze.longest',
  'versions', 'identifiers', 'room', 'steps', 'attachments', 'disclosure', 'severity', 'now.local', 'now.utc',
] as const;
export type TicketPlaceholder = (typeof TICKET_PLACEHOLDERS)[number];

const SEVERITIES: readonly Severity[] = ['low', 'normal', 'high', 'urgent'];

/** Renders the ticket for a run from the drill's template (or the default one) and the run's facts. */
export function renderTicket(input: RenderTicketInput): TicketDraft {
  const { result, drill } = input;
  const where = `drill '${drill.name}'`;
  const severity = drill.ticket?.severity ?? 'high';
  if (!SEVERITIES.includes(severity)) {
    throw new UserError(prefixed('ticket', `${where} ticket.severity: '${String(severity)}' is not a severity; expected one of ${SEVERITIES.join(', ')}`));
  }
  const attachments = evidenceFiles(resolve(input.evidenceDir));
  const pieces: Record<TicketPlaceholder, Piece> = buildPieces(input, severity, attachments);
  const ref = pieces.ref.text;
  const used = new Set<TicketPlaceholder>();

  let title = fill(drill.ticket?.title ?? DEFAULT_TITLE, pieces, used, `${where} ticket.title`).replace(/\s+/g, ' ').trim();
  if (!title.includes(`[${ref}]`)) title = `[${ref}] ${title}`;

  const bodyTemplate = drill.ticket?.body ?? DEFAULT_BODY;
  let body = fill(bodyTemplate, pieces, used, `${where} ticket.body`);
  const disclosure = pieces.disclosure.text;
  if (disclosure && !used.has('disclosure')) body = `${body.trimEnd()}\n\n${disclosure}`;
  body = tidy(body);

  const times = new Set<string>();
  const numbers = new Set<string>();
  const provided = new Set<ProvidedInfo>();
  for (const name of used) {
    pieces[name].times?.forEach((t) => times.add(t));
    pieces[name].numbers?.forEach((n) => numbers.add(n));
    pieces[name].provides?.forEach((p) => provided.add(p));
  }
  // Attached files reach the vendor whether or not the body lists them.
  if (attachments.some((a) => a.filename.startsWith('screenshot-'))) provided.add('screenshots');
  if (attachments.some((a) => a.filename.endsWith('.log'))) provided.add('logs');

  const scrub = secretScrubber();
  return {
    runId: result.runId,
    ref,
    title: scrub(title),
    body: scrub(body),
    severity,
    attachments: attachments.map(({ filename, path, contentType }) => ({ filename, path, contentType })),
    facts: {
      ref,
      identifiers: identifierFacts(result).map(scrub),
      times: [...times],
      numbers: [...numbers],
      providedInfo: PROVIDED_ORDER.filter((kind) => provided.has(kind)),
    },
    incidentAt: incidentAt(result),
  };
}

const PROVIDED_ORDER: readonly ProvidedInfo[] = ['sdk-version', 'browser', 'os', 'channel', 'uid', 'timestamps', 'logs', 'screenshots', 'steps'];

function fill(template: string, pieces: Record<TicketPlaceholder, Piece>, used: Set<TicketPlaceholder>, where: string): string {
  const unknown: string[] = [];
  const text = template.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (whole, name: string) => {
    if (!(TICKET_PLACEHOLDERS as readonly string[]).includes(name)) {
      unknown.push(name);
      return whole;
    }
    used.add(name as TicketPlaceholder);
    return pieces[name as TicketPlaceholder].text;
  });
  if (unknown.length > 0) {
    const problems = [...new Set(unknown)].map((name) => {
      const hint = suggestKey(name, TICKET_PLACEHOLDERS);
      return `{{${name}}}${hint ? ` (did you mean {{${hint}}}?)` : ''}`;
    });
    throw new UserError(
      prefixed(
        'ticket',
        `${where}: unknown placeholder ${problems.join(', ')}; known placeholders: ${TICKET_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
      ),
    );
  }
  return text;
}

function tidy(body: string): string {
  return body
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
