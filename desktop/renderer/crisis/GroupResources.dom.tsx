import { useEffect, useState } from 'react';
import type { GroupResourceView, GroupResourcesView } from '../../shared/api.std.js';
import { useText, type TextOf } from '../i18n/LanguageProvider.dom.js';
import { useApi, useConversationRevision } from '../kindredContext.dom.js';

/**
 * The local resources a group's moderators pinned, read from its sealed info through main.
 * Shows nothing while loading, on failure or when there are none: the crisis lines around it
 * never wait for it.
 */
export function useGroupResources(
  conversationId: string | undefined,
): GroupResourcesView | undefined {
  const api = useApi();
  // Read again when the group changes (a moderator may have just edited them), keeping the old
  // list on screen meanwhile; another group's list is never shown for this one.
  const revision = useConversationRevision(conversationId);
  const [loaded, setLoaded] = useState<{ id: string; view: GroupResourcesView } | undefined>(
    undefined,
  );
  useEffect(() => {
    if (conversationId === undefined) return undefined;
    let live = true;
    api.call('groups.resources', { conversationId }).then(
      (answer) => {
        if (live) setLoaded({ id: conversationId, view: answer });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, conversationId, revision]);
  return loaded !== undefined && loaded.id === conversationId ? loaded.view : undefined;
}

/** The list with its heading: "Pinned by {group}" in the panel, "Local resources" in About. */
export function GroupResourceList({
  conversationId,
  place,
  card = false,
}: {
  conversationId: string | undefined;
  place: 'panel' | 'about';
  /** Drawn as a card of its own (the group page's About tab). */
  card?: boolean;
}) {
  const text = useText();
  const view = useGroupResources(conversationId);
  if (view === undefined || view.resources.length === 0) return null;
  return (
    <section
      className={card ? 'card group-resources' : 'group-resources'}
      aria-label={text('groupResources.aboutHeading')}
    >
      <h3>
        {place === 'panel'
          ? text('groupResources.heading', { group: view.groupName })
          : text('groupResources.aboutHeading')}
      </h3>
      <p className="hint">{text('groupResources.hint')}</p>
      <ul className="crisis-lines">
        {view.resources.map((resource) => (
          <li className="crisis-line" key={resource.href}>
            <h4 dir="auto">{resource.name}</h4>
            {resource.note !== '' && (
              <p className="crisis-facts" dir="auto">
                {resource.note}
              </p>
            )}
            <ul className="crisis-actions">
              <li>
                <a className="button crisis-action" href={resource.href} dir="auto">
                  {reachWords(resource, text)}
                </a>
              </li>
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** How a resource is reached, in words: "Call +44 …", "Text 85258", "Open example.org/help". */
export function reachWords(resource: GroupResourceView, text: TextOf): string {
  switch (resource.reach) {
    case 'phone':
      return text('groupResources.call', { number: resource.address });
    case 'text':
      return text('groupResources.text', { number: resource.address });
    case 'web':
      return text('groupResources.web', { address: resource.address.replace(/^https:\/\//u, '') });
  }
}
