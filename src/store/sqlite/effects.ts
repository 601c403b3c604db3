/** The `effects` and `leases` tables: what makes side effects exactly-once and watchers take turns. */
import type { EffectClaim, EffectRow } from '../rows.ts';
import { parseStoredJson } from '../../core/stored-timings.ts';
import { json, transaction, type Row, type SqliteContext } from './context.ts';

function effectFromRow(row: Row): EffectRow {
  return {
    key: row.key as string,
    state: row.state as EffectRow['state'],
    holder: row.holder as string,
    attempts: row.attempts as number,
    claimedAt: row.claimed_at as string,
    doneAt: row.done_at as string | null,
    detail: parseStoredJson(row.detail as string | null),
  };
}

export function getEffect(ctx: SqliteContext, key: string): EffectRow | null {
  const row = ctx.db.prepare('SELECT * FROM effects WHERE key = ?').get(key) as Row | undefined;
  return row ? effectFromRow(row) : null;
}

/**
 * Claims a side effect for `holder`, in one IMMEDIATE transaction: a new key is claimed; a key done
 * is not; a key another holder claimed is not, unless that claim is older than `staleAfterMs` (its
 * holder died between claiming and finishing), in which case it is taken over and the caller must
 * redo it idempotently (the same Message-ID, the same file).
 */
export function claimEffect(ctx: SqliteContext, key: string, holder: string, staleAfterMs: number): EffectClaim {
  return transaction(ctx, () => {
    const now = ctx.nowIso();
    const existing = getEffect(ctx, key);
    if (!existing) {
      ctx.db.prepare("INSERT INTO effects (key, state, holder, attempts, claimed_at) VALUES (?, 'claimed', ?, 1, ?)").run(key, holder, now);
      return { claimed: true, attempts: 1, takenOver: false };
    }
    if (existing.state === 'done') return { claimed: false, state: 'done', holder: existing.holder };
    const stale = Date.parse(now) - Date.parse(existing.claimedAt) >= staleAfterMs;
    if (existing.holder !== holder && !stale) return { claimed: false, state: 'claimed', holder: existing.holder };
    ctx.db.prepare('UPDATE effects SET holder = ?, attempts = attempts + 1, claimed_at = ? WHERE key = ?').run(holder, now, key);
    return { claimed: true, attempts: existing.attempts + 1, takenOver: existing.holder !== holder };
  });
}

/** Marks a claimed effect done; a claim `holder` no longer holds is left alone (another took it over). */
export function completeEffect(ctx: SqliteContext, key: string, holder: string, detail: unknown): boolean {
  const info = ctx.db
    .prepare("UPDATE effects SET state = 'done', done_at = ?, detail = ? WHERE key = ? AND holder = ? AND state = 'claimed'")
    .run(ctx.nowIso(), json(detail), key, holder);
  return info.changes === 1;
}

/** Gives up a claim whose effect did not happen (the send failed), so that a later attempt can claim it. */
export function releaseEffect(ctx: SqliteContext, key: string, holder: string): void {
  ctx.db.prepare("DELETE FROM effects WHERE key = ? AND holder = ? AND state = 'claimed'").run(key, holder);
}

/** Effects under `prefix` still claimed but not done, whose claim is older than `staleAfterMs`. */
export function staleEffects(ctx: SqliteContext, prefix: string, staleAfterMs: number): EffectRow[] {
  const before = new Date(Date.parse(ctx.nowIso()) - staleAfterMs).toISOString();
  return (
    ctx.db
      .prepare("SELECT * FROM effects WHERE state = 'claimed' AND claimed_at <= ? AND substr(key, 1, ?) = ? ORDER BY claimed_at")
      .all(before, prefix.length, prefix) as Row[]
  ).map(effectFromRow);
}

/** Takes or renews the lease `name` for `holder` until now + `ttlMs`; `false` when another holds it. */
export function acquireLease(ctx: SqliteContext, name: string, holder: string, ttlMs: number): boolean {
  return transaction(ctx, () => {
    const now = ctx.nowIso();
    const row = ctx.db.prepare('SELECT holder, expires_at FROM leases WHERE name = ?').get(name) as { holder: string; expires_at: string } | undefined;
    if (row && row.holder !== holder && row.expires_at > now) return false;
    const expires = new Date(Date.parse(now) + ttlMs).toISOString();
    ctx.db
      .prepare('INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at')
      .run(name, holder, expires);
    return true;
  });
}

export function releaseLease(ctx: SqliteContext, name: string, holder: string): void {
  ctx.db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
}
