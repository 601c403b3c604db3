import { describe, expect, it } from 'vitest';
import { classifyReply, type ReplyInput } from '../../src/support/classifier.ts';
import { type TicketFacts } from '../../src/core/ticket-facts.ts';

/** What a freeze drill's ticket told the vendor. */
const FACTS: TicketFacts = {
  ref: 'DRILL-7f3a9c',
  identifiers: ['drill-7f3a9c', '1001', '1002', '4.24.0', '48213'],
  times: ['14:03:12', '2026-11-29T14:03:12Z'],
  numbers: ['10.2 s', '3 freezes'],
  providedInfo: ['sdk-version', 'browser', 'os', 'channel', 'uid', 'timestamps', 'logs', 'screenshots', 'steps'],
};

function classify(text: string, extra: Partial<ReplyInput> = {}) {
  return classifyReply({ text, facts: FACTS, ...extra });
}

function reasonsOf(text: string, extra: Partial<ReplyInput> = {}): string {
  return classify(text, extra).reasons.join('\n');
}

describe('auto: what the e-mail says about itself', () => {
  it('treats Auto-Submitted: auto-replied as auto', () => {
    const result = classify('Thanks, we will look at it.', { headers: { 'auto-submitted': 'auto-replied' } });
    expect(result.kind).toBe('auto');
    expect(result.reasons[0]).toBe('header Auto-Submitted: auto-replied');
  });

  it('treats Auto-Submitted: no as written by a person', () => {
    const result = classify('Please clear your browser cache.', { headers: { 'auto-submitted': 'no' } });
    expect(result.kind).toBe('canned');
  });

  it('treats a resolution statement in an e-mail that carries Auto-Submitted as auto', () => {
    const result = classify('The root cause was an edge node that dropped keyframes in channel drill-7f3a9c; we have deployed a fix.', {
      headers: { 'auto-submitted': 'auto-generated' },
    });
    expect(result.kind).toBe('auto');
  });

  it('treats X-Autoreply: yes as auto', () => {
    expect(classify('Hello.', { headers: { 'x-autoreply': 'yes' } }).kind).toBe('auto');
  });

  it('treats Precedence: bulk as auto but Precedence: first-class as nothing', () => {
    expect(classify('Please restart the app.', { headers: { precedence: 'bulk' } }).kind).toBe('auto');
    expect(classify('Please restart the app.', { headers: { precedence: 'first-class' } }).kind).toBe('canned');
  });

  it('treats a null Return-Path as auto', () => {
    expect(reasonsOf('Hello.', { headers: { 'return-path': '<>' } })).toContain('Return-Path: <>');
  });

  it('treats a List-Id as auto', () => {
    expect(classify('Our weekly SDK newsletter.', { headers: { 'list-id': 'news.agora.example' } }).kind).toBe('auto');
  });

  it('does not treat X-Auto-Response-Suppress alone as auto', () => {
    const result = classify('At 14:03:12 we see uid 1001 reconnecting.', { headers: { 'x-auto-response-suppress': 'All' } });
    expect(result.kind).toBe('human');
    expect(result.reasons.join('\n')).toContain('X-Auto-Response-Suppress: All ignored');
  });

  it('treats an "Automatic reply:" subject as auto', () => {
    const result = classify('Hello.', { subject: 'Automatic reply: [DRILL-7f3a9c] Teacher video froze' });
    expect(result.kind).toBe('auto');
    expect(result.reasons[0]).toContain('automatic reply');
  });

  it('treats a "[Request received]" subject as auto', () => {
    expect(classify('Hello.', { subject: '[Request received] Teacher video froze' }).kind).toBe('auto');
    expect(classify('Hello.', { subject: 'Your request (48213) has been received' }).kind).toBe('auto');
  });

  it('treats a 自动回复 subject as auto', () => {
    expect(classify('您好。', { subject: '自动回复：[DRILL-7f3a9c] 老师视频卡住' }).kind).toBe('auto');
  });

  it('ignores an auto-reply subject that a person replied to', () => {
    const result = classify('Which region are your students in?', { subject: 'Re: Automatic reply: [DRILL-7f3a9c] froze' });
    expect(result.kind).toBe('human');
  });
});

describe('auto: what the vendor or the text says', () => {
  it('treats a trigger-written comment as auto even when it names the ticket channel', () => {
    const result = classify('Channel drill-7f3a9c froze at 14:03:12 — thanks, your request is in our queue.', { automated: true });
    expect(result.kind).toBe('auto');
    expect(result.reasons[0]).toContain('trigger, automation or bot');
  });

  it('treats a bot author as auto', () => {
    expect(classify('Hi! I am the Agora assistant. Have you tried restarting?', { authorRole: 'bot' }).kind).toBe('auto');
  });

  it('treats a status change without text as auto', () => {
    const result = classify('', { statusChange: 'solved', authorRole: 'agent' });
    expect(result.kind).toBe('auto');
    expect(result.reasons[0]).toBe("status change to 'solved' with no text");
  });

  it('treats an out-of-office without headers as auto', () => {
    expect(classify('I am out of the office until Monday 1 December with limited access to email.').kind).toBe('auto');
  });

  it('treats a Chinese out-of-office as auto', () => {
    const result = classify('您好，我目前休假中，12月1日返回，期间回复可能延迟。');
    expect(result.kind).toBe('auto');
    expect(result.reasons[0]).toContain('out-of-office');
  });

  it('treats "this is an automated message" as auto even from an agent account', () => {
    expect(classify('This is an automated message. Please do not reply.', { authorRole: 'agent' }).kind).toBe('auto');
  });

  it('treats an acknowledgement that echoes the ticket specifics as auto', () => {
    const result = classify(
      'Your request (48213) has been received and is being reviewed by our support staff.\n\nDrill Bot, Nov 29, 2026, 14:05\nTeacher video froze at 14:03:12 in channel drill-7f3a9c for 10.2 s.',
    );
    expect(result.kind).toBe('auto');
    expect(result.reasons[0]).toContain('acknowledgement phrasing');
  });

  it('treats a 工单已收到 acknowledgement as auto', () => {
    expect(classify('您好，您的工单已收到，工单号为 48213，我们会尽快处理。').kind).toBe('auto');
  });

  it('treats a solved notification with a satisfaction survey as auto', () => {
    expect(classify('Your request #48213 has been solved. How would you rate the support you received?').kind).toBe('auto');
  });

  it('treats a standalone auto-close warning as auto', () => {
    const result = classify('This ticket will be closed automatically if we do not hear from you within 3 days.');
    expect(result.kind).toBe('auto');
    expect(result.reasons[0]).toContain('auto-close warning');
  });

  it('treats acknowledgement phrasing from a known agent as canned', () => {
    const result = classify('Hi, we have received your request and will get back to you.', { authorRole: 'agent' });
    expect(result.kind).toBe('canned');
    expect(result.reasons.join('\n')).toContain('the vendor says a person (agent) wrote it');
  });
});

describe('canned', () => {
  it('treats check-your-network-and-restart as canned', () => {
    const result = classify('Hi,\n\nPlease check your network connection and restart the app. If the issue persists, let us know.');
    expect(result.kind).toBe('canned');
    expect(result.reasons).toContain('generic advice: check your network');
    expect(result.reasons).toContain('generic advice: restart or rejoin');
  });

  it('treats 请检查网络并重启 as canned', () => {
    const result = classify('您好，请检查您的网络并重启应用后再试。如果问题依然存在请联系我们。');
    expect(result.kind).toBe('canned');
    expect(result.reasons).toContain('generic advice: check your network');
  });

  it('treats clear-cache-and-update-the-SDK as canned', () => {
    const result = classify('Please clear your browser cache and update the SDK to the latest version.');
    expect(result.kind).toBe('canned');
    expect(result.reasons).toEqual(['generic advice: clear the cache', 'generic advice: update the SDK or app']);
  });

  it('treats "switch to another network or browser" as canned', () => {
    expect(classify('Could you try another browser or a different network?').kind).toBe('canned');
  });

  it('treats "we are looking into it" as canned', () => {
    const result = classify('Thanks for the report. We are looking into it and will get back to you as soon as possible.');
    expect(result.kind).toBe('canned');
    expect(result.reasons[0]).toContain('generic holding reply');
  });

  it('treats 工程师正在排查 as canned', () => {
    expect(classify('您好，感谢您的反馈，我们的工程师正在排查，请耐心等待。').kind).toBe('canned');
  });

  it('treats a request for information the ticket already gave as canned', () => {
    const result = classify('Could you please provide the SDK version, the browser and the logs?');
    expect(result.kind).toBe('canned');
    expect(result.requestsProvidedInfo).toEqual(['sdk-version', 'browser', 'logs']);
    expect(result.reasons[0]).toBe('asks for the SDK version, which the ticket already gave');
  });

  it('treats a bulleted request list for information already given as canned', () => {
    const result = classify('To help us investigate, please provide the following:\n- Channel name\n- UID of the teacher\n- Screenshots');
    expect(result.kind).toBe('canned');
    expect(result.requestsProvidedInfo).toEqual(['channel', 'uid', 'screenshots']);
  });

  it('treats 请提供SDK版本号和日志 as canned when the ticket gave both', () => {
    const result = classify('您好，麻烦提供一下 SDK 版本号和日志，谢谢。');
    expect(result.kind).toBe('canned');
    expect(result.requestsProvidedInfo).toEqual(['sdk-version', 'logs']);
  });

  it('treats a generic reply that quotes the ticket facts only in quoted history as canned', () => {
    const result = classify(
      'Please restart the app and try again.\n\nOn Sat, 29 Nov 2026 at 14:05, Drill <drills@school.example> wrote:\n> Teacher video froze at 14:03:12 in channel drill-7f3a9c for 10.2 s (uid 1001).',
    );
    expect(result.kind).toBe('canned');
    expect(result.reasons.join('\n')).not.toContain("ticket's");
    expect(result.reasons.join('\n')).toContain('ignored quoted history (2 lines)');
  });

  it('treats a generic Chinese reply that quotes the ticket after 写道 as canned', () => {
    const result = classify('您好，请清除浏览器缓存后重试。\n\n在 2026年11月29日 14:05，Drill Bot <drills@school.example> 写道：\n频道 drill-7f3a9c 在 14:03:12 卡顿 10.2 秒，uid 1001。');
    expect(result.kind).toBe('canned');
  });

  it('treats a generic reply above an Outlook header block as canned', () => {
    const result = classify(
      'Please update the SDK to the latest version.\n\nFrom: Drill Bot <drills@school.example>\nSent: Saturday, November 29, 2026 2:05 PM\nTo: Support\nSubject: froze\n\nChannel drill-7f3a9c froze at 14:03:12.',
    );
    expect(result.kind).toBe('canned');
  });

  it('treats a hedged generic cause as canned, not resolution', () => {
    expect(classify('Video freezes are usually caused by poor network conditions.').kind).toBe('canned');
  });

  it('treats 可能是网络不稳定导致的 as canned, not resolution', () => {
    expect(classify('这个问题可能是网络不稳定导致的，建议您更换网络再试。').kind).toBe('canned');
  });

  it('treats "we have not found the root cause yet" as canned', () => {
    expect(classify('We have not found the root cause yet; our engineers are investigating.').kind).toBe('canned');
  });

  it('treats an offer to escalate if the problem persists as canned', () => {
    expect(classify('If the issue persists, we can escalate it to our engineers.').kind).toBe('canned');
  });

  it('treats canned advice with an auto-close warning as a canned macro', () => {
    const result = classify('Please restart the app. This ticket will be closed automatically if we do not hear from you within 3 days.');
    expect(result.kind).toBe('canned');
  });

  it('treats a reply with nothing but quoted history as canned', () => {
    const result = classify('> Teacher video froze at 14:03:12 in channel drill-7f3a9c.');
    expect(result.kind).toBe('canned');
    expect(result.reasons[0]).toBe('no text of its own after removing quoted history and signature');
  });

  it('says so when no ticket facts were given to compare with', () => {
    const result = classifyReply({ text: 'Thanks for the detailed report.' });
    expect(result.kind).toBe('canned');
    expect(result.reasons[0]).toContain('no ticket facts were given');
  });

  it('does not count the vendor ticket number in "Ticket #48213" as engagement', () => {
    expect(classify('Ticket #48213: please restart the app and check your network.').kind).toBe('canned');
  });

  it('does not count the reference tag as the channel id it resembles', () => {
    expect(classify('Regarding DRILL-7f3a9c, please restart the app.').kind).toBe('canned');
  });

  it('treats a holding reply that merely names the ticket channel as canned', () => {
    const result = classify('Dear customer, sorry for the inconvenience. Our engineers are investigating the issue with channel drill-7f3a9c.');
    expect(result.kind).toBe('canned');
    expect(result.reasons).toContain("names the ticket's id 'drill-7f3a9c' only inside generic phrasing");
  });

  it('treats restart advice addressed to the ticket uid as canned', () => {
    expect(classify('请让 uid 1001 的老师重启浏览器后重新加入频道。').kind).toBe('canned');
  });

  it('does not count a short number without the unit the ticket gave it', () => {
    expect(classify('Please restart the app and reply within 3 days.').kind).toBe('canned');
  });
});

describe('human', () => {
  it('treats a reply that refers to the ticket channel and time as human', () => {
    const result = classify('Hi, I looked at channel drill-7f3a9c around 14:03 UTC and the teacher uplink looks odd.');
    expect(result.kind).toBe('human');
    expect(result.reasons).toContain("refers to the ticket's id 'drill-7f3a9c'");
    expect(result.reasons).toContain("refers to the ticket's time '14:03:12'");
  });

  it('treats "please restart" plus a specific question about the ticket channel id as human', () => {
    const result = classify('Please restart the app. Also, was drill-7f3a9c created in live or rtc mode?');
    expect(result.kind).toBe('human');
    expect(result.reasons).toContain('also generic advice: restart or rejoin');
  });

  it('treats a request for information the ticket did not give as human', () => {
    const result = classify('Could you share your App ID so we can look this up?');
    expect(result.kind).toBe('human');
    expect(result.reasons[0]).toBe('asks for the App ID, which the ticket did not give');
    expect(result.requestsProvidedInfo).toEqual([]);
  });

  it('reports requests for given information inside a human reply too', () => {
    const result = classify('Which region are your students in? Please also send the logs again.');
    expect(result.kind).toBe('human');
    expect(result.requestsProvidedInfo).toEqual(['logs']);
  });

  it('treats a Chinese reply about the ticket channel, uid and time as human', () => {
    const result = classify('您好，我们查看了频道drill-7f3a9c在14:03的数据，老师端（uid 1001）上行丢包率达到35%。请问当时老师是否在使用无线网络？');
    expect(result.kind).toBe('human');
    expect(result.reasons).toContain("refers to the ticket's id 'drill-7f3a9c'");
    expect(result.reasons).toContain("refers to the ticket's id '1001'");
  });

  it('treats a reference to the freeze duration written another way as human', () => {
    expect(reasonsOf('A 10.2 seconds gap is long for a keyframe request.')).toContain("refers to the ticket's number '10.2 s'");
  });

  it('treats a reply that reads the attached chart as human', () => {
    const result = classify('In the chart you attached the frame rate drops to zero for all students at the same moment.');
    expect(result.kind).toBe('human');
    expect(result.reasons[0]).toContain("refers to the ticket's evidence");
  });

  it('treats a bare escalation as canned, and one with the ticket’s specifics as human', () => {
    expect(classify('I have escalated this to our media engineering team.').reasons[0]).toContain('escalates');
    expect(classify('I have escalated this to our media engineering team.').kind).toBe('canned');
    expect(classify('I have escalated this to our media engineering team: uid 1001 sent no video from 14:03:12.').kind).toBe('human');
  });

  it('treats 已反馈给研发 alone as canned', () => {
    expect(classify('您好，该问题已反馈给研发同事跟进。').kind).toBe('canned');
  });

  it('treats analysis with data as human even without ticket facts', () => {
    const result = classifyReply({ text: 'Our logs show the publisher stopped sending video for 10 s at 06:03 UTC.' });
    expect(result.kind).toBe('human');
    expect(result.reasons[0]).toContain('gives analysis with data');
  });

  it('treats a specific question as human even without ticket facts', () => {
    expect(classifyReply({ text: 'Did all three students see the freeze, or only the ones on mobile?' }).kind).toBe('human');
  });

  it('treats "we checked the logs" without data as human, and with restart advice as canned', () => {
    expect(classify('We have checked the logs on our side.').kind).toBe('human');
    expect(classify('We have checked the logs on our side. Please restart the app.').kind).toBe('canned');
  });

  it('treats an id written between Chinese characters as a reference', () => {
    expect(reasonsOf('频道drill-7f3a9c中老师端1001断开了。')).toContain("refers to the ticket's id 'drill-7f3a9c'");
  });
});

describe('resolution', () => {
  it('treats an agent reply that states a root cause referencing the ticket as resolution', () => {
    const result = classify('Root cause: an edge node in Frankfurt dropped keyframes for channel drill-7f3a9c at 14:03.', { authorRole: 'agent' });
    expect(result.kind).toBe('resolution');
    expect(result.reasons[0]).toMatch(/^states the root cause: /);
    expect(result.reasons).toContain("also refers to the ticket's id 'drill-7f3a9c'");
  });

  it('treats "we have deployed a fix" as resolution', () => {
    expect(classify('We have deployed a fix to the media servers in your region.').kind).toBe('resolution');
  });

  it('treats "fixed in 4.24.1, please upgrade" as resolution, not canned', () => {
    expect(classify('This is a known bug fixed in 4.24.1, please upgrade the SDK.').kind).toBe('resolution');
  });

  it('treats "the cause was" with a status change to solved as resolution', () => {
    const result = classify('The cause was a misconfigured TURN relay; it has been fixed.', { statusChange: 'solved', authorRole: 'agent' });
    expect(result.kind).toBe('resolution');
    expect(result.reasons).toContain("comes with a status change to 'solved'");
  });

  it('treats 根本原因是 as resolution', () => {
    expect(classify('您好，经排查，卡顿的根本原因是法兰克福边缘节点丢弃了关键帧。').kind).toBe('resolution');
  });

  it('treats 已修复 as resolution', () => {
    expect(classify('该问题已在 4.24.1 版本中修复，请升级。').kind).toBe('resolution');
  });

  it('treats 原因是 from a person as resolution', () => {
    expect(classify('您好，这次卡顿的原因是老师端摄像头驱动异常，更换驱动后已恢复正常。').kind).toBe('resolution');
  });

  it('does not treat a question about the root cause as resolution', () => {
    expect(classify('What do you think the root cause is?').kind).not.toBe('resolution');
  });

  it('does not treat "the solution is to restart" as resolution', () => {
    expect(classify('The solution is to restart your browser.').kind).toBe('canned');
  });
});

describe('every reply', () => {
  const replies: ReplyInput[] = [
    { text: '' },
    { text: 'Hello.' },
    { text: '', statusChange: 'closed' },
    { text: 'Root cause: bad node.' },
    { text: 'Please restart.', headers: { 'auto-submitted': 'auto-replied' } },
    { text: '在 2026年11月29日 写道：\n内容' },
  ];

  it('gets exactly one kind and at least one reason', () => {
    for (const reply of replies) {
      const result = classifyReply(reply);
      expect(['auto', 'canned', 'human', 'resolution']).toContain(result.kind);
      expect(result.reasons.length).toBeGreaterThan(0);
    }
  });

  it('gets the same answer every time', () => {
    const input = { text: 'Please restart. Was drill-7f3a9c in live mode?', facts: FACTS };
    expect(classifyReply(input)).toEqual(classifyReply(input));
  });
});
