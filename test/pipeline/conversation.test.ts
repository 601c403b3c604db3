import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { fileRunTicket } from '../../src/pipeline/file-run-ticket.ts';
import { setPaused } from '../../src/pipeline/pause.ts';
import { ticketWatcher } from '../../src/pipeline/ticket-watcher.ts';
import { openWorkspace, type Workspace } from '../../src/pipeline/workspace.ts';
import { openDatabase } from '../../src/core/sqlite.ts';
import { sandboxDeskPath } from '../../src/vendors/sandbox.ts';
import { startZendeskDouble, type ZendeskDouble } from '../doubles/zendesk-double.ts';
import { savedRun, ticketProject, withEvidence } from '../helpers/ticketing.ts';

const RUN = 'run_20261201T100000Z_dd0001';
const drill = { name: 'freeze-midclass', description: 'The teacher’s video freezes for the students mid-class' };
const log = createLogger({ level: 'silent' });

let open: Workspace[] = [];
afterEach(async () => {
  for (const workspace of open) await workspace.close();
  open = [];
});

/** A project with one sandbox vendor playing `persona` ten times faster than by default, answered within 100 ms. */
async function talking(persona: string, extra: Record<string, unknown> = {}, top: Record<string, unknown> = {}) {
  const { dir, configPath } = ticketProject({
    desk: { adapter: 'sandbox', persona, speed: 0.1, pollInterval: '100ms', sla: { firstHumanResponse: '1m', resolution: '5m', clock: 'calendar' }, conversation: { answerDelay: '100ms' }, ...extra },
  });
  if (Object.keys(top).length) {
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(configPath, JSON.stringify({ ...config, ...top }));
  }
  const workspace = await openWorkspace({ configPath, cwd: dir, logger: log });
  open.push(workspace);
  await savedRun(workspace.store, RUN);
  await withEvidence(workspace.store, RUN, dir);
  const { ticket } = await fileRunTicket(workspace, (await workspace.store.getRun(RUN))!, { vendor: 'desk', drill });
  return { workspace, ticket, dir };
}

/** The desk's own record of what we sent it: one row per message of ours. */
function deskCustomerEvents(workspace: Workspace, deskId: string) {
  const db = openDatabase(sandboxDeskPath(workspace.config.dataDir));
  try {
    return db.prepare('SELECT message_key, attachments FROM desk_events WHERE ticket_number = ? AND step IS NULL AND message_key IS NOT NULL ORDER BY seq').all(Number(deskId.slice(4))) as { message_key: string; attachments: string }[];
  } finally {
    db.close();
  }
}

async function watchUntilIdle(workspace: Workspace, ticketId: number, conversation = {}) {
  const watch = ticketWatcher(workspace, { conversation });
  await watch.run({ untilIdle: true, ticketIds: [ticketId], signal: AbortSignal.timeout(60_000) });
  return watch;
}

describe('the conversation with a talking sandbox desk', () => {
  it('sends the logs a desk asks for, once and attached; the desk then engages and resolves; timings gross and net', async () => {
    const { workspace, ticket } = await talking('asks-for-logs');
    await watchUntilIdle(workspace, ticket.id);
    const after = (await workspace.store.getTicket(ticket.id))!;
    expect(after.state).toBe('resolved');
    const messages = await workspace.store.messages(ticket.id);
    expect(messages.map((m) => [m.purpose, m.state])).toEqual([['answer', 'sent']]);
    expect(messages[0]!.attachments.map((a) => a.filename)).toEqual(expect.arrayContaining(['console-teacher.log', 'timeline.json']));
    expect(messages[0]!.body).toMatch(/log/i);
    const sentToDesk = deskCustomerEvents(workspace, ticket.vendorTicketId!);
    expect(sentToDesk.map((e) => e.message_key)).toEqual([messages[0]!.key]);
    expect((JSON.parse(sentToDesk[0]!.attachments) as { filename: string }[]).map((a) => a.filename)).toContain('console-teacher.log');

    const activities = await workspace.store.activities(ticket.id);
    const order = activities.map((a) => (a.kind === 'customer' ? 'us' : a.questions.length ? `${a.kind}?` : a.kind));
    expect(order.indexOf('us')).toBeGreaterThan(order.findIndex((k) => k?.endsWith('?')));
    const t = after.timings!;
    expect(t.customerWaitMs).toBeGreaterThan(0);
    expect(t.resolutionNetMs!).toBeLessThan(t.resolutionMs!);
    expect(t.resolutionMs! - t.resolutionNetMs!).toBe(t.customerWaitMs);
    expect(t.questionRounds).toBeGreaterThanOrEqual(1);
    expect(after.sla!.notes.join(' ')).toMatch(/net of customer wait/);
  }, 60_000);

  it('points a desk that re-asks for what the ticket gave to where it gave it, and counts the re-ask', async () => {
    const { workspace, ticket } = await talking('re-asks');
    await watchUntilIdle(workspace, ticket.id);
    const [answer] = await workspace.store.messages(ticket.id);
    expect(answer).toMatchObject({ purpose: 'answer', state: 'sent' });
    expect((answer!.detail as { pointedTo: number }).pointedTo).toBeGreaterThan(0);
    expect(answer!.body).toContain(ticket.ref);
    const after = (await workspace.store.getTicket(ticket.id))!;
    expect(after.state).toBe('resolved');
    expect(after.timings!.redundantInfoRequests).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('notices the escalation and what the second line asked again', async () => {
    const { workspace, ticket } = await talking('escalates');
    await watchUntilIdle(workspace, ticket.id);
    const after = (await workspace.store.getTicket(ticket.id))!;
    expect(after.state).toBe('resolved');
    expect(after.timings!.escalatedAt).not.toBeNull();
    expect(after.timings!.redundantInfoRequestsAfterEscalation).toBeGreaterThanOrEqual(1);
    expect((await workspace.store.activities(ticket.id)).filter((a) => a.escalation)).toHaveLength(1);
  }, 60_000);

  it('follows up a desk that went silent, and times its next reply', async () => {
    const { workspace, ticket } = await talking('silent-until-followed-up', { conversation: { answerDelay: '100ms', followUp: { after: '1s', every: '30s', max: 2 } } });
    await watchUntilIdle(workspace, ticket.id);
    const after = (await workspace.store.getTicket(ticket.id))!;
    expect(after.state).toBe('resolved');
    const followUps = (await workspace.store.messages(ticket.id)).filter((m) => m.purpose === 'follow-up');
    expect(followUps.map((m) => m.state)).toEqual(['sent']);
    expect(after.timings!.followUps).toHaveLength(1);
    expect(after.timings!.followUps[0]!.nextReplyMs).not.toBeNull();
  }, 60_000);

  it('hands a question only a person can answer to the operator, and the operator’s reply moves the ticket on', async () => {
    const { workspace, ticket } = await talking('needs-a-person');
    const handoffs: string[] = [];
    const watch = ticketWatcher(workspace, { conversation: { onHandoff: (_t, m) => handoffs.push(m.key) } });
    const stop = new AbortController();
    const running = watch.run({ signal: stop.signal, ticketIds: [ticket.id] });
    const deadline = Date.now() + 30_000;
    while (handoffs.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    stop.abort();
    await running;
    const [needed] = await workspace.store.messages(ticket.id);
    expect(needed).toMatchObject({ purpose: 'operator', state: 'needed', body: null });
    expect(needed!.questions.map((q) => q.topic)).toEqual(['other']);
    expect((await workspace.store.getTicket(ticket.id))!.state).toBe('open');
    // The operator was told, with the question and the command to answer it.
    const outbox = join(workspace.config.dataDir, 'outbox');
    const notices = readdirSync(outbox).map((f) => readFileSync(join(outbox, f), 'utf8')).filter((m) => m.includes('waiting on a person'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`tickets reply ${ticket.ref}`);
    expect(notices[0]).toMatch(/schedule a call/);

    const sent = await watch.conversation.operatorReply(ticket, { body: 'Yes — tomorrow 10:00 Beijing time works for us.', by: 'lin' });
    expect(sent).toMatchObject({ purpose: 'operator', state: 'sent', automatic: false });
    expect((await workspace.store.getMessage(needed!.id))!.state).toBe('cancelled');
    await ticketWatcher(workspace).run({ untilIdle: true, ticketIds: [ticket.id], signal: AbortSignal.timeout(30_000) });
    const after = (await workspace.store.getTicket(ticket.id))!;
    expect(after.state).toBe('resolved');
    const ours = (await workspace.store.activities(ticket.id)).filter((a) => a.kind === 'customer');
    expect(ours.map((a) => a.authorName)).toEqual(['operator: lin']);
  }, 60_000);

  it('holds to the cap: past it, the answer waits for the operator and nothing more reaches the desk', async () => {
    const { workspace, ticket } = await talking('asks-for-logs', { conversation: { answerDelay: '100ms', maxMessagesPerTicket: 0 } });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 4000);
    await ticketWatcher(workspace).run({ signal: stop.signal, ticketIds: [ticket.id] });
    const [held] = await workspace.store.messages(ticket.id);
    expect(held).toMatchObject({ purpose: 'answer', state: 'needed' });
    expect((held!.detail as { held: string }).held).toMatch(/cap of 0 automatic messages/);
    expect(deskCustomerEvents(workspace, ticket.vendorTicketId!)).toEqual([]);
  }, 30_000);

  it('writes nothing while paused, and answers once resumed', async () => {
    const { workspace, ticket } = await talking('asks-for-logs');
    await setPaused(workspace.store, true, 'test');
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 3000);
    await ticketWatcher(workspace).run({ signal: stop.signal, ticketIds: [ticket.id] });
    expect(await workspace.store.messages(ticket.id)).toEqual([]);
    expect(deskCustomerEvents(workspace, ticket.vendorTicketId!)).toEqual([]);
    await setPaused(workspace.store, false);
    await watchUntilIdle(workspace, ticket.id);
    expect((await workspace.store.getTicket(ticket.id))!.state).toBe('resolved');
    expect(deskCustomerEvents(workspace, ticket.vendorTicketId!)).toHaveLength(1);
  }, 60_000);

  it('closes out: confirms, discloses the drill, and only then marks the ticket solved', async () => {
    const { workspace, ticket } = await talking('re-asks', { timings: { solved: '1h' }, conversation: { answerDelay: '100ms', closeOut: { confirm: true, markSolved: true } } }, { disclosure: { after: true } });
    await watchUntilIdle(workspace, ticket.id);
    const messages = await workspace.store.messages(ticket.id);
    expect(messages.map((m) => [m.purpose, m.state])).toEqual([['answer', 'sent'], ['close-out', 'sent'], ['disclosure', 'sent']]);
    expect(messages[2]!.body).toMatch(/scheduled support drill/);
    expect(await workspace.store.getEffect(`mark-solved:${ticket.id}`)).toMatchObject({ state: 'done', detail: { outcome: 'solved' } });
    const desk = openDatabase(sandboxDeskPath(workspace.config.dataDir));
    expect((desk.prepare('SELECT status FROM desk_tickets WHERE number = ?').get(Number(ticket.vendorTicketId!.slice(4))) as { status: string }).status).toBe('solved');
    desk.close();
  }, 60_000);
});

describe('the conversation with a Zendesk desk (its test double)', () => {
  let desk: ZendeskDouble | undefined;
  afterEach(async () => {
    await desk?.stop();
  });

  it('a desk that asks for the logs before it engages gets them, once, as uploads on our comment, and resolves', async () => {
    desk = await startZendeskDouble();
    const { dir, configPath } = ticketProject({ acme: { adapter: 'zendesk', url: desk.url, email: desk.email, token: desk.token, pollInterval: '200ms', conversation: { answerDelay: '0s' } } });
    const workspace = await openWorkspace({ configPath, cwd: dir, logger: log });
    open.push(workspace);
    await savedRun(workspace.store, RUN);
    await withEvidence(workspace.store, RUN, dir);
    const { ticket } = await fileRunTicket(workspace, (await workspace.store.getRun(RUN))!, { vendor: 'acme', drill });
    const id = Number(ticket.vendorTicketId);
    desk.addComment(id, { author: desk.agent, body: "Hello, Alex here. Could you please send us the SDK log and the browser console log from the teacher's machine?", at: new Date() });
    desk.setStatus(id, 'pending', new Date());
    const ours = () => (desk!.comments.get(id) ?? []).filter((c) => c.author_id === desk!.customer.id && c.body.includes(`${ticket.ref}/`));
    const agentReplies = async () => {
      while (ours().length === 0) await new Promise((r) => setTimeout(r, 100));
      desk!.addComment(id, { author: desk!.agent, body: 'Thank you for the logs. Root cause: the edge node stalled the teacher’s stream; a fix is deployed.', at: new Date() });
      desk!.setStatus(id, 'solved', new Date());
    };
    await Promise.all([ticketWatcher(workspace).run({ untilIdle: true, ticketIds: [ticket.id], signal: AbortSignal.timeout(30_000) }), agentReplies()]);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.attachments.map((a) => (a as { file_name: string }).file_name)).toEqual(expect.arrayContaining(['console-teacher.log']));
    expect(desk.requests.get(id)!.status).toBe('solved');
    expect((await workspace.store.getTicket(ticket.id))!.state).toBe('resolved');
    expect(existsSync(join(workspace.config.dataDir, 'outbox'))).toBe(true);
  }, 60_000);
});
