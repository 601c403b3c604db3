/**
 * Whether a run reproduced: every shorthand key of the drill's expectation (`freeze`, `video`,
 * `audio`, `join`) and every `error` check held. `warning` checks are measured and reported, and
 * decide nothing.
 */
import { formatMs } from '../core/duration.ts';
import type { CheckResult, JoinFailure } from '../core/run-result.ts';
import { resolveTarget } from '../classroom/participants.ts';
import { evaluateCheck, type CheckData, type TimedEpisode } from './checks.ts';
import type { Expectation } from './expectation.ts';
import type { Drill } from './schema.ts';

export { isControl } from './expectation.ts';
export type { Expectation };

export interface Verdict {
  reproduced: boolean;
  reason: string;
  /** Every check's outcome, when the expectation has checks. */
  checks?: CheckResult[];
}

/** What the run saw, for the verdict. */
export interface Observed extends CheckData {
  freezes: readonly (TimedEpisode & { durationMs: number })[];
  /** Blank and still pictures and audio dropouts. */
  states: readonly (TimedEpisode & { state: string; durationMs: number })[];
  /** Students expected to fail to join that did (see `expect.join`). */
  joinFailures?: readonly JoinFailure[];
}

/** The expectation a drill states, or the default: a freeze on every student when it injects faults, none otherwise. */
export function effectiveExpectation(drill: Pick<Drill, 'expect' | 'faults'>): Expectation {
  if (drill.expect) return drill.expect;
  return drill.faults.length > 0 ? { freeze: { on: 'students', minDuration: 1000 } } : { freeze: 'none' };
}

interface Part {
  held: boolean;
  reason: string;
}

const PICTURE = { blank: 'a blank picture', still: 'a still picture', frozen: 'a freeze' } as const;

/** Whether the drill's expectation held: the students saw what the faults were meant to cause. */
export function verdict(expectation: Expectation, observed: Observed): Verdict {
  const who = (target: string) => resolveTarget(target, [...observed.students]);
  const parts: Part[] = [];

  if (expectation.freeze === 'none') {
    const n = observed.freezes.length;
    parts.push(n === 0 ? { held: true, reason: 'no freeze, as expected' } : { held: false, reason: `${n} freeze episode(s) where none was expected` });
  } else if (expectation.freeze) {
    const { on, minDuration } = expectation.freeze;
    parts.push(episodesPart(who(on), observed.freezes, minDuration, (list) => `${list} saw a freeze of at least ${seconds(minDuration)}`, (list) => `no freeze of at least ${seconds(minDuration)} seen by ${list}`));
  }
  if (expectation.video) {
    const { on, state, minDuration } = expectation.video;
    const episodes = state === 'frozen' ? observed.freezes : observed.states.filter((e) => e.state === state);
    parts.push(episodesPart(who(on), episodes, minDuration, (list) => `${list} saw ${PICTURE[state]} of at least ${seconds(minDuration)}`, (list) => `no ${PICTURE[state].replace(/^an? /, '')} of at least ${seconds(minDuration)} seen by ${list}`));
  }
  if (expectation.audio) {
    const { on, dropout } = expectation.audio;
    const episodes = observed.states.filter((e) => e.state === 'audio-dropout');
    parts.push(episodesPart(who(on), episodes, dropout.minDuration, (list) => `${list} heard the sound drop out for at least ${seconds(dropout.minDuration)}`, (list) => `no audio dropout of at least ${seconds(dropout.minDuration)} heard by ${list}`));
  }
  if (expectation.join) parts.push(joinPart(who(expectation.join.fails), observed.joinFailures ?? []));

  const checks = (expectation.checks ?? []).map((check) => evaluateCheck(check, observed));
  const errors = checks.filter((c) => c.level === 'error');
  const failedErrors = errors.filter((c) => !c.passed);
  const failedWarnings = checks.filter((c) => c.level === 'warning' && !c.passed);
  const reproduced = parts.every((p) => p.held) && failedErrors.length === 0;

  const sentences = reproduced
    ? [...parts.map((p) => p.reason), ...(errors.length ? [`${errors.length === 1 ? 'the error check' : `all ${errors.length} error checks`} held`] : [])]
    : [...parts.filter((p) => !p.held).map((p) => p.reason), ...failedErrors.map((c) => `check failed: ${c.name}: ${c.observed}`)];
  const warnings = failedWarnings.map((c) => `warning: ${c.name}: ${c.observed}`);
  return { reproduced, reason: [...sentences, ...warnings].join('; '), ...(checks.length ? { checks } : {}) };
}

function episodesPart(
  who: string[],
  episodes: readonly { participant: string; durationMs: number }[],
  minDuration: number,
  held: (list: string) => string,
  missed: (list: string) => string,
): Part {
  const missing = who.filter((p) => !episodes.some((e) => e.participant === p && e.durationMs >= minDuration));
  return missing.length === 0 ? { held: true, reason: held(who.join(', ')) } : { held: false, reason: missed(missing.join(', ')) };
}

function joinPart(who: string[], failures: readonly JoinFailure[]): Part {
  const joined = who.filter((p) => !failures.some((f) => f.participant === p));
  if (joined.length > 0) return { held: false, reason: `${joined.join(', ')} joined the class (video from the teacher arrived), though the drill expects ${joined.length === 1 ? 'it' : 'them'} not to` };
  const details = who.map((p) => `${p} (${failures.find((f) => f.participant === p)!.reason})`);
  return { held: true, reason: `students could not join: ${details.join(', ')}` };
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : formatMs(ms));
