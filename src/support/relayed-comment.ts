/**
 * A help desk's notification e-mail that relays a person's comment. Zendesk, Freshdesk and Jira
 * Service Management mail the customer every agent comment wrapped in a machine's envelope: a
 * "reply above this line" marker, `Auto-Submitted`/bulk headers, the comment's author and its own
 * timestamp, then the footer and older comments. The envelope is a machine's; the comment is not:
 * the comment decides the reply's kind, and its timestamp — not the mail's — is when the vendor
 * wrote it.
 */

/** The comment a notification relays. */
export interface RelayedComment {
  /** The comment's own text, without the envelope, the footer or the older comments. */
  text: string;
  /** Who wrote it, as the notification names them (`Li Wei (Agora Support)`). */
  author: string | null;
  /** When the comment was written, ISO-8601 UTC, if the notification gives a time with its zone. */
  writtenAt: string | null;
  /** The notification's line with that time, as written. */
  writtenLine: string | null;
}

/**
 * The latest comment a notification relays, or `null` when the text is not such a notification:
 * it needs the desk's "reply above this line" marker or an "X commented:" line, then an author
 * line or a timestamp line before the comment.
 */
export function findRelayedComment(text: string): RelayedComment | null {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  // Envelope lines are short; testing only those keeps a pasted 64 KB log line linear.
  const short = (l: string) => l.length <= 200;
  const above = lines.findIndex((l) => short(l) && REPLY_ABOVE.test(l));
  // Tencent Cloud has no marker: "您的工单（工单号：48501）有新的回复：" opens the envelope.
  const marker = above !== -1 ? above : lines.slice(0, 10).findIndex((l) => short(l) && NEW_REPLY.test(l));
  const labelled = labelledReply(lines);
  if (labelled) return labelled;
  // "Your request has been received…" with the customer's own text below: an acknowledgement, not a relay.
  if (lines.slice(0, 12).some((l) => short(l) && RECEIVED.test(l))) return null;
  const commented = lines.findIndex((l, i) => i > marker && short(l) && (COMMENTED.test(l.trim()) || ADDED_BY.test(l.trim())));
  if (marker === -1 && commented === -1) return null;

  let author: string | null = null;
  let writtenLine: string | null = null;
  let writtenAt: string | null = null;
  let start = -1;
  const from = commented !== -1 ? commented + 1 : marker + 1;
  if (commented !== -1) {
    const line = lines[commented]!.trim();
    const added = ADDED_BY.exec(line);
    // Salesforce: "A new comment was added to your case by Jonathan Price on 11/30/2026 9:41 AM PST:".
    if (added) {
      const at = parseWrittenAt(line);
      return relayedFrom(lines, from, added[1]!.trim(), at ?? null, at === undefined ? null : line);
    }
    const m = COMMENTED.exec(line)!;
    author = (m[1] ?? m[3] ?? m[5] ?? m[7] ?? m[9] ?? m[11] ?? '').trim() || null;
    start = from;
    // Freshdesk's "刘芳 于 2026年12月1日 18:02 (GMT+08:00) 回复：" carries its time on the same line.
    if (m[5] !== undefined || m[7] !== undefined) {
      const at = parseWrittenAt(line);
      if (at !== undefined) return relayedFrom(lines, from, author, at, line);
    }
  }
  // Author and time come within the first lines of the envelope, in either order or on one line;
  // after "X commented:" the time may follow at once, or not at all.
  for (let i = from; i < Math.min(lines.length, from + 14); i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    // After "X commented:", the first line of text is the comment itself, however long.
    if (commented !== -1 && line.length > 200) break;
    if (line.length > 200 || ENVELOPE.test(line)) continue;
    const at = parseWrittenAt(line);
    if (at === undefined) {
      if (commented !== -1) break;
      continue;
    }
    writtenLine = line;
    writtenAt = at;
    const before = line.slice(0, Math.max(0, line.search(DATE_START))).replace(/[,，|·\s-]+$/u, '').trim();
    author ??= before || previousNonBlank(lines, i, from);
    start = i + 1;
    break;
  }
  if (start === -1) return null;
  return relayedFrom(lines, start, author, writtenAt, writtenLine);
}

function relayedFrom(lines: string[], start: number, author: string | null, writtenAt: string | null, writtenLine: string | null): RelayedComment | null {
  const body: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    // A time line after the text: Jira signs a comment with its time below it; else an older comment begins.
    // A `>` line is a note the comment quotes, with its own time: the comment goes on after it.
    // A bullet or a sentence that mentions a time ("· 2026-11-30 19:47:40（北京时间）起约 45 秒，…") is the
    // comment's text; a signature is a name and the time ("王磊，2026/11/30 下午6:12（GMT+08:00）").
    const trimmed = line.trim();
    const signature = trimmed.length < 80 && !/^\s*[>·•▪*▍-]/u.test(line) && !/[。；]/u.test(line) && trimmed.replace(DATE_START, '').length <= 50;
    const at = signature && body.some((l) => l.trim() !== '') ? parseWrittenAt(trimmed) : undefined;
    if (at !== undefined) {
      if (writtenLine === null) {
        writtenAt = at;
        writtenLine = line.trim();
      }
      break;
    }
    if (line.length <= 200 && FOOTER.test(line.trim())) {
      // Jira Service Management may date the comment only in its footer: "… sent you this message. 30/Nov/26 6:14 AM EST".
      // Or below the older comments, beside its author's name: "Priya Nair — 30 Nov 2026 11:02 AM UTC".
      const signed = (l: string) => author !== null && l.length <= 120 && l.trim().startsWith(author) && parseWrittenAt(l.trim()) !== undefined;
      const dated = writtenLine === null ? (lines.slice(i, i + 12).find((l) => l.length <= 200 && SENT_YOU.test(l)) ?? lines.slice(i).find(signed)) : undefined;
      const footerAt = dated === undefined ? undefined : parseWrittenAt(dated.trim());
      if (dated !== undefined && footerAt !== undefined) {
        writtenAt = footerAt;
        writtenLine = dated.trim();
      }
      break;
    }
    body.push(line);
  }
  const comment = body.join('\n').trim();
  if (comment === '') return null;
  return { text: comment, author, writtenAt, writtenLine };
}

/** Chinese desks label the parts: "回复人：…", "回复时间：…", "回复内容：" and the comment below. */
function labelledReply(lines: string[]): RelayedComment | null {
  // 【工程师回复】2026-12-01 20:16:08（北京时间）, the comment on the next lines.
  // 【自动回复】 is an auto-reply's own label, not a comment's.
  const bracketed = lines.findIndex((l) => /^\s*【(?![^】]*自动)[^】]{0,8}(回复|答复|评论)】/u.test(l));
  if (bracketed !== -1) {
    const line = lines[bracketed]!;
    const at = parseWrittenAt(line);
    const author = /【([^】]*?)(回复|答复|评论)】/u.exec(line)?.[1] || null;
    return relayedFrom([line.replace(/^\s*【[^】]*】\s*[(（]?[^)）]*[)）]?\s*/u, ''), ...lines.slice(bracketed + 1)], 0, author, at ?? null, at === undefined ? null : line.trim());
  }
  // ServiceNow: "Additional comments:", then "2026-12-01 17:45:12 (GMT+8) - Wang Fang (R&D)", then the comment.
  const additional = lines.findIndex((l) => /^\s*(additional comments|comments|附加注释|其他注释)\s*[:：]\s*$/iu.test(l));
  if (additional !== -1) {
    const next = lines.slice(additional + 1).findIndex((l) => l.trim() !== '');
    const head = next === -1 ? '' : lines[additional + 1 + next]!.trim();
    const at = parseWrittenAt(head);
    if (at !== undefined) {
      const author = /\s[-–—]\s+(.{1,60})$/u.exec(head)?.[1]?.trim() ?? null;
      return relayedFrom(lines, additional + 2 + next, author, at, at === null ? null : head);
    }
  }
  // Salesforce: "Comment by: …", "Created: 12/1/2026 8:30 PM PST", then the comment.
  const by = lines.findIndex((l) => /^\s*comment(ed)? by\s*:/iu.test(l));
  if (by !== -1) {
    const created = lines.slice(by + 1, by + 3).findIndex((l) => /^\s*(created|date|posted)\s*:/iu.test(l));
    const timeLine = created === -1 ? null : lines[by + 1 + created]!.trim();
    const at = timeLine ? parseWrittenAt(timeLine) : undefined;
    const body = lines.slice(by + 1 + (created === -1 ? 0 : created + 1)).map((l) => l.replace(/^\s*"|"\s*$/g, ''));
    return relayedFrom(body, 0, lines[by]!.replace(/^\s*comment(ed)? by\s*:\s*/iu, '').trim() || null, at ?? null, at === undefined ? null : timeLine);
  }
  const content = lines.findIndex((l) => /^\s*(回复内容|评论内容|处理意见|回复详情|内容)\s*[:：]/u.test(l));
  if (content === -1) return botRelay(lines);
  const head = lines.slice(Math.max(0, content - 8), content);
  const author = head.map((l) => /^\s*(回复人|处理人|回复者)\s*[:：]\s*(.+)$/u.exec(l)?.[2]?.trim()).find((a) => a) ?? null;
  const timeLine = head.map((l) => /^\s*(回复时间|处理时间)\s*[:：]\s*(.+)$/u.exec(l)?.[2]?.trim()).find((t) => t) ?? null;
  const at = timeLine ? parseWrittenAt(timeLine) : undefined;
  const rest = afterLabel(lines[content]!);
  const relayed = relayedFrom([rest, ...lines.slice(content + 1)], 0, author, at ?? null, at === undefined ? null : timeLine);
  return relayed;
}

/**
 * A chat bot's relay (企业微信, 钉钉): "回复人：研发-刘洋", "时间：2026-12-01 15:22（北京时间）", then the
 * comment, often as `>` lines, which would otherwise read as quoted history.
 */
function botRelay(lines: string[]): RelayedComment | null {
  // "处理人：" alone is an assignment notice: only a reply's author opens a relayed comment.
  const by = lines.findIndex((l) => /^\s*(回复人|回复者)\s*[:：]\s*\S/u.test(l));
  if (by === -1) return null;
  const timeAt = lines.slice(by + 1, by + 3).findIndex((l) => /^\s*(回复时间|处理时间|时间)\s*[:：]/u.test(l));
  const timeLine = timeAt === -1 ? null : afterLabel(lines[by + 1 + timeAt]!);
  const at = timeLine ? parseWrittenAt(timeLine) : undefined;
  const body = lines.slice(by + 1 + (timeAt === -1 ? 0 : timeAt + 1)).map((l) => l.replace(/^\s*>\s?/u, ''));
  return relayedFrom(body, 0, afterLabel(lines[by]!) || null, at ?? null, at === undefined ? null : timeLine);
}

/** A labelled line's value: "回复人：研发-刘洋" → "研发-刘洋". */
function afterLabel(line: string): string {
  return line.replace(/^\s*\S+?\s*[:：]\s*/u, '').trim();
}

function previousNonBlank(lines: string[], index: number, from: number): string | null {
  for (let i = index - 1; i >= from; i--) {
    const line = lines[i]!.trim();
    if (line !== '' && !ENVELOPE.test(line)) return line;
  }
  return null;
}

const SENT_YOU = /\bsent you this (message|e-?mail|notification)\b/iu;

const NEW_REPLY = /(您的)?(工单|请求)[^。]{0,20}有新(的)?(回复|评论)|\b(your )?(request|ticket|case)\b[^.]{0,30}\bhas a new (reply|comment|response)\b/iu;

const RECEIVED = /\b(has been|was) (received|created|submitted|logged)\b|已(收到|创建|提交|受理)(您的)?(工单|请求)/iu;

const REPLY_ABOVE =
  /##-[^#]*(reply|回复|答复)[^#]*-##|\b(reply|respond|write) above this line\b|(请在|请于)?此(行|线)(以|之)?上(方)?(输入|填写|书写|撰写)?(您的)?(回复|答复)|(回复|答复)(请)?(写|填)在此(行|线)(以|之)?上/iu;

// Not "On … X wrote:": that is quoted history, which the classifier strips.
const ADDED_BY = /^(?:a )?new (?:comment|reply|response) (?:was|has been) (?:added|posted) to your (?:case|ticket|request) by (.{1,60}?) (?:on|at) .{6,60}:\s*$/iu;

const COMMENTED =
  /^(?!on\s)([^<>@\n]{1,60}?)\s+(commented|replied|added a comment|responded)\s*:?\s*$|^(.{1,40}?)\s*(评论了|回复了|添加了评论|发表了评论)\s*[:：]?\s*$|^([^<>@\n]{1,40}?)\s*(?:于|,|，)\s*[^<>@\n]{6,60}?\s*(回复|评论|答复|replied|commented|responded)\s*[:：]?\s*$|^(?!on\s)([^<>@\n]{1,40}?)\s+(replied|commented|responded)\s+(?:on|at)\s+[^<>@\n]{6,60}?\s*[:：]?\s*$|^(?!on\s)([^<>@\n]{1,40}?)\s+(replied|commented|responded) (?:to|on) your (?:ticket|request|case)\b[^<>@\n]{0,20}?[:：]?\s*$|^(.{1,30}?)\s*(回复了|评论了)(?:您的)?(?:工单|请求)[^\n]{0,40}[:：]\s*$/iu;

// Lines of the envelope above the comment: "Your request (48213) has been updated…".
const ENVELOPE =
  /\b(your (request|ticket|case)|request|ticket)\b[^.]{0,40}\b(has been|was) (updated|commented|replied)\b|\bto add (additional|further) comments\b|\breply to this (e-?mail|message)\b|\b(new|latest) (comment|reply|response)\b|(您的)?(工单|请求)[^。]{0,20}(有(新的)?(更新|回复|评论)|已更新)|如需(补充|添加|回复)/iu;

const FOOTER =
  /^[-_=—–~*]{6,}$|^(this (e-?mail|message) is a service from|delivered by (zendesk|freshdesk)|powered by|view (request|ticket|this request)|turn off this request's notifications|you are receiving this|sent (on|by)\b|manage (your )?notifications|\[[0-9a-z]{4,}-[0-9a-z]{4,}\])|^(click here to view|you can check the status|please do not change the subject|this (e-?mail|notification) was sent by|ref:_)|^(status|case status)\s*:|^\[?(查看详情|在工单系统中查看)|^(本邮件由|查看工单|查看请求|退订|此邮件由|请登录|您可以登录|登录[^。]{0,12}(查看|回复)|工单状态|如需继续沟通)/iu;

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

const MONTH = String.raw`(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?`;
const CLOCK = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm|上午|下午)?`;
const ZONE = String.raw`(?:[,，]?\s*[(（]?\s*(utc|gmt|z|北京时间|中国标准时间|beijing time|cst\s*[(（]\s*(?:china|中国标准时间)\s*[)）]|cst|cet|cest|ist|pst|pdt|est|edt|jst|sgt|hkt)?\s*([+-]\s*\d{1,2}(?::?\d{2})?)?\s*[)）]?)`;

/** Zone abbreviations desks print, as minutes east of UTC. */
const ZONE_OFFSETS: Record<string, number> = { cet: 60, cest: 120, ist: 330, pst: -480, pdt: -420, est: -300, edt: -240, jst: 540, sgt: 480, hkt: 480 };

const DATE_PATTERNS: { pattern: RegExp; parts: (m: RegExpExecArray) => { y: number; mo: number; d: number; clock: number } }[] = [
  // Nov 29, 2026, 15:42 UTC · November 29, 2026 at 3:42 PM GMT+8
  { pattern: new RegExp(String.raw`\b${MONTH}\s+(\d{1,2}),?\s+(\d{4}),?\s*(?:at\s+)?${CLOCK}\s*${ZONE}`, 'iu'), parts: (m) => ({ y: +m[3]!, mo: MONTHS[m[1]!.slice(0, 3).toLowerCase()]!, d: +m[2]!, clock: 4 }) },
  // 29 Nov 2026, 15:42 GMT
  { pattern: new RegExp(String.raw`\b(\d{1,2})\s+${MONTH},?\s+(\d{4}),?\s*(?:at\s+)?${CLOCK}\s*${ZONE}`, 'iu'), parts: (m) => ({ y: +m[3]!, mo: MONTHS[m[2]!.slice(0, 3).toLowerCase()]!, d: +m[1]!, clock: 4 }) },
  // 2026-11-29 15:42 UTC · 2026/11/29 23:42 (UTC+8)
  { pattern: new RegExp(String.raw`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T,]*${CLOCK}\s*${ZONE}`, 'iu'), parts: (m) => ({ y: +m[1]!, mo: +m[2]! - 1, d: +m[3]!, clock: 4 }) },
  // Salesforce: 11/30/2026 9:41 AM PST (month first, as it prints for US locales)
  { pattern: new RegExp(String.raw`\b(\d{1,2})/(\d{1,2})/(\d{4}),?\s+${CLOCK}\s*${ZONE}`, 'iu'), parts: (m) => ({ y: +m[3]!, mo: +m[1]! - 1, d: +m[2]!, clock: 4 }) },
  // Jira: 30/Nov/26 1:02 PM (UTC)
  { pattern: new RegExp(String.raw`\b(\d{1,2})/${MONTH}/(\d{2}|\d{4})\s+${CLOCK}\s*${ZONE}`, 'iu'), parts: (m) => ({ y: m[3]!.length === 2 ? 2000 + +m[3]! : +m[3]!, mo: MONTHS[m[2]!.slice(0, 3).toLowerCase()]!, d: +m[1]!, clock: 4 }) },
  // 2026年11月29日 23:42 (UTC+8) · 2026年11月29日 下午11:42
  { pattern: new RegExp(String.raw`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:星期.|周.)?\s*${CLOCK}\s*${ZONE}`, 'iu'), parts: (m) => ({ y: +m[1]!, mo: +m[2]! - 1, d: +m[3]!, clock: 4 }) },
];

const DATE_START = new RegExp(DATE_PATTERNS.map((p) => p.pattern.source.replace(/^\\b/, '')).join('|'), 'iu');

/**
 * A notification's timestamp line as ISO-8601 UTC; `undefined` when the line holds no date and time,
 * `null` when it does but without a zone (no instant can be told from it).
 */
export function parseWrittenAt(line: string): string | null | undefined {
  // Chinese puts 上午/下午 before the clock: "下午11:42" reads as "11:42 下午".
  const normal = line.replace(/(上午|下午|晚上)\s*(\d{1,2}:\d{2}(?::\d{2})?)/u, (_, half: string, clock: string) => `${clock} ${half === '上午' ? '上午' : '下午'}`);
  for (const { pattern, parts } of DATE_PATTERNS) {
    const m = pattern.exec(normal);
    if (!m) continue;
    const { y, mo, d, clock } = parts(m);
    let hour = +m[clock]!;
    const minute = +m[clock + 1]!;
    const second = m[clock + 2] ? +m[clock + 2]! : 0;
    const half = m[clock + 3]?.toLowerCase();
    if ((half === 'pm' || half === '下午') && hour < 12) hour += 12;
    if ((half === 'am' || half === '上午') && hour === 12) hour = 0;
    const zoneName = m[clock + 4]?.toLowerCase();
    const chineseDesk = /[\u4e00-\u9fff]/u.test(line);
    const offsetText = m[clock + 5]?.replace(/\s/g, '');
    let offsetMinutes: number | null = null;
    if (offsetText) {
      const o = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(offsetText);
      if (o) offsetMinutes = (o[1] === '-' ? -1 : 1) * (+o[2]! * 60 + (o[3] ? +o[3] : 0));
    } else if (zoneName === 'utc' || zoneName === 'gmt' || zoneName === 'z') offsetMinutes = 0;
    else if (zoneName && /北京|beijing|china|中国/.test(zoneName)) offsetMinutes = 8 * 60;
    // CST is China's on a Chinese desk, and America's Central elsewhere: only the former is read.
    else if (zoneName === 'cst') offsetMinutes = chineseDesk ? 8 * 60 : null;
    else if (zoneName && zoneName in ZONE_OFFSETS) offsetMinutes = ZONE_OFFSETS[zoneName]!;
    // A Chinese desk prints Beijing time and says so nowhere: "腾讯云技术专家 何工  2026-12-02 10:05:32".
    else if (!zoneName && chineseDesk) offsetMinutes = 8 * 60;
    if (offsetMinutes === null) return null;
    const ms = Date.UTC(y, mo, d, hour, minute, second) - offsetMinutes * 60_000;
    return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  }
  return undefined;
}
