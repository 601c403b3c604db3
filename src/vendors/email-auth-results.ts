/**
 * Reading `Authentication-Results` (RFC 8601): what the receiving mail server found out about a
 * message's sender — its DMARC, SPF and DKIM results. Only the topmost header counts: the receiving
 * server prepends its own, and any below it came with the message and may be forged.
 */

/** Lower-case header names to raw values, as e-mail activities carry them. */
export type MailHeaders = Record<string, string | string[]>;

export type AuthResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';

export interface AuthenticationResults {
  dmarc?: AuthResult;
  spf?: AuthResult;
  dkim: { result: AuthResult; domain?: string }[];
  /** The header as read, for the reasons shown to a person. */
  raw: string;
}

const METHOD = /\b(dmarc|spf|dkim)\s*=\s*(pass|fail|softfail|neutral|none|temperror|permerror|policy)\b([^;]*)/gi;

/** The receiving server's verdicts, or `undefined` when the message has no `Authentication-Results`. */
export function authenticationResults(headers: MailHeaders): AuthenticationResults | undefined {
  const value = headers['authentication-results'];
  const top = Array.isArray(value) ? value[0] : value;
  if (!top) return undefined;
  // Long headers are cut: a hostile one must not make this slow.
  const raw = top.replace(/\s+/g, ' ').trim().slice(0, 2000);
  const results: AuthenticationResults = { dkim: [], raw };
  for (const match of raw.matchAll(METHOD)) {
    const method = match[1]!.toLowerCase();
    const result = match[2]!.toLowerCase() as AuthResult;
    if (method === 'dkim') results.dkim.push({ result, domain: /header\.d\s*=\s*([^\s;]+)/i.exec(match[3] ?? '')?.[1]?.toLowerCase() });
    else if (method === 'dmarc') results.dmarc ??= result;
    else results.spf ??= result;
  }
  return results;
}
