import { parseArgs } from 'node:util';
import { formatMs } from '../drill/duration.ts';
import { loadDrill } from '../drill/loader.ts';
import type { Progress } from '../drill/progress.ts';
import type { RunResult } from '../drill/result.ts';
import { RunInterrupted, runDrill } from '../drill/runner.ts';
import { UserError } from '../errors.ts';
import { createLogger } from '../log.ts';
import { textTable } from './table.ts';

export const DRILL_USAGE = `Usage: supportdrill drill <name|path> [options]

Runs a drill: a headless classroom, its fault timeline, freeze detection and the verdict.

Options:
  --json              print exactly one JSON document on stdout (logs go to stderr)
  --provider NAME     run the classroom on this provider instead of the drill's (local, agora)
  --data-dir DIR      where evidence goes (default: var)
  --no-ticket         do not file a ticket for this run
  -h, --help          this help

Exit codes: 0 reproduced, 1 not reproduced, 2 bad input or set-up failure.`;

function progressLine(event: Progress, startedAt: number): string | undefined {
  const t = `+${((event.at - startedAt) / 1000).toFixed(1).padStart(5)} s`;
  switch (event.phase) {
    case 'run-created':
      return `${t}  run ${event.runId}`;
    case 'browser-up':
      return `${t}  browser up (${event.version})`;
    case 'in-session':
      return `${t}  class in session: teacher → ${event.students.join(', ')} (${formatMs(event.sinceStartMs)} after start)`;
    case 'fault-on':
      return `${t}  fault on: ${event.kind} → ${event.target}`;
    case 'freeze-seen':
      return `${t}  freeze seen by ${event.participant} (detected ${formatMs(event.detectedAt - event.startedAt)} after the last frame)`;
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

export function summary(result: RunResult): string {
  const lines: string[] = [];
  lines.push('');
  lines.push(`${result.reproduced ? 'REPRODUCED' : 'NOT REPRODUCED'} — ${result.drill} on ${result.provider}: ${result.reason}`);
  lines.push('');
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
  lines.push('');
  lines.push(`false freezes: ${result.falseFreezes}   class in session ${formatMs(result.classInSessionMs)} after start   evidence: ${result.evidenceDir}`);
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
      ticket: { type: 'boolean', default: true },
      'no-ticket': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(DRILL_USAGE + '\n');
    return 0;
  }
  const name = positionals[0];
  if (!name || positionals.length > 1) throw new UserError(`[supportdrill] drill takes one drill name or path.\n\n${DRILL_USAGE}`);

  const logger = createLogger();
  const { drill } = await loadDrill(name);
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let startedAt = Date.now();
  try {
    const result = await runDrill(drill, {
      provider: values.provider,
      dataDir: values['data-dir'],
      signal: controller.signal,
      logger,
      onProgress: (event) => {
        if (event.phase === 'run-created') startedAt = event.at;
        if (values.json) return;
        const line = progressLine(event, startedAt);
        if (line) process.stdout.write(line + '\n');
      },
    });
    if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else process.stdout.write(summary(result) + '\n');
    return result.reproduced ? 0 : 1;
  } catch (err) {
    if (err instanceof RunInterrupted) {
      process.stderr.write(`[supportdrill] ${err.message}; every fault was rolled back.\n`);
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}
