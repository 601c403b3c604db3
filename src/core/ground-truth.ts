/**
 * What a fault really does, as its kind declares it: supportdrill injected it, so it knows where the
 * trouble is. A vendor's diagnosis is scored against this; it is never shown to the vendor.
 */
export interface FaultGroundTruth {
  /** Whom the fault hits, as the drill names them: `teacher`, `students` or `student-N`. */
  participant: string;
  /**
   * Where the fault acts: the publisher's sending side (the teacher's client), a subscriber's
   * receiving side (a student's client), the network path between a client and the vendor, or the
   * vendor's server side.
   */
  side: FaultSide;
  /** The media it disturbs. */
  media: readonly ('video' | 'audio')[];
  /** Which way the disturbed media flows, seen from the participant. */
  direction: 'send' | 'receive' | 'both';
  /** What happened, in words an engineer would use: `no video frames sent`, `20 % of video frames lost`. */
  mechanism: string;
  /** The same as categories a vendor's stated cause can be matched with; a diagnosis naming any of them names the mechanism. */
  mechanisms: readonly MechanismKind[];
}

/** Where a fault acts; see {@link FaultGroundTruth.side}. */
export type FaultSide = 'publisher' | 'subscriber' | 'network' | 'server';

/**
 * A mechanism as a category, shared by the answer key and the causes read from vendor replies:
 * `no-video-sent` (the publisher sends no video: encoder output dropped, track muted), `no-video-received`
 * (video does not reach a subscriber's decoder), `audio-stopped`, `packet-loss`, `bandwidth`,
 * `latency`, `decode-failure`, `cpu` (device performance), `relay-stall` (the vendor's server stops
 * forwarding), `disconnect`, `bad-picture` (the publisher's camera delivers a black or unchanging
 * picture while frames keep flowing).
 */
export type MechanismKind =
  | 'no-video-sent'
  | 'no-video-received'
  | 'audio-stopped'
  | 'packet-loss'
  | 'bandwidth'
  | 'latency'
  | 'decode-failure'
  | 'cpu'
  | 'relay-stall'
  | 'disconnect'
  | 'bad-picture';

export const MECHANISM_KINDS: readonly MechanismKind[] = [
  'no-video-sent', 'no-video-received', 'audio-stopped', 'packet-loss', 'bandwidth', 'latency', 'decode-failure', 'cpu', 'relay-stall', 'disconnect', 'bad-picture',
];
