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
  /** Removed quoted history (earlier messages of the thread), empty when there was none. */
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
  const quoted = cut === -1 ? [] : lines.slice(cut);
  const kept: string[] = [];
  for (const line of own) {
    if (/^\s*>/.test(line)) quoted.unshift(line);
    else if (!ZENDESK_MARKER.test(line)) kept.push(line);
  }
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
const ZENDESK_MARKER = /^\s*##-.*(reply above this line|在此行上方回复).*-##\s*$/iu;

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
      const next = lines.slice(i + 1).find((l) => l.trim() !== '') ?? '';
      if (EN_FROM.test(next) || ZH_FROM.test(next)) return i;
    }
  }
  return -1;
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
  const contentLines = lines.map((l, i) => ({ l: l.trim(), i })).filter((x) => x.l !== '');
  const window = contentLines.slice(-(CLOSING_MAX_TAIL_LINES + 1));
  for (const { l, i } of window) {
    if (!CLOSING.test(l)) continue;
    const tail = contentLines.filter((x) => x.i > i);
    if (tail.every((x) => x.l.length <= CLOSING_MAX_TAIL_LINE_LENGTH)) return i;
  }
  return -1;
}

function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u00a0\u3000]/g, ' ');
}

function tidy(text: string): string {
  return text.replace(/\n{3,}/g, '\n\n').trim();
}
