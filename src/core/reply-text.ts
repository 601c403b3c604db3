/**
 * Separates a vendor reply's own words from what it carries along: the quoted history of the
 * thread (which contains our own ticket, with all of its facts) and the sender's signature. The
 * classifier reads only the reply's own words; otherwise a generic reply that quotes the ticket
 * would look as if it engaged with the ticket's specifics.
 */

/** A reply split into its own words and what was removed before reading it. */
export interface ReplyText {
  /** The reply's own words: quoted history, signature, closing and mobile footer removed. */
  body: string;
  /**
   * Removed quoted history (earlier messages of the thread), empty when there was none: the
   * interleaved `>` lines, then everything from where the history starts, in reading order.
   */
  quoted: string;
  /** Removed signature, closing formula or mobile footer, empty when there was none. */
  signature: string;
}

/** Splits `text` into the reply's own words, its quoted history and its signature. */
export function extractReplyText(text: string): ReplyText {
  const history = stripQuotedHistory(text);
  const signed = stripSignature(history.body);
  return { body: signed.body, quoted: history.quoted, signature: signed.signature };
}

/**
 * Removes quoted history: everything from the first attribution line or header block of an
 * earlier message on ("On … wrote:", "-----Original Message-----", "From: … Sent: …", "在…写道：",
 * "发件人：…"), and every `>`-quoted line (interleaved answers keep the lines between quotes).
 */
export function stripQuotedHistory(text: string): { body: string; quoted: string } {
  const lines = normalize(text).split('\n');
  const cut = findHistoryStart(lines);
  const own = cut === -1 ? lines : lines.slice(0, cut);
  const kept: string[] = [];
  const interleaved: string[] = [];
  for (const line of own) {
    if (/^\s*>/.test(line)) interleaved.push(line);
    else if (!isZendeskMarker(line)) kept.push(line);
  }
  const quoted = cut === -1 ? interleaved : [...interleaved, ...lines.slice(cut)];
  return { body: tidy(kept.join('\n')), quoted: tidy(quoted.join('\n')) };
}

/**
 * Removes the signature: everything after the RFC 3676 delimiter `-- `, a mobile footer ("Sent
 * from my iPhone", "发自我的iPhone"), or a closing formula ("Best regards", "Thanks,", "此致", "谢谢")
 * that stands on its own line near the end and is followed only by a few short lines.
 */
export function stripSignature(text: string): { body: string; signature: string } {
  const lines = normalize(text).split('\n');
  const delimiter = lines.findIndex((line) => /^--\s?$/.test(line) || MOBILE_FOOTER.test(line.trim()));
  const beforeDelimiter = delimiter === -1 ? lines : lines.slice(0, delimiter);
  const closing = findClosing(beforeDelimiter);
  // A closing above the delimiter ("Best regards,\nAlice\n-- \n…") belongs to the signature too.
  const cut = closing > 0 ? closing : delimiter;
  if (cut <= 0) return { body: tidy(lines.join('\n')), signature: '' };
  return { body: tidy(lines.slice(0, cut).join('\n')), signature: tidy(lines.slice(cut).join('\n')) };
}

// Zendesk puts this marker above the latest comment; it is neither history nor the reply.
const ZENDESK_MARKER_WORDS = /reply above this line|在此行上方回复/iu;

/**
 * `##- … reply above this line … -##` on a line of its own. Checked piece by piece: as one pattern
 * (`##-.*(words).*-##`) it retries the words at every position of a long line that opens like the
 * marker, which is quadratic in the line's length.
 */
function isZendeskMarker(line: string): boolean {
  const trimmed = line.trim();
  if (!trimmed.startsWith('##-') || !trimmed.endsWith('-##')) return false;
  const words = trimmed.slice(3, -3);
  return !/[\r\n\u2028\u2029]/u.test(words) && ZENDESK_MARKER_WORDS.test(words);
}

const SEPARATOR = /^\s*-{2,}\s*(original message|forwarded message|原始邮件|原邮件|转发邮件|转发的邮件)\s*-{2,}\s*$/iu;
const FORWARDED = /^\s*begin forwarded message:\s*$/iu;
const OUTLOOK_RULE = /^\s*_{10,}\s*$/u;
const ON_WROTE_START = /^\s*on\s.+/iu;
const WROTE_END = /wrote:\s*$/iu;
const ZH_WROTE = /写道[：:]\s*$/u;
const EN_FROM = /^\s*\*?from:\*?\s/iu;
const EN_FROM_FOLLOW = /^\s*\*?(sent|date|to|subject):\*?\s/iu;
const ZH_FROM = /^\s*发件人\s*[:：]/u;
const ZH_FROM_FOLLOW = /^\s*(发送时间|时间|日期|收件人|抄送|主题)\s*[:：]/u;

function findHistoryStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (SEPARATOR.test(line) || FORWARDED.test(line)) return i;
    if (ON_WROTE_START.test(line) && (WROTE_END.test(line) || WROTE_END.test(lines[i + 1] ?? ''))) return i;
    if (ZH_WROTE.test(line) && line.length < 200) return i;
    if (EN_FROM.test(line) && (/\bsent:/iu.test(line) || followedBy(lines, i, EN_FROM_FOLLOW))) return i;
    if (ZH_FROM.test(line) && followedBy(lines, i, ZH_FROM_FOLLOW)) return i;
    if (OUTLOOK_RULE.test(line)) {
      const next = nextContentLine(lines, i);
      if (EN_FROM.test(next) || ZH_FROM.test(next)) return i;
    }
  }
  return -1;
}

/**
 * The first non-blank line after `index`, or `''`. Scans in place: copying the rest of the text for
 * every rule line would make a text of many rules quadratic.
 */
function nextContentLine(lines: string[], index: number): string {
  for (let j = index + 1; j < lines.length; j++) if (lines[j].trim() !== '') return lines[j];
  return '';
}

function followedBy(lines: string[], index: number, pattern: RegExp): boolean {
  return lines.slice(index + 1, index + 5).some((line) => pattern.test(line));
}

const MOBILE_FOOTER =
  /^(sent from my \S.{0,40}|sent from (mail|outlook|yahoo mail) for \S.{0,30}|sent from (the )?(gmail|outlook|yahoo mail)( app)?|get outlook for \S.{0,20}|发自我的.{1,20}|来自我的.{1,20}|从我的.{1,20}发送)$/iu;

const CLOSING =
  /^(best|best regards|kind regards|warm regards|warmest regards|regards|many thanks|thanks|thanks again|thank you|thank you again|cheers|sincerely|yours sincerely|yours truly|yours|br|此致|此致敬礼|敬礼|谢谢|谢谢您|多谢|感谢|祝好|祝商祺|顺祝商祺|顺颂商祺|顺颂时祺)\s*[,，!！.。~～]*$/iu;

// A closing is only a signature when little follows it: a name, a title, a team, a link.
const CLOSING_MAX_TAIL_LINES = 8;
const CLOSING_MAX_TAIL_LINE_LENGTH = 120;

function findClosing(lines: string[]): number {
  // Only the last few content lines can hold the closing, so they are collected from the end.
  const window: Array<{ l: string; i: number }> = [];
  for (let i = lines.length - 1; i >= 0 && window.length <= CLOSING_MAX_TAIL_LINES; i--) {
    const l = lines[i].trim();
    if (l !== '') window.unshift({ l, i });
  }
  for (let k = 0; k < window.length; k++) {
    if (!CLOSING.test(window[k].l)) continue;
    if (window.slice(k + 1).every((x) => x.l.length <= CLOSING_MAX_TAIL_LINE_LENGTH)) return window[k].i;
  }
  return -1;
}

function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u00a0\u3000]/g, ' ');
}

function tidy(text: string): string {
  return text.replace(/\n{3,}/g, '\n\n').trim();
}
