import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { HttpConfig } from '../config/http.ts';
import { UserError, prefixed } from '../core/errors.ts';
import { resolveSecret } from '../core/secrets.ts';

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * The token for a host, resolved now so that a missing variable stops the start. A non-loopback
 * host without one is refused: the API shows ticket contents and the status page the schedule.
 */
export function httpToken(http: HttpConfig): string | null {
  if (http.token !== null) return resolveSecret(http.token, 'http.token');
  if (!isLoopback(http.host)) {
    throw new UserError(
      prefixed(
        'serve',
        `http.host is '${http.host}', which is reachable from other machines, but the config has no http.token. ` +
          "Set http.token (e.g. { \"env\": \"SUPPORTDRILL_HTTP_TOKEN\" }) or listen on 127.0.0.1.",
      ),
    );
  }
  return null;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <token>`, or Basic with the token as password so that a browser can log in. */
export function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  let given: string | null = null;
  if (/^bearer /i.test(header)) given = header.slice(7).trim();
  else if (/^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    given = decoded.slice(decoded.indexOf(':') + 1);
  }
  return given !== null && timingSafeEqual(digest(given), digest(token));
}
