/**
 * Times in a ticket are written in the vendor's timezone with their UTC equivalent, once each; a
 * vendor whose clock reads UTC gets each time once.
 */
import { isValidTimezone, wallClock } from '../core/business-hours.ts';
import { UserError, prefixed } from '../core/errors.ts';

/** Formats instants in the vendor's timezone and in UTC, the two ways every time is written. */
export class VendorClock {
  /** Whether the zone is UTC by one of its names (`Etc/UTC`, `GMT`, `Zulu`: Intl resolves them all to `UTC`). */
  readonly isUtc: boolean;
  /** The zone as a reader knows it: `UTC` for any of its names, else the IANA name. */
  readonly zone: string;

  constructor(readonly timezone: string) {
    if (!isValidTimezone(timezone)) throw new UserError(prefixed('ticket', `'${timezone}' is not an IANA timezone; write it like 'Asia/Shanghai'`));
    this.isUtc = new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone === 'UTC';
    this.zone = this.isUtc ? 'UTC' : timezone;
  }

  /** Whether the vendor's clock reads UTC at that instant: a UTC zone, or one at offset 0 then (London in winter). */
  readsUtc(ms: number): boolean {
    return this.offsetMinutes(ms) === 0;
  }

  /**
   * The instant for a sentence, each reading once: `2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00),
   * that is 2026-11-29 05:13:00 UTC`; `2026-11-29 05:13:00 UTC`; `2026-11-29 05:13:00 UTC (also
   * Europe/London time)`.
   */
  both(ms: number): string {
    return this.readings(ms).join(', that is ');
  }

  /** What {@link both} writes, reading by reading (a ticket's facts list each time as it is written). */
  readings(ms: number): string[] {
    return this.readsUtc(ms) ? [`${this.utc(ms)}${this.alsoLocal()}`] : [this.long(ms), this.utc(ms)];
  }

  /**
   * A span for a sentence, the same way: `2026-11-29 13:12:50 – 13:13:20 (Asia/Shanghai, UTC+08:00),
   * that is 2026-11-29 05:12:50 – 05:13:20 UTC`.
   */
  bothSpan(from: number, to: number): string {
    return this.spanReadings(from, to).join(', that is ');
  }

  /** What {@link bothSpan} writes, reading by reading. */
  spanReadings(from: number, to: number): string[] {
    if (this.readsUtc(from) && this.readsUtc(to)) return [`${this.utcSpan(from, to)}${this.alsoLocal()}`];
    return [this.localSpan(from, to), this.utcSpan(from, to)];
  }

  /** `2026-11-29 13:12:50 – 13:13:20 (Asia/Shanghai, UTC+08:00)`; for a UTC zone, {@link utcSpan}. */
  localSpan(from: number, to: number): string {
    return this.isUtc ? this.utcSpan(from, to) : `${this.date(from)} ${this.time(from)} – ${this.time(to)} (${this.timezone}, ${this.offset(from)})`;
  }

  /** `2026-11-29 05:12:50 – 05:13:20 UTC`: with its own date, which may be another day than the local one. */
  utcSpan(from: number, to: number): string {
    return `${new Date(from).toISOString().slice(0, 10)} ${this.utcTime(from)} – ${this.utcTime(to)} UTC`;
  }

  /** `2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00)`; for a UTC zone `2026-11-29 05:13:00 UTC`. */
  zoned(ms: number): string {
    return this.isUtc ? this.utc(ms) : this.long(ms);
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

  /** A zone at offset 0 that is not UTC by name is still named, so the vendor knows its own clock was meant. */
  private alsoLocal(): string {
    return this.isUtc ? '' : ` (also ${this.timezone} time)`;
  }

  private offsetMinutes(ms: number): number {
    return Math.round((wallClock(ms, this.timezone) - ms) / 60_000);
  }

  /** `UTC+08:00`, `UTC-04:00` */
  private offset(ms: number): string {
    const minutes = this.offsetMinutes(ms);
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
