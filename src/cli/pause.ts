import { parseArgs } from 'node:util';
import { UserError, prefixed } from '../core/errors.ts';
import { pauseState, setPaused } from '../pipeline/pause.ts';
import { openWorkspace } from '../pipeline/workspace.ts';

const usage = (name: string, what: string) => `Usage: supportdrill ${name} [--config PATH] [--data-dir DIR]${name === 'pause' ? ' [--reason TEXT]' : ''}

${what}`;

export const PAUSE_USAGE = usage('pause', 'Stops the service from firing drills (it keeps watching tickets) until `supportdrill resume`.\nThe flag is in the database, so it holds across restarts and a running service sees it at its next firing.');
export const RESUME_USAGE = usage('resume', 'Lets the service fire drills again after `supportdrill pause`.');

/** `pause` and `resume`: one flag in the settings table, read by the service on every firing. */
export async function setPausedCommand(argv: string[], paused: boolean): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      ...(paused ? { reason: { type: 'string' as const } } : {}),
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const name = paused ? 'pause' : 'resume';
  if (values.help) {
    process.stdout.write((paused ? PAUSE_USAGE : RESUME_USAGE) + '\n');
    return 0;
  }
  if (positionals.length > 0) throw new UserError(prefixed(name, `unexpected argument '${positionals[0]}'.\n\n${paused ? PAUSE_USAGE : RESUME_USAGE}`));
  const workspace = await openWorkspace({ configPath: values.config, dataDir: values['data-dir'] });
  const { store } = workspace;
  try {
    const before = await pauseState(store);
    await setPaused(store, paused, (values as { reason?: string }).reason);
    if (paused) process.stdout.write(before.paused ? `Already paused (since ${before.since ?? 'earlier'}).\n` : 'Paused: the service fires no drill until `supportdrill resume`; tickets are still watched.\n');
    else process.stdout.write(before.paused ? 'Resumed: scheduled drills fire again.\n' : 'Not paused; nothing to do.\n');
    return 0;
  } finally {
    await workspace.close();
  }
}

export const pauseCommand = (argv: string[]): Promise<number> => setPausedCommand(argv, true);
