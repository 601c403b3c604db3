import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyCommand, parseReply } from '../../src/cli/classify.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/replies/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);
const FACTS = fixture('facts.json');

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await classifyCommand(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function runJson(...argv: string[]) {
  const result = await run(...argv, '--json');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { kind: string; reasons: string[] };
}

describe('classify command', () => {
  it('prints the kind and the reasons of an e-mail', async () => {
    const { code, stdout, stderr } = await run(fixture('ack-auto-submitted.eml'));
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^kind: auto\nreasons:\n {2}- header Auto-Submitted: auto-replied\n/);
  });

  it('prints exactly one JSON document with kind and reasons under --json', async () => {
    const { code, stdout } = await run(fixture('canned-quoted-history.eml'), '--json');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const doc = JSON.parse(stdout);
    expect(Object.keys(doc)).toEqual(['kind', 'reasons']);
    expect(doc.kind).toBe('canned');
    expect(doc.reasons).toContain('generic advice: check your network');
  });

  it('classifies a resolution in an e-mail carrying Auto-Submitted as auto', async () => {
    expect((await runJson(fixture('resolution-auto-submitted.eml'))).kind).toBe('auto');
  });

  it('classifies an "Automatic reply:" e-mail as auto from its subject', async () => {
    const doc = await runJson(fixture('out-of-office.eml'));
    expect(doc.kind).toBe('auto');
    expect(doc.reasons[0]).toContain('Automatic reply:');
  });

  it('honours Auto-Submitted: no', async () => {
    expect((await runJson(fixture('canned-auto-submitted-no.eml'))).kind).toBe('canned');
  });

  it('ignores the ticket facts quoted in the history of a canned e-mail', async () => {
    const doc = await runJson(fixture('canned-quoted-history.eml'), '--facts', FACTS);
    expect(doc.kind).toBe('canned');
    expect(doc.reasons.join('\n')).not.toContain("ticket's");
  });

  it('decodes a base64 Chinese e-mail and finds the ticket facts in it', async () => {
    const doc = await runJson(fixture('human-zh-base64.eml'), '--facts', FACTS);
    expect(doc.kind).toBe('human');
    expect(doc.reasons).toContain("refers to the ticket's id 'drill-7f3a9c'");
  });

  it('reads an HTML-only e-mail', async () => {
    const doc = await runJson(fixture('resolution-html.eml'));
    expect(doc.kind).toBe('resolution');
    expect(doc.reasons[0]).toMatch(/^states the root cause: "Root cause: the edge node/);
  });

  it('reads a plain text file as the reply body', async () => {
    expect((await runJson(fixture('human-plain.txt'))).kind).toBe('human');
    expect((await runJson(fixture('resolution-zh.txt'))).kind).toBe('resolution');
    expect((await runJson(fixture('out-of-office-no-headers.txt'))).kind).toBe('auto');
  });

  it('reads text whose first line merely looks like a header as the body', async () => {
    const doc = await runJson(fixture('headers-like-text.txt'));
    expect(doc).toEqual({ kind: 'canned', reasons: ['generic advice: restart or rejoin'] });
  });

  it('uses --facts to recognise references to the ticket', async () => {
    const without = await runJson(fixture('human-plain.txt'));
    const withFacts = await runJson(fixture('human-plain.txt'), '--facts', FACTS);
    expect(without.reasons.join('\n')).not.toContain("refers to the ticket's id");
    expect(withFacts.reasons).toContain("refers to the ticket's id 'drill-7f3a9c'");
  });

  it('names a missing file on stderr and returns 2', async () => {
    const missing = join(FIXTURES, 'no-such-reply.eml');
    const { code, stdout, stderr } = await run(missing, '--json');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`Cannot read '${missing}': no such file`);
  });

  it('names a directory given as the file and returns 2', async () => {
    const { code, stderr } = await run(FIXTURES);
    expect(code).toBe(2);
    expect(stderr).toContain('it is a directory');
  });

  it('returns 2 without a file', async () => {
    const { code, stderr } = await run('--json');
    expect(code).toBe(2);
    expect(stderr).toContain('takes exactly one FILE');
  });

  it('returns 2 on an unknown option', async () => {
    const { code, stderr } = await run(fixture('human-plain.txt'), '--jsn');
    expect(code).toBe(2);
    expect(stderr).toContain("'--jsn'");
  });

  it('names the facts file and the wrong field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'classify-facts-'));
    const bad = join(dir, 'facts.json');
    writeFileSync(bad, JSON.stringify({ providedInfo: ['sdk'], identifers: ['x'] }));
    const { code, stderr } = await run(fixture('human-plain.txt'), '--facts', bad);
    expect(code).toBe(2);
    expect(stderr).toContain(`${bad} › providedInfo[0]`);
    expect(stderr).toContain(`${bad} › identifers › unknown key (did you mean 'identifiers'?)`);
  });

  it('rejects a facts file that is not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'classify-facts-'));
    const bad = join(dir, 'facts.json');
    writeFileSync(bad, '{ not json');
    const { code, stderr } = await run(fixture('human-plain.txt'), '--facts', bad);
    expect(code).toBe(2);
    expect(stderr).toContain(`Facts file '${bad}' is not valid JSON`);
  });

  it('prints its usage under --help', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: supportdrill classify FILE');
  });
});

describe('parseReply', () => {
  it('collects repeated headers into a list and unfolds folded ones', async () => {
    const reply = await parseReply(
      'Received: from a\r\nReceived: from b\r\nSubject: hello\r\nList-Id: Agora\r\n <support.agora.example>\r\n\r\nBody text\r\n',
    );
    expect(reply.headers?.received).toEqual(['from a', 'from b']);
    expect(reply.headers?.['list-id']).toBe('Agora <support.agora.example>');
    expect(reply.text.trim()).toBe('Body text');
  });

  it('decodes an encoded-word subject', async () => {
    const reply = await parseReply('From: a@b.example\nSubject: =?UTF-8?B?6Ieq5Yqo5Zue5aSN?=\n\nx\n');
    expect(reply.subject).toBe('自动回复');
    expect(reply.headers?.subject).toBe('自动回复');
  });
});
