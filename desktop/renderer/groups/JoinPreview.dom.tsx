import { useEffect, useState } from 'react';
import type { GroupPreviewView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { TextAreaField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useApi, useLoad, type Loaded } from '../kindredContext.dom.js';

/** How each kind of invite link begins (core's link formats). */
const GROUP_LINK_PREFIX = 'kindred:group/';
const CONTACT_LINK_PREFIX = 'kindred:contact/';

/** How long typing must pause before a pasted or typed link is looked up. */
const PREVIEW_DELAY_MS = 300;
/** The longest introduction, in characters (core refuses longer: CORE_INVALID_INPUT). */
export const MAX_INTRODUCTION_LENGTH = 500;

/**
 * What the link opens, read before joining: nothing while the text is not a group link yet,
 * then the group's name, rules and whether a moderator approves (or why the link shows nothing).
 */
export function useGroupPreview(link: string): Loaded<GroupPreviewView> {
  const api = useApi();
  const trimmed = link.trim();
  const [settled, setSettled] = useState(trimmed);
  useEffect(() => {
    const timer = setTimeout(() => {
      setSettled(trimmed);
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [trimmed]);
  const text = useText();
  const isGroupLink = settled.startsWith(GROUP_LINK_PREFIX);
  const scope = isGroupLink ? `preview:${settled}` : undefined;
  const loaded = useLoad(scope, 0, () => api.call('groups.preview', { link: settled }));
  // Something pasted that no group link is: say what it is instead of waiting in silence.
  if (settled === '' || isGroupLink) return loaded;
  return {
    ...loaded,
    error: settled.startsWith(CONTACT_LINK_PREFIX)
      ? text('groupJoining.contactLink')
      : text('groupJoining.notGroupLink'),
  };
}

/** The group as its link shows it, before anyone chooses a pseudonym or joins. */
export function GroupPreviewCard({ preview }: { preview: Loaded<GroupPreviewView> }) {
  const text = useText();
  if (preview.error !== undefined) return <ErrorText error={preview.error} />;
  const shown = preview.data;
  if (shown === undefined) {
    return preview.loading ? (
      <p className="hint" role="status">
        {text('groupJoining.lookingUp')}
      </p>
    ) : null;
  }
  return (
    <section className="join-preview" aria-labelledby="join-preview-title">
      <h3 id="join-preview-title">
        {shown.name === '' ? text('groupJoining.aGroup') : shown.name}
      </h3>
      {shown.description !== '' && <p dir="auto">{shown.description}</p>}
      <p className="status-line">
        <Icon name="shield" />
        {shown.joinByApproval
          ? text('groupJoining.previewApproval')
          : text('groupJoining.previewOpen')}
      </p>
      <h4 className="field-label">{text('groups.about.rules')}</h4>
      <p className="join-preview-rules" dir="auto">
        {shown.rules === '' ? text('groupJoining.previewNoRules') : shown.rules}
      </p>
      {shown.alreadyIn && <p className="hint">{text('groupJoining.alreadyIn')}</p>}
    </section>
  );
}

/** A few words for the moderators who decide on the request; sealed, only members read them. */
export function IntroductionField({
  value,
  onChange,
}: {
  value: string;
  onChange: (value: string) => void;
}) {
  const text = useText();
  return (
    <TextAreaField
      label={text('groupJoining.introduce')}
      rows={3}
      maxLength={MAX_INTRODUCTION_LENGTH}
      value={value}
      onChange={onChange}
      hint={text('groupJoining.introduceHint', { count: MAX_INTRODUCTION_LENGTH })}
    />
  );
}
