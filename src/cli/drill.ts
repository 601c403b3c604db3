import { parseArgs } from 'node:util';
import { formatMs } from '../core/duration.ts';
import { PROVIDER_NAMES } from '../classroom/providers/registry.ts';
import { executeRun } from '../pipeline/execute-run.ts';
import { openWorkspace, type Workspace } from '../pipeline/workspace.ts';
import type { Progress } from '../drill/progress.ts';
import { STATE_WORDS, type RunResult } from '../core/run-result.ts';
import { RunInterrupted } from '../drill/runner.ts';
import { UserError, prefixed } from '../core/errors.ts';
import { createLogger } from '../core/log.ts';
import { activityLine, ticketSummary } from './ticket-output.ts';
import { PERSONAS } from '../vendors/sandbox-personas.ts';
import { overrideVendorOption } from '../config/vendor-entry.ts';
import { textTable } from '../core/text-table.ts';

export /** `student-1, student-2`, or `student-1 … student-16` for a large class. */
function studentList(students: string[]): string {
  return students.length > 4 ? `${students[0]} … ${students.at(-1)}` : students.join(', ');
}

const DRILL_USAGE = `Usage: supportdrill drill <name|path> [options]

Runs a drill: a headless classroom, its fault timeline, freeze detection and the verdict.

Options:
  --json              print exactly one JSON document on stdout (logs go to stderr)
  --provider NAME     run the classroom on this provider instead of the drill's (${PROVIDER_NAMES.join(', ')})
  --vendor NAME       file to this vendor of the config (default: the config's defaultVendor)
  --persona NAME      a sandbox vendor plays this persona for this run (${PERSONAS.join(', ')});
                      the talking ones ask, wait for answers, escalate or need a person
  --no-ticket         run and score, file nothing
  --wait / --no-wait  watch the ticket until it resolves (default: only for the sandbox vendor);
                      without waiting, \`npx supportdrill tickets watch\` watches it
  --config PATH       the config file (default: supportdrill.config.{ts,json} or SUPPORTDRILL_CONFIG)
  --data-dir DIR      where the database and evidence go (default: the config's dataDir, var)
  -h, --help          this help

A run that does not reproduce is run again (the drill's \`retries\`, default 1; never a control
drill); each attempt is a run of its own, and the last one is what counts.

Exit codes: 0 reproduced, 1 not reproduced (nothing filed), 2 bad input or set-up failure (the
probe's network or the provider's gateway unreachable included: nothing filed), 3 reproduced but the
ticket could not be filed (\`tickets retry\` files it later), 4 the class was unhealthy before the
first fault (nothing injected, nothing filed), 130 interrupted.`;

function progressLine(event: Progress, startedAt: number): string | undefined {
  const t = `+${((event.at - startedAt) / 1000).toFixed(1).padStart(5)} s`;
  switch (event.phase) {
    case 'run-created':
      return `${t}  run ${event.runId}`;
    case 'browser-up':
      return `${t}  browser up (${event.version})`;
    case 'sdk-loaded':
      return `${t}  SDK ${event.version} loaded (${event.participant})`;
    case 'in-session':
      return `${t}  class in session: teacher → ${studentList(event.students)} (${formatMs(event.sinceStartMs)} after start; ${event.topology}, ${event.hosting})`;
    case 'baseline':
      return event.healthy
        ? `${t}  baseline healthy (+${formatMs(event.fromMs)} to +${formatMs(event.toMs)})`
        : `${t}  baseline UNHEALTHY (+${formatMs(event.fromMs)} to +${formatMs(event.toMs)}): ${event.problems.length} problem(s), no fault injected`;
    case 'fault-on':
      return `${t}  fault on: ${event.kind} → ${event.target}`;
    case 'freeze-seen':
      return `${t}  freeze seen by ${event.participant} (detected ${formatMs(event.detectedAt - event.startedAt)} after the last frame)`;
    case 'state-seen':
      return `${t}  ${STATE_WORDS[event.state]} for ${event.participant} (since ${formatMs(event.at - event.startedAt)} ago)`;
    case 'recovered':
      return `${t}  ${'recovered'}: ${event.participant} after a ${formatMs(event.durationMs)} freeze`;
    case 'fault-off':
      return `${t}  fault off: ${event.kind} → ${event.target}`;
    case 'class-over':
      return `${t}  class over`;
    case 'evidence-saved':
      return `${t}  evidence saved in ${event.dir}`;
  }
}

/** How many of an unhealthy baseline's problems the summary lists. */
const BASELINE_LINES = 10;

export function summary(result: RunResult): string {
  const lines: string[] = [];
  lines.push('');
  const verdict = result.outcome === 'unhealthy-baseline' ? 'UNHEALTHY BASELINE' : result.reproduced ? 'REPRODUCED' : 'NOT REPRODUCED';
  lines.push(`${verdict} — ${result.drill} on ${result.provider}: ${result.reason}`);
  lines.push('');
  if (result.baseline && !result.baseline.healthy) {
    lines.push(`baseline ${result.baseline.from.slice(11, 19)}–${result.baseline.to.slice(11, 19)} UTC:`);
    for (const problem of result.baseline.problems.slice(0, BASELINE_LINES)) lines.push(`  ${problem}`);
    if (result.baseline.problems.length > BASELINE_LINES) lines.push(`  … and ${result.baseline.problems.length - BASELINE_LINES} more (--json lists them all)`);
    lines.push('');
  }
  if (result.faults.length) {
    lines.push(
      textTable(
        ['#', 'fault', 'target', 'on at', 'off at'],
        result.faults.map((f) => [String(f.index), f.kind, f.target, f.startedAt.slice(11, 23), f.endedAt?.slice(11, 23) ?? '—']),
      ),
    );
    lines.push('');
  }
  if (result.freezes.length) {
    lines.push(
      textTable(
        ['student', 'froze at', 'duration', 'onset', 'detect +', 'recovery', 'fault'],
        result.freezes.map((f) => [
          f.participant,
          f.startedAt.slice(11, 23),
          formatMs(f.durationMs),
          formatMs(f.onsetDelayMs),
          formatMs(f.detectionOverheadMs),
          formatMs(f.recoveryMs),
          f.fault === null ? 'FALSE FREEZE' : `#${f.fault}`,
        ]),
      ),
    );
  } else {
    lines.push('No freeze episodes.');
  }
  if (result.states?.length) {
    lines.push('');
    lines.push(
      textTable(
        ['student', 'saw', 'from', 'duration', 'onset', 'recovery', 'fault'],
        result.states.map((e) => [
          e.participant,
          STATE_WORDS[e.state],
          e.startedAt.slice(11, 23),
          formatMs(e.durationMs),
          formatMs(e.onsetDelayMs),
          formatMs(e.recoveryMs),
          e.fault === null ? 'FALSE' : `#${e.fault}`,
        ]),
      ),
    );
  }
  if (result.delay?.length) {
    lines.push('');
    lines.push(`camera-to-screen delay: ${result.delay.map((d) => `${d.participant} p50 ${d.p50Ms} ms, p95 ${d.p95Ms} ms`).join('; ')}`);
  }
  lines.push('');
  lines.push(`false freezes: ${result.falseFreezes}${result.falseStates !== undefined ? `   false states: ${result.falseStates}` : ''}   class in session ${formatMs(result.classInSessionMs)} after start   evidence: ${result.evidenceDir}`);
  return lines.join('\n');
}

export async function drillCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      provider: { type: 'string' },
      'data-dir': { type: 'string' },
      'no-ticket': { type: 'boolean', default: false },
      vendor: { type: 'string' },
      persona: { type: 'string' },
      wait: { type: 'boolean' },
      'no-wait': { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(DRILL_USAGE + '\n');
    return 0;
  }
  const name = positionals[0];
  if (!name || positionals.length > 1) throw new UserError(prefixed(undefined, `drill takes one drill name or path.\n\n${DRILL_USAGE}`));

  // The progress lines on stdout are this command's report; its logs say only what went wrong unless asked.
  const logger = createLogger({ level: process.env.SUPPORTDRILL_LOG_LEVEL ?? 'warn' });
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let startedAt = Date.now();
  let workspace: Workspace | undefined;
  // Every attempt's run id, the first from its progress event, retries as they are announced.
  const attempts: string[] = [];
  const say = (line: string) => {
    if (!values.json) process.stdout.write(line + '\n');
  };
  try {
    workspace = await openWorkspace({ configPath: values.config, dataDir: values['data-dir'], logger });
    if (values.persona !== undefined) withPersona(workspace, values.vendor ?? workspace.config.defaultVendor, values.persona);
    const { result, exitCode } = await executeRun(workspace, {
      drill: name,
      provider: values.provider,
      vendor: values.vendor,
      ticket: !values['no-ticket'],
      wait: values['no-wait'] ? false : values.wait,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.phase === 'run-created') {
          startedAt = event.at;
          if (!attempts.length) attempts.push(event.runId);
        }
        const line = progressLine(event, startedAt);
        if (line) say(line);
      },
      onFiled: (ticket, reused) => say(`\nticket ${reused ? 'found (filed before)' : 'filed'}: ${ticket.vendor} ${ticket.vendorTicketId} [${ticket.ref}]${ticket.url ? ` ${ticket.url}` : ''}`),
      onNotFiled: (reason) => (values.json ? process.stderr.write(`${prefixed(undefined, reason)}\n`) : say(`\n${reason}`)),
      onRetry: (previous, next) => {
        attempts.push(next.runId);
        const why = previous.outcome === 'unhealthy-baseline' ? 'its class was unhealthy before the first fault' : 'it did not reproduce';
        const line = `${previous.runId} does not count: ${why} (${previous.reason}). Running the drill again as ${next.runId} (attempt ${next.attempt} of ${next.of}).`;
        if (values.json) process.stderr.write(`${prefixed(undefined, line)}\n`);
        else say(`\n${line}\n`);
      },
      onActivity: (ticket, activity) => say(activityLine(ticket, activity)),
      onHandoff: (ticket, message) =>
        say(
          `  ⚠ waiting on a person: ${message.questions.map((q) => `"${q.text}"`).join(' ') || 'see the vendor reply'}\n` +
            `    answer with: npx supportdrill tickets reply ${ticket.ref} --message "…"`,
        ),
      onScorecard: (delivery) => {
        const line = delivery.path ? `scorecard written to ${delivery.path}` : `scorecard e-mailed to ${delivery.to.join(', ')}`;
        if (values.json) process.stderr.write(`${prefixed(undefined, line)}\n`);
        else say(`\n${line}`);
      },
    });
    if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else {
      process.stdout.write(summary(result) + '\n');
      if (attempts.length > 1) process.stdout.write(`attempts: ${attempts.map((id, i) => `${id}${i < attempts.length - 1 ? ' (not counted)' : ''}`).join(', ')}\n`);
      if (result.ticket) process.stdout.write('\n' + ticketSummary(result.ticket as never) + '\n');
    }
    return exitCode;
  } catch (err) {
    if (err instanceof RunInterrupted) {
      process.stderr.write(`${prefixed(undefined, `${err.message}; every fault was rolled back.`)}\n`);
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await workspace?.close();
  }
}

/** `--persona NAME`: this run's sandbox desk plays that persona (the talking ones show the whole conversation). */
function withPersona(workspace: Workspace, vendor: string, persona: string): void {
  const entry = workspace.config.vendors[vendor];
  if (!entry || entry.adapter !== 'sandbox') {
    throw new UserError(prefixed(undefined, `--persona is for a sandbox vendor; '${vendor}' is ${entry ? `a ${entry.adapter} vendor` : 'not configured'}.`));
  }
  if (!(PERSONAS as readonly string[]).includes(persona)) {
    throw new UserError(prefixed(undefined, `--persona '${persona}' is not a sandbox persona; expected one of ${PERSONAS.join(', ')}.`));
  }
  overrideVendorOption(workspace.config, vendor, 'persona', persona);
}
