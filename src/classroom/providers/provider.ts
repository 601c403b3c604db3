import type { z } from 'zod';

/**
 * A classroom provider puts the participants' pages on a real-time stack: `local` (plain WebRTC
 * between the pages) or a vendor SDK. Fault injection and freeze detection do not depend on it.
 */
export interface ClassroomProvider {
  readonly name: string;
  /** Prepares the room for one run (servers, channel names, tokens). */
  start(context: ProviderContext): Promise<void>;
  /**
   * The page a window opens for the participants it hosts: `['teacher']`, or one or more students
   * when {@link hostsSeveral} (each keeps its own peer connection, decoder, video and monitor).
   * `join.credentials: 'wrong'` gives them credentials the provider's servers reject (only asked of
   * a provider with {@link wrongCredentials}).
   */
  url(participants: readonly string[], join?: JoinOptions): string;
  /**
   * URL patterns (URLPattern syntax, `ws://127.0.0.1:4000/signal*`) of the signalling a page must
   * reach to join: what a `join-block` fault's `signalling` lever makes unreachable. Absent: the
   * provider cannot say, and such a fault is refused.
   */
  signallingUrls?(): string[];
  /** What wrong credentials are on this provider (`a room token the classroom server rejects`), when {@link url} can give them. */
  readonly wrongCredentials?: string;
  /** The provider's page can host several students in one window (`participants` in its URL). */
  readonly hostsSeveral?: boolean;
  /** How the class is connected, for the evidence: `mesh`, `sfu (janus 1.1.2)`, a vendor's cloud. */
  topology?(): string;
  /**
   * The server-side lever only a media server has: it stops forwarding the teacher's `media` to
   * `students` (the failure a vendor's edge node causes), and returns how to resume. Absent on
   * providers without one; faults that need it are refused before the class starts.
   */
  stopForwarding?(students: readonly string[], media: 'audio' | 'video'): Promise<() => Promise<void>>;
  /** SDK and page versions, recorded in the timeline and the ticket. */
  versions(): Record<string, string>;
  /** Room/channel ids and participant ids: what a vendor's support asks for first. */
  identifiers(): Record<string, unknown>;
  /** How long the class may take to be in session when the drill does not say. */
  defaultJoinTimeoutMs?: number;
  /**
   * A cloud provider's entry points, any one of which this machine must reach by TCP before a class
   * starts and before its ticket is filed (`probe-check.ts`). Absent on a provider that runs on this
   * machine, and on a vendor SDK's test double.
   */
  readonly gateways?: readonly Gateway[];
  /** The set-up failure message when the class never got into session; `joined` lists who got into the room. */
  explainNoSession?(waiting: string[], joined: string[]): string;
  stop(): Promise<void>;
}

/** A host and TCP port a provider's pages connect to first. */
export interface Gateway {
  host: string;
  port: number;
}

/** How a provider's class is connected, for the evidence: its own words, else its name. */
export function topologyOf(provider: ClassroomProvider): string {
  return provider.topology?.() ?? provider.name;
}

/** How a window joins: what a `join-block` fault's `credentials` lever changes. */
export interface JoinOptions {
  credentials?: 'wrong';
}

export interface ProviderContext {
  runId: string;
  participants: string[];
  video: { width: number; height: number; fps: number };
}

/** The part of a drill a provider reads: its classroom, with the provider's own options under its name. */
export interface ProviderDrill {
  classroom: { joinTimeout?: number } & Record<string, unknown>;
}

/**
 * One entry of the provider registry (`registry.ts`): a provider's name, the options a drill may
 * give it under `classroom.<name>`, the settings the config may give it under `<name>` (credentials
 * through `env()`), and how to create it for a run.
 */
export interface ProviderKind<N extends string = string, O extends z.ZodType | undefined = z.ZodType | undefined, S extends z.ZodType | undefined = z.ZodType | undefined> {
  name: N;
  /** One line for `--provider` help and errors. */
  summary: string;
  /** Validates `classroom.<name>` in a drill file. */
  drillOptions?: O;
  /** Validates the config's top-level `<name>` entry. */
  settings?: S;
  /** `settings` is the config's entry as validated (secrets unresolved), or `null` without one. */
  create(drill: ProviderDrill, settings: S extends z.ZodType ? z.output<S> | null : null): ClassroomProvider;
}

/** Declares a provider; the types make its options, settings and factory agree. */
export function defineProvider<const N extends string, O extends z.ZodType | undefined = undefined, S extends z.ZodType | undefined = undefined>(
  kind: ProviderKind<N, O, S>,
): ProviderKind<N, O, S> {
  return kind;
}
