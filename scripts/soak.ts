/**
 * The fault-injection soak (`npm run soak`, not part of `npm test`): the real `serve` process watches
 * tickets at the sandbox desk and at a hostile Zendesk (the test double of its Requests API, answering
 * a share of calls with 429s and absurd Retry-After values, 5xx pages, slow and huge replies,
 * redirects to another host and garbage JSON), while this harness keeps filing work for it (runs
 * whose tickets are left `filing`, as a drill killed mid-filing leaves them), lets the vendors reply,
 * and SIGKILLs and restarts the service at random. At the end a last calm pass collects what is due,
 * and the audit checks, ticket by ticket: every desk event and every agent comment stored exactly
 * once, no ticket filed twice at either vendor, one scorecard e-mail per settled run, and SQLite's
 * integrity check.
 *
 *   npm run soak -- [--minutes 5] [--seed 1] [--tickets-per-minute 12]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/core/sqlite.ts';
import { newRunId, ticketRef } from '../src/core/run-id.ts';
import type { RunResult } from '../src/core/run-result.ts';
import { openStore } from '../src/store/open-store.ts';
import { DATABASE_FILE } from '../src/store/sqlite/sqlite-store.ts';
import { sandboxDeskPath } from '../src/vendors/sandbox.ts';
import { startZendeskDouble } from '../test/doubles/zendesk-double.ts';
import { seededRandom } from '../src/core/seeded-random.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '5' }, seed: { type: 'string', default: '1' }, 'tickets-per-minute': { type: 'string', default: '12' } } });
const MINUTES = Number(values.minutes);
const SEED = Number(values.seed);
const RATE = Number(values['tickets-per-minute']);
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'supportdrill.mjs');

const random = seededRandom(SEED);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const desk = await startZendeskDouble({ slowMs: 800, hugeBytes: 9 * 1024 * 1024 });
desk.chaos = { seed: SEED, rate: 0.35 };
const dir = mkdtempSync(join(tmpdir(), 'supportdrill-soak-'));
const dataDir = join(dir, 'var');
const drills = join(dir, 'drills');
mkdirSync(drills);
const configPath = join(dir, 'supportdrill.config.json');
writeFileSync(
  configPath,
  JSON.stringify({
    dataDir,
    http: { port: 0 },
    watch: { timeout: '2m' },
    vendors: {
      // A desk that asks for the logs and waits for them: every ticket needs a reply sent exactly once.
      sandbox: { adapter: 'sandbox', persona: 'asks-for-logs', pollInterval: '300ms', conversation: { answerDelay: '1s' } },
      acme: { adapter: 'zendesk', url: desk.url, email: desk.email, token: desk.token, pollInterval: '500ms', conversation: { answerDelay: '1s' } },
    },
  }),
);

const template = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/run-result.json'), 'utf8')) as RunResult;
const store = await openStore(dataDir);
const filedRuns: { runId: string; vendor: string }[] = [];

/** A scored, reproduced run whose ticket row is `filing`: what a drill killed mid-filing leaves for the service's recovery. */
async function leaveForFiling(vendor: string): Promise<void> {
  const runId = newRunId();
  await store.createRun({ id: runId, drill: 'freeze-midclass', provider: 'local', vendor });
  await store.saveRunResult(runId, { ...template, runId, evidenceDir: evidenceFor(runId) });
  await store.beginFiling(runId, { vendor, ref: ticketRef(runId), watchUntil: new Date(Date.now() + 30 * 60_000) });
  filedRuns.push({ runId, vendor });
}

/** Real evidence files for a run, so that the answers to the desks' questions attach them. */
function evidenceFor(runId: string): string {
  const evidence = join(dir, 'evidence', runId);
  mkdirSync(evidence, { recursive: true });
  writeFileSync(join(evidence, 'timeline.json'), JSON.stringify({ runId }));
  writeFileSync(join(evidence, 'console-teacher.log'), '[agora] publish ok\n');
  return evidence;
}

const ASK_FOR_LOGS = "Could you please send us the SDK log and the browser console log from the teacher's machine?";

/**
 * The vendor's agents at the hostile desk, like a desk that needs the logs before it engages: each
 * request is asked for them once; once our answer is there it is resolved (a comment, then solved).
 */
function zendeskAgentsWork(): void {
  for (const request of desk.requests.values()) {
    if (request.status === 'solved') continue;
    const thread = desk.comments.get(request.id) ?? [];
    const asked = thread.some((c) => c.author_id === desk.agent.id);
    const answered = asked && thread[thread.length - 1]!.author_id === desk.customer.id;
    const roll = random();
    if (!asked && roll < 0.1) desk.addComment(request.id, { author: desk.agent, body: `Hello, Alex here. ${ASK_FOR_LOGS}`, at: new Date() });
    else if (answered && roll < 0.2) {
      desk.addComment(request.id, { author: desk.agent, body: 'Thank you for the logs. Root cause: a stalled edge node; fixed.', at: new Date() });
      desk.setStatus(request.id, 'solved', new Date());
    }
  }
}

let child = null as ChildProcess | null;
let starts = 0;
let kills = 0;
function startService(): void {
  starts++;
  child = spawn(process.execPath, [BIN, 'serve', '--config', configPath, '--drills', drills], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SUPPORTDRILL_LOG_LEVEL: 'error' } });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  child.once('exit', (code, signal) => {
    if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && code !== 0) console.error(`the service exited ${code ?? signal} on its own:\n${stderr}`);
  });
}

const end = Date.now() + MINUTES * 60_000;
console.log(`soak: ${MINUTES} min, seed ${SEED}, chaos on ${Math.round(0.35 * 100)} % of the Zendesk double's answers, data in ${dir}`);
startService();
let nextTicket = Date.now();
let nextKill = Date.now() + 3000 + random() * 12_000;
while (Date.now() < end) {
  if (Date.now() >= nextTicket) {
    await leaveForFiling(random() < 0.5 ? 'sandbox' : 'acme');
    nextTicket = Date.now() + (60_000 / RATE) * (0.5 + random());
  }
  zendeskAgentsWork();
  if (Date.now() >= nextKill) {
    child?.kill('SIGKILL');
    kills++;
    await new Promise((r) => child?.once('exit', r));
    startService();
    nextKill = Date.now() + 3000 + random() * 12_000;
  }
  await sleep(500);
}

// A calm end: no more chaos, a last service run collects what is due (and completes filings), stopped
// cleanly. The backoffs the chaos earned (up to 10 minutes) are brought forward first, so that the
// calm pass collects everything now instead of in ten minutes: honouring them is tested elsewhere.
desk.chaos = null;
child?.kill('SIGKILL');
await new Promise((r) => child?.once('exit', r));
const backedOff = openDatabase(join(dataDir, DATABASE_FILE));
const pending = backedOff.prepare("SELECT COUNT(*) AS n FROM tickets WHERE (state = 'open' AND next_poll_at > ?) OR refile_at IS NOT NULL").get(new Date().toISOString()) as { n: number };
backedOff.prepare("UPDATE tickets SET next_poll_at = NULL WHERE state = 'open'").run();
backedOff.prepare('UPDATE tickets SET refile_at = ? WHERE refile_at IS NOT NULL').run(new Date().toISOString());
// Messages cut off mid-send wait out their own backoff before the vendor is asked whether they arrived.
backedOff.prepare("UPDATE messages SET due_at = ? WHERE state IN ('planned', 'sending')").run(new Date().toISOString());
backedOff.close();
startService();
await sleep(25_000);
child?.kill('SIGTERM');
await new Promise((r) => child?.once('exit', r));

// ── the audit ──
const problems: string[] = [];
const leftForOperator: string[] = [];
const tickets = await store.listTickets();
const byRun = new Map(tickets.map((t) => [t.runId, t]));
let deskEvents = 0;
let comments = 0;
let storedEvents = 0;
let messagesPlanned = 0;
let messagesSent = 0;
const desks = openDatabase(sandboxDeskPath(dataDir));
for (const run of filedRuns) {
  const ticket = byRun.get(run.runId);
  if (!ticket) {
    problems.push(`${run.runId}: no ticket row`);
    continue;
  }
  if (ticket.state === 'filing-failed' && ticket.refileAt === null) {
    // Refused (a redirect to another host is a config problem, not an outage): the operator's to retry.
    leftForOperator.push(`${ticket.ref}: ${ticket.error ?? ''}`);
    continue;
  }
  if (ticket.state === 'filing' || ticket.state === 'filing-failed') {
    problems.push(`${ticket.ref} (${run.vendor}) still ${ticket.state}: ${ticket.error ?? ''}`);
    continue;
  }
  const activities = await store.activities(ticket.id);
  const ids = activities.map((a) => a.vendorActivityId);
  for (const message of await store.messages(ticket.id)) {
    const atVendor =
      run.vendor === 'sandbox'
        ? (desks.prepare('SELECT COUNT(*) AS n FROM desk_events WHERE message_key = ?').get(message.key) as { n: number }).n
        : (desk.comments.get(Number(ticket.vendorTicketId)) ?? []).filter((c) => c.author_id === desk.customer.id && new RegExp(`\\(${message.key.replace('/', '\\/')}\\)`).test(c.body)).length;
    messagesPlanned++;
    if (message.state === 'sent') messagesSent++;
    if (atVendor > 1) problems.push(`${message.key}: reached the vendor ${atVendor} times`);
    if (message.state === 'sent' && atVendor !== 1) problems.push(`${message.key}: recorded as sent but ${atVendor} at the vendor`);
    if (message.state === 'sending' && ticket.state === 'open') problems.push(`${message.key}: still sending (${message.error ?? ''})`);
  }
  if (new Set(ids).size !== ids.length) problems.push(`${ticket.ref}: an activity recorded twice`);
  storedEvents += ids.length;
  if (run.vendor === 'sandbox') {
    const number = Number(ticket.vendorTicketId!.slice('SBX-'.length));
    const events = (desks.prepare('SELECT seq FROM desk_events WHERE ticket_number = ? AND step IS NOT NULL').all(number) as { seq: number }[]).map((e) => `sbx-event-${e.seq}`);
    deskEvents += events.length;
    const missing = events.filter((e) => !ids.includes(e));
    if (missing.length && ticket.state === 'open') problems.push(`${ticket.ref}: desk events not stored: ${missing.join(', ')}`);
    const sameTitle = desks.prepare('SELECT COUNT(*) AS n FROM desk_tickets WHERE instr(title, ?) > 0').get(`[${ticket.ref}]`) as { n: number };
    if (sameTitle.n !== 1) problems.push(`${ticket.ref}: ${sameTitle.n} tickets at the sandbox desk`);
  } else {
    const requests = [...desk.requests.values()].filter((r) => (r.subject ?? '').includes(`[${ticket.ref}]`));
    if (requests.length !== 1) problems.push(`${ticket.ref}: ${requests.length} requests at the Zendesk double`);
    const agentComments = (desk.comments.get(Number(ticket.vendorTicketId)) ?? []).filter((c) => c.author_id === desk.agent.id).map((c) => `comment:${c.id}`);
    comments += agentComments.length;
    const missing = agentComments.filter((c) => !ids.includes(c));
    if (missing.length && ticket.state === 'open') problems.push(`${ticket.ref}: agent comments not stored: ${missing.join(', ')}`);
  }
}
desks.close();
const settled = tickets.filter((t) => t.state === 'resolved' || t.state === 'timed-out');
const outbox = join(dataDir, 'outbox');
const allMails = existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')) : [];
// The operator's notices (a question only a person can answer, a cap reached) share the outbox.
const notices = allMails.filter((f) => /-is-waiting-on-a-person-/.test(f));
const mails = allMails.filter((f) => !notices.includes(f));
const noticeBodies = notices.map((f) => f.replace(/^\d{8}T\d{6}Z-/, ''));
if (new Set(noticeBodies).size !== noticeBodies.length) problems.push(`${noticeBodies.length - new Set(noticeBodies).size} operator notice e-mails sent twice`);
const doneMails = (await Promise.all(settled.map((t) => store.getEffect(`scorecard-mail:${t.runId}`)))).filter((e) => e?.state === 'done').length;
if (mails.length !== doneMails) problems.push(`${mails.length} scorecard e-mails in the outbox for ${doneMails} runs e-mailed`);
if (doneMails > settled.length) problems.push(`more scorecards (${doneMails}) than settled tickets (${settled.length})`);
await store.close();
const db = openDatabase(join(dataDir, DATABASE_FILE));
const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
db.close();
if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
await desk.stop();

console.log(`
minutes                          ${MINUTES}
service starts / SIGKILLs        ${starts} / ${kills}
backed off at the end            ${pending.n} ticket(s) waiting out a poll or filing backoff
runs left for filing             ${filedRuns.length} (${filedRuns.filter((r) => r.vendor === 'sandbox').length} sandbox, ${filedRuns.filter((r) => r.vendor === 'acme').length} Zendesk double)
tickets: open / resolved / timed out / stopped / filing / filing failed   ${['open', 'resolved', 'timed-out', 'stopped', 'filing', 'filing-failed'].map((s) => tickets.filter((t) => t.state === s).length).join(' / ')}
filing attempts                  ${tickets.reduce((n, t) => n + t.filingAttempts, 0)} failed, ${tickets.filter((t) => t.filingAttempts > 0 && t.state !== 'filing-failed').length} ticket(s) filed on a later attempt
hostile answers from the double  ${desk.injected.length} (${[...new Set(desk.injected.map((i) => i.mode))].join(', ')})
desk events / agent comments     ${deskEvents} / ${comments}; activities stored ${storedEvents}
our messages: planned / sent     ${messagesPlanned} / ${messagesSent}
operator notices e-mailed        ${notices.length}
scorecard e-mails                ${mails.length} for ${settled.length} settled tickets
integrity_check                  ${integrity}
refused, left for the operator   ${leftForOperator.length}${leftForOperator.length ? `\n  ${leftForOperator.map((l) => l.replace(/https?:\/\/127\.0\.0\.1:\d+/g, 'the desk')).join('\n  ')}` : ''}
duplicates                       ${problems.filter((p) => /twice|requests at|tickets at|e-mails|times$/.test(p)).length}
problems                         ${problems.length ? `\n  ${problems.join('\n  ')}` : 'none'}`);
process.exitCode = problems.length ? 1 : 0;
