/**
 * The events a check's window is named by: `'class start'`, `'class end'`, `'fault N on'` and
 * `'fault N off'`, each with an optional offset (`'fault 0 off + 5s'`, `'class end - 2s'`). A drill
 * file names them before anything happened; the verdict puts them on the run's clock.
 */
import { z } from 'zod';
import { formatMs, tryParseDuration } from '../core/duration.ts';

/** An event as a drill names it, read. */
export interface EventRef {
  /** As the drill wrote it, spaces normalised: what the results show. */
  text: string;
  anchor: 'class start' | 'class end' | 'fault on' | 'fault off';
  /** The fault's index, for `fault N on|off`. */
  fault?: number;
  /** Signed: `'- 2s'` is -2000. */
  offsetMs: number;
}

const EVENT = /^(class start|class end|fault (\d+) (on|off))(?: ?([+-]) ?(\S+))?$/;

export const EVENT_EXAMPLES = "'class start', 'class end', 'fault 0 on' or 'fault 0 off', optionally with an offset ('fault 0 off + 5s', 'class end - 2s')";

/** Reads an event name; a string is what is wrong with it. */
export function parseEvent(input: string): EventRef | string {
  const match = EVENT.exec(input.trim().replace(/\s+/g, ' '));
  if (!match) return `expected an event like ${EVENT_EXAMPLES}, got '${input}'`;
  const [, anchorText, fault, state, sign, offset] = match;
  let offsetMs = 0;
  if (sign) {
    const ms = tryParseDuration(offset!);
    if (ms === undefined) return `'${sign} ${offset}' in '${input}' is not an offset; write it like '+ 5s' or '- 500ms'`;
    offsetMs = sign === '-' ? -ms : ms;
  }
  // One spelling in results and messages, however the drill spaced it.
  const shown = sign ? `${anchorText} ${sign} ${offset}` : anchorText!;
  if (fault !== undefined) return { text: shown, anchor: state === 'on' ? 'fault on' : 'fault off', fault: Number(fault), offsetMs };
  return { text: shown, anchor: anchorText as 'class start' | 'class end', offsetMs };
}

/** An event in a drill file: the text, read into an {@link EventRef}. */
export const eventSchema = z.string({ error: `expected an event like ${EVENT_EXAMPLES}` }).transform((text, ctx) => {
  const parsed = parseEvent(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

/** When a fault is planned to be on, counted from the class being in session (ms). */
export interface PlannedSpan {
  on: number;
  off: number;
}

/**
 * Where an event falls on the drill's own plan (ms from the class being in session), or what is
 * wrong with it: a fault the drill does not have.
 */
export function plannedAt(event: EventRef, plan: { duration: number; faults: readonly PlannedSpan[] }): number | string {
  const base = anchorOnPlan(event, plan);
  return typeof base === 'string' ? base : base + event.offsetMs;
}

function anchorOnPlan(event: EventRef, plan: { duration: number; faults: readonly PlannedSpan[] }): number | string {
  switch (event.anchor) {
    case 'class start':
      return 0;
    case 'class end':
      return plan.duration;
    default: {
      const span = plan.faults[event.fault!];
      if (!span) {
        const have = plan.faults.length === 0 ? 'the drill has no faults' : plan.faults.length === 1 ? 'the drill has only fault 0' : `the drill's faults are 0 to ${plan.faults.length - 1}`;
        return `'${event.text}' names fault ${event.fault}, and ${have}`;
      }
      return event.anchor === 'fault on' ? span.on : span.off;
    }
  }
}

/** What a window's ends are checked against when a drill loads: each event on the plan, inside the class, the end after the start. */
export function windowProblems(from: EventRef, to: EventRef, plan: { duration: number; faults: readonly PlannedSpan[] }): { field: 'from' | 'to'; message: string }[] {
  const problems: { field: 'from' | 'to'; message: string }[] = [];
  const at = { from: plannedAt(from, plan), to: plannedAt(to, plan) };
  for (const field of ['from', 'to'] as const) {
    const value = at[field];
    const event = field === 'from' ? from : to;
    if (typeof value === 'string') problems.push({ field, message: value });
    else if (value < 0) problems.push({ field, message: `'${event.text}' falls ${formatMs(-value)} before the class starts; a window lies inside the class, from 'class start' at the earliest` });
    else if (value > plan.duration) problems.push({ field, message: `'${event.text}' falls ${formatMs(value)} into the class, after it ends (classroom.duration is ${formatMs(plan.duration)}); a window lies inside the class, up to 'class end' at the latest` });
  }
  if (typeof at.from === 'number' && typeof at.to === 'number' && at.to <= at.from && problems.length === 0) {
    problems.push({ field: 'to', message: `the window ends ('${to.text}', ${formatMs(at.to)} into the class) before it starts ('${from.text}', ${formatMs(at.from)}); name a later event in 'to'` });
  }
  return problems;
}

/** The run's instants the events resolve to (epoch ms). */
export interface RunClock {
  /** The class in session. */
  classStart: number;
  classEnd: number;
  /** When each fault really went on and off, by index; `endedAt` null: still on at the end. */
  faults: readonly { index: number; startedAt: number; endedAt: number | null }[];
}

/** Where an event fell in the run (epoch ms), or `undefined` for a fault that was never applied. */
export function resolveEvent(event: EventRef, clock: RunClock): number | undefined {
  let base: number | undefined;
  if (event.anchor === 'class start') base = clock.classStart;
  else if (event.anchor === 'class end') base = clock.classEnd;
  else {
    const fault = clock.faults.find((f) => f.index === event.fault);
    if (fault) base = event.anchor === 'fault on' ? fault.startedAt : (fault.endedAt ?? clock.classEnd);
  }
  return base === undefined ? undefined : base + event.offsetMs;
}
