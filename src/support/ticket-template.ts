/**
 * Turns a run into the ticket a customer would file: what the students saw, when (in the vendor's
 * timezone and in UTC), who, the freeze episodes, versions, ids, steps to reproduce and the evidence.
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
  /** IANA timezone the vendor works in; times are written in it and in UTC. */
  vendorTimezone: string;
  /** A line saying the ticket comes from a support drill; `false` or absent for none. */
  disclosure?: string | false;
  /** The run's evidence directory (absolute); only files that exist there are attached. */
  evidenceDir: string;
  /** When the ticket is written. @defaultValue the current time */
  now?: Date;
}

export const DEFAULT_TITLE = '[{{ref}}] {{headline}}';

export const DEFAULT_BODY = `{{summary}}

Please look into what happened in this room at that time, and tell us the cause and how to prevent it in live classes.

When
- Trouble began: {{incident.local}} = {{incident.utc}}
- Class in session: {{class.local}}

Participants
{{participants}}

Freeze episodes (what each student saw of the teacher's video)
{{episodes.table}}

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
 * | `{{headline}}` | one line in plain words: who saw what, for how long |
 * | `{{summary}}` | a paragraph in plain words: what happened, where, when, to whom |
 * | `{{incident.local}}` | when the first freeze began in the vendor's timezone: `2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00)` |
 * | `{{incident.utc}}` | the same instant in UTC: `2026-11-29 05:13:00 UTC` |
 * | `{{class.local}}` / `{{class.utc}}` | when the class was in session, from–to |
 * | `{{timezone}}` | the vendor's timezone, `Asia/Shanghai` |
 * | `{{participants}}` | the teacher and the students, one per line |
 * | `{{episodes.table}}` | the freeze episodes: participant, start (vendor time and UTC), duration, detection delay |
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
  'ref', 'run.id', 'drill.name', 'drill.description', 'headline', 'summary', 'incident.local', 'incident.utc',
  'class.local', 'class.utc', 'timezone', 'participants', 'episodes.table', 'freeze.count', 'freeze.longest',
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
