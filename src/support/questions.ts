/**
 * What a vendor reply asks of us: its questions and polite requests ("Please send us the SDK log.",
 * "请提供日志。"), each with the topic the run's evidence answers it from, in the order asked. What a
 * diligent customer would not answer is left out: offers of more help ("Is there anything else we
 * can help with?", "any questions?"), conditions for later ("if it persists, let us know"), and, on a
 * resolution, checks that the fix worked ("Did this solve your problem?"), which the close-out answers.
 *
 * The classifier reads a reply through the same sentences and tables (requests, kinds of
 * information, generic advice, follow-ups), so "what the reply asks for" has one matcher.
 */
import { extractReplyText, type ReplyText } from '../core/reply-text.ts';
import type { Question, QuestionTopic } from '../core/question.ts';
import { INFO_KINDS, type InfoKind, type TicketFacts } from '../core/ticket-facts.ts';

/**
 * How much of a reply's own text (after quoted history and the signature are removed) is read: 64 KB,
 * counted in characters (UTF-16 code units). A person's reply, even a long one, is a few KB; what
 * is longer is pasted logs or a dump, whose first 64 KB say as much about the reply as the rest. The
 * cap bounds the time one reply holds the event loop. It applies to reading only: callers keep the
 * whole message as evidence, and the verdict says when the text was cut.
 */
export const CLASSIFIED_TEXT_LIMIT = 64 * 1024;

/** A reply's own words as they are read: at most {@link CLASSIFIED_TEXT_LIMIT} of them. */
export interface OwnText {
  /** The reply split into its own words, quoted history and signature. */
  reply: ReplyText;
  /** The first {@link CLASSIFIED_TEXT_LIMIT} characters of `reply.body`, chat headers removed. */
  text: string;
  /** The text was longer than the limit and was cut. */
  cut: boolean;
}

/** Reads a reply's own words: quoted history and signature removed, then cut at the limit. */
export function readOwnText(text: string): OwnText {
  const reply = extractReplyText(text);
  const own = withoutChatHeaders(reply.body);
  return { reply, text: limitText(own, CLASSIFIED_TEXT_LIMIT), cut: own.length > CLASSIFIED_TEXT_LIMIT };
}

/**
 * A support chat pasted into mail carries a header per message ("[钉钉群] 声网-技术支持-阿May 11-30
 * 21:12", "mei.l  6:02 PM", "[企业微信] 拍乐云-技术支持-Leo："): who and when, never what was said, and
 * its time of day is not a time the vendor asks about.
 */
function withoutChatHeaders(body: string): string {
  // Each message is its own sentence: chat lines rarely end in a full stop.
  const ended = (line: string) => (/[.!?。！？…~～]\s*$/u.test(line) || line.trim() === '' ? line : `${line}${/[\u4e00-\u9fff]/u.test(line) ? '。' : '.'}`);
  return body
    .replace(CHAT_HEADER_LINE, '')
    .replace(CHAT_HEADER_PREFIX, '')
    .replace(CHAT_LINE_PREFIX_LINE, (_line, message: string) => ended(message));
}

const CHAT_APPS = String.raw`企业微信群?|钉钉群?|飞书群?|微信群?|WeCom|DingTalk|Lark|Feishu|Slack|Teams|Discord`;
const CHAT_HEADER_LINE = new RegExp(String.raw`^[ \t]*(?:\[(?:${CHAT_APPS})[^\]\n]{0,20}\][^\n]{0,60}?|[\w.\-]{2,30}[ \t]+)(?:\d{1,2}[-/]\d{1,2}[ \t]+)?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*(?:AM|PM))?[ \t]*$`, 'gimu');
// An export's line: "2026-11-29 22:48  声网-技术支持-张工：…", "[Nov 30 17:52:14] Kevin (Agora): …", "12:31  davidz (LiveKit)   …".
const CHAT_LINE_PREFIX_LINE = /^[ \t]*(?:\[[^\]\n]{0,20}\d{1,2}:\d{2}(?::\d{2})?\]|(?:\d{4}-\d{2}-\d{2}[ \t]+)?\d{1,2}:\d{2}(?::\d{2})?)[ \t]+(?:[^\n：:]{1,40}?[：:]|\S[^\n]{0,30}?[ \t]{2,})[ \t]*([^\n]*)$/gmu;
const CHAT_HEADER_PREFIX = new RegExp(String.raw`^[ \t]*\[(?:${CHAT_APPS})[^\]\n]{0,20}\][^\n：:]{0,40}[：:][ \t]*`, 'gimu');

/** One sentence of a reply, or one item of a list. */
export interface Sentence {
  text: string;
  /** Ends in `?`/`？` or `吗`, or opens with `请问`. */
  question: boolean;
  listItem: boolean;
}

/** A sentence as a request: whether it asks for something, and for which kinds of information. */
export interface Ask {
  sentence: Sentence;
  /** A question, a polite request ("please send", "请提供") or an item of a request's list. */
  request: boolean;
  /** An item of the list a request opened ("please provide the following:"). */
  inList: boolean;
  /** A request that opens such a list. */
  opensList: boolean;
  /** The kinds of information it asks for; empty when it is no request. */
  kinds: InfoKind[];
}

/** A phrase of a table, with the words a reason gives for it. */
export interface Phrase {
  pattern: RegExp;
  label: string;
}

/** Options of {@link findQuestions}. */
export interface FindQuestionsOptions {
  /**
   * The reply states the cause or the fix: then "did this solve your problem?" is the close-out's
   * to answer, not a question.
   * @defaultValue `false`
   */
  onResolution?: boolean;
}

/**
 * The questions a vendor reply asks us, in order: one per topic a sentence asks about, a topic
 * asked again later left out. Reads only the reply's own words (quoted history and signature
 * removed), at most {@link CLASSIFIED_TEXT_LIMIT} of them, in time linear in their length.
 */
export function findQuestions(text: string, facts?: TicketFacts, options: FindQuestionsOptions = {}): Question[] {
  return questionsIn(readAsks(splitSentences(readOwnText(text ?? '').text)), facts, options);
}

/** Reads every sentence as a request or not; a list's items follow the request that opened it. */
export function readAsks(sentences: Sentence[]): Ask[] {
  const asks: Ask[] = [];
  let listOpen = false;
  for (const sentence of sentences) {
    const inList: boolean = listOpen && sentence.listItem;
    const request: boolean = inList || sentence.question || REQUEST.test(sentence.text);
    const opensList: boolean = request && !inList && (/[:：]\s*$/.test(sentence.text) || /\b(following|below)\b|以下|如下/iu.test(sentence.text));
    listOpen = inList || opensList;
    asks.push({ sentence, request, inList, opensList, kinds: request ? infoKinds(sentence.text) : [] });
  }
  return asks;
}

/** The questions among requests already read (see {@link findQuestions}). */
export function questionsIn(asks: Ask[], facts: TicketFacts | undefined, options: FindQuestionsOptions = {}): Question[] {
  const questions: Question[] = [];
  const topicsSeen = new Set<string>();
  const othersSeen = new Set<string>();
  const general: string[] = [];
  for (const ask of asks) {
    const text = ask.sentence.text;
    if (!ask.request && !isPoliteActionRequest(text)) continue;
    if (HELP_OFFER.test(text)) continue;
    // "Please provide the following:" asks through its items.
    if (ask.opensList && ask.kinds.length === 0) continue;
    let topics: QuestionTopic[];
    if (CHECK_BACK.test(text)) {
      if (options.onResolution) continue;
      // Whether it still happens, a new run tells; whether their advice helped, only a person can.
      topics = [ADVICE_CHECK.test(text) ? 'other' : 'reproduce'];
    } else topics = topicsOf(ask);
    const asked = questionText(text);
    if (topics[0] === 'other' && ask.kinds.length === 0 && MORE_DETAILS.test(text)) {
      general.push(asked);
      continue;
    }
    for (const topic of topics) {
      // A topic asked again later is answered once; each question only a person can answer counts.
      const seen = topic === 'other' ? othersSeen : topicsSeen;
      const key = topic === 'other' ? asked : topic;
      if (seen.has(key)) continue;
      seen.add(key);
      questions.push({ topic, text: asked, alreadyGiven: topic !== 'other' && topic !== 'reproduce' && (facts?.providedInfo?.includes(topic) ?? false) });
    }
  }
  // "We need a few details from you" introduces the questions that follow; standing alone, it is one.
  if (questions.length === 0) return [...new Set(general)].map((text) => ({ topic: 'other', text, alreadyGiven: false }));
  return questions;
}

/** Whether a sentence is a closing offer of help or a check on whether the problem is gone. */
export function isFollowUp(text: string): boolean {
  return HELP_OFFER.test(text) || CHECK_BACK.test(text);
}

/**
 * A call or a meeting, then running it again, then something to try, are asked before anything a
 * file answers: "run it again with debug logging" wants a new run, not the old logs.
 */
function topicsOf(ask: Ask): QuestionTopic[] {
  const text = ask.sentence.text;
  if (PERSON_ONLY.test(text)) return ['other'];
  if (REPRODUCE.test(text) && !ask.kinds.includes('steps')) return ['reproduce'];
  if (ACTION.test(text)) return ['other'];
  return ask.kinds.length > 0 ? ask.kinds : ['other'];
}

/** "Please try setting X and let us know whether it helps.": a request without a request verb. */
function isPoliteActionRequest(text: string): boolean {
  return POLITE_OPENING.test(text) && ACTION.test(text) && REPORT_BACK.test(text);
}

const QUESTION_TEXT_LIMIT = 300;

function questionText(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= QUESTION_TEXT_LIMIT ? oneLine : `${limitText(oneLine, QUESTION_TEXT_LIMIT - 1)}…`;
}

function infoKinds(sentence: string): InfoKind[] {
  // "Try another browser and let us know" advises; it does not ask which browser was used.
  let text = sentence;
  for (const pattern of GENERIC_ADVICE_ALL) text = text.replace(pattern, ' ');
  return INFO_KINDS.filter((kind) => INFO_PATTERNS[kind].test(text));
}

// ---------------------------------------------------------------------------------------------
// Phrase tables. English patterns use \b; Chinese has no word boundaries.

const REQUEST =
  /\b(please|pls|kindly)\b[^.?!]{0,15}\b(provide|send|share|attach|upload|tell|let (us|me) know|confirm|specify|include|collect|give|advise|forward|export|clarify)\b|\b(could|can|would|will) you\b[^.?!]{0,15}\b(provide|send|share|attach|upload|tell|let (us|me) know|confirm|specify|include|collect|give|advise|forward|export|clarify)\b|\b(we|i)('d| would)?\s*(need|require|like to (have|know|see|get)|want to (know|see))\b|\b(what|which)\s+(is|was|were|are)\s+(the|your)\b|\bmay (we|i) (know|have|ask)\b|请(您|你)?[^。！？，]{0,4}(提供|发送|告知|告诉|上传|附上|确认|说明|补充|发一下|发给|导出)|麻烦(您|你)?[^。！？，]{0,4}(提供|发送|告知|上传|补充|确认|发)|(能否|可否|是否可以|可以)[^。！？，]{0,4}(提供|告知|发送|上传|补充|确认)|需要(您|你)?(提供|补充)|请问/iu;

const INFO_PATTERNS: Record<InfoKind, RegExp> = {
  'sdk-version': /\bsdk\b[^.?!\n]{0,10}\bversions?\b|\bversions? of (the |your )?(agora )?(web )?sdk\b|\b(which|what) (sdk )?version\b|\bversion numbers?\b|sdk\s*版本|版本号|(哪个|什么|哪一个)版本/iu,
  // "The browser console log" asks for a log, not which browser.
  browser: /\bbrowsers?\b(?!\s+(console|cache|tabs?|logs?)\b)|浏览器(?!控制台|缓存|日志)/iu,
  os: /\boperating systems?\b|\bos( version)?\b|\b(windows|macos|mac os|android|ios|linux) version\b|操作系统|系统版本/iu,
  channel: /\bchannels?( name| id)?\b|\broom (name|id)\b|频道|房间(号|名|id)/iu,
  uid: /\buids?\b|\buser ?ids?\b|用户\s*id/iu,
  timestamps: /\btime ?stamps?\b|\bexact times?\b|\bwhat time\b|\bdate and time\b|\bwhen (exactly|did|does) (it|the|this)\b|\btime (when|at which) (it|the|this)\b|\btime ?zone\b|时间点|时间戳|具体(的)?时间|发生(的)?时间|什么时候|何时|几点/iu,
  logs: /\blogs?\b|\blog files?\b|\bconsole (output|logs?)\b|日志/iu,
  screenshots: /\bscreen ?shots?\b|\bscreen (recording|capture)s?\b|\b(video )?recordings?\b|\bscreencasts?\b|截图|截屏|录屏|屏幕录制|录像/iu,
  'app-id': /\bapp ?ids?\b|\bproject ids?\b|应用\s*id|项目\s*id/iu,
  network: /\bnetwork (type|conditions?|environment|info(rmation)?|details|setup|speed|topology|provider)\b|\bbandwidth\b|\bconnection type\b|\bisp\b|\b(wi-?fi|wireless|ethernet|cellular|4g|5g|packet loss)\b|\bwired (connection|network)\b|网络(类型|环境|情况|状况|信息|带宽|运营商)|带宽|运营商|无线网络|有线网络|丢包/iu,
  steps: /\bsteps to reproduce\b|\brepro(duction)? steps\b|\bhow to reproduce\b|\bhow (can|could|do|did) (we|you) reproduce\b|\bsteps\b|步骤|(如何|怎么|怎样)(复现|重现)|复现方法/iu,
};

/** Generic advice: what support asks every customer to do, whatever the ticket says. */
export const GENERIC_ADVICE: Phrase[] = [
  { pattern: /\bcheck\b[^.?!]{0,20}\b(network|internet|connection|wi-?fi|bandwidth|router)\b|\b(stable|good|strong|reliable)\s+(network|internet|connection|wi-?fi)\b|\bensure\b[^.?!]{0,30}\b(network|bandwidth)\b|检查[^。！？]{0,8}网络|网络[^。！？，,]{0,6}(稳定|通畅|正常)|确保[^。！？]{0,10}网络|网络(状况|质量|环境)?(不好|不佳|较差|不稳定)/iu, label: 'check your network' },
  { pattern: /\b(restart|reboot|relaunch|reload|refresh|rejoin|re-join|re-?enter)(ing)?\b|\b(log|sign) out and (back )?in\b|重启|重新(启动|加入|进入|登录|打开|连接)|刷新|退出(后)?(再|重新)/iu, label: 'restart or rejoin' },
  { pattern: /\bclear(ing)?\b[^.?!]{0,20}\b(cache|cookies|browsing data)\b|清(除|理|空)[^。！？]{0,6}缓存/iu, label: 'clear the cache' },
  { pattern: /\b(update|upgrade|updating|upgrading)\b[^.?!]{0,25}\b(sdk|app|application|browser|chrome|client|driver|version|latest)\b|\b(latest|newest|most recent) (version|sdk|release|build)\b|\b(on|to|use) the (latest|newest) [\w.-]*(sdk|client|version|release)\b|(更新|升级)[^。！？]{0,10}(SDK|版本|浏览器|客户端|应用|驱动)|最新(的)?版本/iu, label: 'update the SDK or app' },
  { pattern: /\b(switch|change|try|use|using)\b[^.?!]{0,15}\b(another|a different|different|other|a new)\s+(device|network|browser|computer|laptop|wi-?fi|phone|machine|camera|isp|connection)\b|\b(switch|change) (to )?(wi-?fi|4g|5g|ethernet|a wired|wired)\b|\breinstall\b|(更换|切换|换)(一下|一个|个|用)?[^。！？]{0,4}(设备|网络|浏览器|电脑|手机|wifi|wi-fi|摄像头)|重新安装|重装/iu, label: 'switch device, network or browser' },
  { pattern: /\b(firewall|proxy|vpn)\b|防火墙|代理|vpn/iu, label: 'check firewall, proxy or VPN' },
  { pattern: /\btry (it )?again\b|再试|重试/iu, label: 'try again' },
  { pattern: /\bclose (other|unnecessary|background) (apps|applications|programs|tabs)\b|关闭[^。！？]{0,6}(其他|后台)(程序|应用)/iu, label: 'close other applications' },
];

/** The generic advice patterns, global, to blank every occurrence out of a sentence. */
const GENERIC_ADVICE_ALL: RegExp[] = GENERIC_ADVICE.map(({ pattern }) => new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`));

/** Asks for details in general, not for a kind of information: "we need a few details from you". */
export const MORE_DETAILS =
  /\b(more|further|additional) (details|information|info)\b|\bdescribe (the|your) (issue|problem)\b|\bprovide (some )?details\b|(更多|更详细|详细)(的)?(信息|细节|描述|说明|情况)|详细(描述|说明)|\b(a few|some) (more )?(details|information|info)\b|(一些|几项|部分)(信息|细节|情况)/iu;

/** Offers of more help and conditions for later: never a question to answer now. */
const HELP_OFFER =
  /\banything else\b|\bfurther (questions|assistance)\b|\bfeel free\b|\bhope (this|that|it) helps\b|\bany (other |further |more )?(questions|concerns)\b|\bdon'?t hesitate\b|\blet (us|me) know if you (have|need)\b|\bhow are you\b|\bif\b[^.?!,，]{0,40}\b(persists?|persisting|still|again|recurs?|continues?)\b|还有(其他|什么|别的)(问题|需要)|如有(其他|任何)?(问题|疑问)|随时(联系|与我们联系)|(如果|若是?|假如|万一|倘若|如(?=问题|仍|依然|还|再))[^。！？，]{0,20}(仍|依然|还|再次|继续|又)(然)?(存在|出现|发生|有问题|复现|卡顿)/iu;

/** Whether the problem is gone, or their advice worked. */
const CHECK_BACK =
  /\b(persists?|persisting)\b|\bstill (happening|occurring|experiencing|seeing|see|an issue|there)\b|\b(has|have) (the issue|it|this|the problem) been resolved\b|\bis (it|the issue|the problem) (resolved|fixed|solved)( now)?\b|\b(did|does|has|have) (this|that|it|the (fix|solution|suggestion|workaround|advice|steps?)) (solved?|fix(ed)?|resolved?|help(ed)?|work(ed)?)\b|\bis (it|everything) working (now|again|fine|well)\b|\b(confirm|let us know|tell us) (whether|if) (the issue|the problem|it|this|everything) (is|has been|was) (now )?(resolved|fixed|solved|working)\b|\b(can|may|shall) we close (this|the) (ticket|case|request)\b|(依然|仍然|还|仍)(存在|出现|复现|发生)|是否(已经|已)?解决|解决了吗|可以关闭(此|这个|该)?(工单|请求)/iu;

/** The check-backs about their own advice or closing the ticket. */
const ADVICE_CHECK =
  /\b(did|does|has|have) (this|that|it|the (fix|solution|suggestion|workaround|advice|steps?)) (solved?|fix(ed)?|resolved?|help(ed)?|work(ed)?)\b|\b(can|may|shall) we close\b|可以关闭/iu;

/** Asks for a person: a call, a meeting, a remote session. */
const PERSON_ONLY =
  /\b(schedule|arrange|set up|book|have|hop on|jump on)\b[^.?!]{0,20}\b(call|meeting)\b|\b(phone|video|zoom|teams|conference|online) (call|meeting)\b|\bavailable (for|to) (a )?(call|meeting|chat|talk)\b|电话|通话|会议|约(个|一下)?时间|远程(协助|会议|桌面)/iu;

/** Asks for a new run: reproduce it, with debug logging, on the latest SDK. */
const REPRODUCE =
  /\b(reproduce|reproduced|reproducing|repro|recreate|replicate)\b|\b(run|try|test) (it|this|that|the (test|drill|class|scenario|lesson)) again\b|\b(re-?run|re-?test)\b|\b(try|test)( it)?( again)? (with|on|using) (the )?(latest|newest|new|debug|verbose)\b|\b(with|enable|enabling|turn on)\s+(the\s+)?(debug|verbose|detailed)\s+(log|logs|logging|mode)\b|复现|重现|再(测试|试|跑)一(次|遍|下)|重新(测试|运行|跑)|(开启|打开)[^。！？]{0,6}(调试|详细)(日志|模式)/iu;

const ACTION_VERBS = String.raw`(try|set|change|switch|configure|update|upgrade|downgrade|install|reinstall|disable|enable|turn (on|off)|restart|reboot|clear|apply|test|use)`;

/** Asks us to do something first: try a setting, switch, upgrade. */
const ACTION = new RegExp(
  String.raw`\b(could|can|would|will) you\b[^.?!]{0,12}\b${ACTION_VERBS}\b|\b(please|kindly)\b[^.?!]{0,12}\b${ACTION_VERBS}\b|\btry (setting|changing|switching|using|disabling|enabling|updating|upgrading|another|a different)\b|` +
    String.raw`(能否|可否|是否可以|可以|请|麻烦)(您|你)?[^。！？，]{0,6}(尝试|试一下|试试|设置|修改|调整|更换|切换|升级|更新|降级|安装|关闭|开启|打开|重启|清除|配置)|尝试`,
  'iu',
);

const POLITE_OPENING = /^(please|kindly|could you|can you|would you)\b|^(请|麻烦)/iu;
const REPORT_BACK = /\b(let (us|me) know|tell us|confirm|report back|share the results?)\b|告诉|告知|反馈|回复/iu;

// ---------------------------------------------------------------------------------------------
// Sentences

const LIST_ITEM = /^\s*([-*•·●]|\d{1,2}[.)、]|[（(]\d{1,2}[)）]|[a-z][.)])\s*\S/iu;

/** Splits a reply's own words into sentences and list items, hard-wrapped lines joined first. */
export function splitSentences(body: string): Sentence[] {
  const sentences: Sentence[] = [];
  for (const { line, listItem } of unwrapLines(body)) {
    for (const part of line.split(/(?<=[.!?])\s+|(?<=[。！？；])/u)) {
      const text = part.trim();
      if (text === '') continue;
      sentences.push({ text, question: /[?？]\s*$|吗[。.]?$/u.test(text) || /^请问/u.test(text), listItem });
    }
  }
  return sentences;
}

// Both are tested on one character: the last of a line.
const WIDE_CHARACTER = /[\u3000-\u9fff\uff00-\uffef]/u;
const ENDS_SENTENCE = /[.!?。！？:：;；]/u;

/**
 * Joins hard-wrapped lines (plain-text mail wraps at ~72 columns) back into their sentences. Only
 * the last character of the previous line decides how to join, so that is all that is looked at:
 * testing the paragraph joined so far would make a long paragraph quadratic.
 */
function unwrapLines(body: string): Array<{ line: string; listItem: boolean }> {
  const out: Array<{ parts: string[]; listItem: boolean }> = [];
  let previousEnded = true;
  let previousWide = false;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      previousEnded = true;
      continue;
    }
    const listItem = LIST_ITEM.test(line);
    const last = out[out.length - 1];
    // Chinese runs on without a space where a line was wrapped; other scripts take one.
    if (last && !previousEnded && !listItem) last.parts.push(previousWide ? line : ` ${line}`);
    else out.push({ parts: [line], listItem });
    const lastCharacter = line[line.length - 1];
    previousEnded = ENDS_SENTENCE.test(lastCharacter);
    previousWide = WIDE_CHARACTER.test(lastCharacter);
  }
  return out.map(({ parts, listItem }) => ({ line: parts.join(''), listItem }));
}

/** The first `limit` characters of `text`, without splitting a surrogate pair. */
export function limitText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const code = text.charCodeAt(limit - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit);
}

