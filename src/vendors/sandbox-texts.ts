/**
 * What the sandbox desk's agents write: the words of each step of a persona's script on one ticket,
 * in English or Chinese, referring to the ticket's specifics where a person would. The questions the
 * talking personas ask are each a sentence of their own, worded as the question detector expects
 * (the phrase contract in the conversation notes); a change here is a change to that contract.
 */
import { type AuthorRole } from '../core/reply.ts';
import { type TicketFactsInput } from './adapter.ts';
import { type Language, type PersonaName, type ScriptStep } from './sandbox-personas.ts';

/** The desk ticket a step is written on, as far as the words depend on it. */
export interface PersonaTicket {
  /** The id the desk shows, `SBX-1001`. */
  deskId: string;
  number: number;
  /** Whose words: a persona with texts of its own for a step uses them, any other the responsive flow's. */
  persona?: PersonaName;
  language: Language;
  seed?: number;
  facts: TicketFactsInput;
}

/** The customer's message a step answers, as far as the words depend on it. */
export interface AnsweredMessage {
  /** The attached files' names. */
  attachments: string[];
}

export interface StepEvent {
  authorName: string;
  authorRole: AuthorRole;
  automated?: boolean;
  text?: string;
  statusChange?: string;
}

/** What a reply may refer to; each piece is absent when the ticket did not give it. */
interface ReplyContext {
  deskId: string;
  ref: string;
  agent: string;
  channel?: string;
  time?: string;
  duration?: string;
  /** The first-line agent on the ticket (who wrote the canned reply or the first question). */
  firstLine: string;
  /** The log files of the customer's message the step answers. */
  logs: string[];
}

const DESK_NAME: Record<Language, string> = { en: 'Sandbox Support Desk', zh: '沙箱技术支持中心' };
const FIRST_LINE: Record<Language, string[]> = { en: ['Jamie Park', 'Priya Nair', 'Tom Becker'], zh: ['王芳', '刘洋', '陈静'] };
const ENGINEERS: Record<Language, string[]> = { en: ['Alex Chen', 'Maria Lopez', 'Daniel Okafor'], zh: ['李娜', '张伟', '赵磊'] };

type Template = (c: ReplyContext) => string;

const ACK: Record<Language, Template[]> = {
  en: [
    (c) =>
      `Your request (${c.deskId}) has been received and is being reviewed by our support staff.\n\n` +
      `To add additional comments, reply to this message. This is an automated message.`,
  ],
  zh: [(c) => `您的工单（${c.deskId}）已收到，我们的技术支持团队将尽快处理。\n\n此消息为系统自动发送，请勿直接回复。`],
};

// Generic on purpose: nothing from the ticket, the advice every first line gives.
const CANNED: Record<Language, Template[]> = {
  en: [
    (c) =>
      `Hello,\n\nThank you for contacting us. Please check your network connection and make sure it is stable, ` +
      `then restart the app and rejoin the class. Clearing the browser cache and updating to the latest SDK version ` +
      `also helps in most cases.\n\nLet us know if the issue persists.\n\nBest regards,\n${c.agent}`,
    (c) =>
      `Hi there,\n\nSorry to hear about the trouble. Please try a different network or device, close other applications, ` +
      `and make sure you are on the latest version of the SDK. A restart of the browser also clears most of these problems.\n\n` +
      `Thank you for your patience,\n${c.agent}`,
  ],
  zh: [
    (c) =>
      `您好，\n\n感谢您的反馈。请检查您的网络连接是否稳定，然后重启应用并重新加入课堂。清除浏览器缓存、升级到最新版本的 SDK 通常也能改善这类问题。\n\n` +
      `如问题仍然存在，请随时与我们联系。\n\n${c.agent}`,
    (c) => `您好，\n\n建议您更换网络或设备后再试，并关闭其他后台应用，同时升级到最新版本的 SDK。\n\n感谢您的耐心与理解！\n\n${c.agent}`,
  ],
};

// Engages with the ticket: its channel, time and freeze duration, and a question the ticket leaves open.
const HUMAN: Record<Language, Template[]> = {
  en: [
    (c) =>
      `Hi,\n\nThis is ${c.agent} from the media engineering team; I have taken over ${c.deskId} (${c.ref}). ` +
      `I went through our records for ${c.channel ? `channel ${c.channel}` : 'the channel in your ticket'}` +
      `${c.time ? ` around ${c.time}` : ''}: the teacher's connection stayed up, but no video frames reached the students ` +
      `for ${c.duration ?? 'the whole episode'}, which matches the freeze episodes table in your ticket.\n\n` +
      // Answerable from the run's evidence, so that the default demo shows a question answered (the versions point back to the ticket).
      `One question to narrow it down: which browser version and SDK version was the teacher on${c.time ? ` at ${c.time}` : ''}?\n\n${c.agent}`,
    (c) =>
      `Hello,\n\n${c.agent} here, media engineering, on ${c.deskId} (${c.ref}). Our server-side stats for ` +
      `${c.channel ? `channel ${c.channel}` : 'the channel in your ticket'} show the teacher's video bitrate dropping to 0 kbps` +
      `${c.time ? ` at ${c.time}` : ''} for ${c.duration ? `about ${c.duration}` : 'the whole episode'} while audio kept flowing, ` +
      `which points at the sending side rather than the students' networks.\n\n` +
      `Could you send us the browser console log of the teacher's tab from that moment?\n\n${c.agent}`,
  ],
  zh: [
    (c) =>
      `您好，我是媒体技术工程师${c.agent}，${c.deskId}（${c.ref}）由我跟进。\n\n` +
      `我们查看了${c.channel ? `频道 ${c.channel} ` : '该频道'}${c.time ? `在 ${c.time} 前后` : '当时'}的服务端数据：老师端连接一直正常，` +
      `但学生端${c.duration ? `有 ${c.duration} ` : '在整个卡顿期间'}没有收到任何视频帧，与您工单中的卡顿记录一致。\n\n` +
      `请问老师端当时使用的浏览器版本和 SDK 版本是什么？\n\n${c.agent}`,
    (c) =>
      `您好，我是${c.agent}，负责跟进 ${c.deskId}（${c.ref}）。\n\n` +
      `从服务端统计来看，${c.channel ? `频道 ${c.channel} ` : '该频道'}中老师的视频码率${c.time ? `在 ${c.time} ` : ''}降为 0 kbps，` +
      `持续${c.duration ? `约 ${c.duration}` : '了整个卡顿期间'}，音频没有中断，更像是发送端的问题，而不是学生的网络。\n\n` +
      `麻烦提供一下老师端当时的浏览器控制台日志？\n\n${c.agent}`,
  ],
};

// States a root cause and a fix, unhedged, so it reads as a resolution.
const RESOLUTION: Record<Language, Template[]> = {
  en: [
    (c) =>
      `Hi,\n\n${c.agent} again with the outcome for ${c.deskId}. Root cause: a video forwarding worker on the edge node ` +
      `serving ${c.channel ? `channel ${c.channel}` : 'your channel'} stalled${c.time ? ` at ${c.time}` : ''} ` +
      `and held back the teacher's frames for ${c.duration ?? 'the whole episode'}. We have deployed a fix to that edge cluster, ` +
      `so new classes are no longer affected.\n\nI am marking this ticket as solved; reply here if you see it again.\n\n${c.agent}`,
    (c) =>
      `Hello,\n\nWe have identified the root cause of the freeze in ${c.channel ? `channel ${c.channel}` : 'your channel'}: ` +
      `the teacher's video track was renegotiated by our gateway${c.time ? ` at ${c.time}` : ''}, and the students' ` +
      `subscriptions stayed on the old track for ${c.duration ?? 'the whole episode'}. The fix has been deployed to all regions.\n\n` +
      `I am setting ${c.deskId} to solved.\n\n${c.agent}`,
  ],
  zh: [
    (c) =>
      `您好，${c.deskId} 的排查结果如下。\n\n根本原因是服务${c.channel ? `频道 ${c.channel} ` : '该频道'}的边缘节点上视频转发进程` +
      `${c.time ? `在 ${c.time} ` : ''}发生阻塞，导致老师的视频帧${c.duration ? `被积压了 ${c.duration}` : '在整个卡顿期间被积压'}。` +
      `我们已经修复该问题并部署到所有边缘节点，新的课堂不会再受影响。\n\n本工单将标记为已解决，如再次出现请直接回复。\n\n${c.agent}`,
    (c) =>
      `您好，\n\n问题已定位：原因是我们的网关${c.time ? `在 ${c.time} ` : ''}对${c.channel ? `频道 ${c.channel} ` : '该频道'}中老师的视频轨道做了重新协商，` +
      `学生端的订阅停留在旧轨道上，画面因此停住了${c.duration ? ` ${c.duration}` : ''}。修复已经上线到所有区域。\n\n${c.agent}`,
  ],
};

// ── the talking personas ─────────────────────────────────────────────────────────────────────────────

/** Who on the desk writes a step: the first-line agent of the ticket or its engineer. */
type Author = 'first-line' | 'engineer';

/** How one step reads: its author, its words, and whether it leaves the ticket waiting on the customer. */
interface Voice {
  by: Author;
  texts: Record<Language, Template[]>;
  /** The step asks the customer and waits for the answer: the desk sets the ticket `pending`, as help desks do. */
  asks?: boolean;
}

const channelEn = (c: ReplyContext) => (c.channel ? `channel ${c.channel}` : 'the channel in your ticket');
const atEn = (c: ReplyContext) => (c.time ? ` at ${c.time}` : '');
const forEn = (c: ReplyContext) => (c.duration ? `for ${c.duration}` : 'for the whole episode');
const channelZh = (c: ReplyContext) => (c.channel ? `频道 ${c.channel} ` : '该频道');
const atZh = (c: ReplyContext) => (c.time ? `在 ${c.time} ` : '');
const logsEn = (c: ReplyContext) => (c.logs.length > 0 ? ` (${c.logs.join(', ')})` : '');
const logsZh = (c: ReplyContext) => (c.logs.length > 0 ? `（${c.logs.join('、')}）` : '');

/** The phrase contract's log request, word for word. */
const ASK_LOGS: Record<Language, string> = {
  en: "Could you please send us the SDK log and the browser console log from the teacher's machine?",
  zh: '麻烦提供一下老师端的 SDK 日志和浏览器控制台日志？',
};

// First line asks for the logs before anyone looks at the ticket: nothing of its specifics.
const ASK_FOR_LOGS: Voice = {
  by: 'first-line',
  asks: true,
  texts: {
    en: [
      (c) =>
        `Hello,\n\nThank you for reaching out about ${c.deskId}. Before our engineers can analyse a video freeze, ` +
        `they need the client-side logs of the session.\n\n${ASK_LOGS.en}\n\nYou can attach them to a reply to this ticket.\n\n` +
        `Best regards,\n${c.agent}`,
    ],
    zh: [
      (c) =>
        `您好，\n\n感谢您的反馈，工单 ${c.deskId} 由我跟进。为了分析这次视频卡顿，工程师需要当时的客户端日志。\n\n${ASK_LOGS.zh}\n\n` +
        `直接回复本工单并附上日志文件即可。\n\n${c.agent}`,
    ],
  },
};

const REASK_FOR_LOGS: Voice = {
  by: 'first-line',
  asks: true,
  texts: {
    en: [
      (c) =>
        `Hello,\n\nThank you for your reply. Unfortunately no log file came with it, and without the logs our engineers ` +
        `cannot start the analysis.\n\n${ASK_LOGS.en}\n\nBest regards,\n${c.agent}`,
    ],
    zh: [(c) => `您好，\n\n感谢您的回复。不过回复中没有看到日志附件，缺少日志的话工程师暂时无法开始分析。\n\n${ASK_LOGS.zh}\n\n${c.agent}`],
  },
};

// Asks again for what the ticket already gave: the channel, the uid and the time.
const ASK_WHAT_WAS_GIVEN: Voice = {
  by: 'first-line',
  asks: true,
  texts: {
    en: [
      (c) =>
        `Hello,\n\nThank you for contacting us about the video freeze. To find the session in our records we need a few details ` +
        `from you.\n\nWhat is the channel name and the uid of the teacher?\nAt what time exactly did the freeze start, and in which timezone?\n\n` +
        `Best regards,\n${c.agent}`,
    ],
    zh: [
      (c) =>
        `您好，\n\n感谢您反馈视频卡顿的问题。为了在我们的记录中找到这节课，需要您补充一些信息。\n\n` +
        `请问频道名和老师的 uid 是多少？\n卡顿具体是几点开始的（哪个时区）？\n\n${c.agent}`,
    ],
  },
};

// Said by the second-line engineer who takes the ticket over: a hand-over, stated, not hedged.
const ESCALATION: Voice = {
  by: 'engineer',
  texts: {
    en: [
      (c) =>
        `Hello,\n\nThis is ${c.agent} from the second-line engineering team. Your ticket ${c.deskId} (${c.ref}) has been escalated ` +
        `to our second-line engineering team, and I am taking it over from my colleague ${c.firstLine}. I have read through the ticket ` +
        `and am pulling the edge node traces for ${channelEn(c)}${c.time ? ` around ${c.time}` : ''}.\n\n${c.agent}`,
    ],
    zh: [
      (c) =>
        `您好，\n\n我是二线技术支持工程师${c.agent}。您的工单 ${c.deskId}（${c.ref}）已转交二线技术支持，接下来由我接替${c.firstLine}跟进。` +
        `我已阅读了工单内容，目前在调取${channelZh(c)}${c.time ? `在 ${c.time} 前后` : ''}的边缘节点链路数据。\n\n${c.agent}`,
    ],
  },
};

// The engineer re-asks what the ticket gave: information lost in the hand-over.
const SECOND_LINE_QUESTION: Voice = {
  by: 'engineer',
  asks: true,
  texts: {
    en: [(c) => `Hi again,\n\nOne more question before I go through the edge node traces for ${channelEn(c)}. What is the uid of the teacher?\n\n${c.agent}`],
    zh: [(c) => `您好，\n\n在分析${channelZh(c)}的边缘节点链路数据之前，还需要和您确认一个问题。请问老师的 uid 是多少？\n\n${c.agent}`],
  },
};

// Engages with the logs that came and the ticket's specifics; states findings, asks nothing.
const HUMAN_AFTER_LOGS: Voice = {
  by: 'engineer',
  texts: {
    en: [
      (c) =>
        `Hi,\n\nThis is ${c.agent} from the media engineering team; I have taken over ${c.deskId} (${c.ref}). Thank you for the logs${logsEn(c)}. ` +
        `In the SDK log the teacher's client keeps its connection to our edge${atEn(c)}, but its video encoder delivers no frames ${forEn(c)}, ` +
        `and the console log shows no error on the teacher's side at that moment. Our records for ${channelEn(c)} agree: the students ` +
        `stayed subscribed, and nothing arrived from the teacher's uplink.\n\nI am now matching this against the edge node's own logs.\n\n${c.agent}`,
    ],
    zh: [
      (c) =>
        `您好，我是媒体技术工程师${c.agent}，${c.deskId}（${c.ref}）由我跟进，感谢您提供的日志${logsZh(c)}。\n\n` +
        `从 SDK 日志来看，老师端与边缘节点的连接${c.time ? `在 ${c.time} 前后` : ''}一直正常，但视频编码器${c.duration ? `有 ${c.duration} ` : '在整个卡顿期间'}没有输出任何视频帧，` +
        `控制台日志中同一时间也没有报错。${channelZh(c)}的服务端记录与此一致：学生端订阅正常，只是收不到老师的上行视频。\n\n` +
        `接下来我会对照边缘节点自身的日志继续分析。\n\n${c.agent}`,
    ],
  },
};

// The first word after a long silence, prompted by the customer's follow-up.
const HUMAN_AFTER_FOLLOW_UP: Voice = {
  by: 'engineer',
  texts: {
    en: [
      (c) =>
        `Hi,\n\nI am sorry for the long silence on ${c.deskId} (${c.ref}); the ticket had not been assigned, and I have picked it up now. ` +
        `I went through our records for ${channelEn(c)}${c.time ? ` around ${c.time}` : ''}: the teacher stayed connected, but no video ` +
        `frames reached the students ${forEn(c)}, which matches the freeze episodes table in your ticket.\n\n` +
        `I am tracing the teacher's stream through our edge nodes now and will post the outcome on this ticket.\n\n${c.agent}`,
    ],
    zh: [
      (c) =>
        `您好，我是媒体技术工程师${c.agent}。\n\n非常抱歉 ${c.deskId}（${c.ref}）这么久没有回复您：工单之前没有分配到人，现在由我跟进。` +
        `我们查看了${channelZh(c)}${c.time ? `在 ${c.time} 前后` : '当时'}的服务端数据：老师端连接一直正常，` +
        `但学生端${c.duration ? `有 ${c.duration} ` : '在整个卡顿期间'}没有收到任何视频帧，与您工单中的卡顿记录一致。\n\n` +
        `我会继续沿边缘节点追踪老师的视频流，有结果后在本工单中回复您。\n\n${c.agent}`,
    ],
  },
};

// Engages with the ticket, then asks what only a person can answer.
const HUMAN_ASKS_FOR_A_CALL: Voice = {
  by: 'engineer',
  asks: true,
  texts: {
    en: [
      (c) =>
        `Hi,\n\nThis is ${c.agent} from the media engineering team, on ${c.deskId} (${c.ref}). Our server-side stats for ${channelEn(c)} ` +
        `show the teacher's video bitrate falling to 0 kbps${atEn(c)} ${forEn(c)} while audio kept flowing and the students stayed connected. ` +
        `Nothing in our records explains why the teacher's client stopped sending, so I would like to go through the teacher's setup ` +
        `together with the engineer who ran the class.\n\nCould we schedule a call with your engineer tomorrow?\n\n${c.agent}`,
    ],
    zh: [
      (c) =>
        `您好，我是媒体技术工程师${c.agent}，负责跟进 ${c.deskId}（${c.ref}）。\n\n` +
        `服务端统计显示，${channelZh(c)}中老师的视频码率${atZh(c)}降为 0 kbps，持续${c.duration ? `约 ${c.duration}` : '了整个卡顿期间'}，` +
        `期间音频正常，学生端连接也正常。我们的记录里找不到老师端停止发送视频的原因，希望和贵方负责这节课的工程师一起过一遍老师端的环境。\n\n` +
        `明天方便约个时间电话沟通吗？\n\n${c.agent}`,
    ],
  },
};

/** A resolution that follows the customer's message: thanks for it (`thanks`), then the root cause and the fix, unhedged. */
function resolutionAfter(thanks: Record<Language, Template>): Voice {
  return {
    by: 'engineer',
    texts: {
      en: [
        (c) =>
          `Hello,\n\n${thanks.en(c)} Root cause: after a routing change on the edge node serving ${channelEn(c)}${atEn(c)}, that node dropped ` +
          `the teacher's video packets while audio went through, which froze the students' picture ${forEn(c)}. We have deployed a fix ` +
          `to the edge cluster, so new classes are no longer affected.\n\nI am marking ${c.deskId} as solved; reply here if you see it again.\n\n${c.agent}`,
      ],
      zh: [
        (c) =>
          `您好，\n\n${thanks.zh(c)}根本原因是服务${channelZh(c)}的边缘节点${atZh(c)}发生路由切换后丢弃了老师的视频包（音频不受影响），` +
          `学生端画面因此停住了${c.duration ? ` ${c.duration}` : ''}。修复已经部署到该边缘集群，新的课堂不会再受影响。\n\n` +
          `本工单（${c.deskId}）将标记为已解决，如再次出现请直接回复。\n\n${c.agent}`,
      ],
    },
  };
}

const RESOLUTION_AFTER_LOGS = resolutionAfter({
  en: () => 'Thank you for the logs: they showed exactly where the frames were lost.',
  zh: () => '感谢您提供的日志，从中可以清楚地看到视频帧丢失的位置。',
});
const RESOLUTION_AFTER_DETAILS = resolutionAfter({ en: () => 'Thank you for the details.', zh: () => '感谢您补充的信息。' });
const RESOLUTION_AFTER_FOLLOW_UP = resolutionAfter({ en: () => 'Thank you for your patience.', zh: () => '感谢您的耐心等待。' });
const RESOLUTION_BEFORE_A_CALL = resolutionAfter({
  en: () => 'Thank you for getting back to us; in the end we did not need the call.',
  zh: () => '感谢您的回复，这次不需要再电话沟通了。',
});

/** The steps the responsive flow does not have: how any persona with such a step words it unless it has its own. */
const STEP_VOICES: Record<Exclude<ScriptStep, 'ack' | 'canned' | 'human' | 'resolution' | 'solved'>, Voice> = {
  question: ASK_FOR_LOGS,
  're-ask': REASK_FOR_LOGS,
  escalation: ESCALATION,
  'second-line-question': SECOND_LINE_QUESTION,
};

type TalkStep = keyof typeof STEP_VOICES;
const isTalkStep = (step: ScriptStep): step is TalkStep => step in STEP_VOICES;

/** The talking personas' own words for a step, where they differ from the step's usual ones. */
const PERSONA_VOICES: Partial<Record<PersonaName, Partial<Record<ScriptStep, Voice>>>> = {
  'asks-for-logs': { human: HUMAN_AFTER_LOGS, resolution: RESOLUTION_AFTER_LOGS },
  're-asks': { question: ASK_WHAT_WAS_GIVEN, resolution: RESOLUTION_AFTER_DETAILS },
  escalates: { resolution: RESOLUTION_AFTER_DETAILS },
  'silent-until-followed-up': { human: HUMAN_AFTER_FOLLOW_UP, resolution: RESOLUTION_AFTER_FOLLOW_UP },
  'needs-a-person': { human: HUMAN_ASKS_FOR_A_CALL, resolution: RESOLUTION_BEFORE_A_CALL },
};

/** What the persona writes for one step of its script on this ticket; `answers` is the customer's message the step waits for. */
export function renderStep(step: ScriptStep, ticket: PersonaTicket, answers?: AnsweredMessage): StepEvent {
  const { language, facts, seed } = ticket;
  const choose = <T>(list: T[], salt: string): T => list[seed === undefined ? 0 : hash(`${seed}:${ticket.number}:${salt}`) % list.length]!;
  const engineer = choose(ENGINEERS[language], 'engineer');
  const firstLine = choose(FIRST_LINE[language], 'first-line');
  const context = (agent: string): ReplyContext => ({
    deskId: ticket.deskId,
    ref: facts.ref,
    agent,
    // The template lists the room or channel first among the identifiers.
    channel: facts.identifiers.find((id) => id !== facts.ref && id.length >= 3),
    time: facts.times.map((t) => /\d{1,2}:\d{2}(?::\d{2})?/.exec(t)?.[0]).find((t) => t !== undefined),
    duration: facts.numbers[0],
    firstLine,
    logs: (answers?.attachments ?? []).filter((name) => /log/i.test(name)),
  });
  const speak = (voice: Voice): StepEvent => {
    const author = voice.by === 'first-line' ? firstLine : engineer;
    return { authorName: author, authorRole: 'agent', text: choose(voice.texts[language], step)(context(author)), ...(voice.asks ? { statusChange: 'pending' } : {}) };
  };
  const own = ticket.persona === undefined ? undefined : PERSONA_VOICES[ticket.persona]?.[step];
  if (own) return speak(own);
  if (isTalkStep(step)) return speak(STEP_VOICES[step]);
  switch (step) {
    case 'ack':
      return { authorName: DESK_NAME[language], authorRole: 'system', automated: true, text: choose(ACK[language], step)(context(DESK_NAME[language])) };
    case 'canned':
      return { authorName: firstLine, authorRole: 'agent', text: choose(CANNED[language], step)(context(firstLine)) };
    case 'human':
      return { authorName: engineer, authorRole: 'agent', text: choose(HUMAN[language], step)(context(engineer)) };
    case 'resolution':
      return { authorName: engineer, authorRole: 'agent', text: choose(RESOLUTION[language], step)(context(engineer)) };
    case 'solved':
      return { authorName: engineer, authorRole: 'agent', statusChange: 'solved' };
  }
}

/** FNV-1a: small, stable across runs and platforms. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
