import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { rerunFor } from '../../src/pipeline/execute-run.ts';
import { fileRunTicket } from '../../src/pipeline/file-run-ticket.ts';
import { ticketWatcher } from '../../src/pipeline/ticket-watcher.ts';
import { openWorkspace, type Workspace } from '../../src/pipeline/workspace.ts';
import { startZendeskDouble, type ZendeskDouble } from '../doubles/zendesk-double.ts';
import { ROOT } from '../helpers/cli.ts';
import { savedRun, ticketProject, withEvidence } from '../helpers/ticketing.ts';

const RUN = 'run_20261201T100000Z_ff0001';

describe('a vendor that asks us to reproduce it (a real class runs again)', () => {
  // The Zendesk double stands in for the vendor's hosted help desk.
  let desk: ZendeskDouble;
  let workspace: Workspace;
  beforeAll(async () => {
    desk = await startZendeskDouble();
    const { configPath, dir } = ticketProject({
      acme: { adapter: 'zendesk', url: desk.url, email: desk.email, token: desk.token, pollInterval: '300ms', conversation: { answerDelay: '0s', rerun: true } },
    });
    // The drills of the project are the repository's: freeze-midclass runs on the local provider.
    workspace = await openWorkspace({ configPath, cwd: ROOT, dataDir: `${dir}/var`, logger: createLogger({ level: 'silent' }) });
    await savedRun(workspace.store, RUN);
    await withEvidence(workspace.store, RUN, dir);
  });
  afterAll(async () => {
    await workspace.close();
    await desk.stop();
  });

  it('runs the drill again without filing, and answers with what the new run showed and its evidence', async () => {
    const { ticket } = await fileRunTicket(workspace, (await workspace.store.getRun(RUN))!, { vendor: 'acme', drill: { name: 'freeze-midclass', description: 'The teacher’s video freezes' } });
    const id = Number(ticket.vendorTicketId);
    desk.addComment(id, { author: desk.agent, body: 'Thanks. Can you reproduce it with debug logging enabled and send us what you see?', at: new Date() });
    const ours = () => (desk.comments.get(id) ?? []).filter((c) => c.author_id === desk.customer.id && c.body.includes(`${ticket.ref}/`));
    const agent = (async () => {
      while (ours().length === 0) await new Promise((r) => setTimeout(r, 200));
      desk.addComment(id, { author: desk.agent, body: 'Root cause found in the new logs: an encoder stall; fixed.', at: new Date() });
      desk.setStatus(id, 'solved', new Date());
    })();
    await Promise.all([
      ticketWatcher(workspace, { conversation: { rerun: rerunFor(workspace) } }).run({ untilIdle: true, ticketIds: [ticket.id], signal: AbortSignal.timeout(150_000) }),
      agent,
    ]);
    const [answer] = await workspace.store.messages(ticket.id);
    const rerun = (answer!.detail as { rerun: string | null }).rerun;
    expect(rerun).toMatch(/^run_/);
    expect(rerun).not.toBe(RUN);
    const again = await workspace.store.getRun(rerun!);
    expect(again).toMatchObject({ drill: 'freeze-midclass', vendor: null, reproduced: true });
    expect(await workspace.store.getTicketByRun(rerun!)).toBeNull();
    expect(answer!.questions.map((q) => q.topic)).toContain('reproduce');
    // The answer's files are the new run's evidence.
    expect(answer!.attachments.length).toBeGreaterThan(0);
    for (const file of answer!.attachments) expect(file.path).toContain(rerun!);
    expect(ours()).toHaveLength(1);
  }, 180_000);
});
