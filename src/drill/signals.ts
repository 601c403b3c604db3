/**
 * Which independent signals confirmed a freeze episode. The rendered-frame gap found it; the
 * receiver's getStats counters and the provider's own events are the other two witnesses, so a
 * vendor's engineer can see that the freeze is not an artefact of our monitor.
 */
import type { PageEvent, RtpSummary } from '../classroom/page/protocol.ts';
import type { FreezeSignals } from '../core/run-result.ts';
import type { StatsRecord } from './page-events.ts';
import type { ScoredEpisode } from './scoring.ts';

/** What the pages reported during the run, as the runner's `PageEventLog` keeps it. */
export interface SignalSources {
  stats: readonly StatsRecord[];
  events: readonly PageEvent[];
}

/**
 * How long after the picture came back the counters may still show it: Chrome counts a freeze or a
 * pause only when the next frame renders, and samples once a second (FIELD-NOTES).
 */
export const STATS_AFTER_MS = 3000;

/** Provider events are stamped by the SDK's own callbacks, which may run a little before or after the gap. */
export const PROVIDER_SLACK_MS = 1000;

/** Agora's remote video state `Frozen` (VideoState 3). */
const AGORA_FROZEN = 3;
/** Agora exceptions of the publisher: frame rate captured (1001) or sent (1002) too low. */
const SENDER_EXCEPTIONS = new Set([1001, 1002]);
/** Agora exceptions of a receiver: video it could not decode (1005); the sender codes count there too. */
const RECEIVER_EXCEPTIONS = new Set([1001, 1002, 1005]);

/** The signals that confirmed one scored episode. */
export function freezeSignals(episode: Pick<ScoredEpisode, 'participant' | 'source' | 'startedAt' | 'durationMs'>, sources: SignalSources): FreezeSignals {
  return { rendered: true, stats: statsSignal(episode, sources.stats), provider: providerSignal(episode, sources.events) };
}

interface Counters {
  at: number;
  /** freezeCount, pauseCount and their total durations: any rise means Chrome saw a freeze or a pause. */
  stalls: number[];
  framesDecoded: number | undefined;
}

function inboundVideo(record: StatsRecord): Counters | null {
  const video = record.sample.rtp.filter((r) => r.direction === 'inbound' && r.kind === 'video');
  if (video.length === 0) return null;
  const sum = (pick: (r: RtpSummary) => number | undefined) => video.reduce((total, r) => total + (pick(r) ?? 0), 0);
  return {
    at: record.sample.at,
    stalls: [sum((r) => r.freezeCount), sum((r) => r.pauseCount), sum((r) => r.totalFreezesDuration), sum((r) => r.totalPausesDuration)],
    framesDecoded: video.every((r) => r.framesDecoded === undefined) ? undefined : sum((r) => r.framesDecoded),
  };
}

/**
 * The receiver's counters over the episode and up to {@link STATS_AFTER_MS} after it: a freeze or
 * pause counter that rose, or `framesDecoded` flat across a sample interval inside the episode.
 * `null` when no pair of samples covers it (none at or before its start or inside it, or none after).
 */
function statsSignal(episode: Pick<ScoredEpisode, 'participant' | 'startedAt' | 'durationMs'>, stats: readonly StatsRecord[]): boolean | null {
  const start = episode.startedAt;
  const end = start + episode.durationMs;
  const samples = stats
    .filter((r) => r.participant === episode.participant)
    .map(inboundVideo)
    .filter((c): c is Counters => c !== null)
    .sort((a, b) => a.at - b.at);
  const before = samples.filter((c) => c.at <= start).at(-1);
  const baseline = before ?? samples.find((c) => c.at <= end);
  if (!baseline) return null;
  const covered = [baseline, ...samples.filter((c) => c.at > baseline.at && c.at <= end + STATS_AFTER_MS)];
  if (covered.length < 2) return null;
  for (let i = 1; i < covered.length; i++) {
    const [a, b] = [covered[i - 1]!, covered[i]!];
    // Compared pair by pair: a receiver replaced mid-class starts its counters again from zero.
    if (b.stalls.some((value, k) => value > a.stalls[k]!)) return true;
    const inside = a.at >= start && b.at <= end;
    if (inside && a.framesDecoded !== undefined && a.framesDecoded === b.framesDecoded) return true;
  }
  return false;
}

/**
 * The provider's own events within the episode (± {@link PROVIDER_SLACK_MS}): the student's remote
 * video turning frozen or a receive exception, or the publisher (the episode's source) saying it
 * sent too few frames. `null` when the run's pages reported no such kind of event at all: that
 * provider has nothing to say, which is not the same as saying nothing was wrong.
 */
function providerSignal(episode: Pick<ScoredEpisode, 'participant' | 'source' | 'startedAt' | 'durationMs'>, events: readonly PageEvent[]): boolean | null {
  const reported = events.filter(
    (e): e is Extract<PageEvent, { type: 'provider' }> => e.type === 'provider' && (e.name === 'video-state-changed' || e.name === 'exception'),
  );
  if (reported.length === 0) return null;
  const from = episode.startedAt - PROVIDER_SLACK_MS;
  const to = episode.startedAt + episode.durationMs + PROVIDER_SLACK_MS;
  return reported.some((e) => {
    if (e.at < from || e.at > to) return false;
    if (e.name === 'video-state-changed') return e.participant === episode.participant && Number(e.data.state) === AGORA_FROZEN;
    const code = Number(e.data.code);
    return (e.participant === episode.participant && RECEIVER_EXCEPTIONS.has(code)) || (e.participant === episode.source && SENDER_EXCEPTIONS.has(code));
  });
}
