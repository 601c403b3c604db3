import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { ticketRef } from '../../src/core/run-id.ts';
import { fileRunTicket } from '../../src/pipeline/file-run-ticket.ts';
import { refileDue } from '../../src/pipeline/refile-due.ts';
import { openWorkspace, type Workspace } from '../../src/pipeline/workspace.ts';
import { FILING_LEASE_MS, filingLease } from '../../src/support/filing.ts';
import { startZendeskDouble, type ZendeskDouble } from '../doubles/zendesk-double.ts';
import { savedRun, ticketProject } from '../helpers/ticketing.ts';

const drillFor = (name: string) => ({ name, description: 'Teacher video freezes mid-class' });
const log = createLogger({ level: 'silent' });

describe('refileDue: the filings the service owes a vendor', () => {
  // The Zendesk double stands in for a hosted help desk, which cannot run here.
  let desk: ZendeskDouble;
  let workspace: Workspace;

  beforeAll(async () => {
    desk = await startZendeskDouble();
    const { dir, configPath } = ticketProject({ acme: { adapter: 'zendesk', url: desk.url, email: desk.email, token: desk.token } });
    workspace = await openWorkspace({ configPath, cwd: dir });
  });
  afterAll(async () => {
    await workspace.close();
    await desk.stop();
  });

  const subjects = (ref: string) => [...desk.requests.values()].filter((r) => r.subject.includes(`[${ref}]`)).length;

  it('files again, once, a filing the vendor could not take — when its retry time comes, not before', async () => {
    const runId = 'run_20261130T020000Z_aa0001';
    await savedRun(workspace.store, runId);
    desk.failNext(503);
    await expect(fileRunTicket(workspace, (await workspace.store.getRun(runId))!, { vendor: 'acme', drill: drillFor('freeze-midclass') })).rejects.toThrow(/503/);
    const failed = (await workspace.store.getTicketByRun(runId))!;
    expect(failed).toMatchObject({ state: 'filing-failed', filingAttempts: 1 });
    expect(failed.refileAt).not.toBeNull();

    const calls = desk.calls.length;
    expect(await refileDue(workspace, { log, drillFor })).toEqual({ filed: [], failed: [] });
    expect(desk.calls.length).toBe(calls);

    const due = () => new Date(Date.parse(failed.refileAt!) + 1);
    expect(await refileDue(workspace, { log, drillFor, now: due })).toEqual({ filed: [failed.ref], failed: [] });
    expect(await workspace.store.getTicketByRun(runId)).toMatchObject({ state: 'open', refileAt: null });
    expect(subjects(failed.ref)).toBe(1);
    // Done is done: another pass files nothing.
    expect(await refileDue(workspace, { log, drillFor, now: due })).toEqual({ filed: [], failed: [] });
    expect(subjects(failed.ref)).toBe(1);
  });

  it('completes a filing whose filer died, but not one whose filer is still at it', async () => {
    const runId = 'run_20261130T020000Z_aa0002';
    await savedRun(workspace.store, runId);
    const ref = ticketRef(runId);
    await workspace.store.beginFiling(runId, { vendor: 'acme', ref, watchUntil: new Date(Date.now() + 3_600_000) });
    await workspace.store.acquireLease(filingLease(runId), 'a-live-drill', FILING_LEASE_MS);
    expect(await refileDue(workspace, { log, drillFor })).toEqual({ filed: [], failed: [] });
    expect(subjects(ref)).toBe(0);

    // The filer dies: its lease lapses (here: is given back) and the next pass completes the filing.
    await workspace.store.releaseLease(filingLease(runId), 'a-live-drill');
    expect(await refileDue(workspace, { log, drillFor })).toEqual({ filed: [ref], failed: [] });
    expect(subjects(ref)).toBe(1);
  });

  it('leaves a refused filing to the operator however long it waits', async () => {
    const runId = 'run_20261130T020000Z_aa0003';
    await savedRun(workspace.store, runId);
    desk.failNext(401, {}, { error: "Couldn't authenticate you" });
    await expect(fileRunTicket(workspace, (await workspace.store.getRun(runId))!, { vendor: 'acme', drill: drillFor('freeze-midclass') })).rejects.toThrow();
    const failed = (await workspace.store.getTicketByRun(runId))!;
    expect(failed).toMatchObject({ state: 'filing-failed', refileAt: null });
    const muchLater = () => new Date(Date.now() + 30 * 24 * 3600_000);
    expect((await refileDue(workspace, { log, drillFor, now: muchLater })).filed).not.toContain(failed.ref);
    expect(subjects(failed.ref)).toBe(0);
  });
});
