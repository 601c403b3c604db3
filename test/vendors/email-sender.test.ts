import { describe, expect, it } from 'vitest';
import { authenticationResults } from '../../src/vendors/email-auth-results.ts';
import { addressOf, senderAllowed, unverifiedSender } from '../../src/vendors/email-sender.ts';

const SENDERS = ['agora.io', 'help@agora.zendesk.com'];
const where = 'vendors.agora.senders';

describe("the vendor's senders", () => {
  it('accepts an address at a listed domain or one of its subdomains, or a listed address', () => {
    expect(senderAllowed('support@agora.io', SENDERS)).toBe(true);
    expect(senderAllowed('Alex@Mail.Agora.IO', SENDERS)).toBe(true);
    expect(senderAllowed('help@agora.zendesk.com', SENDERS)).toBe(true);
    expect(senderAllowed('other@agora.zendesk.com', SENDERS)).toBe(false);
    expect(senderAllowed('support@agora.io.evil.example', SENDERS)).toBe(false);
    expect(senderAllowed('support@notagora.io', SENDERS)).toBe(false);
    expect(senderAllowed('x@agora.io', ['@agora.io'])).toBe(true);
  });

  it('reads the address out of a display name', () => {
    expect(addressOf('Alex Chen (Agora Support) <Alex.Chen@agora.io>')).toBe('alex.chen@agora.io');
    expect(addressOf('support@agora.io')).toBe('support@agora.io');
  });
});

describe('whether a reply is shown to be the vendor’s', () => {
  it("calls a third party's mail that carries the ticket's tag unverified, naming the sender and the setting", () => {
    expect(unverifiedSender({ from: 'Mallory <mallory@evil.example>', headers: {} }, SENDERS, where)).toBe(
      "mallory@evil.example is not among the vendor's senders (vendors.agora.senders: agora.io, help@agora.zendesk.com)",
    );
  });

  it("trusts a listed sender unless our mail server's Authentication-Results say DMARC failed", () => {
    expect(unverifiedSender({ from: 'support@agora.io', headers: {} }, SENDERS, where)).toBeUndefined();
    const passed = { 'authentication-results': 'mx.school.example; dkim=pass header.d=agora.io; spf=pass smtp.mailfrom=agora.io; dmarc=pass header.from=agora.io' };
    expect(unverifiedSender({ from: 'support@agora.io', headers: passed }, SENDERS, where)).toBeUndefined();
    const spoofed = { 'authentication-results': 'mx.school.example; dkim=none; spf=fail smtp.mailfrom=agora.io; dmarc=fail header.from=agora.io' };
    expect(unverifiedSender({ from: 'support@agora.io', headers: spoofed }, SENDERS, where)).toMatch(/^support@agora\.io failed DMARC at our mail server/);
    const bothFail = { 'authentication-results': 'mx.school.example; dkim=fail header.d=agora.io; spf=fail smtp.mailfrom=agora.io' };
    expect(unverifiedSender({ from: 'support@agora.io', headers: bothFail }, SENDERS, where)).toMatch(/failed both DKIM and SPF/);
  });

  it('reads only the topmost Authentication-Results: the ones below came with the message and may be forged', () => {
    const headers = { 'authentication-results': ['mx.school.example; dmarc=fail header.from=agora.io', 'forged.example; dmarc=pass'] };
    expect(authenticationResults(headers)).toMatchObject({ dmarc: 'fail' });
    expect(unverifiedSender({ from: 'support@agora.io', headers }, SENDERS, where)).toMatch(/failed DMARC/);
  });

  it('reads at most the first 2,000 characters of a hostile Authentication-Results header', () => {
    const header = `mx; ${'dkim=pass header.d=agora.io; '.repeat(50_000)}dmarc=fail`;
    const results = authenticationResults({ 'authentication-results': header });
    expect(results?.raw.length).toBe(2000);
    // The DMARC failure past the cut is not read: a verdict comes only from what was read.
    expect(results?.dmarc).toBeUndefined();
  });
});
