import { readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { UserError, prefixed } from '../../core/errors.ts';
import { conversation } from '../../pipeline/conversation.ts';
import type { Workspace } from '../../pipeline/workspace.ts';
import { operatorName } from '../operator-name.ts';
import { findTicket } from './find-ticket.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain', '.log': 'text/plain', '.json': 'application/json', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg', '.har': 'application/json', '.zip': 'application/zip', '.pdf': 'application/pdf', '.csv': 'text/csv',
};

/**
 * `tickets reply <ref> --message TEXT [--attach FILE …]`: the operator answers the vendor through the
 * ticket's own channel, recorded and sent exactly once like every message; questions that were
 * waiting for a person count as answered, and the vendor's wait on us ends now.
 */
export async function replyByOperator(
  workspace: Workspace,
  key: string,
  values: { message?: string; 'message-file'?: string; attach?: string[]; by?: string; json: boolean },
): Promise<number> {
  const ticket = await findTicket(workspace.store, key);
  if (!ticket.vendorTicketId) throw new UserError(prefixed(undefined, `${ticket.ref} was never filed (${ticket.state}); there is no one to reply to. \`tickets retry ${ticket.ref}\` files it.`));
  const body = values['message-file'] ? readText(values['message-file']) : values.message;
  if (!body?.trim()) throw new UserError(prefixed(undefined, `tickets reply needs --message TEXT (or --message-file FILE): what to tell ${ticket.vendor}.`));
  const attachments = (values.attach ?? []).map((file) => {
    const path = resolve(workspace.cwd, file);
    try {
      if (!statSync(path).isFile()) throw new Error('not a file');
    } catch {
      throw new UserError(prefixed(undefined, `--attach ${file}: no such file (${path}).`));
    }
    return { filename: basename(path), path, contentType: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream' };
  });
  const by = operatorName(values.by);
  const sent = await conversation(workspace, { logger: workspace.logger }).operatorReply(ticket, { body: body.trim(), attachments, by });
  if (values.json) {
    process.stdout.write(JSON.stringify({ ref: ticket.ref, key: sent.key, state: sent.state, vendorMessageId: sent.vendorMessageId, sentAt: sent.sentAt, attachments: sent.attachments.map((a) => a.filename) }, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(`${ticket.ref}: sent ${sent.key} to ${ticket.vendor} as ${by}${attachments.length ? ` with ${attachments.map((a) => a.filename).join(', ')}` : ''} (${sent.vendorMessageId})\n`);
  return 0;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(prefixed(undefined, `--message-file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`));
  }
}
