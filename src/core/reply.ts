/** The kind of a vendor reply; see the glossary in docs/ARCHITECTURE.md. */
export type ReplyKind = 'auto' | 'canned' | 'human' | 'resolution';

/** Every reply kind, in the order tables and the reply model list them. */
export const REPLY_KINDS: readonly ReplyKind[] = ['auto', 'canned', 'human', 'resolution'];

/**
 * The kind of an activity on a ticket: a vendor reply's kind, or `customer` for a message we sent
 * (an answer, a follow-up, the operator's reply, a close-out). A customer activity is never a
 * vendor reply: it counts in no vendor timing, only in the conversation (it ends a customer wait).
 */
export type ActivityKind = ReplyKind | 'customer';

/** Who wrote a reply, when the vendor says (e.g. Zendesk's `users[].agent`). */
export type AuthorRole = 'agent' | 'end-user' | 'system' | 'bot' | 'unknown';
