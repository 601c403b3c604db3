import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Config } from '../config/config.ts';
import { tryParseDuration } from '../core/duration.ts';
import { prefixed, UserError } from '../core/errors.ts';
import { scorecardCharts, type ChartImage } from '../report/charts.ts';
import { renderScorecard, SCORECARD_FORMATS, type ChartSources, type Scorecard, type ScorecardFormat } from '../report/format.ts';
import { emailScorecard } from '../report/mailer.ts';
import { buildRunScorecard } from '../report/run-scorecard.ts';
import { buildTrialScorecard } from '../report/trial-scorecard.ts';
import { openWorkspace } from '../pipeline/workspace.ts';

export const SCORECARD_USAGE = `Usage: supportdrill scorecard [--since 14d | --from DATE [--to DATE]] [--vendor a,b]
                             [--format text|md|html|json] [--out FILE] [--email]
       supportdrill scorecard --run <run id> [--format …] [--out FILE] [--email]

The trial scorecard: each vendor's drills, median and p90 of every timing (with an interval for the
median), SLA hit rates, inside vs outside business hours, canned first replies, resolution within
the watch, the worst case, and a ranking only where the numbers support one. With --run, one run's
scorecard: what was injected, what the students saw, the ticket's timeline and timings.

Options:
  --since DURATION   the period up to now, e.g. 14d, 36h (default: 14d)
  --from DATE        start of the period (YYYY-MM-DD, UTC midnight, or an ISO instant)
  --to DATE          end of the period; a bare date includes that whole day (default: now)
  --vendor a,b       these vendors, in this order (default: every vendor with runs in the period)
  --run ID           one run's scorecard instead of the trial's
  --format FORMAT    text (default), md, html or json
  --out FILE         write to FILE instead of stdout (HTML charts are embedded as data: URIs)
  --email            e-mail it as well (HTML + text, charts inline, JSON attached); without
                     mail.smtp in the config it is written to <dataDir>/outbox/ and the path printed
  --config PATH      the config file (default: supportdrill.config.{ts,json} or SUPPORTDRILL_CONFIG)
  --data-dir DIR     where the database is (default: the config's dataDir, var)
  -h, --help         this help`;

const DEFAULT_SINCE = '14d';
const DAY_MS = 86_400_000;

/** A date or instant from the command line; a bare date is UTC midnight. */
function parseDate(text: string, flag: string): { at: Date; dateOnly: boolean } {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const at = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(at.getTime())) {
    throw new UserError(prefixed('scorecard', `${flag} '${text}' is not a date; write it as YYYY-MM-DD (UTC) or an ISO instant like 2026-11-29T08:00:00Z`));
  }
  return { at, dateOnly };
}

/** The period `[from, to)` the flags describe. */
export function scorecardPeriod(values: { since?: string; from?: string; to?: string }, now: Date): { from: Date; to: Date } {
  if (values.since !== undefined && (values.from !== undefined || values.to !== undefined)) {
    throw new UserError(prefixed('scorecard', '--since cannot be combined with --from/--to; give one or the other'));
  }
  if (values.from === undefined && values.to !== undefined) {
    throw new UserError(prefixed('scorecard', '--to needs --from (or use --since 14d for a period up to now)'));
  }
  if (values.from !== undefined) {
    const from = parseDate(values.from, '--from').at;
    const to = values.to === undefined ? now : (({ at, dateOnly }) => (dateOnly ? new Date(at.getTime() + DAY_MS) : at))(parseDate(values.to, '--to'));
    if (from.getTime() >= to.getTime()) {
      throw new UserError(prefixed('scorecard', `--from ${values.from} is not before --to ${values.to ?? 'now'}; the period would be empty`));
    }
    return { from, to };
  }
  const since = values.since ?? DEFAULT_SINCE;
  const ms = tryParseDuration(since);
  if (ms === undefined || ms <= 0) {
    throw new UserError(prefixed('scorecard', `--since '${since}' is not a duration; write it like 14d, 36h or 90m`));
  }
  return { from: new Date(now.getTime() - ms), to: now };
}

function chartSources(charts: ChartImage[]): ChartSources {
  return Object.fromEntries(charts.map((chart) => [chart.id, `data:image/png;base64,${chart.png.toString('base64')}`]));
}

/** Charts are only worth the browser when a format shows them. */
async function chartsFor(card: Scorecard, config: Config, needed: boolean): Promise<ChartImage[]> {
  return needed ? scorecardCharts(card, config) : [];
}

export async function scorecardCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      vendor: { type: 'string' },
      run: { type: 'string' },
      format: { type: 'string' },
      email: { type: 'boolean', default: false },
      out: { type: 'string' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(SCORECARD_USAGE + '\n');
    return 0;
  }
  if (positionals.length > 0) throw new UserError(prefixed('scorecard', `unexpected argument '${positionals[0]}'.\n\n${SCORECARD_USAGE}`));
  const format = (values.format ?? 'text') as ScorecardFormat;
  if (!SCORECARD_FORMATS.includes(format)) {
    throw new UserError(prefixed('scorecard', `--format '${values.format}' is not one of ${SCORECARD_FORMATS.join(', ')}`));
  }
  if (values.run !== undefined && (values.since !== undefined || values.from !== undefined || values.to !== undefined || values.vendor !== undefined)) {
    throw new UserError(prefixed('scorecard', '--run shows one run: it cannot be combined with --since, --from, --to or --vendor'));
  }
  const now = new Date();
  const period = values.run === undefined ? scorecardPeriod(values, now) : null;
  const vendors = values.vendor?.split(',').map((name) => name.trim()).filter(Boolean);
  if (values.vendor !== undefined && !vendors?.length) throw new UserError(prefixed('scorecard', '--vendor needs vendor names, e.g. --vendor sandbox,zendesk'));

  const workspace = await openWorkspace({ configPath: values.config, dataDir: values['data-dir'] });
  const { cwd, config, store } = workspace;
  let card: Scorecard;
  try {
    card = period
      ? await buildTrialScorecard(store, config, { ...period, vendors, now })
      : await buildRunScorecard(store, values.run!, { cwd, config, now });
  } finally {
    await workspace.close();
  }

  if (card.kind === 'trial' && card.runs.total === 0) {
    process.stdout.write(`No runs between ${period!.from.toISOString()} and ${period!.to.toISOString()}${vendors ? ` for ${vendors.join(', ')}` : ''}: nothing to score. \`npm run drill freeze-midclass\` makes one.\n`);
    return 0;
  }

  const showsCharts = format === 'html' || format === 'md' || values.email;
  const charts = await chartsFor(card, config, showsCharts);
  const rendered = renderScorecard(card, format, format === 'text' ? {} : chartSources(charts));
  if (values.out) {
    const out = resolve(cwd, values.out);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, rendered);
    process.stdout.write(`scorecard written to ${out}\n`);
  } else {
    process.stdout.write(rendered);
  }
  if (values.email) {
    const delivery = await emailScorecard(card, charts, config, now);
    const line = delivery.path ? `e-mail written to ${delivery.path} (no mail.smtp in the config)` : `e-mailed to ${delivery.to.join(', ')} (${delivery.messageId})`;
    // When stdout carries the scorecard itself (JSON, say), the note goes to stderr so as not to corrupt it.
    (values.out ? process.stdout : process.stderr).write(`${line}\n`);
  }
  return 0;
}
