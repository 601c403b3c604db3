import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/core/run-result.ts';
import { renderTicket } from '../../src/support/ticket-template.ts';
import type { PersonaName } from '../../src/vendors/sandbox-personas.ts';
import { renderStep } from '../../src/vendors/sandbox-texts.ts';

const FIXTURE: RunResult = JSON.parse(readFileSync(new URL('../fixtures/run-result.json', import.meta.url), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'supportdrill-sandbox-wording-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The sandbox's engineers point to the ticket's tables by name: a name the ticket no longer uses
// reads as if the engineer had read another ticket.
describe("the sandbox's replies name the ticket's tables as the ticket heads them", () => {
  const draft = renderTicket({ result: { ...FIXTURE, evidenceDir: dir }, drill: { name: 'freeze-midclass', description: 'The teacher video freezes mid-class.' }, vendorTimezone: 'UTC', evidenceDir: dir });
  const headings = draft.body.split('\n').map((line) => line.toLowerCase());

  it.each<[string, PersonaName | undefined]>([
    ['the responsive flow', undefined],
    ['silent-until-followed-up', 'silent-until-followed-up'],
  ])('%s', (_name, persona) => {
    const text = renderStep('human', { deskId: 'SBX-1001', number: 1, persona, language: 'en', facts: draft.facts, body: draft.body }).text ?? '';
    const named = [...text.matchAll(/\bthe ([\w -]+?) table in your ticket\b/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(0);
    for (const table of named) expect(headings.some((line) => line.startsWith(`${table} (`) || line === table), `no '${table}' heading in the ticket`).toBe(true);
  });
});
