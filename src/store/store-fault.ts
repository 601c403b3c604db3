import { prefixed } from '../core/errors.ts';

/** What went wrong with the store itself, as opposed to with a vendor or our own logic. */
export type StoreFaultKind = 'read-only' | 'full' | 'damaged' | 'io' | 'busy';

/**
 * The store could not do its work because of where it lives: a read-only or full disk, a damaged
 * file, an I/O error, a lock held too long. Local trouble: a watcher backs off and tries again, it
 * never blames the vendor for it or gives a ticket up.
 */
export class StoreFaultError extends Error {
  constructor(
    readonly kind: StoreFaultKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreFaultError';
  }
}

/** What to do about each kind of fault, for the message. */
const ADVICE: Record<StoreFaultKind, string> = {
  'read-only':
    'give this user write access to the file and its directory (WAL keeps -wal and -shm files beside it), or point dataDir at a writable directory',
  full: 'free some disk space (or, for a store on a quota, raise it); nothing was lost, the write that failed is tried again',
  damaged: 'restore it from a backup, or move it away to start afresh (`sqlite3 FILE .recover` may save its rows)',
  io: 'check the disk and the file system it is on',
  busy: 'another process held the database for too long; if none is running, remove a stale -wal/-shm only after making a backup',
};

/** Maps an SQLite error (by its code) to a {@link StoreFaultError} naming `location`; anything else is returned as it is. */
export function storeFault(error: unknown, location: string): unknown {
  const code = String((error as { code?: unknown })?.code ?? '');
  const kind: StoreFaultKind | undefined = code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'SQLITE_CANTOPEN'
    ? 'read-only'
    : code.startsWith('SQLITE_FULL') || code === 'ENOSPC'
      ? 'full'
      : code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')
        ? 'damaged'
        : code.startsWith('SQLITE_IOERR') || code === 'EIO'
          ? 'io'
          : code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
            ? 'busy'
            : undefined;
  if (!kind || error instanceof StoreFaultError) return error;
  const what = { 'read-only': 'is read-only', full: 'is full', damaged: 'is damaged', io: 'cannot be read or written', busy: 'is locked' }[kind];
  return new StoreFaultError(kind, prefixed('store', `the database ${location} ${what} (${(error as Error).message}): ${ADVICE[kind]}`), { cause: error });
}
