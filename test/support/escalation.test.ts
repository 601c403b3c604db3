import { describe, expect, it } from 'vitest';
import { classifyReply } from '../../src/support/classifier.ts';
import type { TicketFacts } from '../../src/core/ticket-facts.ts';

const FACTS: TicketFacts = {
  ref: 'DRILL-429c7b',
  identifiers: ['run_20261129T051246Z_429c7b'],
  providedInfo: ['sdk-version', 'browser', 'channel', 'uid', 'timestamps', 'logs', 'steps'],
};

const classify = (text: string) => classifyReply({ text, facts: FACTS });

describe('an escalation statement', () => {
  it.each([
    'I have escalated this ticket to our second-line engineering team.',
    'We have passed this to our R&D team.',
    '已升级到研发团队处理。',
    '已转交二线技术支持。',
    'Your ticket 48213 (DRILL-429c7b) has been escalated to our second-line engineering team, and I am taking it over from my colleague Alex.',
    'I have handed your ticket over to our tier 2 team.',
    'Your ticket has been transferred to our product team.',
    'I have escalated this to R&D, who will contact you.',
    'We are escalating this to our media engineering team.',
    '您好，该问题已反馈给研发同事跟进。',
    '已将问题转交研发团队。',
    '您的工单 48213（DRILL-429c7b）已转交二线技术支持，接下来由我接替王芳跟进。',
  ])('%s', (text) => {
    const result = classify(text);
    expect(result.escalation).toBe(true);
    // A hand-over alone is what a macro says too: not engagement with this ticket (the labelled replies agree).
    expect(result.kind).toBe('canned');
    expect(result.reasons.join('\n')).toContain('escalates (a hand-over, not engagement on its own)');
  });
});

describe('not an escalation', () => {
  it.each([
    'If it persists we will escalate.',
    'If the issue persists, we will escalate it to our engineers.',
    'If the issue persists, we can escalate it to our engineers.',
    'We can escalate this to R&D if needed.',
    "We'll escalate this to our engineering team once we have the logs.",
    'Should the freeze happen again, I will forward it to our R&D team.',
    '我们会将问题升级到研发。',
    '如果问题仍然存在，我们会转交研发。',
    '如需要，可以帮您升级到研发。',
    '请将日志提交给我们的工程师。',
    'The ticket has been assigned to me.',
    'Shall I escalate this to our engineers?',
    'Please restart the app.',
  ])('%s', (text) => {
    expect(classify(text).escalation).toBe(false);
  });

  it('never for an auto reply', () => {
    const result = classifyReply({ text: 'Your ticket has been escalated to our R&D team.', automated: true, facts: FACTS });
    expect(result.kind).toBe('auto');
    expect(result.escalation).toBe(false);
  });

  it('not for an acknowledgement that mentions a hand-over', () => {
    const result = classify('We have received your request. It has been escalated to our engineering team.');
    expect(result.kind).toBe('auto');
    expect(result.escalation).toBe(false);
  });
});

describe('escalation beside other kinds', () => {
  it('is kept on a resolution that says who found the fix', () => {
    const result = classify('I escalated this to our R&D team. The root cause was a routing change on the edge node; we have deployed a fix.');
    expect(result.kind).toBe('resolution');
    expect(result.escalation).toBe(true);
  });

  it('comes with the questions the escalated side asks', () => {
    const result = classify('This ticket has been escalated to our second-line engineering team. What is the uid of the teacher?');
    expect(result.escalation).toBe(true);
    expect(result.questions).toEqual([{ topic: 'uid', text: 'What is the uid of the teacher?', alreadyGiven: true }]);
  });
});
