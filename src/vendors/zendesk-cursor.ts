/**
 * The `zendesk` adapter's position in a request, as the opaque cursor the watcher stores for it:
 * `<last comment id>:<statuses reported>:<page position>`, e.g. `9012:solved:eyJvIjoi…`. The page
 * position is Zendesk's own `meta.after_cursor` of the last comments page read, so that the next poll
 * asks only for what came after it instead of every comment again.
 *
 * The previous version wrote `<last comment id>:<statuses reported>`, and a store it wrote keeps
 * working: such a cursor has no page position, so its first poll reads every page once (reporting
 * nothing up to the last comment id) and hands out a cursor of the new form.
 */
import { fail } from './zendesk-errors.ts';

export interface CommentPosition {
  /** The newest comment already looked at: nothing up to it is reported again, whichever pages are read. */
  lastCommentId: number;
  /** The resolved statuses (`solved`, `closed`) already reported. */
  statuses: string[];
  /** Zendesk's `after_cursor` of the last page read; absent for a first read, an old cursor, or offset pagination. */
  after?: string;
}

/**
 * What a page position may look like inside our cursor. Zendesk's are base64 (with `+`, `/`, `=`);
 * one that does not fit is left out rather than stored, which costs one full read, not a lost cursor.
 */
const PAGE_POSITION = /^[\x21-\x7e]{1,1024}$/;
const CURSOR = /^(\d{1,15}):([a-z_,]*)(?::(.*))?$/;

export function parseCursor(cursor: string | undefined): CommentPosition {
  if (cursor === undefined) return { lastCommentId: 0, statuses: [] };
  const m = CURSOR.exec(cursor);
  if (!m || (m[3] !== undefined && !PAGE_POSITION.test(m[3]))) {
    throw fail(`cursor '${cursor}' was not given out by the zendesk adapter (its cursors are <last comment id>:<statuses seen>[:<page position>])`);
  }
  return { lastCommentId: Number(m[1]), statuses: m[2] ? m[2].split(',') : [], ...(m[3] !== undefined ? { after: m[3] } : {}) };
}

export function formatCursor(position: CommentPosition): string {
  const head = `${position.lastCommentId}:${[...position.statuses].sort().join(',')}`;
  return position.after !== undefined && PAGE_POSITION.test(position.after) ? `${head}:${position.after}` : head;
}
