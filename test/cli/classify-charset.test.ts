import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyCommand, parseReply } from '../../src/cli/classify.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/replies/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);

async function classifyJson(file: string) {
  let stdout = '';
  let stderr = '';
  const code = await classifyCommand([file, '--json'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout) as { kind: string; reasons: string[] };
}

describe('classify reads the charset the message declares', () => {
  it('decodes an 8-bit GB2312 body and its encoded subject', async () => {
    const reply = await parseReply(readFileSync(fixture('resolution-zh-gb2312-8bit.eml')));
    expect(reply.text).toContain('根本原因是法兰克福边缘节点的配置错误，我们已经修复。');
    expect(reply.subject).toBe('回复：[DRILL-7f3a9c] 上课时老师视频卡住');
    const doc = await classifyJson(fixture('resolution-zh-gb2312-8bit.eml'));
    expect(doc.kind).toBe('resolution');
    expect(doc.reasons[0]).toContain('根本原因');
  });

  it('decodes an 8-bit ISO-8859-1 body', async () => {
    const reply = await parseReply(readFileSync(fixture('resolution-latin1-8bit.eml')));
    expect(reply.text).toContain("Le problème venait d'une mise à jour côté serveur à Francfort.");
    expect(reply.text).toContain('Zoé Müller');
    expect(reply.text).not.toContain('\ufffd');
    expect((await classifyJson(fixture('resolution-latin1-8bit.eml'))).kind).toBe('resolution');
  });

  it('decodes a quoted-printable ISO-8859-1 body', async () => {
    const reply = await parseReply(readFileSync(fixture('resolution-latin1-qp.eml')));
    expect(reply.text).toContain("Le problème venait d'une mise à jour côté serveur à Francfort.");
    expect((await classifyJson(fixture('resolution-latin1-qp.eml'))).kind).toBe('resolution');
  });

  it('reads an 8-bit body after an mbox "From " line', async () => {
    const bytes = Buffer.concat([Buffer.from('From zoe@vendor.example Sat Nov 29 15:20:00 2026\n'), readFileSync(fixture('resolution-latin1-8bit.eml'))]);
    expect((await parseReply(bytes)).text).toContain('Zoé Müller');
  });
});

describe('classify reads a file without headers as UTF-8 text', () => {
  it('keeps a UTF-8 body as it is, without its byte order mark', async () => {
    const bytes = Buffer.from('\ufeff根本原因是边缘节点配置错误，我们已经修复。\nZoé', 'utf8');
    expect(await parseReply(bytes)).toEqual({ text: '根本原因是边缘节点配置错误，我们已经修复。\nZoé' });
  });

  it('reads a message given as a string as before', async () => {
    const reply = await parseReply('From: a@vendor.example\nSubject: Re: froze\nContent-Type: text/plain; charset=utf-8\n\nZoé fixed it.\n');
    expect(reply.text).toBe('Zoé fixed it.\n');
    expect(reply.subject).toBe('Re: froze');
  });
});

const HEADER_LINES = [
  'From: Zoé <zoe@vendor.example>',
  'Subject: =?gb2312?B?u9i4tA==?=',
  'Content-Type: text/plain; charset=gb2312',
  'Content-Type: text/plain; charset=iso-8859-1',
  'Content-Type: text/plain; charset=x-unknown-charset',
  'Content-Type: multipart/alternative; boundary="b"',
  'Content-Transfer-Encoding: 8bit',
  'Content-Transfer-Encoding: quoted-printable',
  'Content-Transfer-Encoding: base64',
  'Auto-Submitted: auto-replied',
  ' folded continuation',
];
const message = fc
  .tuple(fc.array(fc.constantFrom(...HEADER_LINES), { minLength: 1, maxLength: 6 }), fc.uint8Array({ maxLength: 200 }), fc.constantFrom('\n', '\r\n'))
  .map(([headers, body, eol]) => Buffer.concat([Buffer.from(`${headers.join(eol)}${eol}${eol}`), Buffer.from(body)]));

describe('parseReply on arbitrary input', () => {
  it('never throws on arbitrary strings, bytes or header blocks with arbitrary bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)), message), async (input) => {
        const reply = await parseReply(input);
        expect(typeof reply.text).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});
