import type { MessageId } from '../../shared/i18n/messages.std.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';

/**
 * The badge beside a pseudonym for a member whose facilitator credential core checked against
 * the operator key the trust root endorses (docs/groups.md, "Facilitator badges").
 */
export function FacilitatorBadge({ role }: { role: string | undefined }) {
  const text = useText();
  if (role === undefined) return null;
  const label = text('facilitators.badgeLabel', { role });
  return (
    <span className="tag tag-good tag-facilitator" title={label} aria-label={label}>
      <Icon name="check" />
      <span aria-hidden="true">{role}</span>
    </span>
  );
}

/** Why a credential shows no badge, by core's problem (an unknown one reads as forged). */
export const CREDENTIAL_PROBLEM_WORDS: Readonly<Record<string, MessageId>> = {
  malformed: 'facilitators.problem.malformed',
  forged: 'facilitators.problem.forged',
  'other-relay': 'facilitators.problem.otherRelay',
  'other-persona': 'facilitators.problem.otherPersona',
  expired: 'facilitators.problem.expired',
  revoked: 'facilitators.problem.revoked',
  unverifiable: 'facilitators.problem.unverifiable',
};
