import { createContext, useContext } from 'react';
import type { ConversationId } from '../../shared/api.std.js';
import type { DirectoryQuery } from '../directory/directoryQuery.dom.js';

/** The panels of a group's page. */
export type GroupTab =
  'about' | 'members' | 'schedule' | 'invite' | 'requests' | 'reports' | 'log' | 'warnings';

/** A message to bring into view; `serial` tells one choice of it from the next. */
export interface MessageFocus {
  readonly messageId: string;
  readonly serial: number;
}

/** What the main area shows. */
export type View =
  | { readonly kind: 'home' }
  | {
      readonly kind: 'conversation';
      readonly id: ConversationId;
      /** A search result chosen: scroll to this message and highlight it. */
      readonly focus?: MessageFocus;
    }
  | { readonly kind: 'contacts' }
  | { readonly kind: 'groups' }
  | { readonly kind: 'group'; readonly id: ConversationId; readonly tab: GroupTab }
  | { readonly kind: 'moderation'; readonly id?: ConversationId; readonly tab?: GroupTab }
  | { readonly kind: 'personas' }
  | { readonly kind: 'settings' }
  /** The message requests inbox. */
  | { readonly kind: 'requests' }
  /** Journals; `followLink`: a follow link opened from "Add someone", to confirm there. */
  | { readonly kind: 'journal'; readonly followLink?: string }
  /** Find a community; `query`: the search to show again (back from a listing). */
  | { readonly kind: 'directory'; readonly query?: DirectoryQuery }
  /** A listing's page, opened from the Find page's `query`. */
  | { readonly kind: 'listing'; readonly groupId: string; readonly query?: DirectoryQuery };

export const NavigationContext = createContext<(view: View) => void>(() => {
  // Outside the shell there is nowhere to go.
});

export function useNavigate(): (view: View) => void {
  return useContext(NavigationContext);
}
