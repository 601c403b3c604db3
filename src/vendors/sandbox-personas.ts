/**
 * The sandbox desk's scripted agents: who they are, when each of them answers by default, and what
 * they write. The desk itself (sandbox.ts) decides when a step is due and stores it; this file only
 * says what a step looks like once it is.
 */
import { type AuthorRole } from '../core/reply.ts';
import { type TicketFactsInput } from './adapter.ts';

/** The scripted agents the desk can play. */
export const PERSONAS = ['responsive', 'slow', 'bot-only', 'silent', 'business-hours', 'chinese'] as const;
export type PersonaName = (typeof PERSONAS)[number];

/** A persona's script, in order: auto-acknowledgement, canned reply, substantive reply, resolution, status `solved`. */
export const SCRIPT_STEPS = ['ack', 'canned', 'human', 'resolution', 'solved'] as const;
export type ScriptStep = (typeof SCRIPT_STEPS)[number];

export type Language = 'en' | 'zh';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const RESPONSIVE_DELAYS = { ack: 2 * SECOND, canned: 6 * SECOND, human: 12 * SECOND, resolution: 20 * SECOND, solved: 21 * SECOND };

export interface PersonaDefinition {
  /** Default delay of each step from filing; a step left out never happens. */
  delays: Partial<Record<ScriptStep, number>>;
  language: Language;
  /** Agents' delays count business time only; the auto-acknowledgement still comes at once. */
  agentsInBusinessHours: boolean;
}

export const PERSONA_DEFINITIONS: Record<PersonaName, PersonaDefinition> = {
  responsive: { delays: RESPONSIVE_DELAYS, language: 'en', agentsInBusinessHours: false },
  slow: {
    delays: { ack: 1 * MINUTE, canned: 20 * MINUTE, human: 2 * HOUR, resolution: 26 * HOUR, solved: 26 * HOUR + 5 * MINUTE },
    language: 'en',
    agentsInBusinessHours: false,
  },
  'bot-only': { delays: { ack: RESPONSIVE_DELAYS.ack }, language: 'en', agentsInBusinessHours: false },
  silent: { delays: {}, language: 'en', agentsInBusinessHours: false },
  'business-hours': { delays: RESPONSIVE_DELAYS, language: 'en', agentsInBusinessHours: true },
  chinese: { delays: RESPONSIVE_DELAYS, language: 'zh', agentsInBusinessHours: false },
};

/** Each persona's default delays from filing, in ms, before `speed` and `timings` apply. */
export const PERSONA_DELAYS: Readonly<Record<PersonaName, Readonly<Partial<Record<ScriptStep, number>>>>> = Object.fromEntries(
  PERSONAS.map((name) => [name, { ...PERSONA_DEFINITIONS[name].delays }]),
) as Record<PersonaName, Partial<Record<ScriptStep, number>>>;

// ── what the personas write ──────────────────────────────────────────────────────────────────────────

/** The desk ticket a step is written on, as far as the words depend on it. */
export interface PersonaTicket {
  /** The id the desk shows, `SBX-1001`. */
  deskId: string;
  number: number;
  language: Language;
  seed?: number;
  facts: TicketFactsInput;
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
      `One question to narrow it down: did the teacher's own local preview also stop${c.time ? ` at ${c.time}` : ''}, ` +
      `or only what the students received?\n\n${c.agent}`,
    (c) =>
      `Hello,\n\n${c.agent} here, media engineering, on ${c.deskId} (${c.ref}). Our server-side stats for ` +
      `${c.channel ? `channel ${c.channel}` : 'the channel in your ticket'} show the teacher's video bitrate dropping to 0 kbps` +
      `${c.time ? ` at ${c.time}` : ''} for ${c.duration ? `about ${c.duration}` : 'the whole episode'} while audio kept flowing, ` +
      `which points at the sending side rather than the students' networks.\n\n` +
      `Which camera was the teacher using, and was the teacher's tab in the background at that moment?\n\n${c.agent}`,
  ],
  zh: [
    (c) =>
      `您好，我是媒体技术工程师${c.agent}，${c.deskId}（${c.ref}）由我跟进。\n\n` +
      `我们查看了${c.channel ? `频道 ${c.channel} ` : '该频道'}${c.time ? `在 ${c.time} 前后` : '当时'}的服务端数据：老师端连接一直正常，` +
      `但学生端${c.duration ? `有 ${c.duration} ` : '在整个卡顿期间'}没有收到任何视频帧，与您工单中的卡顿记录一致。\n\n` +
      `请问卡顿期间老师端本地预览画面是否也停住了，还是只有学生端看到的画面停住？\n\n${c.agent}`,
    (c) =>
      `您好，我是${c.agent}，负责跟进 ${c.deskId}（${c.ref}）。\n\n` +
      `从服务端统计来看，${c.channel ? `频道 ${c.channel} ` : '该频道'}中老师的视频码率${c.time ? `在 ${c.time} ` : ''}降为 0 kbps，` +
      `持续${c.duration ? `约 ${c.duration}` : '了整个卡顿期间'}，音频没有中断，更像是发送端的问题，而不是学生的网络。\n\n` +
      `请问老师当时使用的是哪一款摄像头？该标签页当时是否处于后台？\n\n${c.agent}`,
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

/** What the persona writes for one step of its script on this ticket. */
export function renderStep(step: ScriptStep, ticket: PersonaTicket): StepEvent {
  const { language, facts, seed } = ticket;
  const choose = <T>(list: T[], salt: string): T => list[seed === undefined ? 0 : hash(`${seed}:${ticket.number}:${salt}`) % list.length]!;
  const engineer = choose(ENGINEERS[language], 'engineer');
  const context = (agent: string): ReplyContext => ({
    deskId: ticket.deskId,
    ref: facts.ref,
    agent,
    // The template lists the room or channel first among the identifiers.
    channel: facts.identifiers.find((id) => id !== facts.ref && id.length >= 3),
    time: facts.times.map((t) => /\d{1,2}:\d{2}(?::\d{2})?/.exec(t)?.[0]).find((t) => t !== undefined),
    duration: facts.numbers[0],
  });
  switch (step) {
    case 'ack':
      return { authorName: DESK_NAME[language], authorRole: 'system', automated: true, text: choose(ACK[language], step)(context(DESK_NAME[language])) };
    case 'canned': {
      const agent = choose(FIRST_LINE[language], 'first-line');
      return { authorName: agent, authorRole: 'agent', text: choose(CANNED[language], step)(context(agent)) };
    }
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
