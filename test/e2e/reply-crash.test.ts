import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openWorkspace } from '../../src/pipeline/workspace.ts';
import { fileRunTicket } from '../../src/pipeline/file-run-ticket.ts';
import { startZendeskDouble, type ZendeskDouble } from '../doubles/zendesk-double.ts';
import { BIN, ROOT, runCli } from '../helpers/cli.ts';
import { openStore, savedRun, ticketProject, withEvidence } from '../helpers/ticketing.ts';

const RUN = 'run_20261201T100000Z_cc0001';
const ASK = "Could you please send us the SDK log and the browser console log from the teacher's machine?";

describe('a reply cut off by SIGKILL between sending and recording (real processes)', () => {
  // The Zendesk double stands in for the vendor's hosted help desk, which cannot run here.
  let desk: ZendeskDouble;
  beforeAll(async () => {
    desk = await startZendeskDouble();
  });
  afterAll(async () => {
    await desk.stop();
  });

  it('reaches the vendor once: the restarted watcher finds the reply at the vendor instead of sending it again', async () => {
    const { dir, configPath, config } = ticketProject({
      acme: { adapter: 'zendesk', url: desk.url, email: desk.email, token: desk.token, pollInterval: '300ms', conversation: { answerDelay: '0s' } },
    });
    const workspace = await openWorkspace({ configPath, cwd: dir });
    await savedRun(workspace.store, RUN);
    await withEvidence(workspace.store, RUN, dir);
    const { ticket } = await fileRunTicket(workspace, (await workspace.store.getRun(RUN))!, { vendor: 'acme', drill: { name: 'freeze-midclass', description: 'Teacher video freezes' } });
    await workspace.close();
    const requestId = Number(ticket.vendorTicketId);
    desk.addComment(requestId, { author: desk.agent, body: `Hello, this is Alex from media engineering. ${ASK}`, at: new Date() });
    // The desk takes our comment and never answers: the watcher is killed while it waits.
    desk.hostileAfterNext('hang', 0, `PUT /api/v2/requests/${requestId}.json`);

    const first = spawn(process.execPath, [BIN, 'tickets', 'watch', '--config', configPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const ours = () => (desk.comments.get(requestId) ?? []).filter((c) => c.author_id === desk.customer.id && c.body.includes(`${ticket.ref}/`));
    await vi.waitFor(() => expect(ours()).toHaveLength(1), { timeout: 30_000, interval: 100 });
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    const store = await openStore(config.dataDir);
    const [cut] = await store.messages(ticket.id);
    expect(cut).toMatchObject({ purpose: 'answer', state: 'sending', attempts: 1 });
    await store.close();

    // The vendor engages with the logs and solves it, so that the second watcher can end.
    const second = runCli(['tickets', 'watch', '--until-idle', '--config', configPath], { timeoutMs: 60_000 });
    await vi.waitFor(() => expect(desk.calls.filter((c) => c.startsWith(`GET /api/v2/requests/${requestId}/comments`)).length).toBeGreaterThan(3), { timeout: 30_000 });
    desk.addComment(requestId, { author: desk.agent, body: 'Thanks for the logs. Root cause: an edge node stalled; we deployed a fix.', at: new Date() });
    desk.setStatus(requestId, 'solved', new Date());
    const done = await second;
    expect(done.code, done.stderr).toBe(0);

    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.attachments.length).toBeGreaterThan(0);
    const after = await openStore(config.dataDir);
    const [sent] = await after.messages(ticket.id);
    expect(sent).toMatchObject({ state: 'sent', attempts: 1, vendorMessageId: `comment:${ours()[0]!.id}` });
    const customer = (await after.activities(ticket.id)).filter((a) => a.kind === 'customer');
    expect(customer.map((a) => a.vendorActivityId)).toEqual([`comment:${ours()[0]!.id}`]);
    expect((await after.getTicket(ticket.id))!.state).toBe('resolved');
    await after.close();
  }, 120_000);
});
