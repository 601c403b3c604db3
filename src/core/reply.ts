/** The kind of a vendor reply; see the glossary in docs/ARCHITECTURE.md. */
export type ReplyKind = 'auto' | 'canned' | 'human' | 'resolution';

/** Who wrote a reply, when the vendor says (e.g. Zendesk's `users[].agent`). */
export type AuthorRole = 'agent' | 'end-user' | 'system' | 'bot' | 'unknown';
