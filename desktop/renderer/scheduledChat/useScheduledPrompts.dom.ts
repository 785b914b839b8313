import { useEffect, useMemo, useRef } from 'react';
import type { ConversationId } from '../../shared/api.std.js';
import type { AskedPromptView } from '../../shared/scheduledChatViews.std.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAnnounce, useApi, useLoad } from '../kindredContext.dom.js';

/**
 * How often an open group asks which prompts are asked by now. Prompts are not posted by anyone:
 * every client derives them from the schedule and its clock (docs/groups.md "Scheduled chats"),
 * so nothing arrives to wake the window when one falls due; it looks again this often.
 */
export const PROMPT_POLL_MS = 5_000;

/** The prompts asked in an open group's scheduled chats, kept current; new ones are announced. */
export function useScheduledPrompts(
  conversationId: ConversationId,
  isGroup: boolean,
  revision: number,
): readonly AskedPromptView[] {
  const api = useApi();
  const loaded = useLoad(isGroup ? `prompts:${conversationId}` : undefined, revision, () =>
    api.call('scheduledChat.prompts', { conversationId }),
  );
  const reload = loaded.reload;
  useEffect(() => {
    if (!isGroup) return undefined;
    const timer = setInterval(reload, PROMPT_POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [isGroup, reload]);
  // Each poll answers a new array: keep the last one while nothing changed, so the list does not
  // render again every few seconds for nothing.
  // (Not loaded yet, '', is told apart from none asked, '[]': only a loaded list is announced from.)
  const data = loaded.data;
  const fingerprint = data === undefined ? '' : JSON.stringify(data);
  const prompts = useMemo(
    () =>
      fingerprint === '' ? NO_PROMPTS : (JSON.parse(fingerprint) as readonly AskedPromptView[]),
    [fingerprint],
  );
  useAnnounceAsked(conversationId, prompts);
  return prompts;
}

const NO_PROMPTS: readonly AskedPromptView[] = [];

/** A prompt's identity across reloads. */
export function promptKey(
  prompt: Pick<AskedPromptView, 'chatId' | 'occurrence' | 'number'>,
): string {
  return `${prompt.chatId}/${String(prompt.occurrence)}/${String(prompt.number)}`;
}

/**
 * Reads a prompt asked while the group is open to screen readers, like an incoming message;
 * those already asked when it opened are just shown.
 */
function useAnnounceAsked(conversationId: string, prompts: readonly AskedPromptView[]): void {
  const announce = useAnnounce();
  const text = useText();
  const seen = useRef<{ conversationId: string; keys: Set<string> } | undefined>(undefined);
  useEffect(() => {
    if (prompts === NO_PROMPTS) return;
    if (seen.current?.conversationId !== conversationId) {
      seen.current = { conversationId, keys: new Set(prompts.map(promptKey)) };
      return;
    }
    const known = seen.current.keys;
    const fresh = prompts.filter((prompt) => !known.has(promptKey(prompt)));
    for (const prompt of fresh) known.add(promptKey(prompt));
    const newest = fresh.at(-1);
    if (newest?.open !== true) return;
    announce(
      text('scheduledChat.promptAnnounce', {
        number: newest.number,
        title: newest.title,
        text: newest.text,
      }),
    );
  }, [conversationId, prompts, announce, text]);
}
