/**
 * The pause flag (`supportdrill pause` / `resume`): a setting in the store, so that every process on
 * it obeys it without a restart. A paused service fires no drill, and nothing writes to a vendor.
 */
import type { Store } from '../store/store.ts';

/** The settings key of the pause flag that `supportdrill pause` / `resume` write. */
export const PAUSED_SETTING = 'service.paused';

export interface PauseState {
  paused: boolean;
  /** When it was paused, and the operator's note. */
  since?: string;
  reason?: string;
}

/** Read on every firing, so that `pause` from another process takes effect without a restart. */
export async function pauseState(store: Store): Promise<PauseState> {
  const raw = await store.getSetting(PAUSED_SETTING);
  if (raw === null) return { paused: false };
  try {
    const value = JSON.parse(raw) as { since?: string; reason?: string };
    return { paused: true, since: value.since, reason: value.reason };
  } catch {
    return { paused: true };
  }
}

export async function setPaused(store: Store, paused: boolean, reason?: string, now = new Date()): Promise<void> {
  await store.setSetting(PAUSED_SETTING, paused ? JSON.stringify({ since: now.toISOString(), reason: reason ?? null }) : null);
}

