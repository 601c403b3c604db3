/**
 * Evidence sent to a vendor's Zendesk: each file that fits `maxAttachmentBytes` uploaded through
 * `POST /api/v2/uploads?filename=…`, for its token to go with a request or a comment, and a line for
 * the text listing what was left out. Used by filing (`zendesk.ts`) and replying (`zendesk-reply.ts`).
 *
 * An upload whose answer is lost leaves an unused file at the desk, which Zendesk discards when its
 * token expires; a retry uploads again rather than guess at it.
 */
import { readFileSync } from 'node:fs';
import type { OutgoingMessage } from './adapter.ts';
import { fitAttachments } from './attachments.ts';
import type { ZendeskClient } from './zendesk-client.ts';
import { fail } from './zendesk-errors.ts';
import { uploadSchema } from './zendesk-payloads.ts';

type Attachment = OutgoingMessage['attachments'][number];

export interface UploadedEvidence {
  /** The upload tokens, in the files' order. */
  tokens: string[];
  /** `''`, or a paragraph (starting with a blank line) listing the files left out. */
  note: string;
}

/** Uploads the files that fit `maxBytes` in order; the rest are named in `note`. */
export async function uploadEvidence(client: ZendeskClient, files: readonly Attachment[], maxBytes: number): Promise<UploadedEvidence> {
  const { included, note } = fitAttachments(files, maxBytes, 'the');
  const tokens: string[] = [];
  for (const file of included) tokens.push(await uploadOne(client, file));
  return { tokens, note };
}

async function uploadOne(client: ZendeskClient, file: Attachment): Promise<string> {
  const result = await client.call('POST', `/api/v2/uploads.json?filename=${encodeURIComponent(file.filename)}`, uploadSchema, {
    body: { binary: readFileSync(file.path), contentType: file.contentType },
  });
  if (!result?.upload?.token) throw fail(`uploading '${file.filename}' gave no upload token`);
  return result.upload.token;
}
