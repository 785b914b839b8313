import { useId } from 'react';
import { CheckboxField } from '../components/FormFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { setCrisisNotice, useCrisisNoticeOn } from './crisisNotice.dom.js';

/** Settings → Get help now: the crisis-language notice, off by default. */
export function CrisisSettings() {
  const id = useId();
  const text = useText();
  const on = useCrisisNoticeOn();
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text('crisis.settingsTitle')}</h2>
      <CheckboxField
        label={text('crisis.noticeSetting')}
        checked={on}
        onChange={setCrisisNotice}
        aria-describedby={`${id}-hint`}
      />
      <p id={`${id}-hint`} className="hint">
        {text('crisis.noticeHint')}
      </p>
    </section>
  );
}
