/**
 * A freeze's signals in words, the same in the ticket and the scorecard: a vendor's engineer and
 * the people choosing a vendor both ask first whether more than our own monitor saw it.
 */
import type { FreezeSignals } from './run-result.ts';

/**
 * `frames, Chrome stats, Agora events`; `frames only (Chrome stats: no sample)`; `frames, Agora
 * events (Chrome stats: no)`. A provider that reports no events of its own is not mentioned: the
 * local classroom has none to give. `null` for a run from before signals were recorded.
 */
export function confirmedBy(signals: FreezeSignals | undefined, provider: string): string | null {
  if (!signals) return null;
  const providerEvents = `${provider.charAt(0).toUpperCase()}${provider.slice(1)} events`;
  const agreed = ['frames'];
  const missing: string[] = [];
  if (signals.stats === true) agreed.push('Chrome stats');
  else missing.push(`Chrome stats: ${signals.stats === null ? 'no sample' : 'no'}`);
  if (signals.provider === true) agreed.push(providerEvents);
  else if (signals.provider === false) missing.push(`${providerEvents}: no`);
  const text = agreed.length === 1 ? 'frames only' : agreed.join(', ');
  return missing.length > 0 ? `${text} (${missing.join('; ')})` : text;
}
