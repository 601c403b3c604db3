/**
 * The sandbox desk's scripted agents: who they are and when each of their steps happens by default —
 * counted from filing, or, for a step that waits on the customer, from the customer's message it
 * waits for. The desk (sandbox-desk.ts) decides when a step is due and stores it; sandbox-texts.ts
 * says what a step looks like once it is.
 */

/** The scripted agents the desk can play. */
export const PERSONAS = [
  'responsive',
  'slow',
  'bot-only',
  'silent',
  'business-hours',
  'chinese',
  'asks-for-logs',
  're-asks',
  'escalates',
  'silent-until-followed-up',
  'needs-a-person',
  'diagnoses-correctly',
  'diagnoses-partly',
  'diagnoses-wrongly',
] as const;
export type PersonaName = (typeof PERSONAS)[number];

/**
 * Every step a script may have, in the order the desk writes steps that fall due at the same instant:
 * auto-acknowledgement, canned reply, a first-line question, the re-ask of one, the hand-over to
 * second line, second line's own question, substantive reply, resolution, status `solved`.
 */
export const SCRIPT_STEPS = ['ack', 'canned', 'question', 're-ask', 'escalation', 'second-line-question', 'human', 'resolution', 'solved'] as const;
export type ScriptStep = (typeof SCRIPT_STEPS)[number];

export type Language = 'en' | 'zh';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const RESPONSIVE_DELAYS = { ack: 2 * SECOND, canned: 6 * SECOND, human: 12 * SECOND, resolution: 20 * SECOND, solved: 21 * SECOND };
// No canned reply: the engineer's diagnosis is the first thing a person says, so the three diagnosing
// personas differ in the cause they state and in nothing else.
const DIAGNOSING_DELAYS = { ack: RESPONSIVE_DELAYS.ack, human: RESPONSIVE_DELAYS.human, resolution: RESPONSIVE_DELAYS.resolution, solved: RESPONSIVE_DELAYS.solved };

/**
 * A step that waits on the customer: its delay counts from the first customer message written after
 * step `after`, and it never happens while no such message has come.
 */
export interface StepWait {
  after: ScriptStep;
  /** Only a message carrying an attachment whose name contains `log` counts. */
  withLog?: boolean;
  /** The step is dropped when a message with a log attachment arrived (after `after`) before it fell due: a re-ask for logs. */
  droppedByLog?: boolean;
}

export interface PersonaDefinition {
  /** Default delay of each step from its anchor (filing, or the message in {@link waits}); a step left out never happens. */
  delays: Partial<Record<ScriptStep, number>>;
  /** The steps that wait on the customer; every other step counts from filing. */
  waits?: Partial<Record<ScriptStep, StepWait>>;
  language: Language;
  /** Agents' delays count business time only; the auto-acknowledgement still comes at once. */
  agentsInBusinessHours: boolean;
}

/** The same wait for each of `steps`. */
const waiting = (wait: StepWait, ...steps: ScriptStep[]): Partial<Record<ScriptStep, StepWait>> =>
  Object.fromEntries(steps.map((step) => [step, wait]));

export const PERSONA_DEFINITIONS: Record<PersonaName, PersonaDefinition> = {
  responsive: { delays: RESPONSIVE_DELAYS, language: 'en', agentsInBusinessHours: false },
  slow: {
    delays: { ack: 1 * MINUTE, canned: 20 * MINUTE, human: 2 * HOUR, resolution: 26 * HOUR, solved: 26 * HOUR + 5 * MINUTE },
    language: 'en',
    agentsInBusinessHours: false,
  },
  'bot-only': { delays: { ack: RESPONSIVE_DELAYS.ack }, language: 'en', agentsInBusinessHours: false },
  silent: { delays: {}, language: 'en', agentsInBusinessHours: false },
  'business-hours': { delays: RESPONSIVE_DELAYS, language: 'en', agentsInBusinessHours: true },
  chinese: { delays: RESPONSIVE_DELAYS, language: 'zh', agentsInBusinessHours: false },
  'asks-for-logs': {
    delays: { ack: 2 * SECOND, question: 5 * SECOND, 're-ask': 3 * SECOND, human: 4 * SECOND, resolution: 10 * SECOND, solved: 11 * SECOND },
    waits: { 're-ask': { after: 'question', droppedByLog: true }, ...waiting({ after: 'question', withLog: true }, 'human', 'resolution', 'solved') },
    language: 'en',
    agentsInBusinessHours: false,
  },
  're-asks': {
    delays: { ack: 2 * SECOND, question: 5 * SECOND, resolution: 8 * SECOND, solved: 9 * SECOND },
    waits: waiting({ after: 'question' }, 'resolution', 'solved'),
    language: 'en',
    agentsInBusinessHours: false,
  },
  escalates: {
    delays: { ack: 2 * SECOND, canned: 5 * SECOND, escalation: 10 * SECOND, 'second-line-question': 14 * SECOND, resolution: 8 * SECOND, solved: 9 * SECOND },
    waits: waiting({ after: 'second-line-question' }, 'resolution', 'solved'),
    language: 'en',
    agentsInBusinessHours: false,
  },
  'silent-until-followed-up': {
    delays: { ack: 2 * SECOND, human: 5 * SECOND, resolution: 15 * SECOND, solved: 16 * SECOND },
    waits: waiting({ after: 'ack' }, 'human', 'resolution', 'solved'),
    language: 'en',
    agentsInBusinessHours: false,
  },
  'needs-a-person': {
    delays: { ack: 2 * SECOND, human: 8 * SECOND, resolution: 8 * SECOND, solved: 9 * SECOND },
    waits: waiting({ after: 'human' }, 'resolution', 'solved'),
    language: 'en',
    agentsInBusinessHours: false,
  },
  'diagnoses-correctly': { delays: DIAGNOSING_DELAYS, language: 'en', agentsInBusinessHours: false },
  'diagnoses-partly': { delays: DIAGNOSING_DELAYS, language: 'en', agentsInBusinessHours: false },
  'diagnoses-wrongly': { delays: DIAGNOSING_DELAYS, language: 'en', agentsInBusinessHours: false },
};

/** Each persona's default delays from each step's anchor, in ms, before `speed` and `timings` apply. */
export const PERSONA_DELAYS: Readonly<Record<PersonaName, Readonly<Partial<Record<ScriptStep, number>>>>> = Object.fromEntries(
  PERSONAS.map((name) => [name, { ...PERSONA_DEFINITIONS[name].delays }]),
) as Record<PersonaName, Partial<Record<ScriptStep, number>>>;

/** Narrows a desk row's persona column; a name this version does not know (a newer desk file) reads as none. */
export function isPersonaName(value: string): value is PersonaName {
  return (PERSONAS as readonly string[]).includes(value);
}
