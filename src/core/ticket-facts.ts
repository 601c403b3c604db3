/** A kind of information a ticket can contain and a vendor can ask for. */
export type InfoKind =
  | 'sdk-version'
  | 'browser'
  | 'os'
  | 'channel'
  | 'uid'
  | 'timestamps'
  | 'logs'
  | 'screenshots'
  | 'app-id'
  | 'network'
  | 'steps';

/** Every {@link InfoKind}, in a stable order. */
export const INFO_KINDS: readonly InfoKind[] = [
  'sdk-version', 'browser', 'os', 'channel', 'uid', 'timestamps', 'logs', 'screenshots', 'app-id', 'network', 'steps',
];

/** Narrows a string (e.g. from a vendor adapter's or the store's facts) to an {@link InfoKind}. */
export function isInfoKind(value: string): value is InfoKind {
  return (INFO_KINDS as readonly string[]).includes(value);
}

/** What the ticket already told the vendor, so a reply can be checked against it. */
export interface TicketFacts {
  /** The ticket's reference tag, e.g. `DRILL-7f3a9c`. Not counted as engagement: every reply on the thread carries it. */
  ref?: string;
  /** Run id, channel name, uids, vendor ticket id, SDK version… Identifiers shorter than 3 characters are ignored. */
  identifiers?: string[];
  /** Times as written in the ticket (`14:03:12`, `2026-11-29T14:03:12Z`); a reply naming the same minute refers to them. */
  times?: string[];
  /** Salient numbers with their unit as written in the ticket (`10.2 s`, `12 fps`, `3 freezes`). */
  numbers?: string[];
  /** What the ticket already contained; a request for any of these is generic. Unknown when absent. */
  providedInfo?: InfoKind[];
}

/** A stored facts column as {@link TicketFacts}: only the fields in their right form are kept. */
export function decodeTicketFacts(json: string | null): TicketFacts | null {
  let value: unknown;
  try {
    value = json === null ? null : JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const raw = value as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);
  const facts: TicketFacts = {};
  if (typeof raw.ref === 'string') facts.ref = raw.ref;
  const identifiers = strings(raw.identifiers);
  if (identifiers) facts.identifiers = identifiers;
  const times = strings(raw.times);
  if (times) facts.times = times;
  const numbers = strings(raw.numbers);
  if (numbers) facts.numbers = numbers;
  const provided = strings(raw.providedInfo);
  if (provided) facts.providedInfo = provided.filter(isInfoKind);
  return facts;
}
