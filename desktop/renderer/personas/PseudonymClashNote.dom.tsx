import type { PersonaView } from '../../shared/api.std.js';
import { clashingPseudonym } from '../../shared/pseudonymClash.std.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';

/**
 * Warns, as the name is typed, when it is another of our personas' name: two personas with one
 * name can be linked by anyone who meets both. A polite live region, so the warning is heard
 * without taking the focus; it never stops the person from choosing the name.
 */
export function PseudonymClashNote({
  chosen,
  personas,
  nested = false,
}: {
  chosen: string;
  personas: readonly PersonaView[] | undefined;
  /** Lines up with a nested field (the group form's persona choice). */
  nested?: boolean;
}) {
  const text = useText();
  const existing = clashingPseudonym(chosen, personas ?? []);
  return (
    <p className={nested ? 'pseudonym-clash nested' : 'pseudonym-clash'} role="status">
      {existing !== undefined && (
        <>
          <Icon name="warning" />
          {text('personas.clash', { name: existing })}
        </>
      )}
    </p>
  );
}
