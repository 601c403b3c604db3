/**
 * A ticket's script at the sandbox desk: fixed when the ticket is filed, and read back to tell which
 * steps are due. A step counts from filing (its due time is known at once) or waits on the customer
 * (its due time is known once the customer's message it waits for is on the desk). Everything here
 * is a pure function of the stored script and the desk's events, so every process sharing the desk
 * file computes the same due times, whenever and however often it looks.
 */
import { addBusinessMs, nextBusinessOpening, type BusinessHours } from '../core/business-hours.ts';
import { SCRIPT_STEPS, type PersonaDefinition, type ScriptStep } from './sandbox-personas.ts';

/** A step due a fixed time after filing (the only kind a desk file written before schema 2 holds). */
export interface FixedStep {
  step: ScriptStep;
  /** Due time, epoch ms. */
  at: number;
}

/** A step that waits on the customer; see {@link StepWait} in sandbox-personas.ts. */
export interface WaitingStep {
  step: ScriptStep;
  after: ScriptStep;
  withLog?: true;
  droppedByLog?: true;
  /** Delay from the customer's message, ms, with `speed` and `timings` applied at filing. */
  delay: number;
  /** Counted in these hours (the persona's agents keep business hours), fixed at filing like the rest. */
  hours?: BusinessHours;
}

/** One step of a ticket's script as stored at filing (JSON in `desk_tickets.script`). */
export type ScheduledStep = FixedStep | WaitingStep;

/** The script's options: what the desk's config says, resolved. */
export interface ScriptOptions {
  timings: Partial<Record<ScriptStep, number>>;
  speed: number;
  businessHours: BusinessHours;
}

/** The persona's script for a ticket filed at `filedAt`: explicit timings as given, defaults scaled by `speed`. */
export function buildScript(persona: PersonaDefinition, options: ScriptOptions, filedAt: number): ScheduledStep[] {
  const steps: ScheduledStep[] = [];
  for (const step of SCRIPT_STEPS) {
    const byDefault = persona.delays[step];
    if (byDefault === undefined) continue;
    const delay = options.timings[step] ?? Math.round(byDefault * options.speed);
    const inBusinessHours = persona.agentsInBusinessHours && step !== 'ack';
    const wait = persona.waits?.[step];
    if (wait) {
      steps.push({
        step,
        after: wait.after,
        ...(wait.withLog ? { withLog: true as const } : {}),
        ...(wait.droppedByLog ? { droppedByLog: true as const } : {}),
        delay,
        ...(inBusinessHours ? { hours: options.businessHours } : {}),
      });
    } else {
      steps.push({ step, at: inBusinessHours ? businessDue(filedAt, delay, options.businessHours) : filedAt + delay });
    }
  }
  return steps;
}

/** `delay` of business time after `from`. */
function businessDue(from: number, delay: number, hours: BusinessHours): number {
  // addBusinessMs returns `from` itself for a zero delay, even when the desk is closed then.
  return (delay > 0 ? addBusinessMs(new Date(from), delay, hours) : nextBusinessOpening(new Date(from), hours)).getTime();
}

/** What is on the desk for a ticket, as far as its script depends on it. */
export interface WrittenEvent {
  seq: number;
  at: number;
  /** The script step that wrote it; `null` for the customer's own events. */
  step: string | null;
  /** Set on the customer's messages (not on the customer's other actions). */
  messageKey: string | null;
  /** The attached files' names (the customer's messages only). */
  attachments: string[];
}

/** A step whose due time is known, with the customer's message it answers when it waits on one. */
export interface DueStep {
  step: ScriptStep;
  at: number;
  answers?: WrittenEvent;
}

/** Whether one of the message's attachments is a log, by its name. */
export function carriesLog(event: WrittenEvent): boolean {
  return event.attachments.some((name) => /log/i.test(name));
}

/**
 * The script's steps not yet written whose due time is known, earliest first (steps due at the same
 * instant in {@link SCRIPT_STEPS} order). A step waiting for a message that has not come is left
 * out, and so is a step dropped by a log.
 *
 * "After step X" is by the desk's own order of record (`seq`): the desk writes every step due by
 * the time a customer message arrives before it records the message, so the order of record is
 * also the order in time, and no later look at the desk can change it.
 */
export function knownDueSteps(script: readonly ScheduledStep[], events: readonly WrittenEvent[]): DueStep[] {
  const written = new Map<string, WrittenEvent>();
  for (const event of events) if (event.step !== null) written.set(event.step, event);
  const messages = events.filter((e) => e.messageKey !== null);
  const due: DueStep[] = [];
  for (const scheduled of script) {
    if (written.has(scheduled.step)) continue;
    if (!('after' in scheduled)) {
      due.push({ step: scheduled.step, at: scheduled.at });
      continue;
    }
    const anchor = written.get(scheduled.after);
    if (!anchor) continue;
    const since = messages.filter((m) => m.seq > anchor.seq);
    const answer = scheduled.withLog ? since.find(carriesLog) : since[0];
    if (!answer) continue;
    const at = scheduled.hours ? businessDue(answer.at, scheduled.delay, scheduled.hours) : answer.at + scheduled.delay;
    if (scheduled.droppedByLog && since.some((m) => carriesLog(m) && (m.seq === answer.seq || m.at < at))) continue;
    due.push({ step: scheduled.step, at, answers: answer });
  }
  return due.sort((a, b) => a.at - b.at || SCRIPT_STEPS.indexOf(a.step) - SCRIPT_STEPS.indexOf(b.step));
}

/** Reads a stored script; steps this version does not know (a newer desk file) are left out. */
export function parseScript(json: string): ScheduledStep[] {
  const steps = JSON.parse(json) as ScheduledStep[];
  return steps.filter((s) => (SCRIPT_STEPS as readonly string[]).includes(s.step));
}
