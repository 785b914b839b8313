/**
 * A group's pinned local resources as the window shows them (docs/crisis-help.md, "A group's own
 * resources"): in the Get help now panel while the group is open, and in the group's About.
 */

/** One resource; `href` is `tel:`, `sms:` or its https page, made by core from checked data. */
export interface GroupResourceView {
  readonly name: string;
  readonly reach: 'phone' | 'text' | 'web';
  readonly address: string;
  readonly note: string;
  readonly href: string;
}

export interface GroupResourcesView {
  /** The group's name, for the panel's heading ("Pinned by Lupus circle"). */
  readonly groupName: string;
  readonly resources: readonly GroupResourceView[];
}
