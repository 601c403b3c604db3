/** Every time in a ticket is written twice: in the vendor's timezone and in UTC. */
import { isValidTimezone, wallClock } from '../core/business-hours.ts';
import { UserError, prefixed } from '../core/errors.ts';

/** Formats instants in the vendor's timezone and in UTC, the two ways every time is written. */
export class VendorClock {
  constructor(readonly timezone: string) {
    if (!isValidTimezone(timezone)) throw new UserError(prefixed('ticket', `'${timezone}' is not an IANA timezone; write it like 'Asia/Shanghai'`));
  }

  /** `2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00)` */
  long(ms: number): string {
    return `${this.date(ms)} ${this.time(ms)} (${this.timezone}, ${this.offset(ms)})`;
  }

  /** `13:13:00` */
  time(ms: number): string {
    return this.local(ms).slice(11, 19);
  }

  /** `2026-11-29 13:13:00.793`, for the episodes table. */
  precise(ms: number): string {
    return `${this.date(ms)} ${this.time(ms)}.${millis(ms)}`;
  }

  /** `2026-11-29 05:13:00 UTC` */
  utc(ms: number): string {
    return `${new Date(ms).toISOString().slice(0, 10)} ${this.utcTime(ms)} UTC`;
  }

  utcTime(ms: number): string {
    return new Date(ms).toISOString().slice(11, 19);
  }

  /** `2026-11-29 05:13:00.793Z` */
  preciseUtc(ms: number): string {
    return new Date(ms).toISOString().replace('T', ' ');
  }

  private date(ms: number): string {
    return this.local(ms).slice(0, 10);
  }

  /** `UTC+08:00`, `UTC-04:00` */
  private offset(ms: number): string {
    const minutes = Math.round((wallClock(ms, this.timezone) - ms) / 60_000);
    const abs = Math.abs(minutes);
    return `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  }

  /** The local wall-clock reading as an ISO string (`2026-11-29T13:13:00.793Z`, the Z meaning nothing). */
  private local(ms: number): string {
    return new Date(wallClock(ms, this.timezone)).toISOString();
  }
}

function millis(ms: number): string {
  return String(((Math.round(ms) % 1000) + 1000) % 1000).padStart(3, '0');
}
