/**
 * Whether an e-mail reply can be shown to come from the vendor. Anyone can send a mail whose subject
 * carries the ticket's tag; such a message must never count as the vendor's response or resolution.
 * Two signals: the From address against the vendor's senders (its addresses and domains), and the
 * receiving server's `Authentication-Results` (RFC 8601) when it has one — a DMARC failure, or DKIM
 * and SPF both failing, makes even a matching From unverified.
 */
import { authenticationResults, type MailHeaders } from './email-auth-results.ts';

/** A sender as configured: an address (`support@agora.io`) or a domain (`agora.io`, `@agora.io`), which includes its subdomains. */
export type SenderPattern = string;

/** The address inside `Name <address>`, lower-cased. */
export function addressOf(from: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(from);
  return (angle ? angle[1]! : from).trim().toLowerCase();
}

/** Whether `address` is one of `senders`, or at one of their domains (or a subdomain of one). */
export function senderAllowed(address: string, senders: readonly SenderPattern[]): boolean {
  const lower = address.toLowerCase();
  const domain = lower.slice(lower.lastIndexOf('@') + 1);
  return senders.some((pattern) => {
    const p = pattern.trim().toLowerCase();
    if (p.includes('@') && !p.startsWith('@')) return lower === p;
    const d = p.replace(/^@/, '');
    return domain === d || domain.endsWith(`.${d}`);
  });
}

/** Why a reply is not shown to be the vendor's, or `undefined` when it is. */
export function unverifiedSender(input: { from: string | undefined; headers: MailHeaders }, senders: readonly SenderPattern[], where: string): string | undefined {
  const address = input.from ? addressOf(input.from) : '';
  if (!address) return 'the message has no From address';
  if (!senderAllowed(address, senders)) return `${address} is not among the vendor's senders (${where}: ${senders.join(', ')})`;
  const results = authenticationResults(input.headers);
  if (!results) return undefined;
  if (results.dmarc === 'fail') return `${address} failed DMARC at our mail server (Authentication-Results: ${results.raw})`;
  if (results.dkim.length > 0 && results.dkim.every((d) => d.result !== 'pass') && results.spf === 'fail') {
    return `${address} failed both DKIM and SPF at our mail server (Authentication-Results: ${results.raw})`;
  }
  return undefined;
}
