import { useEffect, useRef } from 'react';
import { MAX_WARNING_LENGTH, WARNING_PRESETS } from '../../shared/contentWarnings.std.js';
import { Icon } from '../components/Icon.dom.js';
import { MenuButton, type MenuItem } from '../components/Menu.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { warningWords } from '../../shared/i18n/warningWords.std.js';

/** The composer's "Add a content warning" button: a preset, or the person's own words. */
export function ContentWarningMenu({ onChoose }: { onChoose: (warning: string) => void }) {
  const text = useText();
  const items: MenuItem[] = [
    ...WARNING_PRESETS.map((preset) => warningWords(text, preset)).map((words) => ({
      label: words,
      onSelect: () => {
        onChoose(words);
      },
    })),
    {
      label: text('warnings.ownWords'),
      onSelect: () => {
        onChoose('');
      },
    },
  ];
  return (
    <MenuButton label={text('warnings.add')} items={items} align="end">
      <Icon name="warning" />
    </MenuButton>
  );
}

/**
 * The warning on the draft, as a chip above the field until removed: its words can be edited
 * (a preset is a start), and the message goes out covered under them.
 */
export function ContentWarningChip({
  id,
  warning,
  onChange,
  onRemove,
}: {
  id: string;
  warning: string;
  onChange: (warning: string) => void;
  onRemove: () => void;
}) {
  const text = useText();
  const fieldRef = useRef<HTMLInputElement>(null);
  const empty = warning === '';
  // "Your own words…" starts empty: the words go straight into the chip.
  useEffect(() => {
    if (empty) fieldRef.current?.focus();
  }, [empty]);
  return (
    <div className="composer-warning">
      <Icon name="warning" />
      <label htmlFor={id} className="composer-warning-label">
        {text('warnings.label')}
      </label>
      <input
        ref={fieldRef}
        id={id}
        className="composer-warning-field"
        value={warning}
        maxLength={MAX_WARNING_LENGTH}
        placeholder={text('warnings.placeholder')}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
      <button
        type="button"
        className="icon-button"
        aria-label={text('warnings.remove')}
        onClick={onRemove}
      >
        <Icon name="close" />
      </button>
    </div>
  );
}
