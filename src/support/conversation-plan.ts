/**
 * What supportdrill owes a ticket's conversation now, decided from what is stored: which vendor
 * replies to answer, when to follow up after silence, how to close out. Pure: the pipeline
 * composes the answers from the run's evidence, records the plans and sends them.
 */
import type { ConversationConfig } from '../config/conversation.ts';
import type { ActivityRow, MessageRow, TicketRow } from '../store/rows.ts';

/** What the planner reads of a ticket and its conversation. */
export interface ConversationState {
  ticket: Pick<TicketRow, 'id' | 'state' | 'filedAt' | 'vendorStatus'>;
  activities: readonly ActivityRow[];
  messages: readonly MessageRow[];
  settings: ConversationConfig;
  /** When the first-human-response target falls due (from the SLA verdict), for the first follow-up. */
  firstHumanDueAt: Date | null;
  /** The message sent after the resolution to say the ticket was a drill, or `null`. */
  disclosureAfter: string | null;
  /** Whether the vendor's channel lets us mark the ticket solved. */
  canMarkSolved: boolean;
  now: Date;
}

/** What to do now. */
export interface ConversationPlan {
  /** Vendor replies whose questions to answer (or hand to the operator), oldest first. */
  answer: ActivityRow[];
  /** A follow-up is due: its number (1 for the first). */
  followUp: number | null;
  closeOut: boolean;
  disclose: boolean;
  /** Mark the ticket solved once every close-out message is sent. */
  markSolved: boolean;
  /** Messages no longer to be sent (the ticket settled before they went out). */
  cancel: MessageRow[];
}

/** A vendor reply that is a person's and says something we may answer: never an auto-reply, our own message, or an unverified sender's. */
export function isAnswerable(activity: ActivityRow): boolean {
  return (activity.kind === 'canned' || activity.kind === 'human' || activity.kind === 'resolution') && !activity.unverified;
}

const OWED: ReadonlySet<MessageRow['state']> = new Set(['needed', 'planned', 'sending']);

/** The plan keys of the conversation's messages, one per thing owed (see MessageRow.plan). */
export const planKey = {
  answer: (activityId: number) => `answer:${activityId}`,
  handoff: (activityId: number) => `handoff:${activityId}`,
  followUp: (n: number) => `follow-up:${n}`,
  closeOut: 'close-out',
  disclosure: 'disclosure',
} as const;

/** Decides what the conversation owes now; see the module comment. */
export function planConversation(state: ConversationState): ConversationPlan {
  const { ticket, activities, messages, settings } = state;
  const plans = new Set(messages.map((m) => m.plan));
  const plan: ConversationPlan = { answer: [], followUp: null, closeOut: false, disclose: false, markSolved: false, cancel: [] };
  const ours = activities.filter((a) => a.kind === 'customer');
  const lastOursAt = Math.max(Date.parse(ticket.filedAt ?? '') || 0, ...ours.map((a) => Date.parse(a.at)));

  if (ticket.state === 'open') {
    for (const activity of activities) {
      if (!isAnswerable(activity) || activity.questions.length === 0) continue;
      if (plans.has(planKey.answer(activity.id)) || plans.has(planKey.handoff(activity.id))) continue;
      // Answered already, by us or the operator, after it was asked.
      if (ours.some((a) => Date.parse(a.at) >= Date.parse(activity.at))) continue;
      plan.answer.push(activity);
    }
    plan.followUp = followUpDue(state, lastOursAt);
    return plan;
  }

  // Settled: what was still to go out is no longer owed (a resolution makes answers moot; a
  // timed-out watch must not keep writing to the vendor).
  for (const message of messages) {
    // A `sending` one may have reached the vendor: the sender settles it (found there: sent; not: cancelled).
    if ((message.state === 'needed' || message.state === 'planned') && message.purpose !== 'close-out' && message.purpose !== 'disclosure') plan.cancel.push(message);
  }
  if (ticket.state !== 'resolved') return plan;
  plan.closeOut = settings.closeOut.confirm && !plans.has(planKey.closeOut);
  plan.disclose = state.disclosureAfter !== null && !plans.has(planKey.disclosure);
  const solvedAlready = /^(solved|closed|resolved)$/i.test(ticket.vendorStatus ?? '');
  const closing = messages.some((m) => (m.purpose === 'close-out' || m.purpose === 'disclosure') && m.state !== 'sent' && m.state !== 'cancelled');
  // Solving after every close-out message: a comment on a solved Zendesk request reopens it.
  plan.markSolved = settings.closeOut.markSolved && state.canMarkSolved && !solvedAlready && !plan.closeOut && !plan.disclose && !closing;
  return plan;
}

/**
 * The number of the follow-up due now, or `null`. Only while the ball is in the vendor's court —
 * nothing of ours is owed — and the vendor has been silent long enough: the first when the
 * first-human-response target passes without a human reply (or `after` past our last word), then
 * every `every` since the last word on either side, at most `max`.
 */
function followUpDue(state: ConversationState, lastOursAt: number): number | null {
  const { settings, messages, activities, now } = state;
  const policy = settings.followUp;
  if (!policy) return null;
  if (messages.some((m) => OWED.has(m.state))) return null;
  const sent = messages.filter((m) => m.purpose === 'follow-up').length;
  if (sent >= policy.max) return null;
  const vendorReplies = activities.filter(isAnswerable);
  const lastVendorAt = Math.max(0, ...vendorReplies.map((a) => Date.parse(a.at)));
  const silentSince = Math.max(lastOursAt, lastVendorAt);
  if (sent === 0 && vendorReplies.length === 0) {
    const due = policy.after === 'first-human-target' ? state.firstHumanDueAt?.getTime() ?? null : lastOursAt + policy.after;
    return due !== null && now.getTime() >= due ? 1 : null;
  }
  return now.getTime() >= silentSince + policy.everyMs ? sent + 1 : null;
}

/** The language a vendor writes in, from its latest replies: Chinese when they are mostly CJK. */
export function vendorLanguage(activities: readonly ActivityRow[]): 'en' | 'zh' {
  const text = activities.filter(isAnswerable).slice(-3).map((a) => a.text ?? '').join(' ');
  const cjk = (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  return cjk > latin / 3 ? 'zh' : 'en';
}
