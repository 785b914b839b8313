import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';

/**
 * Content warnings beyond the author's own label: the group rule "warnings required on images",
 * written over the body so it holds for whatever carries attachments (the text body's
 * attachment pointers, a stored message's). The sender refuses an unwarned image
 * ({@link checkImageWarning}); a receiver covers one that arrives anyway ({@link shownWarning}).
 */

/** The label a receiver shows on an unwarned image in a group that requires warnings. */
export const SENSITIVE_IMAGE_LABEL = 'Sensitive image';

/** What the rule reads of a body or a stored message: its warning and its attachments' types. */
export interface WarnableBody {
  readonly warning?: string | undefined;
  readonly attachments?: readonly { readonly contentType: string }[] | undefined;
}

/** What the rule reads of a group's policy. */
export interface ImageWarningPolicy {
  readonly requireImageWarnings: boolean;
}

/** Whether any attachment is an image (its content type is image/…, in any case). */
export function hasImageAttachment(body: WarnableBody): boolean {
  return (body.attachments ?? []).some((attachment) =>
    attachment.contentType.trim().toLowerCase().startsWith('image/'),
  );
}

/** Whether the policy would refuse to send this body: an image without a warning. */
export function needsImageWarning(body: WarnableBody, policy: ImageWarningPolicy): boolean {
  return policy.requireImageWarnings && body.warning === undefined && hasImageAttachment(body);
}

/** Throws CORE_WARNING_REQUIRED when the policy requires a warning this body lacks. */
export function checkImageWarning(body: WarnableBody, policy: ImageWarningPolicy): void {
  if (needsImageWarning(body, policy)) {
    throw new CoreError(
      CoreErrorCode.WarningRequired,
      'this group requires a content warning on images: add one (--warning TEXT)',
    );
  }
}

/**
 * The label a message is shown covered with: its author's warning, else "Sensitive image" for an
 * unwarned image under a policy that requires warnings, else undefined (shown uncovered).
 */
export function shownWarning(body: WarnableBody, policy: ImageWarningPolicy): string | undefined {
  if (body.warning !== undefined) return body.warning;
  return needsImageWarning(body, policy) ? SENSITIVE_IMAGE_LABEL : undefined;
}
