/**
 * The diagnosing personas at the adapter: three engineers on the shipped drill's ticket (the
 * teacher's outgoing video frames dropped on a clean network), one stating the right cause, one the
 * right side without the mechanism, one the network. Each reply is read the way the project reads a
 * real vendor's: the classifier for its kind, claims and diagnosis against the run's answer key for
 * its verdict. Real desk files in temp dirs, the desk's clock moved by the test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerKey } from '../../src/core/answer-key.ts';
import type { RunResult } from '../../src/core/run-result.ts';
import { classifyReply } from '../../src/support/classifier.ts';
import { readClaim } from '../../src/support/claims.ts';
import { diagnoseReply, diagnoseTicket, participantIds, type DiagnosisVerdict } from '../../src/support/diagnosis.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import type { TicketDraft, VendorActivity, VendorAdapter } from '../../src/vendors/adapter.ts';
import sandbox, { PERSONA_DELAYS, sandboxDeskPath, type PersonaName, type SandboxOptions } from '../../src/vendors/sandbox.ts';
import { teacherFreezeKey } from '../helpers/scorecards.ts';

const FILED = new Date('2026-11-30T02:00:00.000Z');
const HOUR = 3600 * 1000;

const tempDirs: string[] = [];
const opened: VendorAdapter[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-sandbox-diagnoses-'));
  tempDirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const adapter of opened.splice(0)) await adapter.close?.();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const fixture = JSON.parse(readFileSync(new URL('../fixtures/run-result.json', import.meta.url), 'utf8')) as RunResult;

/** The fixture's run on the local stack (a room, no uids), and the same run as Agora records it (channel and uids). */
const RUNS: Record<'local' | 'agora', RunResult> = {
  local: fixture,
  agora: { ...fixture, identifiers: { channel: 'class-42', uids: { teacher: 1000, 'student-1': 1001, 'student-2': 1002 }, mode: 'rtc', codec: 'vp8' } },
};
const CHANNEL = { local: fixture.runId, agora: 'class-42' };

const draftOf = (result: RunResult): TicketDraft =>
  renderTicket({
    result,
    drill: { name: 'freeze-midclass', description: "The teacher's video freezes for 10 s in the middle of a lesson" },
    vendorTimezone: 'Asia/Shanghai',
    evidenceDir: tempDir(),
  });

/** What freeze-midclass really injects: the teacher's client sends no video. Never shown to the desk. */
const KEY: AnswerKey = teacherFreezeKey(fixture);

const DIAGNOSING: Record<string, DiagnosisVerdict> = { 'diagnoses-correctly': 'correct', 'diagnoses-partly': 'partial', 'diagnoses-wrongly': 'wrong' };
const PERSONAS = Object.keys(DIAGNOSING) as PersonaName[];
const SEEDS = [undefined, 1, 2, 3, 4, 5, 6, 7];

/** Files the run's ticket at a fresh desk and reads everything the desk wrote within an hour. */
async function conversation(options: SandboxOptions, run: keyof typeof RUNS = 'local') {
  const dataDir = tempDir();
  let now = FILED.getTime();
  const adapter = sandbox(options, { dataDir, vendorName: 'sandbox', now: () => new Date(now) });
  opened.push(adapter);
  const draft = draftOf(RUNS[run]);
  const ticket = await adapter.fileTicket(draft);
  now += HOUR;
  const page = await adapter.fetchActivity({ runId: draft.runId, ref: draft.ref, vendorTicketId: ticket.vendorTicketId });
  const steps = stepsOf(dataDir, page.activities);
  const byStep = (name: string) => page.activities[steps.indexOf(name)]!;
  return { draft, page, steps, byStep, ids: participantIds(RUNS[run].identifiers) };
}

/** The script step that wrote each activity, from the desk file. */
function stepsOf(dataDir: string, activities: VendorActivity[]): string[] {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const db = new Database(sandboxDeskPath(dataDir), { readonly: true });
  try {
    const step = db.prepare('SELECT step FROM desk_events WHERE seq = ?');
    return activities.map((a) => (step.get(Number(a.vendorActivityId.replace('sbx-event-', ''))) as { step: string }).step);
  } finally {
    db.close();
  }
}

const kindOf = (activity: VendorActivity, draft: TicketDraft) =>
  classifyReply({ text: activity.text ?? '', authorRole: activity.authorRole, automated: activity.automated, statusChange: activity.statusChange, facts: draft.facts }).kind;

const CJK = /[\u4e00-\u9fff]{4}/u;
const HEDGE = /\b(may|might|perhaps|possibly|probably|likely|maybe|seems?|appears?)\b|可能|也许|或许|大概|似乎|好像|疑似/iu;

describe.each(PERSONAS)('%s', (persona) => {
  const verdict = DIAGNOSING[persona]!;

  it.each(['en', 'zh'] as const)("language '%s': ack 2 s, the engineer's reply 12 s, resolution 20 s, solved 21 s", async (language) => {
    const { page, steps, byStep } = await conversation({ persona, language });
    expect(steps).toEqual(['ack', 'human', 'resolution', 'solved']);
    expect(page.activities.map((a) => a.at.getTime() - FILED.getTime())).toEqual([2000, 12000, 20000, 21000]);
    expect(byStep('ack')).toMatchObject({ authorRole: 'system', automated: true });
    expect(byStep('solved')).toMatchObject({ statusChange: 'solved' });
    expect(byStep('resolution').authorName).toBe(byStep('human').authorName);
    expect(page.status).toBe('solved');
    for (const activity of page.activities.filter((a) => a.text !== undefined)) {
      if (language === 'zh') expect(activity.text).toMatch(CJK);
      else expect(activity.text).not.toMatch(CJK);
    }
  });

  it.each([
    ['en', 'local'],
    ['zh', 'local'],
    ['en', 'agora'],
    ['zh', 'agora'],
  ] as const)("language '%s', the %s run: the replies name the ticket's channel, freeze time and duration", async (language, run) => {
    for (const seed of SEEDS) {
      const { byStep } = await conversation({ persona, language, seed }, run);
      for (const step of ['human', 'resolution']) {
        const text = byStep(step).text!;
        expect(text).toContain(CHANNEL[run]);
        expect(text).toContain('13:13:00');
        expect(text).toContain('12.2 s');
      }
    }
  });

  it.each(['en', 'zh'] as const)("language '%s': the human reply classifies human and the resolution resolution, for every wording", async (language) => {
    for (const run of ['local', 'agora'] as const) {
      for (const seed of SEEDS) {
        const { draft, page, byStep } = await conversation({ persona, language, seed }, run);
        expect(page.activities.map((a) => kindOf(a, draft))).toEqual(['auto', 'human', 'resolution', 'auto']);
        expect(kindOf(byStep('human'), draft)).toBe('human');
        expect(kindOf(byStep('resolution'), draft)).toBe('resolution');
      }
    }
  });

  it.each(['en', 'zh'] as const)(`language '%s': the human reply and the resolution both score ${verdict} against the answer key`, async (language) => {
    for (const run of ['local', 'agora'] as const) {
      for (const seed of SEEDS) {
        const { draft, page, byStep, ids } = await conversation({ persona, language, seed }, run);
        for (const step of ['human', 'resolution']) {
          const scored = diagnoseReply(byStep(step).text!, KEY, ids);
          expect({ step, seed, run, verdict: scored.verdict, reasons: scored.reasons }).toMatchObject({ verdict });
        }
        // The ticket as the scorecard reads it: the cause the vendor settled on.
        const ticket = diagnoseTicket({
          filedAt: FILED.toISOString(),
          activities: page.activities.map((a) => ({ at: a.at.toISOString(), kind: kindOf(a, draft), text: a.text ?? null })),
          key: KEY,
          ids,
        });
        expect(ticket.verdict).toBe(verdict);
        expect(ticket.claims.map((c) => c.kind)).toEqual(['human', 'resolution']);
      }
    }
  });

  it.each(['en', 'zh'] as const)("language '%s': the resolution states its cause without a hedge", async (language) => {
    for (const seed of SEEDS) {
      const { byStep } = await conversation({ persona, language, seed });
      expect(byStep('resolution').text).not.toMatch(HEDGE);
    }
  });

  it.each(['en', 'zh'] as const)("language '%s': the wording varies from ticket to ticket with the seed", async (language) => {
    const shapes = new Set<string>();
    for (const seed of SEEDS) {
      const { byStep } = await conversation({ persona, language, seed });
      for (const step of ['human', 'resolution']) shapes.add(`${step}:${byStep(step).text!.replaceAll(byStep(step).authorName!, '…')}`);
    }
    expect(shapes.size).toBeGreaterThanOrEqual(4);
  });
});

describe('what each engineer says it looked at', () => {
  it.each(['en', 'zh'] as const)("language '%s': the correct and the wrong engineer cite their own records, the partial one nothing", async (language) => {
    const usedOwnData = async (persona: PersonaName) => {
      const seen = new Set<boolean>();
      for (const seed of SEEDS) seen.add(readClaim((await conversation({ persona, language, seed })).byStep('human').text!)!.usedOwnData);
      return [...seen];
    };
    expect(await usedOwnData('diagnoses-correctly')).toEqual([true]);
    expect(await usedOwnData('diagnoses-partly')).toEqual([false]);
    expect(await usedOwnData('diagnoses-wrongly')).toEqual([true]);
  });

  it.each(['en', 'zh'] as const)("language '%s': the correct engineer blames the teacher's sending and not the network; the wrong one blames the network", async (language) => {
    for (const seed of SEEDS) {
      const correct = readClaim((await conversation({ persona: 'diagnoses-correctly', language, seed })).byStep('human').text!)!;
      expect(correct).toMatchObject({ side: 'publisher', participant: 'teacher' });
      expect(correct.mechanisms).toContain('no-video-sent');
      expect(correct.mechanisms).not.toContain('packet-loss');
      const wrong = readClaim((await conversation({ persona: 'diagnoses-wrongly', language, seed })).byStep('human').text!)!;
      expect(wrong.side).toBe('network');
    }
  });

  it("names the teacher's uid when the ticket lists it", async () => {
    for (const language of ['en', 'zh'] as const) {
      const { byStep } = await conversation({ persona: 'diagnoses-correctly', language }, 'agora');
      expect(byStep('human').text).toContain('uid 1000');
    }
  });
});

describe('the diagnosing personas in the registry', () => {
  it('have the responsive delays without the canned reply', () => {
    for (const persona of PERSONAS) expect(PERSONA_DELAYS[persona]).toEqual({ ack: 2000, human: 12000, resolution: 20000, solved: 21000 });
  });

  it('take timings for the steps they have, and refuse a canned one', () => {
    expect(() => sandbox({ persona: 'diagnoses-partly', timings: { canned: '5s' } }, { dataDir: tempDir(), vendorName: 'helpdesk' })).toThrow(
      "vendors.helpdesk.timings.canned: persona 'diagnoses-partly' has no 'canned' step; it has only ack, human, resolution, solved",
    );
  });
});
