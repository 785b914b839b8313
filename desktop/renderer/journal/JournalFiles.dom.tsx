import type { JournalFilesView } from '../../shared/api.std.js';
import { AttachmentItems } from '../conversation/AttachmentList.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';

/**
 * An update's photos and files, for the author and a follower alike: the conversation's own
 * attachment list (previews, the viewer, "Save as…"). When the files are no longer on this
 * device (the author removed every follower who held them), only how many came with it.
 */
export function JournalFiles({ files, count }: { files?: JournalFilesView; count: number }) {
  const text = useText();
  if (files !== undefined) {
    return (
      <AttachmentItems
        attachments={files.attachments}
        conversationId={files.conversationId}
        messageId={files.messageId}
      />
    );
  }
  if (count === 0) return null;
  return (
    <p className="hint">
      <Icon name="image" />
      {text('journal.photoCount', { count })}
    </p>
  );
}
