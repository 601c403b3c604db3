import { describe, expect, it } from 'vitest';
import { isOwnMessageId, replyMessageId, replyRecipient, replySubject, threadHeaders, type ThreadParent } from '../../src/vendors/email-outgoing.ts';

const RUN = 'run_20261129T051246Z_783902';
const REF = 'DRILL-783902';
const DOMAIN = 'school.example';
const SENDERS = ['vendor.example', 'acme.zendesk.com'];

describe('replyMessageId', () => {
  it("is the run's Message-ID with the key's number: the same for the same key, another for another", () => {
    expect(replyMessageId(RUN, REF, `${REF}/3`, DOMAIN)).toBe(`${RUN}-reply-3@${DOMAIN}`);
    expect(replyMessageId(RUN, REF, `${REF}/3`, DOMAIN)).toBe(replyMessageId(RUN, REF, `${REF}/3`, DOMAIN));
    expect(replyMessageId(RUN, REF, `${REF}/4`, DOMAIN)).not.toBe(replyMessageId(RUN, REF, `${REF}/3`, DOMAIN));
  });

  it('sanitises a key of another shape, and keeps two keys that sanitise alike apart', () => {
    const a = replyMessageId(RUN, REF, `${REF}/follow up`, DOMAIN);
    const b = replyMessageId(RUN, REF, `${REF}/follow:up`, DOMAIN);
    expect(a).toMatch(new RegExp(`^${RUN}-reply-follow-up-[0-9a-f]{8}@${DOMAIN.replace('.', '\\.')}$`));
    expect(a).not.toBe(b);
    expect(replyMessageId(RUN, REF, 'other/3', DOMAIN)).toMatch(/-reply-other-3-[0-9a-f]{8}@/);
  });
});

describe('isOwnMessageId', () => {
  it("knows the ticket's and its replies' Message-IDs, not another run's or a stranger's", () => {
    expect(isOwnMessageId(`${RUN}@${DOMAIN}`, RUN, DOMAIN)).toBe(true);
    expect(isOwnMessageId(`${RUN}-reply-3@${DOMAIN}`, RUN, DOMAIN)).toBe(true);
    expect(isOwnMessageId('run_20261128T000000Z_0ther1-reply-3@school.example', RUN, DOMAIN)).toBe(false);
    expect(isOwnMessageId(`${RUN}-reply-3@attacker.example`, RUN, DOMAIN)).toBe(false);
  });
});

describe('replySubject', () => {
  it("keeps the vendor's ticket tag and ours, with one Re:", () => {
    expect(replySubject(`Re: [#5521] [${REF}] Video froze`, REF)).toBe(`Re: [#5521] [${REF}] Video froze`);
    expect(replySubject(`RE: RE: (5521) [${REF}] Video froze`, REF)).toBe(`Re: (5521) [${REF}] Video froze`);
    expect(replySubject(`[Request 5521] Re: [${REF}] Video froze`, REF)).toBe(`Re: [Request 5521] Re: [${REF}] Video froze`);
  });

  it('adds our tag when the vendor dropped it', () => {
    expect(replySubject('Re: [#5521] Video froze', REF)).toBe(`Re: [#5521] Video froze [${REF}]`);
    expect(replySubject(undefined, REF)).toBe(`Re: [${REF}]`);
  });

  it('drops a Chinese reply marker and keeps the rest', () => {
    expect(replySubject(`回复：[${REF}] 老师视频卡顿（工单 5521）`, REF)).toBe(`Re: [${REF}] 老师视频卡顿（工单 5521）`);
  });
});

describe('replyRecipient', () => {
  const parent = (p: Partial<ThreadParent>): ThreadParent => ({ references: [], ...p });

  it("answers the vendor's sender, or its Reply-To, when it is one of the vendor's senders", () => {
    expect(replyRecipient(parent({ from: 'alex@vendor.example' }), SENDERS, 'support@vendor.example')).toBe('alex@vendor.example');
    expect(replyRecipient(parent({ from: 'support@acme.zendesk.com', replyTo: 'support+id5521@acme.zendesk.com' }), SENDERS, 'support@vendor.example')).toBe(
      'support+id5521@acme.zendesk.com',
    );
  });

  it('never lets a stranger or a mailbox nobody reads decide where the reply goes', () => {
    expect(replyRecipient(parent({ from: 'alex@vendor.example', replyTo: 'mallory@attacker.example' }), SENDERS, 'support@vendor.example')).toBe('alex@vendor.example');
    expect(replyRecipient(parent({ from: 'mallory@attacker.example' }), SENDERS, 'support@vendor.example')).toBe('support@vendor.example');
    expect(replyRecipient(parent({ from: 'no-reply@vendor.example' }), SENDERS, 'support@vendor.example')).toBe('support@vendor.example');
    expect(replyRecipient(null, SENDERS, 'support@vendor.example')).toBe('support@vendor.example');
  });
});

describe('threadHeaders', () => {
  const ticket = `${RUN}@${DOMAIN}`;

  it("answers our ticket when the vendor has written nothing", () => {
    expect(threadHeaders(ticket, null)).toEqual({ inReplyTo: ticket, references: [ticket] });
  });

  it("answers the vendor's message, with our ticket first and the chain after, once each", () => {
    const parent: ThreadParent = { messageId: 'human@vendor.example', references: [ticket, 'ack@vendor.example'] };
    expect(threadHeaders(ticket, parent)).toEqual({ inReplyTo: 'human@vendor.example', references: [ticket, 'ack@vendor.example', 'human@vendor.example'] });
  });

  it('keeps our ticket and the newest of a long chain', () => {
    const chain = Array.from({ length: 40 }, (_, i) => `m${i}@vendor.example`);
    const { references } = threadHeaders(ticket, { messageId: 'last@vendor.example', references: chain });
    expect(references).toHaveLength(20);
    expect(references[0]).toBe(ticket);
    expect(references.at(-1)).toBe('last@vendor.example');
    expect(references[1]).toBe('m22@vendor.example');
  });
});
