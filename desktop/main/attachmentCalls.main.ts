import type { MessageView } from '../shared/api.std.js';
import { DesktopErrorCode } from '../shared/api.std.js';
import type { ApiHandlers, ApiParsedArgs } from './callRouter.main.js';
import { DesktopError } from './DesktopError.main.js';
import type { UnlockedVault } from './UnlockedVault.main.js';

type AttachmentMethod = Extract<keyof ApiHandlers, `attachments.${string}`>;

/** The attachments.* calls, over the unlocked vault's staging and opened files. */
export function attachmentHandlers(
  vault: () => UnlockedVault,
): Pick<ApiHandlers, AttachmentMethod> {
  return {
    'attachments.stageBegin': (args) => vault().staging.begin(args.name, args.size),
    'attachments.stageChunk': (args) =>
      vault().staging.chunk(args.stagingId, args.offset, args.data),
    'attachments.stageFinish': (args) => vault().staging.finish(args.stagingId),
    'attachments.stageCancel': async (args) => {
      await vault().staging.cancel(args.stagingId);
      return null;
    },
    'attachments.open': (args) =>
      vault().files.open(args.conversationId, args.messageId, args.index),
    'attachments.read': (args) => vault().files.read(args.fileId, args.offset),
    'attachments.close': async (args) => {
      await vault().files.close(args.fileId);
      return null;
    },
    'attachments.saveAs': async (args) => ({
      saved: await vault().files.saveAs(args.conversationId, args.messageId, args.index),
    }),
    'attachments.retry': async (args) => {
      await vault().files.retry(args.conversationId, args.messageId);
      return null;
    },
  };
}

/**
 * conversations.send: the text, and the staged files named by `attachments`. The staged files
 * are removed once the message is stored; after a refusal (a file that cannot be cleaned, an
 * upload that failed) they stay staged, so the window can ask and send again without sending
 * the bytes twice.
 */
export async function sendWithFiles(
  vault: UnlockedVault,
  args: ApiParsedArgs<'conversations.send'>,
): Promise<MessageView> {
  const ids = args.attachments ?? [];
  if (args.text.trim() === '' && ids.length === 0) {
    throw new DesktopError(DesktopErrorCode.InvalidArgs, 'Write something or attach a file.');
  }
  if (new Set(ids).size !== ids.length) {
    throw new DesktopError(DesktopErrorCode.InvalidArgs, 'The same file is attached twice.');
  }
  const paths = vault.staging.paths(ids);
  const view = await vault.conversations.send(
    args.conversationId,
    ids.length > 0 && args.text.trim() === '' ? '' : args.text,
    {
      replyTo: args.replyTo,
      warning: args.warning,
      ...(args.topic === undefined ? {} : { topic: args.topic }),
      ...(args.thread === undefined ? {} : { thread: args.thread }),
      ...(args.answer === undefined ? {} : { answer: args.answer }),
      ...(paths.length === 0
        ? {}
        : {
            attachments: paths,
            sendUncleaned: args.sendUncleaned,
            keepFileNames: args.keepFileNames,
          }),
    },
  );
  await vault.staging.release(ids);
  return view;
}
