import type { PageEvent, StatsSample } from '../classroom/page/protocol.ts';
import type { Logger } from '../core/log.ts';
import type { ProgressListener } from './progress.ts';
import type { Episode, StateEpisode } from './scoring.ts';

export interface StatsRecord {
  participant: string;
  sample: StatsSample;
}

/**
 * Everything the participants' pages report during a run, kept as it arrives: the first frame each
 * student saw (the class is in session when every student has one), freeze episodes and blank,
 * still and silent ones as they start and end, stats samples, and what a vendor SDK said about itself.
 */
export class PageEventLog {
  readonly episodes = new Map<string, Episode>();
  /** Blank and still pictures and audio dropouts, by participant, source, state and start. */
  readonly states = new Map<string, StateEpisode>();
  readonly stats: StatsRecord[] = [];
  readonly events: PageEvent[] = [];
  readonly firstFrames = new Map<string, number>();
  /** A vendor SDK's own stats, kept apart from the other events: there are many of them. */
  readonly providerStats: PageEvent[] = [];
  sdkVersion: string | undefined;
  #inSession: (() => void) | undefined;
  readonly inSession: Promise<void>;

  constructor(
    private readonly students: string[],
    private readonly emit: ProgressListener,
    private readonly log?: Logger,
  ) {
    this.inSession = new Promise<void>((resolve) => (this.#inSession = resolve));
  }

  readonly onEvent = (event: PageEvent): void => {
    switch (event.type) {
      case 'stats':
        this.stats.push({ participant: event.participant, sample: event.sample });
        return;
      case 'first-frame':
        if (!this.firstFrames.has(event.participant)) this.firstFrames.set(event.participant, event.at);
        if (this.students.every((s) => this.firstFrames.has(s))) this.#inSession?.();
        this.#wakePresent();
        break;
      case 'freeze-start': {
        const key = `${event.participant}|${event.source}|${event.startedAt}`;
        if (!this.episodes.has(key)) {
          this.episodes.set(key, { participant: event.participant, source: event.source, startedAt: event.startedAt, detectedAt: event.detectedAt, endedAt: null });
          this.emit({ phase: 'freeze-seen', participant: event.participant, startedAt: event.startedAt, detectedAt: event.detectedAt, at: Date.now() });
        }
        break;
      }
      case 'freeze-end': {
        const key = `${event.participant}|${event.source}|${event.startedAt}`;
        if (!this.episodes.has(key)) this.emit({ phase: 'freeze-seen', participant: event.participant, startedAt: event.startedAt, detectedAt: event.detectedAt, at: Date.now() });
        this.episodes.set(key, { participant: event.participant, source: event.source, startedAt: event.startedAt, detectedAt: event.detectedAt, endedAt: event.endedAt });
        this.emit({ phase: 'recovered', participant: event.participant, durationMs: Math.round(event.endedAt - event.startedAt), at: Date.now() });
        break;
      }
      case 'state-start':
      case 'state-end': {
        const key = `${event.participant}|${event.source}|${event.state}|${event.startedAt}`;
        const endedAt = event.type === 'state-end' ? event.endedAt : null;
        if (!this.states.has(key)) this.emit({ phase: 'state-seen', participant: event.participant, state: event.state, startedAt: event.startedAt, at: Date.now() });
        this.states.set(key, { participant: event.participant, source: event.source, state: event.state, startedAt: event.startedAt, detectedAt: event.detectedAt, endedAt });
        break;
      }
      case 'error':
        this.log?.warn({ participant: event.participant, message: event.message }, 'page reported an error');
        break;
      case 'provider':
        if (event.name === 'sdk-loaded' && typeof event.data.version === 'string' && !this.sdkVersion) {
          this.sdkVersion = event.data.version;
          this.emit({ phase: 'sdk-loaded', participant: event.participant, version: this.sdkVersion, at: Date.now() });
        }
        if (event.name === 'stats') {
          this.providerStats.push(event);
          return;
        }
        break;
    }
    this.events.push(event);
  };

  /**
   * Resolves once each of `students` has seen video: the class in session for the students a drill
   * expects to join, when it expects others not to.
   */
  present(students: readonly string[]): Promise<void> {
    return new Promise((resolve) => {
      this.#presentWaiters.push({ students, resolve });
      this.#wakePresent();
    });
  }

  readonly #presentWaiters: { students: readonly string[]; resolve: () => void }[] = [];

  #wakePresent(): void {
    for (const waiter of [...this.#presentWaiters]) {
      if (!waiter.students.every((s) => this.firstFrames.has(s))) continue;
      this.#presentWaiters.splice(this.#presentWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** Students no video reached yet. */
  waiting(): string[] {
    return this.students.filter((s) => !this.firstFrames.has(s));
  }

  /** Participants that said they joined the vendor's room. */
  joined(): string[] {
    return [...new Set(this.events.filter((e) => e.type === 'provider' && e.name === 'joined').map((e) => e.participant))];
  }

  /** What the pages reported as errors, `participant: message`. */
  errors(): string[] {
    return this.events.flatMap((e) => (e.type === 'error' ? [`${e.participant}: ${e.message}`] : []));
  }

  /** When the page itself applied or cleared a fault: the first drop, not when the CDP call returned. */
  faultTime(id: string, state: 'applied' | 'cleared'): number | undefined {
    const times = this.events
      .filter((e): e is Extract<PageEvent, { type: 'fault' }> => e.type === 'fault' && e.state === state && (e.id === id || e.id.startsWith(`${id}:`)))
      .map((e) => e.at);
    return times.length ? Math.min(...times) : undefined;
  }

  /** What a vendor SDK reported itself, for the evidence. */
  providerEvents(): PageEvent[] {
    return [...this.events.filter((e) => e.type === 'provider'), ...this.providerStats];
  }
}
