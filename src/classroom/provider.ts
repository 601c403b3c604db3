/**
 * A classroom provider puts the participants' pages on a real-time stack: `local` (plain WebRTC
 * between the pages) or a vendor SDK. Fault injection and freeze detection do not depend on it.
 */
export interface ClassroomProvider {
  readonly name: string;
  /** Prepares the room for one run (servers, channel names, tokens). */
  start(context: ProviderContext): Promise<void>;
  /** The page a participant opens. */
  url(participant: string): string;
  /** SDK and page versions, recorded in the timeline and the ticket. */
  versions(): Record<string, string>;
  /** Room/channel ids and participant ids: what a vendor's support asks for first. */
  identifiers(): Record<string, unknown>;
  /** How long the class may take to be in session when the drill does not say. */
  defaultJoinTimeoutMs?: number;
  /** The set-up failure message when the class never got into session; `joined` lists who got into the room. */
  explainNoSession?(waiting: string[], joined: string[]): string;
  stop(): Promise<void>;
}

export interface ProviderContext {
  runId: string;
  participants: string[];
  video: { width: number; height: number; fps: number };
}
