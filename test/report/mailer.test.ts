import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config/config.ts';
import { UserError } from '../../src/core/errors.ts';
import type { ChartImage } from '../../src/report/charts.ts';
import { emailScorecard } from '../../src/report/mailer.ts';
import { buildRunScorecard } from '../../src/report/run-scorecard.ts';
import type { Store } from '../../src/store/store.ts';
import { fixtureRun, RESPONSIVE } from '../helpers/scorecards.ts';
import { startSmtpReceiver } from '../helpers/smtp-receiver.ts';
import { openStore, ticketProject } from '../helpers/ticketing.ts';

const RUN = 'run_20261123T100000Z_m41l00';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const CHART: ChartImage = { id: 'fps', filename: 'chart.png', png: PNG };

describe('emailScorecard', () => {
  let store: Store;
  let config: Config;
  let dir: string;

  beforeEach(async () => {
    ({ config, dir } = ticketProject({ sandbox: { adapter: 'sandbox', persona: 'responsive' } }));
    store = await openStore(config.dataDir);
    await fixtureRun(store, config, { runId: RUN, vendor: 'sandbox', startedAt: '2026-11-23T10:00:00Z', activities: RESPONSIVE });
  });
  afterEach(async () => {
    await store.close();
    delete process.env.SUPPORTDRILL_TEST_SMTP_PASS;
  });

  it('delivers the scorecard over SMTP: subject, text and HTML parts, the chart inline by cid, the JSON attached', async () => {
    const smtp = await startSmtpReceiver({ user: 'drills@school.example', password: 's3cret' });
    try {
      process.env.SUPPORTDRILL_TEST_SMTP_PASS = 's3cret';
      const mailed = parseConfig(
        {
          vendors: { sandbox: { adapter: 'sandbox' } },
          mail: {
            from: 'supportdrill <drills@school.example>',
            to: ['trial@school.example', 'cto@school.example'],
            smtp: { host: '127.0.0.1', port: smtp.port, secure: false, auth: { user: 'drills@school.example', pass: { env: 'SUPPORTDRILL_TEST_SMTP_PASS' } } },
          },
        },
        { baseDir: dir },
      );
      mkdirSync(join(dir, 'var/runs', RUN), { recursive: true });
      writeFileSync(join(dir, 'var/runs', RUN, 'chart.png'), PNG);
      const delivery = await emailScorecard(await buildRunScorecard(store, RUN, { cwd: dir, config }), [CHART], mailed);
      expect(delivery).toMatchObject({ via: 'smtp', path: null, to: ['trial@school.example', 'cto@school.example'] });
      expect(smtp.received).toHaveLength(1);

      const mail: ParsedMail = await simpleParser(smtp.received[0]!.raw, { keepCidLinks: true });
      expect(mail.subject).toBe(`[supportdrill] freeze-midclass → sandbox: SLA met · first human 6.0 s (${RUN})`);
      expect(mail.from?.value).toEqual([{ name: 'supportdrill', address: 'drills@school.example' }]);
      expect(mail.text).toMatch(/first human response\s+6\.0 s\s+6\.0 s\s+—\s+30 min 00 s\s+met/);
      expect(mail.html).toContain('<img src="cid:fps-chart@supportdrill"');
      expect(mail.html).toContain('Timings against the SLA (mature, calendar clock, judged net of customer wait)');
      const chart = mail.attachments.find((a) => a.contentType === 'image/png')!;
      expect(chart.contentId).toBe('<fps-chart@supportdrill>');
      expect(chart.related).toBe(true);
      expect(chart.content.equals(PNG)).toBe(true);
      const json = mail.attachments.find((a) => a.contentType === 'application/json')!;
      expect(json.filename).toBe(`scorecard-${RUN}.json`);
      const attached = JSON.parse(json.content.toString('utf8'));
      expect(attached).toMatchObject({ kind: 'run', run: { id: RUN }, ticket: { ref: 'DRILL-m41l00', repliesBeforeSubstantive: 2 } });
    } finally {
      await smtp.stop();
    }
  });

  it('writes an .eml file under <dataDir>/outbox/ when no SMTP server is configured', async () => {
    const delivery = await emailScorecard(await buildRunScorecard(store, RUN, { config }), [], config, new Date('2026-11-23T10:05:00Z'));
    expect(delivery.via).toBe('outbox');
    expect(delivery.path!.startsWith(join(config.dataDir, 'outbox', '20261123T100500Z-freeze-midclass-sandbox'))).toBe(true);
    expect(readdirSync(join(config.dataDir, 'outbox'))).toEqual([delivery.path!.split('/').pop()]);
    const mail = await simpleParser(readFileSync(delivery.path!));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('trial-team@localhost');
    expect(mail.subject).toContain(RUN);
    expect(mail.html).toContain('Run scorecard');
    expect(mail.attachments.map((a) => a.filename)).toEqual([`scorecard-${RUN}.json`]);
  });

  it('names the server and the config to check when SMTP refuses the login', async () => {
    const smtp = await startSmtpReceiver({ user: 'drills@school.example', password: 's3cret' });
    try {
      const wrong = parseConfig({ mail: { from: 'a@school.example', to: 'b@school.example', smtp: { host: '127.0.0.1', port: smtp.port, auth: { user: 'drills@school.example', pass: 'nope' } } } }, { baseDir: dir });
      const error = await emailScorecard(await buildRunScorecard(store, RUN, { config }), [], wrong).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(new RegExp(`^\\[supportdrill\\] \\[mail\\] could not send .* through 127\\.0\\.0\\.1:${smtp.port}: .*Check mail\\.smtp`));
    } finally {
      await smtp.stop();
    }
  });
});

describe('mail and scorecards config', () => {
  const dir = '/tmp';

  it('fills in the outbox addresses and the every-run policy when left out', () => {
    const config = parseConfig({ mail: {} }, { baseDir: dir });
    expect(config.mail).toEqual({ from: 'supportdrill <supportdrill@localhost>', to: ['trial-team@localhost'], smtp: null });
    expect(config.scorecards).toEqual({ email: 'every-run', schedule: null });
  });

  it('reads port 465 as TLS from the start and a single recipient as a list', () => {
    const config = parseConfig({ mail: { from: 'a@x.example', to: 'b@x.example', smtp: { host: 'smtp.x.example', port: 465 } }, scorecards: { email: 'sla-misses', schedule: { cron: '0 8 * * mon', timezone: 'Europe/Paris' } } }, { baseDir: dir });
    expect(config.mail).toEqual({ from: 'a@x.example', to: ['b@x.example'], smtp: { host: 'smtp.x.example', port: 465, secure: true, auth: null } });
    expect(config.scorecards).toEqual({ email: 'sla-misses', schedule: { cron: '0 8 * * mon', timezone: 'Europe/Paris' } });
  });

  it('names every wrong mail and scorecards field at once', () => {
    const error = (() => {
      try {
        parseConfig({ mail: { to: 'not an address', smtp: { host: 'smtp.x.example', port: 'x' } }, scorecards: { email: 'always', schedule: { cron: 'every monday', timezone: 'Mars/Olympus' } } }, { baseDir: dir, file: 'supportdrill.config.json' });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected the config to be refused');
    })();
    expect(error).toBeInstanceOf(UserError);
    for (const field of ['mail.to', 'mail.smtp.port', 'scorecards.email', 'scorecards.schedule.cron', 'scorecards.schedule.timezone']) {
      expect(error.message).toContain(`supportdrill.config.json › ${field} › `);
    }
  });

  it('asks for the recipients when SMTP is configured without them', () => {
    expect(() => parseConfig({ mail: { smtp: { host: 'smtp.x.example' } } }, { baseDir: dir })).toThrow(/mail\.to › mail\.smtp is set, so name the recipients/);
  });
});

