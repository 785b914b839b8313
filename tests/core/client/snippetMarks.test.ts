import { describe, expect, it } from 'vitest';
import { markSnippet } from '../../../core/client/index.js';

const marked = (snippet: string, query: string): string =>
  markSnippet(snippet, query)
    .map((part) => (part.marked ? `[${part.text}]` : part.text))
    .join('');

describe('markSnippet', () => {
  it('marks the words a query matches as search matches them: folded, the last as a prefix', () => {
    expect(marked('Méthotrexate made me TIRED, then tired again', 'methotrexate tired')).toBe(
      '[Méthotrexate] made me [TIRED], then [tired] again',
    );
    expect(marked('my methotrexate dose', 'metho')).toBe('my [methotrexate] dose');
    // Only the last word is a prefix; a one-letter last word is not.
    expect(marked('metho methotrexate', 'metho dose')).toBe('[metho] methotrexate');
    expect(marked('a an and', 'a')).toBe('[a] an and');
  });

  it('gives back the snippet whole, marked or not', () => {
    for (const [snippet, query] of [
      ['…infusion day, then rest…', 'rest'],
      ['nothing here', 'absent'],
      ['', 'x'],
      ['日本語のテキスト', '日本語'],
    ] as const) {
      expect(
        markSnippet(snippet, query)
          .map((part) => part.text)
          .join(''),
      ).toBe(snippet);
    }
    expect(markSnippet('nothing here', '')).toEqual([{ text: 'nothing here', marked: false }]);
  });
});
