/**
 * Reading a vendor's e-mail beyond what the classifier does: the vendor's own ticket number in an
 * acknowledgement, a help desk's notification that relays an agent's comment (and the comment's own
 * time), and "your request has been solved" notices. Pure functions, so they are tested without
 * a mail server.
 */
import { extractReplyText } from '../core/reply-text.ts';

/** An agent's comment relayed inside a help desk's notification e-mail. */
export interface RelayedComment {
  /** The author as the notification names them (`Alex Chen (Acme Support)`). */
  authorName?: string;
  /** The comment's own time, when the notification states it with a timezone. */
  at?: Date;
  /** The comment alone, without the notification's header, footer or older comments. */
  text: string;
}

// Zendesk, Freshdesk and most desks built like them put this line on top of every notification.
const REPLY_ABOVE_WORDS = /reply above this line|请在此行上方回复/iu;
const REPLY_ABOVE_OPEN = /^#{1,3}-/u;
const REPLY_ABOVE_CLOSE = /-#{1,3}$/u;
const LINE_BREAK = /\r\n?|\n|\u2028|\u2029/u;

/**
 * `##- … reply above this line … -##` on a line of its own (one to three `#`). Checked piece by
 * piece: as one multi-line pattern, `^\s*` runs over every following blank line from every line
 * start, and `.*(words).*` retries the words at every position of a long line, both quadratic.
 */
function isReplyAboveLine(line: string): boolean {
  const trimmed = line.trim();
  const open = REPLY_ABOVE_OPEN.exec(trimmed);
  const close = REPLY_ABOVE_CLOSE.exec(trimmed);
  if (!open || !close) return false;
  return REPLY_ABOVE_WORDS.test(trimmed.slice(open[0].length, close.index));
}
const UPDATED_NOTICE =
  /\b(?:your|the)\s+(?:request|ticket|case)\b[^\n]{0,40}\bhas been (?:updated|commented on)\b|\b(?:replied|commented|responded) (?:to|on) your (?:request|ticket|case)\b|工单[^\n]{0,30}(?:有新(?:的)?回复|已更新)/iu;
const SOLVED_NOTICE =
  /\b(?:your|the)\s+(?:request|ticket|case)\b[^\n]{0,40}\b(?:has been|was|is now)\s+(?:marked\s+as\s+)?(solved|resolved|closed)\b|工单[^\n]{0,30}已(解决|关闭)/iu;
const SEPARATOR = /^\s*(?:-{5,}|_{5,}|={5,}|\*{5,})\s*$/u;

/**
 * The help desk's status notice a message carries: `solved` or `closed`, or `undefined`. Only the
 * message's own text counts, not quoted history.
 */
export function solvedNotice(text: string): 'solved' | 'closed' | undefined {
  const own = extractReplyText(text).body;
  const match = SOLVED_NOTICE.exec(own);
  if (!match) return undefined;
  const word = (match[1] ?? match[2] ?? '').toLowerCase();
  return word === 'closed' || word === '关闭' ? 'closed' : 'solved';
}

/** Whether a message is a help desk's notification rather than a person's e-mail. */
export function isHelpDeskNotification(text: string): boolean {
  return text.split(LINE_BREAK).some(isReplyAboveLine) || UPDATED_NOTICE.test(text) || SOLVED_NOTICE.test(text);
}

/**
 * The newest comment a help-desk notification relays: the first "author line, date line, body" block
 * after the notification's preamble. `undefined` when the message is not such a notification, no
 * block with a recognisable date line is found, or the newest comment is our own (an
 * acknowledgement that quotes our ticket back): `ourNames` are the names and addresses the desk may
 * show for us.
 */
export function relayedComment(text: string, ourNames: readonly string[] = []): RelayedComment | undefined {
  if (!isHelpDeskNotification(text)) return undefined;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const stamp = parseCommentDate(lines[i]!);
    if (stamp === undefined) continue;
    let a = i - 1;
    while (a >= 0 && lines[a]!.trim() === '') a--;
    const authorLine = a >= 0 ? lines[a]!.trim() : '';
    const author = authorLine !== '' && !isReplyAboveLine(authorLine) && !SEPARATOR.test(authorLine) && authorLine.length <= 120 ? authorLine : undefined;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j]!;
      if (SEPARATOR.test(line)) break;
      // The next comment block starts: its author line is followed (after blanks) by a date line.
      if (line.trim() !== '') {
        let k = j + 1;
        while (k < lines.length && lines[k]!.trim() === '') k++;
        if (k < lines.length && parseCommentDate(lines[k]!) !== undefined && body.some((b) => b.trim() !== '')) break;
      }
      body.push(line);
    }
    const comment = body.join('\n').trim();
    if (comment === '') continue;
    const ours = author !== undefined && ourNames.some((name) => name.trim() !== '' && author.toLowerCase().includes(name.trim().toLowerCase()));
    if (ours) return undefined;
    return { ...(author ? { authorName: author } : {}), ...(stamp ? { at: stamp } : {}), text: comment };
  }
  return undefined;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

// The optional zone, then the end of the line: `(GMT+8)`, `UTC`, `+08:00`. Every optional part
// takes the spaces after it (`(?:X\s*)?`) rather than having a `\s*` on each side (`\s*X?\s*`): with
// a `\s*` on each side, a run of spaces followed by anything else is tried split every possible way
// between them (a few hundred spaces take minutes). Both spellings match the same lines.
const ZONE_TO_END = String.raw`\s*(?:\(\s*)?(?:(Z|UTC|GMT)\s*)?(?:([+-]\d{1,2}(?::?\d{2})?)\s*)?(?:\)\s*)?$`;
const ISO_LINE = new RegExp(String.raw`^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?${ZONE_TO_END}`, 'i');
const NAMED_LINE = new RegExp(
  String.raw`^\s*(?:[A-Za-z]+,\s*)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?${ZONE_TO_END}`,
);
const CJK_LINE = new RegExp(String.raw`^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?${ZONE_TO_END}`, 'i');

/**
 * A notification's comment date line. Returns the instant when the line states a timezone, `null`
 * for a date line without one (it still marks a comment block, but its time is ambiguous), and
 * `undefined` when the line is not a date line. Accepted: `Nov 29, 2026, 13:20 GMT+8`,
 * `November 29, 2026 at 1:20:05 PM UTC`, `2026-11-29 13:20:05 +08:00`, `2026年11月29日 13:20 (GMT+8)`.
 */
export function parseCommentDate(line: string): Date | null | undefined {
  let y: number, mo: number, d: number, h: number, mi: number, s: number, z: string | undefined, off: string | undefined;
  let meridiem: string | undefined;
  let m = ISO_LINE.exec(line) ?? CJK_LINE.exec(line);
  if (m) {
    [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
    [z, off] = [m[7], m[8]];
  } else {
    m = NAMED_LINE.exec(line);
    if (!m) return undefined;
    const month = MONTHS[m[1]!.slice(0, m[1]!.toLowerCase().startsWith('sept') ? 4 : 3).toLowerCase()];
    if (month === undefined) return undefined;
    [y, mo, d, h, mi, s] = [Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6] ?? '0')];
    meridiem = m[7]?.toLowerCase();
    [z, off] = [m[8], m[9]];
  }
  if (meridiem === 'pm' && h < 12) h += 12;
  if (meridiem === 'am' && h === 12) h = 0;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  if (z === undefined && off === undefined) return null;
  let offsetMinutes = 0;
  if (off !== undefined) {
    const om = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(off)!;
    offsetMinutes = (om[1] === '-' ? -1 : 1) * (Number(om[2]) * 60 + Number(om[3] ?? '0'));
  }
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000);
}

// Each optional part takes the spaces after it (`(?:X\s*)?`), for the reason given at ZONE_TO_END.
const TICKET_NUMBER_PATTERNS: RegExp[] = [
  // "Your request (5521) has been received", "Ticket #5521", "[Case: 00123456]", "request no. ABC-5521"
  /\b(?:request|ticket|case|incident)\s*(?:(?:#|no\.?|number|id)\s*)?(?:[:：]\s*)?(?:[(（[【]\s*)?(?:#\s*)?([A-Z]{0,8}[-#]?\d[\d-]*\d)\b/giu,
  // "工单编号：20261129-0042", "工单号 #5521", "您的工单（5521）"
  /工单(?:编号|号|ID)?\s*(?:[:：]\s*)?(?:[(（[【#]\s*)?(?:#\s*)?([A-Z]{0,8}[-#]?\d[\d-]*\d)/giu,
];

/**
 * The vendor's own ticket number in a message's subject or its own text (not quoted history), e.g.
 * `5521` from "Your request (5521) has been received" or "工单编号：20261129-0042". Our reference tag
 * and anything in `exclude` (the run id…) are never taken for it.
 */
export function vendorTicketNumber(input: { subject?: string; text?: string }, exclude: readonly string[] = []): string | undefined {
  const sources = [input.subject ?? '', extractReplyText(input.text ?? '').body];
  for (const source of sources) {
    for (const pattern of TICKET_NUMBER_PATTERNS) {
      for (const match of source.matchAll(pattern)) {
        const id = match[1]!;
        if ((id.match(/\d/g) ?? []).length < 3) continue;
        if (exclude.some((e) => e !== '' && (e.includes(id) || id.includes(e)))) continue;
        if (/^DRILL-/i.test(id)) continue;
        return id;
      }
    }
  }
  return undefined;
}
