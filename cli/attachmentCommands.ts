import type { KindredClient, StoredAttachment, StoredMessage } from '../core/client/index.js';
import { CoreError, CoreErrorCode, toHex } from '../core/client/index.js';
import type { CommonOptions } from './commandClient.js';
import { withClient } from './commandClient.js';
import { printable } from './format.js';

/**
 * How the CLI names an attachment: the message's hex id, a dot, and the attachment's position
 * from 1 (`kindred messages` and `kindred group messages` show it; `kindred attachment save`
 * takes it).
 */
export function attachmentId(messageId: Uint8Array, n: number): string {
  return `${toHex(messageId)}.${String(n + 1)}`;
}

/**
 * The attachments of a message as `messages`, `group messages`, `sync` and `listen` print them
 * (record and human lines).
 */
export function formatAttachments(message: Pick<StoredMessage, 'messageId' | 'attachments'>): {
  record: Record<string, unknown>[];
  human: string;
} {
  const attachments = message.attachments ?? [];
  return {
    record: attachments.map((attachment, n) => ({
      id: attachmentId(message.messageId, n),
      ...(attachment.pointer.fileName === undefined ? {} : { name: attachment.pointer.fileName }),
      contentType: attachment.pointer.contentType,
      size: attachment.pointer.size,
      state: attachment.state,
      ...(attachment.error === undefined ? {} : { error: attachment.error }),
    })),
    human: attachments
      .map(
        (attachment, n) =>
          `\n    attachment ${attachmentId(message.messageId, n)}: ${printable(
            attachment.pointer.fileName ?? attachment.pointer.contentType,
          )} (${String(attachment.pointer.size)} bytes, ${describe(attachment)})`,
      )
      .join(''),
  };
}

function describe(attachment: StoredAttachment): string {
  return attachment.state === 'failed'
    ? `failed: ${attachment.error ?? 'unknown'}`
    : attachment.state === 'downloaded'
      ? 'on this device'
      : 'downloading';
}

/** Prints attachment transfer progress on stderr (whole percents, one line per file). */
export function progressOnStderr(client: KindredClient): void {
  const shown = new Map<string, number>();
  client.on('attachmentProgress', (event) => {
    const key = `${event.direction} ${attachmentId(event.messageId, event.n)}`;
    const percent = event.total === 0 ? 100 : Math.floor((event.done * 100) / event.total);
    if (shown.get(key) === percent) return;
    shown.set(key, percent);
    process.stderr.write(
      `${event.direction === 'upload' ? 'uploading' : 'downloading'} attachment ${String(event.n + 1)}: ${String(percent)}%\n`,
    );
  });
}

/** Collects a repeatable option's values (`--attach`). */
export function collectFiles(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The warning printed before files go uncleaned (`--send-uncleaned`). */
export const UNCLEANED_WARNING =
  'warning: --send-uncleaned: a file Kindred cannot clean (office documents, unknown types, HEIC photos, encrypted PDFs) is sent WITH its hidden details (author, camera, location)\n';

/** Parses `HEX.N` (N from 1). */
function parseAttachmentId(id: string): { messageIdHex: string; n: number } {
  const match = /^([0-9a-f]{32})\.(\d{1,2})$/i.exec(id.trim());
  const n = Number(match?.[2]);
  if (match?.[1] === undefined || !Number.isInteger(n) || n < 1) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      'an attachment id is the message id, a dot and the attachment number (as `messages` shows)',
    );
  }
  return { messageIdHex: match[1].toLowerCase(), n: n - 1 };
}

/**
 * `kindred attachment save ID --out FILE`: finds the message in the main persona's 1:1
 * conversations and in every group, waits (receiving) until its download ends, and decrypts it.
 */
export function attachmentSaveCommand(
  id: string,
  options: CommonOptions & { out: string; wait: number },
): Promise<void> {
  const { messageIdHex, n } = parseAttachmentId(id);
  return withClient(options, async (client, out) => {
    progressOnStderr(client);
    const find = async (): Promise<
      { save: () => Promise<void>; attachment: StoredAttachment | undefined } | undefined
    > => {
      for (const contact of await client.contacts()) {
        for (const entry of await client.messages(contact.address)) {
          if (entry.kind === 'message' && toHex(entry.messageId) === messageIdHex) {
            return {
              attachment: entry.attachments?.[n],
              save: () =>
                client.saveAttachment(
                  { contact: contact.address, messageId: entry.messageId },
                  n,
                  options.out,
                ),
            };
          }
        }
      }
      for (const summary of await client.groups()) {
        const group = await client.group(summary.groupId);
        const message = (await group.messages()).find((m) => toHex(m.messageId) === messageIdHex);
        if (message !== undefined) {
          return {
            attachment: message.attachments?.[n],
            save: () => group.saveAttachment(messageIdHex, n, options.out),
          };
        }
      }
      return undefined;
    };
    let found = await find();
    if (found === undefined) {
      throw new CoreError(CoreErrorCode.MessageNotFound, 'no message has that id on this device');
    }
    if (found.attachment?.state === 'pending' || found.attachment?.state === 'downloading') {
      await client.start({ receive: true });
      const deadline = Date.now() + options.wait * 1000;
      while (
        (found?.attachment?.state === 'pending' || found?.attachment?.state === 'downloading') &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        found = await find();
      }
    }
    if (found === undefined) throw new CoreError(CoreErrorCode.MessageNotFound, 'message gone');
    await found.save();
    out.emit({ event: 'attachment-saved', id, out: options.out }, `Saved to ${options.out}`);
  });
}
