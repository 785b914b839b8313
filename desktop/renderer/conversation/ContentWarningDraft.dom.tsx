import { useEffect, useRef } from 'react';
import { MAX_WARNING_LENGTH, WARNING_PRESETS } from '../../shared/contentWarnings.std.js';
import { Icon } from '../components/Icon.dom.js';
import { MenuButton, type MenuItem } from '../components/Menu.dom.js';

/** The composer's "Add a content warning" button: a preset, or the person's own words. */
export function ContentWarningMenu({ onChoose }: { onChoose: (warning: string) => void }) {
  const items: MenuItem[] = [
    ...WARNING_PRESETS.map((preset) => ({
      label: preset,
      onSelect: () => {
        onChoose(preset);
      },
    })),
    {
      label: 'Your own words…',
      onSelect: () => {
        onChoose('');
      },
    },
  ];
  return (
    <MenuButton label="Add a content warning" items={items} align="end">
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
        Content warning
      </label>
      <input
        ref={fieldRef}
        id={id}
        className="composer-warning-field"
        value={warning}
        maxLength={MAX_WARNING_LENGTH}
        placeholder="What readers should know first"
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
      <button
        type="button"
        className="icon-button"
        aria-label="Remove content warning"
        onClick={onRemove}
      >
        <Icon name="close" />
      </button>
    </div>
  );
}
