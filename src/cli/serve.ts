import { parseArgs } from 'node:util';
import { tryParseDuration } from '../core/duration.ts';
import { UserError, prefixed } from '../core/errors.ts';
import { createLogger } from '../core/log.ts';
import { startHttp } from '../service/http.ts';
import { DEFAULT_SHUTDOWN_GRACE_MS, Service } from '../service/service.ts';

export const SERVE_USAGE = `Usage: supportdrill serve [options]

Runs the service: every drill in drills/ with a \`schedule\` fires on it (one at a time, through the
guardrails), every open ticket is watched, the trial scorecard goes out on scorecards.schedule, and
HTTP serves /healthz, /metrics, /api/runs, /api/tickets and a status page on http.host:http.port.
On start, runs cut off in their class are marked interrupted and interrupted filings are completed.
SIGTERM/SIGINT: stop scheduling, let a run finish (up to --grace, then interrupt it), exit 0.

Options:
  --config PATH     the config file (default: supportdrill.config.{ts,json} or SUPPORTDRILL_CONFIG)
  --drills DIR      where the drills are (default: drills/)
  --data-dir DIR    where the database and evidence go (default: the config's dataDir)
  --dry-run         drills run, nothing is filed (also config dryRun: true)
  --port N          listen on this port instead of http.port (0: any free port)
  --grace DURATION  how long a run in progress may finish after SIGTERM (default 30s)
  -h, --help        this help

Logs are JSON lines on stderr (pretty on a terminal); SUPPORTDRILL_LOG_LEVEL sets the level (info).`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      drills: { type: 'string' },
      'data-dir': { type: 'string' },
      'dry-run': { type: 'boolean' },
      port: { type: 'string' },
      grace: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(SERVE_USAGE + '\n');
    return 0;
  }
  if (positionals.length > 0) throw new UserError(prefixed('serve', `unexpected argument '${positionals[0]}'.\n\n${SERVE_USAGE}`));
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) throw new UserError(prefixed('serve', `--port '${values.port}' is not a port number (0–65535)`));
  const grace = values.grace === undefined ? DEFAULT_SHUTDOWN_GRACE_MS : tryParseDuration(values.grace);
  if (grace === undefined) throw new UserError(prefixed('serve', `--grace '${values.grace}' is not a duration; write it like 30s or 2m`));

  const logger = createLogger({ level: process.env.SUPPORTDRILL_LOG_LEVEL ?? 'info' });
  const service = new Service({
    configPath: values.config,
    cwd: process.cwd(),
    drillsDir: values.drills,
    dataDir: values['data-dir'],
    dryRun: values['dry-run'],
    port,
    logger,
    shutdownGraceMs: grace,
  });

  let stopRequested: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (stopRequested = resolve));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      logger.info({ signal }, 'stopping');
      stopRequested(signal);
    } else {
      logger.warn({ signal }, 'second signal: interrupting the run in progress now');
      service.interruptNow();
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  try {
    await service.start();
    const { server, url } = await startHttp(service, service.config.http);
    // The one line on stdout: what a script or test waits for.
    process.stdout.write(`supportdrill serving on ${url}\n`);
    logger.info({ url }, 'listening');

    await stopped;
    await service.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await service.close();
    logger.info('stopped');
    logger.flush?.();
    return 0;
  } catch (err) {
    await service.stop({ now: true }).catch(() => undefined);
    await service.close().catch(() => undefined);
    throw err;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    // A library handle left open (a vendor's socket, a browser pipe) must not keep a stopped service alive.
    setTimeout(() => process.exit(), 3000).unref();
  }
}
