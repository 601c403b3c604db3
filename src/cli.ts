import { UserError, prefixed } from './core/errors.ts';
import { StoreFaultError } from './store/store-fault.ts';

type Command = (argv: string[]) => Promise<number>;

/**
 * Every subcommand; each lives in its own file under src/cli/ and is loaded only when it runs, so
 * `--help` or `classify` does not pay for puppeteer, the mail libraries and the rest.
 */
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  drill: { load: async () => (await import('./cli/drill.ts')).drillCommand, summary: 'run a drill: classroom, faults, freeze detection, verdict' },
  scorecard: { load: async () => (await import('./cli/scorecard.ts')).scorecardCommand, summary: 'trial or run scorecards (text, md, html, json); --email' },
  tickets: { load: async () => (await import('./cli/tickets.ts')).ticketsCommand, summary: 'list, show, watch, retry and resolve the tickets drills filed' },
  classify: {
    load: async () => {
      const { classifyCommand } = await import('./cli/classify.ts');
      return (argv) => classifyCommand(argv);
    },
    summary: 'classify a vendor reply (.eml or text): auto, canned, human, resolution',
  },
  serve: { load: async () => (await import('./cli/serve.ts')).serveCommand, summary: 'the service: scheduled drills, ticket watching, /healthz, /metrics, status page' },
  pause: { load: async () => (await import('./cli/pause.ts')).pauseCommand, summary: 'stop the service firing drills (it keeps watching tickets)' },
  resume: { load: async () => (await import('./cli/resume.ts')).resumeCommand, summary: 'let the service fire drills again' },
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
  if (!command) throw new UserError(prefixed(undefined, `Unknown command '${name}'.\n\n${USAGE}`));
  return (await command.load())(rest);
}

let settled = false;
// A promise that never settles (a drill file's top-level await, say) empties the event loop and
// Node exits 0 — which reads as "reproduced". Nothing may end that way without a result.
process.once('beforeExit', () => {
  if (settled) return;
  process.stderr.write(`${prefixed(undefined, `the command stopped without finishing: something it waited for can never settle (a drill or config file whose top-level await never settles?). Nothing was done after that point.`)}\n`);
  process.exitCode = 70;
});

/**
 * Once a command has its result, a timer or socket left by a user's module (a drill or config file)
 * must not keep the process alive: it gets a moment to flush, then exits. Unref'd, so a command whose
 * work is really done exits at once as usual.
 */
function exitSoon(): void {
  setTimeout(() => process.exit(), 2000).unref();
}

main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
    exitSoon();
  },
  (err: unknown) => {
    settled = true;
    exitSoon();
    if (err instanceof UserError) {
      process.stderr.write(err.message + '\n');
      process.exitCode = err.exitCode;
    } else if (err instanceof StoreFaultError) {
      // The store's own disk or file: a set-up problem with the next step in the message, not a bug.
      process.stderr.write(err.message + '\n');
      process.exitCode = 2;
    } else if (err instanceof Error && String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${prefixed(undefined, err.message)}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${prefixed(undefined, `unexpected error: ${(err as Error)?.stack ?? String(err)}`)}\n`);
      process.exitCode = 70;
    }
  },
);
