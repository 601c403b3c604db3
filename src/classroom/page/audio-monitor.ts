/**
 * Audio dropouts as a student hears them. A receiver's synchronization sources say when audio from
 * the teacher was last played out (Chrome stamps a source only with frames that came from its
 * packets, never with concealment), so a dropout is like a freeze: the sound stopped at the last
 * stamp, and it is one once nothing newer has come for the freeze threshold. Tone or silence in the
 * teacher's microphone does not matter: it is about what arrived. Polled ten times a second —
 * `getSynchronizationSources()` reads a few numbers, where `getStats()` on sixteen receivers four
 * times a second took enough of a 2-core probe to freeze its videos.
 */
import type { AudioSecond, PageEvent } from './protocol.ts';

const POLL_MS = 100;

export interface AudioMonitor {
  /** The interval since the last call, with the concealed share the stats sampler measured; `undefined` until audio has arrived at all. */
  second(concealedShare: number | null): AudioSecond | undefined;
}

export function audioMonitor(options: { participant: string; receivers(): RTCRtpReceiver[]; thresholdMs: number; now(): number; report(event: PageEvent): void }): AudioMonitor {
  const { participant, thresholdMs, now, report } = options;
  /** When audio was last played out, epoch ms; `null` until it first is. */
  let last: number | null = null;
  let open: { startedAt: number; detectedAt: number } | null = null;
  let droppedInInterval = false;

  const lastPlayed = (): number | null => {
    let latest: number | null = null;
    for (const receiver of options.receivers()) {
      for (const source of receiver.getSynchronizationSources()) {
        // Epoch milliseconds in current Chrome; relative to the time origin in older ones.
        const at = source.timestamp > 1e12 ? source.timestamp : performance.timeOrigin + source.timestamp;
        if (latest === null || at > latest) latest = at;
      }
    }
    return latest;
  };

  setInterval(() => {
    const played = lastPlayed();
    const t = now();
    if (played !== null && (last === null || played > last)) {
      if (open) {
        report({ type: 'state-end', participant, source: 'audio', state: 'audio-dropout', ...open, endedAt: played });
        open = null;
      }
      last = played;
    }
    if (last === null) return;
    if (!open && t - last > thresholdMs) {
      open = { startedAt: last, detectedAt: t };
      droppedInInterval = true;
      report({ type: 'state-start', participant, source: 'audio', state: 'audio-dropout', ...open });
    }
  }, POLL_MS);

  return {
    second(concealedShare) {
      if (last === null) return undefined;
      const out: AudioSecond = { concealedShare, dropout: droppedInInterval || open !== null };
      droppedInInterval = open !== null;
      return out;
    },
  };
}
