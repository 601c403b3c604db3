import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scorecardCommand, scorecardPeriod } from '../../src/cli/scorecard.ts';
import type { Config } from '../../src/config/config.ts';
import { UserError } from '../../src/core/errors.ts';
import { fixtureRun, RESPONSIVE } from '../helpers/scorecards.ts';
import { openStore, ticketProject } from '../helpers/ticketing.ts';

const RUN = 'run_20261123T100000Z_c1i000';

describe('scorecard command', () => {
  let config: Config;
  let configPath: string;
  let dir: string;
  let stdout: string;

  beforeEach(() => {
    ({ config, configPath, dir } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive' }, acme: { adapter: 'sandbox', persona: 'slow', sla: 'growth' } }));
    stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  async function seed(): Promise<void> {
    const store = await openStore(config.dataDir);
    try {
      await fixtureRun(store, config, { runId: RUN, vendor: 'sandbox', startedAt: '2026-11-23T10:00:00Z', activities: RESPONSIVE });
      await fixtureRun(store, config, { runId: 'run_20261124T100000Z_c1i001', vendor: 'acme', startedAt: '2026-11-24T10:00:00Z', activities: [{ after: 3_600_000, kind: 'human' }] });
    } finally {
      await store.close();
    }
  }

  it('says plainly that there is nothing to score when the period has no runs', async () => {
    const code = await scorecardCommand(['--config', configPath, '--since', '14d']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^No runs between \S+ and \S+: nothing to score\./);
  });

  it('prints the trial scorecard of the vendors asked for as JSON, a bare --to date counting whole', async () => {
    await seed();
    const code = await scorecardCommand(['--config', configPath, '--from', '2026-11-20', '--to', '2026-11-23', '--vendor', 'sandbox', '--format', 'json']);
    expect(code).toBe(0);
    const card = JSON.parse(stdout);
    expect(card.period).toEqual({ from: '2026-11-20T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' });
    expect(card.vendors.map((v: { vendor: string }) => v.vendor)).toEqual(['sandbox']);
    expect(card.vendors[0]).toMatchObject({ drills: 1, timings: { firstHumanResponse: { n: 1, median: 6000 } } });
  });

  it('writes one run’s scorecard to a file and e-mails it to the outbox, printing both paths', async () => {
    await seed();
    const out = join(dir, 'out/run.txt');
    const code = await scorecardCommand(['--config', configPath, '--run', RUN, '--out', out, '--email']);
    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^RUN SCORECARD — FREEZE-MIDCLASS → SANDBOX\n/);
    const [eml] = readdirSync(join(config.dataDir, 'outbox'));
    expect(stdout).toBe(`scorecard written to ${out}\ne-mail written to ${join(config.dataDir, 'outbox', eml!)} (no mail.smtp in the config)\n`);
  });

  it('renders the trial as standalone HTML with the charts drawn by the browser and embedded', async () => {
    await seed();
    const out = join(dir, 'trial.html');
    expect(await scorecardCommand(['--config', configPath, '--since', '3650d', '--format', 'html', '--out', out])).toBe(0);
    const html = readFileSync(out, 'utf8');
    const images = [...html.matchAll(/<img src="data:image\/png;base64,([^"]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64'));
    expect(images).toHaveLength(2);
    for (const png of images) {
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(png.readUInt32BE(16)).toBe(720); // IHDR width: the chart's own size, not a blank viewport
    }
    expect(html).not.toMatch(/<script|\b(src|href)="https?:/i);
  }, 60_000);

  it('refuses contradictory or malformed options with exit code 2', async () => {
    for (const args of [['--format', 'pdf'], ['--since', '14d', '--from', '2026-11-01'], ['--since', 'fortnight'], ['--run', RUN, '--vendor', 'a'], ['--from', '2026-11-30', '--to', '2026-11-01']]) {
      const error = await scorecardCommand(['--config', configPath, ...args]).catch((e: unknown) => e);
      expect(error, args.join(' ')).toBeInstanceOf(UserError);
      expect((error as UserError).exitCode).toBe(2);
    }
  });
});

describe('scorecardPeriod', () => {
  const now = new Date('2026-11-29T06:00:00Z');

  it('reads --since as the period up to now, 14 days by default', () => {
    expect(scorecardPeriod({}, now)).toEqual({ from: new Date('2026-11-15T06:00:00Z'), to: now });
    expect(scorecardPeriod({ since: '36h' }, now)).toEqual({ from: new Date('2026-11-27T18:00:00Z'), to: now });
  });

  it('reads --from without --to as up to now, and instants as given', () => {
    expect(scorecardPeriod({ from: '2026-11-01T08:30:00Z' }, now)).toEqual({ from: new Date('2026-11-01T08:30:00Z'), to: now });
    expect(scorecardPeriod({ from: '2026-11-01', to: '2026-11-02T12:00:00Z' }, now)).toEqual({ from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-02T12:00:00Z') });
  });
});
