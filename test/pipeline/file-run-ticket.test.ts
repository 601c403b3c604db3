import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { latestSlaDeadline } from '../../src/core/sla.ts';
import { SLA_WATCH_MARGIN_MS } from '../../src/core/sla.ts';
import { fileRunTicket, watchEnd } from '../../src/pipeline/file-run-ticket.ts';
import { openWorkspace, type Workspace } from '../../src/pipeline/workspace.ts';
import { slaVerdict } from '../../src/support/sla.ts';
import { savedRun, ticketProject } from '../helpers/ticketing.ts';

const DAY = 86_400_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
const drill = { name: 'freeze-midclass', description: 'Teacher video freezes mid-class' };
/** Friday 16:30 in Berlin, half an hour before the starter desk below closes for the weekend. */
const FRIDAY = new Date('2026-12-04T16:30:00+01:00');

describe('fileRunTicket: how long a ticket is watched', () => {
  let workspace: Workspace | undefined;
  afterEach(async () => await workspace?.close());

  /** A workspace on the built-in sandbox desk (it runs here), its clock at {@link FRIDAY}, logging into `lines`. */
  async function open(lines: string[]): Promise<Workspace> {
    const { dir, configPath } = ticketProject({
      slowdesk: { adapter: 'sandbox', persona: 'silent', sla: 'starter', timezone: 'Europe/Berlin', businessHours: { days: WEEKDAYS, start: '08:00', end: '17:00' } },
      fastdesk: { adapter: 'sandbox', persona: 'silent', sla: 'mature' },
    });
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    workspace = await openWorkspace({ configPath, cwd: dir, logger, now: () => FRIDAY });
    return workspace;
  }

  it('lasts until the SLA’s last business-time deadline has passed when that comes after the configured watch, and says so', async () => {
    const lines: string[] = [];
    const ws = await open(lines);
    const runId = 'run_20261204T153000Z_ww0001';
    await savedRun(ws.store, runId);
    const configured = new Date(FRIDAY.getTime() + 3 * DAY);
    const { ticket, watch } = await fileRunTicket(ws, (await ws.store.getRun(runId))!, { vendor: 'slowdesk', drill, watchUntil: configured });

    // 40 business hours of 08:00–17:00 from Friday 16:30: 0.5 h, four whole days, 3.5 h on the next Friday.
    const deadline = new Date('2026-12-11T11:30:00+01:00');
    expect(ticket.filedAt).toBe(FRIDAY.toISOString());
    expect(ticket.watchUntil).toBe(new Date(deadline.getTime() + SLA_WATCH_MARGIN_MS).toISOString());
    expect(await ws.store.getTicketByRun(runId)).toMatchObject({ state: 'open', watchUntil: ticket.watchUntil });
    expect(watch).toEqual({ until: new Date(ticket.watchUntil!), slaDeadline: deadline, lengthenedBySla: true });
    const said = lines.map((line) => JSON.parse(line) as { msg: string; ref: string }).find((l) => l.ref === ticket.ref);
    expect(said?.msg).toBe(
      `watching ${ticket.ref} until ${ticket.watchUntil}: slowdesk's SLA (starter) has its last deadline at ${deadline.toISOString()}, after the configured watch (3 d 0 h from filing)`,
    );

    // Judged as the watcher judges it when the watch ends: unresolved at its deadline, the ticket has missed it.
    const ended = slaVerdict(
      { filedAt: FRIDAY, businessHours: ws.config.vendors.slowdesk!.businessHours, firstResponseAt: null, firstHumanResponseAt: null, firstSubstantiveResponseAt: null, resolutionAt: null },
      ws.config.vendors.slowdesk!.sla,
      new Date(ticket.watchUntil!),
    );
    expect(ended).toMatchObject({ overall: 'missed', resolution: 'missed', firstHumanResponse: 'missed' });
  });

  it('keeps the configured watch when it already outlasts every deadline, and says nothing', async () => {
    const lines: string[] = [];
    const ws = await open(lines);
    const runId = 'run_20261204T153000Z_ww0002';
    await savedRun(ws.store, runId);
    const configured = new Date(FRIDAY.getTime() + 3 * DAY);
    const { ticket, watch } = await fileRunTicket(ws, (await ws.store.getRun(runId))!, { vendor: 'fastdesk', drill, watchUntil: configured });
    expect(ticket.watchUntil).toBe(configured.toISOString());
    expect(watch).toMatchObject({ lengthenedBySla: false, slaDeadline: new Date(FRIDAY.getTime() + DAY) });
    expect(lines.filter((line) => line.includes(ticket.ref))).toEqual([]);
  });

  it('lengthens the watch of a ticket whose row was written with a shorter one, e.g. before this rule', async () => {
    const ws = await open([]);
    const runId = 'run_20261204T153000Z_ww0003';
    await savedRun(ws.store, runId);
    // The service's recovery writes the row with the configured watch before it files.
    await ws.store.beginFiling(runId, { vendor: 'slowdesk', ref: 'DRILL-ww0003', watchUntil: new Date(FRIDAY.getTime() + 60_000) });
    const { ticket } = await fileRunTicket(ws, (await ws.store.getRun(runId))!, { vendor: 'slowdesk', drill });
    const deadline = latestSlaDeadline(FRIDAY, ws.config.vendors.slowdesk!.sla, ws.config.vendors.slowdesk!.businessHours)!;
    expect(ticket.watchUntil).toBe(new Date(deadline.getTime() + SLA_WATCH_MARGIN_MS).toISOString());
    // Filing it again (tickets retry of a ticket the vendor has) never shortens it.
    const again = await fileRunTicket(ws, (await ws.store.getRun(runId))!, { vendor: 'slowdesk', drill, watchUntil: new Date(FRIDAY.getTime() + 60_000) });
    expect(again).toMatchObject({ reused: true, ticket: { watchUntil: ticket.watchUntil } });
  });
});

describe('watchEnd', () => {
  const sla = { tier: null, clock: 'calendar', firstResponseMs: null, firstHumanResponseMs: 3_600_000, firstSubstantiveResponseMs: null, resolutionMs: 2 * DAY } as const;

  it('waits two poll intervals past the deadline when that is longer than the margin', () => {
    const filedAt = new Date('2026-12-01T10:00:00Z');
    const end = watchEnd(new Date(filedAt.getTime() + DAY), filedAt, { sla, businessHours: null }, 30 * 60_000);
    expect(end).toEqual({ until: new Date(filedAt.getTime() + 2 * DAY + 60 * 60_000), slaDeadline: new Date(filedAt.getTime() + 2 * DAY), lengthenedBySla: true });
  });

  it('keeps the configured end for an SLA that sets no target', () => {
    const filedAt = new Date('2026-12-01T10:00:00Z');
    const none = { ...sla, firstHumanResponseMs: null, resolutionMs: null };
    expect(watchEnd(new Date(filedAt.getTime() + 60_000), filedAt, { sla: none, businessHours: null }, 1000)).toEqual({
      until: new Date(filedAt.getTime() + 60_000),
      slaDeadline: null,
      lengthenedBySla: false,
    });
  });
});
