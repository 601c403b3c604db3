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
  side: 'publisher' | 'subscriber' | 'network' | 'server';
  /** The media it disturbs. */
  media: readonly ('video' | 'audio')[];
  /** Which way the disturbed media flows, seen from the participant. */
  direction: 'send' | 'receive' | 'both';
  /** What happened, in words an engineer would use: `no video frames sent`, `20 % of video frames lost`. */
  mechanism: string;
}
