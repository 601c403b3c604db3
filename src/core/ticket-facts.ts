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
