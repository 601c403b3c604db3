/**
 * Reading a run's identifiers (room, participants, uids, whatever the provider recorded) for the
 * ticket. Secret-looking keys are skipped everywhere, since the identifiers come from the provider.
 */
import type { RunResult } from '../core/run-result.ts';
import { isSecretKey, looksSecretValue } from './ticket-secrets.ts';

export function describeValue(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return looksSecretValue(String(value)) ? '[redacted]' : String(value);
  if (Array.isArray(value)) return value.map(describeValue).filter(Boolean).join(', ');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .filter(([key]) => !isSecretKey(key))
      .map(([key, inner]) => `${key} ${describeValue(inner)}`)
      .join(', ');
  }
  return '';
}

/**
 * Room or channel first: the sandbox desk's personas take the first id as the channel. Plain words
 * (`teacher`) are left out: any reply may say them without having read the ticket.
 */
export function identifierFacts(result: RunResult): string[] {
  const room: string[] = [];
  const other: string[] = [];
  for (const [key, value] of Object.entries(result.identifiers)) {
    if (isSecretKey(key)) continue;
    (/room|channel/i.test(key) ? room : other).push(...flatten(value));
  }
  return [...new Set([...room, result.runId, ...other])].filter((id) => id.length > 0 && !/^\p{L}+$/u.test(id));
}

function flatten(value: unknown): string[] {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return looksSecretValue(String(value)) ? [] : [String(value)];
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (typeof value === 'object' && value !== null) return Object.entries(value).filter(([k]) => !isSecretKey(k)).flatMap(([, v]) => flatten(v));
  return [];
}

export function roomOf(result: RunResult): string | undefined {
  for (const [key, value] of Object.entries(result.identifiers)) {
    if (/room|channel/i.test(key) && (typeof value === 'string' || typeof value === 'number')) return String(value);
  }
  return undefined;
}

export function participantsOf(result: RunResult): string[] {
  const list = result.identifiers.participants;
  return Array.isArray(list) ? list.map(String) : ['teacher'];
}

export function hasIdentifier(result: RunResult, key: RegExp): boolean {
  return Object.keys(result.identifiers).some((k) => key.test(k) && !isSecretKey(k));
}
