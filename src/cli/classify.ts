import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { simpleParser } from 'mailparser';
import { z } from 'zod';
import { prefixed } from '../core/errors.ts';
import { formatIssues } from '../core/key-hints.ts';
import type { HeaderMap } from '../support/auto-reply.ts';
import { classifyReply, type Classification, type ReplyInput } from '../support/classifier.ts';
import type { DiagnosisOutput } from './classify-diagnosis.ts';
import { INFO_KINDS, type InfoKind, type TicketFacts } from '../core/ticket-facts.ts';

export const CLASSIFY_USAGE = `Usage: supportdrill classify FILE [options]

Classifies one vendor reply as auto, canned, human or resolution, and says why. FILE is an e-mail
(.eml, headers and all) or plain text (taken as the reply's body).

Options:
  --json              print exactly {"kind": "...", "reasons": [...]} on stdout
                      (with --diagnosis, also "diagnosis": {"verdict", "reasons", "fault", "claim"})
  --facts FILE.json   what the ticket told the vendor, to recognise references to it:
                      {"ref", "identifiers", "times", "numbers", "providedInfo"}
  --diagnosis         also score the cause the reply states against a run's answer key
                      (what the run really injected): correct, partial, wrong or none
  --run ID            the run whose answer key --diagnosis scores against; its ticket's facts
                      stand in for --facts (needs the store: --config FILE, --data-dir DIR)
  -h, --help          this help

Exit codes: 0 classified, 2 bad input (unreadable file, bad option, invalid facts, unknown run).`;

/** Where the command writes; the process's streams unless a test says otherwise. */
export interface ClassifyCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: ClassifyCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** `supportdrill classify FILE [--json] [--facts FILE.json]`; `argv` excludes the command name. */
export async function classifyCommand(argv: string[], io: ClassifyCommandIo = processIo): Promise<number> {
  let values: { json?: boolean; facts?: string; help?: boolean; diagnosis?: boolean; run?: string; config?: string; 'data-dir'?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        facts: { type: 'string' },
        diagnosis: { type: 'boolean' },
        run: { type: 'string' },
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.stderr(`${prefixed('classify', (err as Error).message)}\n\n${CLASSIFY_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${CLASSIFY_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    io.stderr(`${prefixed('classify', 'takes exactly one FILE.')}\n\n${CLASSIFY_USAGE}\n`);
    return 2;
  }
  const [file] = positionals;
  if (values.diagnosis && !values.run) {
    io.stderr(`${prefixed('classify', '--diagnosis needs --run ID: the run whose answer key the reply is scored against.')}\n`);
    return 2;
  }

  let facts: TicketFacts | undefined;
  if (values.facts !== undefined) {
    const loaded = await loadFacts(values.facts);
    if (typeof loaded === 'string') {
      io.stderr(`${loaded}\n`);
      return 2;
    }
    facts = loaded;
  }

  let source: Buffer;
  try {
    source = await readFile(file);
  } catch (err) {
    io.stderr(`${prefixed('classify', `Cannot read '${file}': ${describeFsError(err)}.`)}\n`);
    return 2;
  }

  let input: Awaited<ReturnType<typeof parseReply>>;
  try {
    input = await parseReply(source);
  } catch (err) {
    io.stderr(`${prefixed('classify', `Cannot parse '${file}' as an e-mail: ${(err as Error).message}`)}\n`);
    return 2;
  }
  let diagnosis: DiagnosisOutput | undefined;
  let result: Classification;
  if (values.diagnosis) {
    const { loadRunKey, diagnosisLines } = await import('./classify-diagnosis.ts');
    const loaded = await loadRunKey(values.run!, { configPath: values.config, dataDir: values['data-dir'] });
    if (typeof loaded === 'string') {
      io.stderr(`${loaded}\n`);
      return 2;
    }
    result = classifyReply({ ...input, facts: facts ?? loaded.facts ?? undefined });
    diagnosis = diagnosisLines(input.text, loaded.key, loaded.ids, result.kind);
  } else result = classifyReply({ ...input, facts });
  if (values.json) {
    io.stdout(`${JSON.stringify({ kind: result.kind, reasons: result.reasons, ...(diagnosis ? { diagnosis: diagnosis.json } : {}) })}\n`);
  } else {
    const lines = [`kind: ${result.kind}`, 'reasons:', ...result.reasons.map((r) => `  - ${r}`)];
    if (result.requestsProvidedInfo.length > 0) lines.push(`asks again for: ${result.requestsProvidedInfo.join(', ')}`);
    if (diagnosis) lines.push(...diagnosis.lines);
    io.stdout(`${lines.join('\n')}\n`);
  }
  return 0;
}

/**
 * Reads a reply from an e-mail or from plain text. Anything that does not start with a block of
 * e-mail headers is the body itself, read as UTF-8: mailparser would otherwise take its first lines
 * for headers. An e-mail goes to mailparser as the bytes it is, so that the charset it declares
 * (GB2312, ISO-8859-1…) decodes its 8-bit body; decoding the file as UTF-8 first garbles it.
 */
export async function parseReply(source: Buffer | string): Promise<Pick<ReplyInput, 'text' | 'subject' | 'headers'>> {
  const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
  const withoutBom = startsWith(bytes, UTF8_BOM) ? bytes.subarray(UTF8_BOM.length) : bytes;
  const text = withoutBom.toString('utf8');
  if (!looksLikeMessage(text)) return { text };
  const mail = await simpleParser(withoutMboxLine(withoutBom));
  const headers: HeaderMap = {};
  for (const { key, line } of mail.headerLines) {
    const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    const existing = headers[key];
    headers[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  // headerLines keep RFC 2047 encoded words; the decoded subject is what the patterns expect.
  if (mail.subject !== undefined) headers.subject = mail.subject;
  return { text: mail.text ?? '', subject: mail.subject, headers };
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const MBOX_FROM = Buffer.from('From ');

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);
}

/** The message without its mbox separator line ("From sender date"), which is not a header. */
function withoutMboxLine(bytes: Buffer): Buffer {
  if (!startsWith(bytes, MBOX_FROM)) return bytes;
  const end = bytes.indexOf(0x0a);
  return end === -1 ? bytes : bytes.subarray(end + 1);
}

const MESSAGE_HEADERS = new Set([
  'from', 'to', 'cc', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'received', 'return-path',
  'mime-version', 'content-type', 'auto-submitted', 'reply-to', 'sender', 'delivered-to', 'precedence', 'list-id',
  'x-autoreply', 'x-autorespond', 'x-mailer',
]);

function looksLikeMessage(text: string): boolean {
  const lines = text.replace(/^From [^\n]*\n/, '').split(/\r?\n/);
  const end = lines.findIndex((l) => l === '');
  const block = lines.slice(0, end === -1 ? lines.length : end);
  if (block.length === 0 || !/^[!-9;-~]+:/.test(block[0])) return false;
  if (!block.every((l) => /^[!-9;-~]+:/.test(l) || /^[ \t]+\S/.test(l))) return false;
  return block.some((l) => MESSAGE_HEADERS.has(l.slice(0, l.indexOf(':')).toLowerCase()));
}

const factsSchema = z
  .object({
    ref: z.string().optional(),
    identifiers: z.array(z.string()).optional(),
    times: z.array(z.string()).optional(),
    numbers: z.array(z.string()).optional(),
    providedInfo: z.array(z.enum(INFO_KINDS as [InfoKind, ...InfoKind[]])).optional(),
  })
  .strict();

/** The facts file, or an error message naming the file and every field that is wrong. */
async function loadFacts(file: string): Promise<TicketFacts | string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return prefixed('classify', `Cannot read facts file '${file}': ${describeFsError(err)}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return prefixed('classify', `Facts file '${file}' is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = factsSchema.safeParse(json);
  if (!parsed.success) {
    return `${prefixed('classify', `Facts file '${file}' is not valid:`)}\n${formatIssues(file, parsed.error.issues, factsSchema)}`;
  }
  return parsed.data;
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (err as Error)?.message ?? String(err);
}
