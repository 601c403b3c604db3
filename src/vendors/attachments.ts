import { statSync } from 'node:fs';
import { z } from 'zod';
import type { TicketDraft } from './adapter.ts';

type Attachment = TicketDraft['attachments'][number];

/** `950 B`, `12.5 KB`, `3 MB` */
export function formatBytes(bytes: number): string {
  if (bytes >= 1000 ** 2) return `${(bytes / 1000 ** 2).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1000) return `${(bytes / 1000).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${bytes} B`;
}

/**
 * The evidence that fits a vendor's attachment limit, in the draft's order, and a line for the
 * ticket body listing what was left out, so the vendor knows it exists and can ask for it.
 */
export function fitAttachments(files: readonly Attachment[], maxBytes: number, limitName: string): { included: Attachment[]; left: string[]; note: string } {
  const included: Attachment[] = [];
  const left: string[] = [];
  let total = 0;
  for (const file of files) {
    let size: number;
    try {
      size = statSync(file.path).size;
    } catch (error) {
      left.push(`${file.filename} (not readable: ${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    if (total + size > maxBytes) {
      left.push(`${file.filename} (${formatBytes(size)})`);
      continue;
    }
    total += size;
    included.push(file);
  }
  const note =
    left.length === 0
      ? ''
      : `\n\nNot attached (over ${limitName} ${formatBytes(maxBytes)} attachment limit or unreadable); available on request:\n` + left.map((l) => `- ${l}`).join('\n');
  return { included, left, note };
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** A size limit as users write it: a number of bytes, or `'10MB'`, `'500KB'`, `'2MiB'`; `example` shows up in the error. */
export function byteSizeSchema(example: string) {
  return z.union([z.number(), z.string()], { error: `expected a size in bytes, or like '${example}'` }).transform((value, ctx) => {
    const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)\s*$/i.exec(value) : null;
    const bytes = typeof value === 'number' ? value : m ? Math.floor(Number(m[1]) * BYTE_UNITS[m[2]!.toLowerCase()]!) : NaN;
    if (!Number.isInteger(bytes) || bytes <= 0) {
      ctx.addIssue({ code: 'custom', message: `expected a size like '${example}' or '500KB', got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return bytes;
  });
}
