import { describe, expect, it } from 'vitest';
import { conversationFor } from '../../src/config/conversation.ts';
import type { Question } from '../../src/core/question.ts';
import type { ActivityRow, MessageRow } from '../../src/store/rows.ts';
import { planConversation, vendorLanguage, type ConversationState } from '../../src/support/conversation-plan.ts';

const MINUTE = 60_000;
const filedAt = '2026-03-09T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(filedAt) + minutes * MINUTE).toISOString();
const logs: Question = { topic: 'logs', text: 'Could you send the SDK log?', alreadyGiven: false };

let nextId = 1;
function activity(minutes: number, kind: ActivityRow['kind'], extra: Partial<ActivityRow> = {}): ActivityRow {
  return {
    id: nextId++, ticketId: 1, vendorActivityId: `a${nextId}`, at: at(minutes), seenAt: at(minutes), kind, reasons: [], authorName: null,
    authorRole: kind === 'customer' ? 'end-user' : 'agent', subject: null, excerpt: null, text: 'Hello', statusChange: null,
    requestsProvidedInfo: [], unverified: false, questions: [], escalation: false, ...extra,
  };
}

function message(plan: string, purpose: MessageRow['purpose'], state: MessageRow['state']): MessageRow {
  return {
    id: nextId++, ticketId: 1, plan, key: `DRILL-1/${nextId}`, purpose, automatic: true, state, body: 'x', attachments: [], answersActivityId: null,
    questions: [], detail: null, dueAt: filedAt, attempts: 0, sentAt: null, vendorMessageId: null, error: null, createdAt: filedAt, updatedAt: filedAt,
  };
}

function state(over: Partial<ConversationState> & { minutes?: number; adapter?: string; followUp?: unknown }): ConversationState {
  const settings = conversationFor(over.adapter ?? 'zendesk', over.followUp === undefined ? {} : { followUp: over.followUp as never }, undefined);
  return {
    ticket: { id: 1, state: 'open', filedAt, vendorStatus: 'open' },
    activities: [],
    messages: [],
    settings,
    firstHumanDueAt: new Date(at(120)),
    disclosureAfter: null,
    canMarkSolved: true,
    now: new Date(at(over.minutes ?? 30)),
    ...over,
  };
}

describe('planConversation', () => {
  it('answers a person asking us something, once, and never an auto-reply, our own message or an unverified sender', () => {
    const asks = activity(5, 'human', { questions: [logs] });
    const plan = planConversation(state({
      activities: [activity(1, 'auto', { questions: [logs] }), activity(2, 'human', { questions: [logs], unverified: true }), asks, activity(6, 'customer', { questions: [logs] })],
    }));
    // Our message at minute 6 came after the question at 5: already answered.
    expect(plan.answer).toEqual([]);
    const fresh = planConversation(state({ activities: [activity(1, 'auto', { questions: [logs] }), asks] }));
    expect(fresh.answer.map((a) => a.id)).toEqual([asks.id]);
    const planned = planConversation(state({ activities: [asks], messages: [message(`answer:${asks.id}`, 'answer', 'planned')] }));
    expect(planned.answer).toEqual([]);
  });

  it('follows up when the first-human-response target passes with no human reply, then every period, at most max', () => {
    const silent = [activity(1, 'auto')];
    const policy = { after: 'first-human-target', every: 4 * 60 * MINUTE, max: 2 };
    expect(planConversation(state({ activities: silent, followUp: policy, minutes: 119 })).followUp).toBeNull();
    expect(planConversation(state({ activities: silent, followUp: policy, minutes: 120 })).followUp).toBe(1);
    const afterOne = [...silent, activity(120, 'customer')];
    const sentOne = [{ ...message('follow-up:1', 'follow-up', 'sent') }];
    expect(planConversation(state({ activities: afterOne, messages: sentOne, followUp: policy, minutes: 120 + 239 })).followUp).toBeNull();
    expect(planConversation(state({ activities: afterOne, messages: sentOne, followUp: policy, minutes: 120 + 240 })).followUp).toBe(2);
    const sentTwo = [...sentOne, message('follow-up:2', 'follow-up', 'sent')];
    expect(planConversation(state({ activities: [...afterOne, activity(360, 'customer')], messages: sentTwo, followUp: policy, minutes: 2000 })).followUp).toBeNull();
  });

  it('does not follow up while we owe the vendor something, nor by default on the sandbox desk', () => {
    const owed = [message('handoff:3', 'operator', 'needed')];
    expect(planConversation(state({ activities: [activity(1, 'auto')], messages: owed, minutes: 5000 })).followUp).toBeNull();
    expect(planConversation(state({ activities: [activity(1, 'auto')], adapter: 'sandbox', minutes: 5000 })).followUp).toBeNull();
    expect(planConversation(state({ activities: [activity(1, 'auto')], minutes: 5000 })).followUp).toBe(1);
  });

  it('counts silence from the vendor\'s last words once a person has replied', () => {
    const policy = { after: 'first-human-target', every: 60 * MINUTE, max: 3 };
    const talked = [activity(10, 'human'), activity(20, 'customer'), activity(30, 'human')];
    expect(planConversation(state({ activities: talked, followUp: policy, minutes: 89 })).followUp).toBeNull();
    expect(planConversation(state({ activities: talked, followUp: policy, minutes: 90 })).followUp).toBe(1);
  });

  it('closes out a resolved ticket: confirm, disclose, and only then mark it solved; cancels what was still owed', () => {
    const settings = conversationFor('zendesk', { closeOut: { confirm: true, markSolved: true } }, undefined);
    const resolved = { id: 1, state: 'resolved' as const, filedAt, vendorStatus: 'open' };
    const owed = message('answer:9', 'answer', 'planned');
    const first = planConversation(state({ ticket: resolved, settings, disclosureAfter: 'It was a drill.', messages: [owed] }));
    expect(first).toMatchObject({ closeOut: true, disclose: true, markSolved: false, answer: [] });
    expect(first.cancel.map((m) => m.plan)).toEqual(['answer:9']);
    const sending = [message('close-out', 'close-out', 'sending'), message('disclosure', 'disclosure', 'sent')];
    expect(planConversation(state({ ticket: resolved, settings, disclosureAfter: 'x', messages: sending })).markSolved).toBe(false);
    const sent = [message('close-out', 'close-out', 'sent'), message('disclosure', 'disclosure', 'sent')];
    expect(planConversation(state({ ticket: resolved, settings, disclosureAfter: 'x', messages: sent })).markSolved).toBe(true);
    expect(planConversation(state({ ticket: { ...resolved, vendorStatus: 'solved' }, settings, disclosureAfter: 'x', messages: sent })).markSolved).toBe(false);
  });

  it('writes nothing more on a ticket whose watch ended', () => {
    const settings = conversationFor('zendesk', { closeOut: { confirm: true } }, undefined);
    const plan = planConversation(state({ ticket: { id: 1, state: 'timed-out', filedAt, vendorStatus: 'open' }, settings, disclosureAfter: 'x', messages: [message('follow-up:1', 'follow-up', 'planned')] }));
    expect(plan).toMatchObject({ closeOut: false, disclose: false, markSolved: false, followUp: null });
    expect(plan.cancel).toHaveLength(1);
  });
});

describe('vendorLanguage', () => {
  it('answers in Chinese a vendor that writes Chinese', () => {
    expect(vendorLanguage([activity(1, 'human', { text: '您好，请提供一下老师端的 SDK 日志？' })])).toBe('zh');
    expect(vendorLanguage([activity(1, 'human', { text: 'Could you send the SDK log?' })])).toBe('en');
  });
});
