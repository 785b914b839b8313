import { useId, useState, type ReactNode } from 'react';
import type {
  AskedPromptView,
  ScheduleAnswerTagView,
} from '../../shared/scheduledChatViews.std.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { promptKey } from './useScheduledPrompts.dom.js';

/** What the next message answers: the latest prompt asked (the default), none, or one chosen. */
type Choice =
  | { readonly kind: 'latest' }
  | { readonly kind: 'none' }
  | { readonly kind: 'prompt'; readonly prompt: AskedPromptView };

/** The longest prompt text an option shows (the list stays narrow; the prompt is in the list). */
const OPTION_TEXT_LENGTH = 60;

/**
 * The composer's "Answer to" choice while a scheduled chat runs: the prompts asked in the running
 * occurrence, the latest by default, or "Not an answer". A prompt the person chose stays chosen
 * even when it is no longer open (the chat ended, the clock says otherwise): their answer is never
 * quietly tagged to another prompt, and sending it is refused in words instead.
 */
export function useAnswerChoice(
  conversationId: string,
  prompts: readonly AskedPromptView[],
): { readonly tag: ScheduleAnswerTagView | undefined; readonly picker: ReactNode } {
  const text = useText();
  const id = useId();
  const [state, setState] = useState<{ conversationId: string; choice: Choice }>({
    conversationId,
    choice: { kind: 'latest' },
  });
  const choice: Choice =
    state.conversationId === conversationId ? state.choice : { kind: 'latest' };
  const open = prompts.filter((prompt) => prompt.open);
  const chosen =
    choice.kind === 'prompt' ? choice.prompt : choice.kind === 'latest' ? open.at(-1) : undefined;
  const offered =
    chosen === undefined || open.some((prompt) => promptKey(prompt) === promptKey(chosen))
      ? open
      : [...open, chosen];
  if (offered.length === 0) return { tag: undefined, picker: null };

  const picker = (
    <div className="answer-picker">
      <label htmlFor={`${id}-answer`}>{text('scheduledChat.answerLabel')}</label>
      <select
        id={`${id}-answer`}
        className="input answer-picker-select"
        value={chosen === undefined ? '' : promptKey(chosen)}
        onChange={(event) => {
          const picked = offered.find((prompt) => promptKey(prompt) === event.target.value);
          setState({
            conversationId,
            choice: picked === undefined ? { kind: 'none' } : { kind: 'prompt', prompt: picked },
          });
        }}
      >
        {offered.map((prompt) => (
          <option key={promptKey(prompt)} value={promptKey(prompt)}>
            {text('scheduledChat.answerOption', {
              number: prompt.number,
              text: shortened(prompt.text),
            })}
          </option>
        ))}
        <option value="">{text('scheduledChat.notAnAnswer')}</option>
      </select>
    </div>
  );
  return {
    tag:
      chosen === undefined
        ? undefined
        : { chatId: chosen.chatId, occurrence: chosen.occurrence, prompt: chosen.number },
    picker,
  };
}

function shortened(words: string): string {
  const flat = words.replace(/\s+/gu, ' ').trim();
  return flat.length <= OPTION_TEXT_LENGTH ? flat : `${flat.slice(0, OPTION_TEXT_LENGTH - 1)}…`;
}
