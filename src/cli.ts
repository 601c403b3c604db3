import { classifyCommand } from './cli/classify.ts';
import { drillCommand } from './cli/drill.ts';
import { pauseCommand } from './cli/pause.ts';
import { resumeCommand } from './cli/resume.ts';
import { scorecardCommand } from './cli/scorecard.ts';
import { serveCommand } from './cli/serve.ts';
import { ticketsCommand } from './cli/tickets.ts';
import { UserError } from './errors.ts';

type Command = (argv: string[]) => Promise<number>;

/** Every subcommand; each lives in its own file under src/cli/. */
const COMMANDS: Record<string, { run: Command; summary: string }> = {
  drill: { run: drillCommand, summary: 'run a drill: classroom, faults, freeze detection, verdict' },
  scorecard: { run: scorecardCommand, summary: 'trial or run scorecards (text, md, html, json); --email' },
  tickets: { run: ticketsCommand, summary: 'list, show, watch, retry and resolve the tickets drills filed' },
  classify: { run: (argv) => classifyCommand(argv), summary: 'classify a vendor reply (.eml or text): auto, canned, human, resolution' },
  serve: { run: serveCommand, summary: 'the service: scheduled drills, ticket watching, /healthz, /metrics, status page' },
  pause: { run: pauseCommand, summary: 'stop the service firing drills (it keeps watching tickets)' },
  resume: { run: resumeCommand, summary: 'let the service fire drills again' },
};

const USAGE = `Usage: supportdrill <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)}${c.summary}`)
  .join('\n')}

Run \`supportdrill <command> --help\` for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new UserError(`[supportdrill] Unknown command '${name}'.\n\n${USAGE}`);
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UserError) {
      process.stderr.write(err.message + '\n');
      process.exitCode = err.exitCode;
    } else if (err instanceof Error && String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`[supportdrill] ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`[supportdrill] unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 70;
    }
  },
);
