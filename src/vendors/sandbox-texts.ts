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
  /** The ticket's text as filed: what an engineer reads whose uid is whose. */
  body?: string;
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
  /** The teacher's uid, when the ticket lists the participants' uids. */
  teacherUid?: string;
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
      `for ${c.duration ?? 'the whole episode'}, which matches the episodes table in your ticket.\n\n` +
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
        `frames reached the students ${forEn(c)}, which matches the episodes table in your ticket.\n\n` +
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

// ── the diagnosing personas ──────────────────────────────────────────────────────────────────────────
// Three engineers on the same ticket, each settling on one cause and saying nothing that reads as
// another: what a person settles on is what the diagnosis verdict scores. The resolution states it
// without a hedge. The first reply of the partial and the wrong engineer hedges it ("looks like",
// "初步看是"), because a cause stated flatly and unchecked is a resolution by the labelled replies'
// definitions, and the first reply is meant to read as a person's. They know only what the ticket says
// (the channel, the time, the duration, the teacher's uid); which cause each states is the persona's
// character, not something the desk was told.

const teacherEn = (c: ReplyContext) => (c.teacherUid ? `the teacher (uid ${c.teacherUid})` : 'the teacher');
const teacherZh = (c: ReplyContext) => (c.teacherUid ? `老师（uid ${c.teacherUid}）` : '老师');
const uidZh = (c: ReplyContext) => (c.teacherUid ? `（uid ${c.teacherUid}）` : '');
/** `持续 12.2 s` / `持续了整个卡顿期间`. */
const lastingZh = (c: ReplyContext) => (c.duration ? `持续 ${c.duration}` : '持续了整个卡顿期间');
/** `有 12.2 s ` / `在整个卡顿期间`: before a verb, "for that long … did not". */
const forZh = (c: ReplyContext) => (c.duration ? `有 ${c.duration} ` : '在整个卡顿期间');
/** `停住了 12.2 s` / `停住了`. */
const stoppedZh = (c: ReplyContext) => `停住了${c.duration ? ` ${c.duration}` : ''}`;
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

// Looked at the call quality data: the teacher's client stopped sending video while the network was clean.
const HUMAN_CORRECT: Voice = {
  by: 'engineer',
  texts: {
    en: [
      (c) =>
        `Hi,\n\nThis is ${c.agent} from the media engineering team; I have taken over ${c.deskId} (${c.ref}).\n\n` +
        `I pulled up ${channelEn(c)} in our call quality records. ${capital(teacherEn(c))} stopped sending video frames${atEn(c)}: ` +
        `the outbound video frame rate of the teacher's client went to 0 fps ${forEn(c)}, while its audio kept flowing and it never left the channel. ` +
        `The teacher's uplink was clean over the whole class, with no packet loss and a steady round-trip time, and the students' downlinks were just as clean.\n\n` +
        `So the picture stopped at the source: nothing was lost between the teacher and the students, there were simply no new frames to deliver. ` +
        `I am going through the teacher's SDK events around that moment and will add what I find here.\n\n${c.agent}`,
      (c) =>
        `Hello,\n\n${c.agent} here, media engineering, on ${c.deskId} (${c.ref}). I checked ${channelEn(c)} in our quality dashboard. ` +
        `The teacher's client${c.teacherUid ? ` (uid ${c.teacherUid})` : ''} stopped sending video${atEn(c)}: frames sent stayed flat at zero ${forEn(c)}, ` +
        `and the teacher's video bitrate was 0 kbps over the same window while audio went on at its usual rate.\n\n` +
        `The teacher's network was fine throughout: no packet loss and no rise in round-trip time on the uplink. Both students stayed subscribed the whole time, ` +
        `and their audio never dropped. In short, the students' pictures froze because no new video frames left the teacher's machine.\n\n` +
        `I am writing up the details and will post them on this ticket.\n\n${c.agent}`,
    ],
    zh: [
      (c) =>
        `您好，我是媒体技术工程师${c.agent}，${c.deskId}（${c.ref}）由我跟进。\n\n` +
        `我们在通话质量后台调取了${channelZh(c)}的记录：${teacherZh(c)}${atZh(c)}停止发送视频帧，老师端的视频发送帧率降为 0，${lastingZh(c)}，` +
        `期间音频一直正常，也没有退出频道。老师的上行网络质量正常，全程没有丢包；两位学生的下行同样正常。\n\n` +
        `也就是说，画面是在源头停住的：传输过程中没有丢失数据，而是老师端没有新的视频帧发出。我再核对一下老师端 SDK 在那一刻的事件，有补充会在本工单里更新。\n\n${c.agent}`,
      (c) =>
        `您好，我是${c.agent}，负责跟进 ${c.deskId}（${c.ref}）。\n\n` +
        `我查询了${channelZh(c)}在质量监控平台上的数据：老师端的客户端${uidZh(c)}${atZh(c)}停止发送视频，发送帧率为 0，${lastingZh(c)}，音频则一直在正常发送。` +
        `同一时间段老师的网络状况正常，上行没有丢包，往返时延也没有升高；两位学生始终保持订阅。\n\n` +
        `学生看到的画面停住，是因为老师端这段时间没有发出新的视频帧。详细情况我整理好后发在本工单里。\n\n${c.agent}`,
    ],
  },
};

const RESOLUTION_CORRECT: Voice = {
  by: 'engineer',
  texts: {
    en: [
      (c) =>
        `Hi,\n\n${c.agent} again with the outcome for ${c.deskId}. Root cause: the teacher's client stopped sending video${atEn(c)} in ${channelEn(c)}. ` +
        `Its video encoder delivered no frames ${forEn(c)}, so there was no picture for the students to receive. ` +
        `The network was clean the whole time, with no packet loss on the teacher's uplink or on the students' downlinks.\n\n` +
        `This was not a network problem, and a better connection on either side would not have changed it. The fix is on the teacher's side: ` +
        `have the teacher's app watch its outgoing video (framesSent in the outbound-rtp stats) and republish the camera track when that count ` +
        `stops rising for more than 2 s, and look for what in the app holds frames back before they are sent, such as an encoded-frame transform ` +
        `or a camera track that gets muted or replaced.\n\nI am marking this ticket as solved; reply here if you see it again.\n\n${c.agent}`,
      (c) =>
        `Hello,\n\nWe have found the cause of the freeze in ${channelEn(c)}: the teacher's video encoder stopped producing frames${atEn(c)}, ` +
        `and the teacher's client sent no video at all ${forEn(c)} while its audio and its connection carried on normally. ` +
        `The network was fine, and so were our servers. The students' players froze only because there was no new picture to show.\n\n` +
        `The fix is on the teacher's side: restart the teacher's camera track as soon as its outgoing frame count stops for more than 2 s, ` +
        `and check the teacher's app for anything that pauses the encoder or drops frames before sending them. ` +
        `Nothing needs to change in the students' setup or in anyone's network.\n\nI am setting ${c.deskId} to solved.\n\n${c.agent}`,
    ],
    zh: [
      (c) =>
        `您好，${c.deskId} 的排查结果如下。\n\n` +
        `根本原因：老师端的客户端${atZh(c)}停止发送视频，视频编码器${forZh(c)}没有输出任何帧，学生端因此收不到新的画面。` +
        `${channelZh(c)}全程网络质量正常，老师的上行和学生的下行都没有丢包，这次卡顿不是网络问题。\n\n` +
        `解决方法在老师端：请在老师端应用中监控本地视频的发送帧数（outbound-rtp 统计中的 framesSent），一旦超过 2 秒不再增长就重新发布摄像头轨道；` +
        `同时检查应用里会在发送前暂停编码或丢弃视频帧的逻辑，例如对编码帧的处理、被静音或替换的摄像头轨道。\n\n` +
        `本工单将标记为已解决，如再次出现请直接回复。\n\n${c.agent}`,
      (c) =>
        `您好，\n\n问题已定位：原因是老师端${atZh(c)}停止了视频编码输出，老师的客户端${forZh(c)}没有发送任何视频帧，音频和连接都正常。` +
        `网络没有问题；我们的服务器也都正常。学生在${channelZh(c)}中看到的卡顿，只是因为这段时间没有新的视频帧可以显示。\n\n` +
        `解决办法：在老师端监控本地视频的发送帧数，停止增长超过 2 秒时重新发布摄像头轨道，并排查老师端应用中会中断视频采集或编码输出的环节。` +
        `学生端和网络都不需要调整。\n\n${c.agent}`,
    ],
  },
};

// Right side, no mechanism: blames the teacher's device and browser without having looked at any data.
const HUMAN_PARTLY: Voice = {
  by: 'engineer',
  texts: {
    en: [
      (c) =>
        `Hi,\n\nThis is ${c.agent} from technical support; I am handling ${c.deskId} (${c.ref}). ` +
        `I have read through your report of the freeze in ${channelEn(c)}${atEn(c)}.\n\n` +
        `At first sight it looks like a problem on the teacher's side: most likely a compatibility problem between the teacher's device and the browser the class ran in. ` +
        `That would explain why the teacher's picture stayed still ${forEn(c)}, and why both students saw the same freeze at the same moment.\n\n` +
        `We come across this with certain combinations of camera drivers and browser builds. ` +
        `I will confirm the exact steps with our SDK team and post them here.\n\n${c.agent}`,
      (c) =>
        `Hello,\n\n${c.agent} here, on ${c.deskId} (${c.ref}). Thank you for the detailed report of the freeze in ${channelEn(c)}${atEn(c)}.\n\n` +
        `The freeze looks like it came from the teacher's end: we suspect the teacher's browser environment does not work well with the video module of our Web SDK, ` +
        `and when that happens the teacher's picture stops for everyone in the class, which is what your students saw ${forEn(c)}. ` +
        `The students' own setup is not involved.\n\nI am putting together the recommended settings for the teacher's computer and will send them shortly.\n\n${c.agent}`,
    ],
    zh: [
      (c) =>
        `您好，我是技术支持工程师${c.agent}，${c.deskId}（${c.ref}）由我负责。\n\n` +
        `我看了您描述的${channelZh(c)}${atZh(c)}的卡顿情况。这次卡顿初步看是老师端的问题：老师的设备和上课用的浏览器之间存在兼容性问题，` +
        `老师的画面因此${stoppedZh(c)}，两位学生看到的是同一次卡顿。\n\n` +
        `我们遇到过某些摄像头驱动和浏览器版本组合下出现这种情况，具体的处理步骤我和 SDK 团队确认后在本工单里回复您。\n\n${c.agent}`,
      (c) =>
        `您好，我是${c.agent}，负责 ${c.deskId}（${c.ref}）。感谢您详细的描述。\n\n` +
        `${channelZh(c)}${atZh(c)}的这次卡顿初步判断是老师端的浏览器环境造成的：老师电脑上的浏览器环境和我们 Web SDK 的视频模块配合得不好，` +
        `出现这种情况时全班看到的老师画面都会停住，您的学生看到的就是这次${c.duration ? `持续 ${c.duration} 的` : ''}卡顿。学生端本身没有问题。\n\n` +
        `老师电脑的推荐设置我整理好后发给您。\n\n${c.agent}`,
    ],
  },
};

const RESOLUTION_PARTLY: Voice = {
  by: 'engineer',
  texts: {
    en: [
      (c) =>
        `Hello,\n\n${c.agent} again on ${c.deskId}. The cause was the teacher's client environment: the browser on the teacher's computer ` +
        `has a compatibility problem with our Web SDK, and that froze the teacher's picture in ${channelEn(c)}${atEn(c)} ${forEn(c)}.\n\n` +
        `Please update the browser on the teacher's computer to the latest version and clear its cache before the next class. ` +
        `With an up-to-date browser the teacher's video runs normally.\n\nI am marking this ticket as solved; reply here if you see it again.\n\n${c.agent}`,
      (c) =>
        `Hi,\n\nWe have an answer on the freeze in ${channelEn(c)}${atEn(c)}. The freeze was due to the teacher's browser environment: ` +
        `the teacher's browser and our SDK did not work together properly, and that stopped the teacher's picture ${forEn(c)}.\n\n` +
        `To prevent it, please update the browser on the teacher's computer to the latest version before the next live class, and keep it up to date. ` +
        `The students do not need to change anything.\n\nI am setting ${c.deskId} to solved.\n\n${c.agent}`,
    ],
    zh: [
      (c) =>
        `您好，${c.deskId} 的处理结果如下。\n\n` +
        `原因是老师端的客户端环境：老师电脑上的浏览器与我们的 Web SDK 存在兼容性问题，导致${channelZh(c)}${atZh(c)}老师的画面${stoppedZh(c)}。\n\n` +
        `请将老师电脑上的浏览器更新到最新版本，并在下次上课前清除浏览器缓存。浏览器更新后，老师端的视频就能正常显示。\n\n` +
        `本工单将标记为已解决，如再次出现请直接回复。\n\n${c.agent}`,
      (c) =>
        `您好，\n\n${c.deskId} 已有结论：${channelZh(c)}${atZh(c)}的卡顿是由于老师端的浏览器环境导致的，老师使用的浏览器版本与我们的 SDK 不兼容，` +
        `老师的画面因此${stoppedZh(c)}。\n\n请将老师电脑上的浏览器升级到最新版本后再上课，并保持浏览器及时更新。学生端不需要做任何调整。\n\n` +
        `本工单（${c.deskId}）将标记为已解决。\n\n${c.agent}`,
    ],
  },
};

// Blames the network: packet loss on the students' downlinks, which the vendor's records "show".
const HUMAN_WRONGLY: Voice = {
  by: 'engineer',
  texts: {
    en: [
      (c) =>
        `Hi,\n\nThis is ${c.agent} from technical support, following up on ${c.deskId} (${c.ref}).\n\n` +
        `Our records for ${channelEn(c)} point to packet loss on the students' downlinks${atEn(c)}: loss on both students' connections went above 30 % ` +
        `${forEn(c)}, and we suspect that is what stalled their video. The teacher's uplink was clean over the same period, ` +
        `so it looks like the video left the teacher normally and was lost on the way to the students.\n\n` +
        `I am checking which network the students were on at that time and will update this ticket.\n\n${c.agent}`,
      (c) =>
        `Hello,\n\n${c.agent} here, on ${c.deskId} (${c.ref}). According to our quality data for ${channelEn(c)}, it looks like your network was unstable${atEn(c)}: ` +
        `the students' connections lost a large share of their packets ${forEn(c)}, and latency jumped above 800 ms. ` +
        `The teacher's stream reached us intact, so we suspect the picture froze on the last stretch to the students.\n\n` +
        `I will confirm the students' connection types and come back to you.\n\n${c.agent}`,
    ],
    zh: [
      (c) =>
        `您好，我是技术支持工程师${c.agent}，${c.deskId}（${c.ref}）由我跟进。\n\n` +
        `从我们的质量数据来看，${channelZh(c)}${atZh(c)}学生端的下行出现了严重丢包，两位学生的丢包率都超过 30%，${lastingZh(c)}，视频因此卡住。` +
        `同一时间老师的上行网络质量正常，视频正常发出，是在传到学生的路上丢失的。\n\n` +
        `我再确认一下学生当时使用的网络类型，稍后在本工单里回复您。\n\n${c.agent}`,
      (c) =>
        `您好，我是${c.agent}，负责跟进 ${c.deskId}（${c.ref}）。\n\n` +
        `我们的通话记录显示，您这边的网络${atZh(c)}出现波动：${channelZh(c)}中学生端连接的丢包率明显升高，延迟一度超过 800 ms，${lastingZh(c)}，` +
        `所以学生看到老师的画面停住了。老师的视频流完整到达了我们这边，卡顿发生在到学生的最后一段链路上。\n\n` +
        `我会再确认一下学生的接入方式，之后回复您。\n\n${c.agent}`,
    ],
  },
};

const RESOLUTION_WRONGLY: Voice = {
  by: 'engineer',
  texts: {
    en: [
      (c) =>
        `Hello,\n\n${c.agent} again on ${c.deskId}. The freeze in ${channelEn(c)}${atEn(c)} was caused by network instability on your side: ` +
        `the students' connections lost packets ${forEn(c)}, so the teacher's video could not get through to them.\n\n` +
        `Please have the students use a wired connection instead of Wi-Fi for live classes, and keep large downloads and other video calls ` +
        `off the same network during lessons.\n\nI am marking this ticket as solved; reply here if you see it again.\n\n${c.agent}`,
      (c) =>
        `Hi,\n\nWe have completed the analysis of ${c.deskId}. Root cause: heavy packet loss on the students' downlinks${atEn(c)} in ${channelEn(c)}, ` +
        `which held back the teacher's video ${forEn(c)}. Your network was unstable at that moment.\n\n` +
        `To avoid it, please connect the students' computers by cable rather than Wi-Fi, and keep other devices from saturating the line during class.\n\n` +
        `I am setting ${c.deskId} to solved.\n\n${c.agent}`,
    ],
    zh: [
      (c) =>
        `您好，${c.deskId} 的排查结果如下。\n\n` +
        `${channelZh(c)}${atZh(c)}的卡顿是由于您这边的网络波动导致的：学生端的网络连接在这段时间内大量丢包，${lastingZh(c)}，老师的视频无法及时传到学生端。\n\n` +
        `建议学生上课时使用有线网络代替 WiFi，并在上课期间避免其他设备占用带宽。\n\n本工单将标记为已解决，如再次出现请直接回复。\n\n${c.agent}`,
      (c) =>
        `您好，\n\n问题已定位：根本原因是学生端的下行网络出现波动，${channelZh(c)}${atZh(c)}出现了明显的丢包和延迟抖动，老师的视频因此卡住了${c.duration ? ` ${c.duration}` : ''}。` +
        `这是您这边的网络环境造成的。\n\n请让学生改用有线网络上课，尽量不要使用 WiFi 或手机热点。\n\n${c.agent}`,
    ],
  },
};

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
  'diagnoses-correctly': { human: HUMAN_CORRECT, resolution: RESOLUTION_CORRECT },
  'diagnoses-partly': { human: HUMAN_PARTLY, resolution: RESOLUTION_PARTLY },
  'diagnoses-wrongly': { human: HUMAN_WRONGLY, resolution: RESOLUTION_WRONGLY },
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
    teacherUid: teacherUidIn(ticket.body),
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

/**
 * The teacher's uid from the ticket's identifiers line (`- UIDs: teacher 1000, student-1 1001`):
 * the facts list the uids without saying whose, and a person reads the line.
 */
function teacherUidIn(body: string | undefined): string | undefined {
  return body === undefined ? undefined : /\buids?\b[^\n]*?\bteacher\b\W{0,3}(\d+)\b/iu.exec(body)?.[1];
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
