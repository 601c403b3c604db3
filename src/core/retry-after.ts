/**
 * Reading a vendor's `Retry-After` (RFC 9110 §10.2.3) as a delay the watcher can schedule. The header
 * comes from a server we do not control, or from whatever proxy stands in front of it, so it is read
 * strictly: the two forms the RFC allows, nothing that merely looks like them, and never more than
 * the watcher's longest backoff. `Date.parse` is not used on its own because it takes almost anything
 * (`'1'` is a day in 2001 to V8).
 */

/** The longest a vendor may make us wait: the watcher's own longest backoff (README: "up to 10 min"). */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** More digits than this cannot be meant (the cap is 600 s); refusing them keeps `Number()` out of floats. */
const MAX_DELTA_DIGITS = 10;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** `Sun, 06 Nov 1994 08:49:37 GMT`, the form servers must send. */
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT` and `Sun Nov  6 08:49:37 1994`: obsolete, but recipients must accept them. */
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/**
 * The delay a `Retry-After` value asks for, in whole milliseconds from `nowMs`: delta-seconds or an
 * HTTP-date, a date already past as 0, capped at {@link MAX_RETRY_AFTER_MS}. `undefined` when there is
 * no header or it is neither form, so the caller falls back to its own delay.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return text.length > MAX_DELTA_DIGITS ? undefined : clamp(Number(text) * 1000);
  const at = httpDate(text, nowMs);
  return at === undefined ? undefined : clamp(Math.ceil(at - nowMs));
}

function clamp(ms: number): number | undefined {
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : undefined;
}

/** The instant an HTTP-date names, in epoch ms, or `undefined` for anything else (31 February included). */
function httpDate(text: string, nowMs: number): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[3]), m[2]!, Number(m[1]), m.slice(4, 7));
  m = RFC850_DATE.exec(text);
  if (m) return utc(fullYear(Number(m[3]), nowMs), m[2]!, Number(m[1]), m.slice(4, 7));
  m = ASCTIME_DATE.exec(text);
  if (m) return utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), m.slice(3, 6));
  return undefined;
}

/** RFC 9110: a two-digit year more than 50 years ahead is in the past century. */
function fullYear(twoDigits: number, nowMs: number): number {
  const thisYear = Number.isFinite(nowMs) ? new Date(nowMs).getUTCFullYear() : 2000;
  const year = Math.floor(thisYear / 100) * 100 + twoDigits;
  return year > thisYear + 50 ? year - 100 : year;
}

function utc(year: number, monthName: string, day: number, time: string[]): number | undefined {
  const month = MONTHS.indexOf(monthName);
  const [hour, minute, second] = time.map(Number) as [number, number, number];
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  // setUTCFullYear, not Date.UTC, which reads the years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, Math.min(second, 59));
  // A 31 February rolls over into March; a date that does not exist is not a date.
  return date.getUTCDate() === day ? date.getTime() : undefined;
}
