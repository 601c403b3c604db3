/** The `settings` table: small flags shared by processes (the pause flag, what was e-mailed). */
import type { SqliteContext } from './context.ts';

export function getSetting(ctx: SqliteContext, key: string): string | null {
  const row = ctx.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? row.value : null;
}

/** Sets a setting; `null` removes it. */
export function setSetting(ctx: SqliteContext, key: string, value: string | null): void {
  if (value === null) {
    ctx.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
    return;
  }
  ctx.db
    .prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .run(key, value, ctx.nowIso());
}
