/**
 * Audio dropouts as a student hears them, from the received audio's own counters: when no audio
 * arrives, the receiver plays out concealment (`concealedSamples` grows with `totalSamplesReceived`),
 * so the concealed share of what was played is the share of the sound that was missing. Tone or
 * silence in the teacher's microphone does not matter: it is about what arrived. Polled four times
 * a second; a dropout that lasts the freeze threshold is an episode, reported like a freeze.
 */
import type { AudioSecond, PageEvent } from './protocol.ts';

const POLL_MS = 250;
/** Over half of a poll's played-out samples concealed: the sound was gone for that poll. */
const DROPOUT_SHARE = 0.5;

interface Counters {
  concealed: number;
  played: number;
  packets: number;
}

export interface AudioMonitor {
  /** The interval since the last call; `undefined` until audio has arrived at all. */
  second(): AudioSecond | undefined;
}

export function audioMonitor(options: { participant: string; receivers(): RTCRtpReceiver[]; thresholdMs: number; now(): number; report(event: PageEvent): void }): AudioMonitor {
  const { participant, thresholdMs, now, report } = options;
  let last: (Counters & { at: number }) | null = null;
  let heard = false;
  /** Since when the sound has been gone, and the episode it opened once it lasted. */
  let gone: { since: number; episode: { startedAt: number; detectedAt: number } | null } | null = null;
  let interval = { concealed: 0, played: 0, dropout: false };

  const read = async (): Promise<Counters | null> => {
    const receivers = options.receivers();
    if (receivers.length === 0) return null;
    const total: Counters = { concealed: 0, played: 0, packets: 0 };
    for (const receiver of receivers) {
      let stats: RTCStatsReport;
      try {
        stats = await receiver.getStats();
      } catch {
        continue;
      }
      stats.forEach((entry: Record<string, unknown>) => {
        if (entry.type !== 'inbound-rtp' || entry.kind !== 'audio') return;
        total.concealed += Number(entry.concealedSamples ?? 0);
        total.played += Number(entry.totalSamplesReceived ?? 0);
        total.packets += Number(entry.packetsReceived ?? 0);
      });
    }
    return total;
  };

  const poll = async () => {
    const counters = await read();
    const at = now();
    if (!counters) return;
    const previous = last;
    last = { ...counters, at };
    if (!previous) return;
    const concealed = counters.concealed - previous.concealed;
    const played = counters.played - previous.played;
    const packets = counters.packets - previous.packets;
    if (packets > 0 && played > 0) heard = true;
    if (!heard) return;
    interval.concealed += concealed;
    interval.played += played;
    // Nothing played and nothing arrived is a dropout too: a receiver that stopped playing out.
    const missing = played > 0 ? concealed / played > DROPOUT_SHARE : packets === 0;
    if (missing) {
      interval.dropout = true;
      // Gone since the last poll that still had sound.
      gone ??= { since: previous.at, episode: null };
      if (!gone.episode && at - gone.since >= thresholdMs) {
        gone.episode = { startedAt: gone.since, detectedAt: at };
        report({ type: 'state-start', participant, source: 'audio', state: 'audio-dropout', ...gone.episode });
      }
    } else if (gone) {
      if (gone.episode) report({ type: 'state-end', participant, source: 'audio', state: 'audio-dropout', ...gone.episode, endedAt: at });
      gone = null;
    }
  };

  let busy = false;
  setInterval(() => {
    if (busy) return;
    busy = true;
    void poll().finally(() => (busy = false));
  }, POLL_MS);

  return {
    second() {
      if (!heard) return undefined;
      const out: AudioSecond = { concealedShare: interval.played > 0 ? Math.round((interval.concealed / interval.played) * 1000) / 1000 : 1, dropout: interval.dropout || gone !== null };
      interval = { concealed: 0, played: 0, dropout: false };
      return out;
    },
  };
}
