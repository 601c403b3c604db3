import { z } from 'zod';
import { durationMs, positiveDurationMs } from '../core/duration.ts';

/**
 * The longest class: a school day and then some. It also keeps every timer of a run within what
 * Node's setTimeout can wait (about 24.8 days; longer ones fire at once).
 */
const MAX_CLASS_MS = 24 * 3600_000;
const atMostADay = (what: string) => positiveDurationMs.refine((ms) => ms <= MAX_CLASS_MS, { error: `${what} is at most 24h` });
import { DEFAULT_STUDENTS_PER_WINDOW } from './hosting.ts';
import { PROVIDER_DRILL_OPTIONS, PROVIDER_NAMES } from './providers/registry.ts';

/** A steady state long enough to see a picture stuck or the sound gone (three stats samples), short enough not to delay the fault much. */
export const DEFAULT_BASELINE_MS = 3000;

/** The `classroom` of a drill: the stack it runs on, who is in it, how long it lasts, what counts as a freeze. */
export const classroomSchema = z.strictObject({
  /** The real-time stack the class runs on. @defaultValue `'local'` */
  provider: z.enum(PROVIDER_NAMES).default('local'),
  /** Number of students; each is one page. @defaultValue `2` */
  students: z.number().int().min(1).max(32).default(2),
  /** How long the class lasts from the moment it is in session. */
  duration: atMostADay('a class'),
  /**
   * The teacher's picture: the stamped camera (the probe's time, the frame number and a
   * machine-readable stamp students read for still video and camera-to-screen delay) at this size and rate.
   */
  video: z
    .strictObject({
      width: z.number().int().min(16).max(3840).default(640),
      height: z.number().int().min(16).max(2160).default(360),
      fps: z.number().int().min(1).max(60).default(20),
    })
    .default({ width: 640, height: 360, fps: 20 }),
  /** A gap between rendered frames longer than this is a freeze. @defaultValue `'500ms'` (Agora's Web definition) */
  freezeThreshold: atMostADay('a freeze threshold').default(500),
  /**
   * How many students may share one browser window (each keeps its own connection, decoder, video
   * and freeze monitor). A student a network, CPU or join-block fault targets always gets its own window.
   * @defaultValue {@link DEFAULT_STUDENTS_PER_WINDOW}
   */
  studentsPerWindow: z.number().int().min(1).max(32).default(DEFAULT_STUDENTS_PER_WINDOW),
  /** How long the class may take to be in session before the run fails as a set-up failure. @defaultValue `'30s'` (`'20s'` on Agora) */
  joinTimeout: atMostADay('a join timeout').optional(),
  /**
   * The steady state: how long before the first fault the class must have been healthy (every
   * student's video moving each second, audio without dropouts, no rise in packet loss). A class
   * that was not is `unhealthy-baseline`: no fault is injected and nothing is filed, since a
   * ticket would blame the vendor for what was wrong before the drill began. It must fit before the
   * first fault; `'0s'` checks nothing.
   * @defaultValue {@link DEFAULT_BASELINE_MS} (`'3s'`), or all the time before the first fault when that is shorter
   */
  baseline: durationMs.refine((ms) => ms <= MAX_CLASS_MS, { error: 'a baseline is at most 24h' }).optional(),
  /** Each provider's own options under its name, e.g. `agora: { mode: 'rtc', codec: 'vp8' }`. */
  ...PROVIDER_DRILL_OPTIONS,
});

/** A drill's classroom after validation: durations in milliseconds, defaults applied. */
export type Classroom = z.output<typeof classroomSchema>;
