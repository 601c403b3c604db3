import { wallClock } from '../core/business-hours.ts';
import { guardrailsFor, type QuietHours } from '../config/guardrails.ts';
import { type Config } from '../config/config.ts';
import type { Store } from '../store/store.ts';

/** Minutes since local midnight and the local date, in `timezone`. */
function localTime(at: Date, timezone: string): { minutes: number; day: string } {
  const wall = wallClock(at.getTime(), timezone);
  return { minutes: Math.floor(wall / 60_000) % 1440, day: new Date(wall).toISOString().slice(0, 10) };
}

export function inQuietHours(quiet: QuietHours, at: Date): boolean {
  const { minutes } = localTime(at, quiet.timezone);
  return quiet.start < quiet.end ? minutes >= quiet.start && minutes < quiet.end : minutes >= quiet.start || minutes < quiet.end;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Why a drill may not fire now for `vendor` (`null`: a dry run, which files nothing, so only quiet
 * hours apply), or `null` when it may. The pause flag is checked by the caller: a paused service
 * fires nothing, and records nothing either.
 */
export async function guardrailRefusal(store: Store, config: Config, vendor: string | null, now = new Date()): Promise<string | null> {
  const rules = guardrailsFor(config, vendor);
  if (rules.quietHours && inQuietHours(rules.quietHours, now)) {
    const q = rules.quietHours;
    return `quiet hours (${hhmm(q.start)}–${hhmm(q.end)} ${q.timezone})`;
  }
  if (vendor === null) return null;
  if (rules.maxOpenTickets !== null) {
    const open = (await store.listTickets({ vendor })).filter((t) => t.state === 'open' || t.state === 'filing').length;
    if (open >= rules.maxOpenTickets) return `${vendor} already has ${open} open drill ticket(s) (guardrails maxOpenTickets: ${rules.maxOpenTickets})`;
  }
  if (rules.maxDrillsPerDay !== null) {
    // Counted as tickets filed: a drill that did not reproduce filed nothing and cost the vendor nothing.
    const timezone = rules.quietHours?.timezone ?? 'UTC';
    const today = localTime(now, timezone).day;
    const filed = (await store.listTickets({ vendor })).filter((t) => localTime(new Date(t.createdAt), timezone).day === today).length;
    if (filed >= rules.maxDrillsPerDay) return `${filed} drill(s) already filed to ${vendor} today (guardrails maxDrillsPerDay: ${rules.maxDrillsPerDay})`;
  }
  return null;
}
