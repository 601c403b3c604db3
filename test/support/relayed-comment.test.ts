import { describe, expect, it } from 'vitest';
import { classifyReply } from '../../src/support/classifier.ts';
import { findRelayedComment, parseWrittenAt } from '../../src/support/relayed-comment.ts';
import type { TicketFacts } from '../../src/core/ticket-facts.ts';

const FACTS: TicketFacts = {
  ref: 'DRILL-7f3a9c',
  identifiers: ['drill-7f3a9c', '1001', '1002', '48213'],
  times: ['14:03:12'],
  numbers: ['10.2 s'],
  providedInfo: ['sdk-version', 'browser', 'os', 'channel', 'uid', 'timestamps', 'logs', 'screenshots', 'steps'],
};

const ZENDESK_HEADERS = { 'auto-submitted': 'auto-generated', precedence: 'bulk', 'x-auto-response-suppress': 'All' };

const zendesk = (comment: string) => `##- Please type your reply above this line -##

Your request (48213) has been updated. To add additional comments, reply to this email.

Li Wei (Agora Support)

Nov 29, 2026, 15:42 UTC

${comment}

--------------------------------
This email is a service from Agora Support. Delivered by Zendesk

[DRILL-7f3a9c] Customer

Nov 29, 2026, 14:05 UTC

The teacher's picture froze for 10.2 s at 14:03:12 in channel drill-7f3a9c.`;

describe('a help-desk notification relaying a comment', () => {
  it('classifies the relayed comment, not the envelope, and keeps the comment’s own time', () => {
    const result = classifyReply({ text: zendesk('We checked channel drill-7f3a9c: uid 1001 stopped sending video at 14:03:12. Looking at the SDK side now.'), headers: ZENDESK_HEADERS, facts: FACTS });
    expect(result.kind).toBe('human');
    expect(result.writtenAt).toBe('2026-11-29T15:42:00.000Z');
    expect(result.reasons.join('\n')).toContain("relaying Li Wei (Agora Support)'s comment written 2026-11-29T15:42:00.000Z: the comment decides, not the envelope's header Auto-Submitted: auto-generated");
  });

  it('a relayed generic macro is canned, however the envelope names the ticket', () => {
    const result = classifyReply({ text: zendesk('Please restart the browser and check your network connection, then try again.'), headers: ZENDESK_HEADERS, facts: FACTS });
    expect(result.kind).toBe('canned');
  });

  it('the same Auto-Submitted mail without a relayed comment stays auto', () => {
    const result = classifyReply({ text: 'We checked channel drill-7f3a9c: uid 1001 stopped sending video at 14:03:12.', headers: ZENDESK_HEADERS, facts: FACTS });
    expect(result.kind).toBe('auto');
    expect(result.writtenAt).toBeUndefined();
  });

  it('stops at the footer: the older comments below are not read as this one', () => {
    const relayed = findRelayedComment(zendesk('Thanks, we are looking into it.'))!;
    expect(relayed.text).toBe('Thanks, we are looking into it.');
    expect(relayed.author).toBe('Li Wei (Agora Support)');
  });

  it('reads Jira Service Management’s “X commented:” and Chinese desks with a UTC+8 time', () => {
    const jira = findRelayedComment('—-—-—-—\nReply above this line.\n\nZhang Wei commented:\n\nuid 1001 stopped publishing at 14:03:12, the edge logs show nothing.\n\nView request · Turn off this request\'s notifications')!;
    expect(jira).toMatchObject({ author: 'Zhang Wei', text: 'uid 1001 stopped publishing at 14:03:12, the edge logs show nothing.', writtenAt: null });
    const zh = findRelayedComment('##- 请在此行上方输入回复 -##\n\n张伟，2026年11月29日 23:42 (UTC+8)\n\n您好，已转交研发排查。\n\n----------\n查看工单')!;
    expect(zh).toMatchObject({ author: '张伟', text: '您好，已转交研发排查。', writtenAt: '2026-11-29T15:42:00.000Z' });
  });

  it('is not fooled by quoted history: “On … X wrote:” is no notification', () => {
    expect(findRelayedComment('Please restart.\n\nOn Sat, 29 Nov 2026 at 14:05, Drill <drills@school.example> wrote:\n> The picture froze at 14:03:12.')).toBeNull();
  });
});

describe('a notification’s timestamp', () => {
  it.each([
    ['Nov 29, 2026, 15:42 UTC', '2026-11-29T15:42:00.000Z'],
    ['November 29, 2026 at 3:42 PM GMT+8', '2026-11-29T07:42:00.000Z'],
    ['29 Nov 2026, 15:42 GMT', '2026-11-29T15:42:00.000Z'],
    ['2026-11-29 23:42:10 (UTC+08:00)', '2026-11-29T15:42:10.000Z'],
    ['2026年11月29日 下午11:42 北京时间', '2026-11-29T15:42:00.000Z'],
  ])('%s is %s', (line, iso) => {
    expect(parseWrittenAt(line)).toBe(iso);
  });

  it('a time without a zone is no instant (null), a line without a time is not a timestamp (undefined)', () => {
    expect(parseWrittenAt('Nov 29, 2026, 15:42')).toBeNull();
    expect(parseWrittenAt('Li Wei (Agora Support)')).toBeUndefined();
  });
});
